/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * drm_gmmu: DRM helpers for GPUs with two-level address spaces.
 */
#ifndef __DRM_GMMU_H__
#define __DRM_GMMU_H__

#include <linux/atomic.h>
#include <linux/dma-direction.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gpuvm.h>
#include <drm/gmmu_drm.h>

/**
 * struct drm_gmmu_ext_handler - handles one extension name of an ioctl
 * @name: the &drm_gmmu_user_extension.name this handler takes
 * @fn: called with the user pointer of the extension (its header first)
 *	and the ioctl's private data; returns 0 or a negative errno
 */
struct drm_gmmu_ext_handler {
	u32 name;
	int (*fn)(u64 uptr, void *data);
};

int drm_gmmu_user_ext_walk(u64 extensions,
			   const struct drm_gmmu_ext_handler *handlers,
			   unsigned int count, void *data);

bool drm_gmmu_mem_is_zero(const void *p, size_t len);

int drm_gmmu_copy_user_array(void *dst, size_t elem_size, size_t min_stride,
			     u64 uptr, u32 count, u32 stride);


struct dentry;
struct drm_device;
struct page;
struct sg_table;
struct shrinker;
struct drm_gmmu_device;

/**
 * struct drm_gmmu_coherency_ops - observer of a non-snooping device's
 *	cache maintenance and CPU accesses
 * @flush: a range of one page was written back and invalidated from the
 *	CPU caches (clflush); called after the instructions have retired
 * @cpu_access: the CPU side begins accessing a range (a user page fault,
 *	or drm_gmmu_bo_begin_cpu_access()) in direction @dir; @uncached when
 *	the page is write-combined (its reads bypass the CPU caches)
 * @cpu_write: the CPU may have written a range (a write fault on a user
 *	mapping covers its whole page; a kernel bracket its exact range);
 *	@uncached when the page is write-combined: the write reaches memory
 *	without leaving a dirty line behind
 * @release: the page leaves the buffer object it backed; whatever is
 *	known about its cache lines no longer matters
 *
 * Registered with drm_gmmu_device_set_noncoherent(). drm_gmmu calls these
 * for every event, whatever its own bookkeeping decided, so that an
 * independent model (a hardware model's coherency checker, a tracer) can
 * tell when the helpers' cache maintenance is wrong. Every callback may be
 * NULL. They are called with the BO's reservation held and must not sleep.
 */
struct drm_gmmu_coherency_ops {
	void (*flush)(struct drm_gmmu_device *gdev, struct page *page,
		      unsigned int offset, unsigned int len);
	void (*cpu_access)(struct drm_gmmu_device *gdev, struct page *page,
			   unsigned int offset, unsigned int len,
			   enum dma_data_direction dir, bool uncached);
	void (*cpu_write)(struct drm_gmmu_device *gdev, struct page *page,
			  unsigned int offset, unsigned int len, bool uncached);
	void (*release)(struct drm_gmmu_device *gdev, struct page *page);
};

/**
 * struct drm_gmmu_coherency_stats - what the cache maintenance of a device did
 * @flush_calls: calls of the flush primitive
 * @flush_bytes: bytes it flushed
 * @gpu_entries: BOs that entered the GPU domain with CPU accesses behind them
 * @pages_flushed: CPU-dirty pages flushed on entry into the GPU domain
 * @pages_invalidated: pages invalidated on entry into the CPU domain
 * @skipped: flushes or invalidations skipped by fault injection
 */
struct drm_gmmu_coherency_stats {
	atomic64_t flush_calls;
	atomic64_t flush_bytes;
	atomic64_t gpu_entries;
	atomic64_t pages_flushed;
	atomic64_t pages_invalidated;
	atomic64_t skipped;
};

/**
 * struct drm_gmmu_backing_stats - what happened to the backing pages of a device's BOs
 * @pages_evicted: resident, unpinned pages released by eviction (shrinker
 *	or debugfs), their user PTEs shot down first
 * @pages_swapped_out: of those, pages that shmem accepted to write to swap
 * @pages_restored: evicted pages obtained again (from swap or, if they
 *	had not been written out yet, from the page cache)
 * @shrinker_scans: calls of the shrinker's scan
 * @shrinker_skipped: BOs the shrinker (or drm_gmmu_device_evict()) passed
 *	over because their reservation was taken (it only trylocks)
 * @last_evict: pages released by the last drm_gmmu_device_evict()
 * @pages_huge: resident pages that are part of a transparent huge page
 *	(see the ``huge`` module parameter)
 */
struct drm_gmmu_backing_stats {
	atomic64_t pages_evicted;
	atomic64_t pages_swapped_out;
	atomic64_t pages_restored;
	atomic64_t shrinker_scans;
	atomic64_t shrinker_skipped;
	atomic64_t last_evict;
	atomic64_t pages_huge;
};

/* Fault injection bits of &drm_gmmu_device.inject (debugfs, tests only). */
#define DRM_GMMU_INJECT_SKIP_FLUSH	0
#define DRM_GMMU_INJECT_SKIP_INVALIDATE	1

/**
 * struct drm_gmmu_device - drm_gmmu state of one GPU device
 * @drm: the DRM device; its ``dev`` is the device that does DMA
 * @lock: protects @maps, @unplugged and every BO's level-1 mapping
 * @maps: BOs that hold a level-1 (DMA API) mapping for this device
 * @unplugged: set by drm_gmmu_device_unplug(): no new level-1 mappings
 * @vm_lock: protects @vms
 * @vms: open VMs (&drm_gmmu_vm.link), closed at unplug
 * @noncoherent: the device does not snoop CPU caches: BOs track cache
 *	domains and drm_gmmu flushes for it (drm_gmmu_device_set_noncoherent())
 * @coherency_ops: observer of cache maintenance, or NULL
 * @coherency_stats: counters, in debugfs
 * @inject: fault injection for tests: each bit makes the next flush
 *	(%DRM_GMMU_INJECT_SKIP_FLUSH) or invalidation
 *	(%DRM_GMMU_INJECT_SKIP_INVALIDATE) of one page not happen
 * @bo_lock: protects @bos
 * @bos: every BO of the device (&drm_gmmu_bo.bo_link), for eviction
 * @evictable: resident pages of BOs that hold no pin, what the shrinker
 *	reports it could free
 * @shrinker: evicts unpinned BOs under memory pressure
 * @backing_stats: counters, in debugfs (``gmmu_backing``)
 * @inject_enomem: tests only: if non-zero, counts down at every backing
 *	page obtained, and the one that brings it to zero fails with -ENOMEM
 *
 * A driver embeds this in its device structure, calls drm_gmmu_device_init()
 * before creating BOs and drm_gmmu_device_unplug() in its remove path.
 */
struct drm_gmmu_device {
	struct drm_device *drm;
	struct mutex lock;
	struct list_head maps;
	bool unplugged;
	spinlock_t vm_lock;
	struct list_head vms;
	bool noncoherent;
	const struct drm_gmmu_coherency_ops *coherency_ops;
	struct drm_gmmu_coherency_stats coherency_stats;
	unsigned long inject;
	spinlock_t bo_lock;
	struct list_head bos;
	atomic_long_t evictable;
	struct shrinker *shrinker;
	struct drm_gmmu_backing_stats backing_stats;
	unsigned int inject_enomem;
};

struct drm_gmmu_bo_domain;

/**
 * struct drm_gmmu_bo - a buffer object with shmem backing
 * @base: the GEM object; only its shmem file, mmap offset and reservation
 *	are used, not drm_gem_shmem's page array or pin count
 * @gdev: the device the BO was created for
 * @sgt: the level-1 mapping of the backing pages for @gdev, DMA_BIDIRECTIONAL,
 *	made on first use and kept; NULL when unmapped. Under @gdev->lock.
 *	For an imported BO, the mapped attachment, made at import.
 * @map_link: in @gdev->maps while @sgt is set
 * @bo_link: in @gdev->bos for the BO's whole life
 * @pages: the backing page of each page of the BO that is resident (one
 *	reference held on it), else NULL; under the BO's reservation
 * @pin: pin count of each page; a pinned page stays resident
 * @evicted: pages released by eviction and not obtained since
 * @resident: how many @pages are set
 * @pinned: how many pages have a non-zero @pin; the shrinker evicts only
 *	BOs where it is zero
 * @vaddr: kernel mapping of the whole BO while @vmap_count is non-zero
 * @vmap_count: users of @vaddr; each holds a pin on every page
 * @shrinking: an eviction scan is looking at the BO; under @gdev->bo_lock
 * @dma32: backing pages come from below 4 GiB (the device's DMA cannot
 *	reach all memory and nothing translates for it)
 * @vm_resv_obj: for a VM-private BO, the VM's reservation object, which
 *	the BO shares (and keeps alive); NULL for a shared BO
 * @wc: the BO is write-combined (%DRM_GMMU_BO_WC): its pages have the WC
 *	memory type for as long as they back it, and every CPU mapping of it
 *	is WC
 * @dom: cache-domain state, only on a non-coherent device (else NULL);
 *	under the BO's reservation
 * @cpu_access_count: open kernel CPU-access brackets; under the BO's
 *	reservation
 */
struct drm_gmmu_bo {
	struct drm_gem_shmem_object base;
	struct drm_gmmu_device *gdev;
	struct sg_table *sgt;
	struct list_head map_link;
	struct list_head bo_link;
	struct page **pages;
	unsigned int *pin;
	unsigned long *evicted;
	pgoff_t resident;
	pgoff_t pinned;
	void *vaddr;
	unsigned int vmap_count;
	bool shrinking;
	bool dma32;
	bool wc;
	struct drm_gem_object *vm_resv_obj;
	struct drm_gmmu_bo_domain *dom;
	unsigned int cpu_access_count;
};

static inline struct drm_gmmu_bo *to_drm_gmmu_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct drm_gmmu_bo, base.base);
}

/**
 * drm_gmmu_bo_is_imported - is the BO another device's dma-buf?
 * @bo: the BO
 *
 * An imported BO (drm_gmmu_gem_prime_import() of a foreign dma-buf) has
 * no struct pages (@bo->pages is NULL): only the DMA addresses of the
 * attachment, its level-1 mapping. Every path that needs pages refuses it.
 *
 * Return: true if @bo was imported.
 */
static inline bool drm_gmmu_bo_is_imported(const struct drm_gmmu_bo *bo)
{
	return bo->base.base.import_attach;
}

int drm_gmmu_device_init(struct drm_gmmu_device *gdev, struct drm_device *drm);
void drm_gmmu_device_unplug(struct drm_gmmu_device *gdev);
bool drm_gmmu_device_dma_is_direct(struct drm_gmmu_device *gdev);

struct drm_gmmu_vm;

/**
 * DRM_GMMU_BO_WC - flag of drm_gmmu_bo_create_flags(): write-combined BO
 *
 * The BO's backing pages get the WC memory type while they back it (the
 * linear map included, set_pages_array_wc()) and its user and kernel
 * mappings are WC: CPU writes bypass the caches, so a non-snooping device
 * needs no flush or invalidation for it. Without it a BO is cached
 * (write-back).
 */
#define DRM_GMMU_BO_WC		BIT(0)

struct drm_gmmu_bo *drm_gmmu_bo_create(struct drm_gmmu_device *gdev, size_t size);
struct drm_gmmu_bo *drm_gmmu_bo_create_flags(struct drm_gmmu_device *gdev,
					     struct drm_gmmu_vm *vm,
					     size_t size, unsigned int flags);
struct drm_gmmu_bo *drm_gmmu_bo_create_private(struct drm_gmmu_device *gdev,
					       struct drm_gmmu_vm *vm,
					       size_t size);
struct sg_table *drm_gmmu_bo_dma_map(struct drm_gmmu_bo *bo);
int drm_gmmu_bo_get_pages(struct drm_gmmu_bo *bo, pgoff_t first,
			  pgoff_t count);
int drm_gmmu_bo_put_pages(struct drm_gmmu_bo *bo, pgoff_t first,
			  pgoff_t count);
unsigned long drm_gmmu_device_evict(struct drm_gmmu_device *gdev);

void drm_gmmu_device_set_noncoherent(struct drm_gmmu_device *gdev,
				     const struct drm_gmmu_coherency_ops *ops);
void drm_gmmu_device_debugfs_init(struct drm_gmmu_device *gdev,
				  struct dentry *root);
void drm_gmmu_flush_page(struct drm_gmmu_device *gdev, struct page *page,
			 unsigned int offset, unsigned int len);
void drm_gmmu_flush_virt_range(struct drm_gmmu_device *gdev, void *addr,
			       size_t len);
int drm_gmmu_bo_begin_cpu_access(struct drm_gmmu_bo *bo,
				 enum dma_data_direction dir,
				 size_t offset, size_t len);
int drm_gmmu_bo_end_cpu_access(struct drm_gmmu_bo *bo,
			       enum dma_data_direction dir,
			       size_t offset, size_t len);

/** DRM_GMMU_CPU_ACCESS_START - drm_gmmu_bo_cpu_access(): open a bracket */
#define DRM_GMMU_CPU_ACCESS_START	BIT(0)
/** DRM_GMMU_CPU_ACCESS_END - drm_gmmu_bo_cpu_access(): close a bracket */
#define DRM_GMMU_CPU_ACCESS_END		BIT(1)
/** DRM_GMMU_CPU_ACCESS_READ - the CPU reads what the device wrote */
#define DRM_GMMU_CPU_ACCESS_READ	BIT(2)
/** DRM_GMMU_CPU_ACCESS_WRITE - the CPU writes for the device */
#define DRM_GMMU_CPU_ACCESS_WRITE	BIT(3)

struct drm_file;

enum dma_data_direction drm_gmmu_cpu_access_dir(u32 flags);
int drm_gmmu_gem_mmap_offset(struct drm_file *file, u32 handle, u64 *offset);
int drm_gmmu_gem_wait(struct drm_file *file, u32 handle, s64 timeout_ns);
int drm_gmmu_bo_cpu_access(struct drm_gmmu_bo *bo, u32 flags, u64 offset,
			   u64 size);

struct dma_buf;

struct dma_buf *drm_gmmu_gem_prime_export(struct drm_gem_object *obj,
					  int flags);
struct drm_gem_object *drm_gmmu_gem_prime_import(struct drm_gmmu_device *gdev,
						 struct dma_buf *dmabuf);

struct iommu_ctx_tlb_ops;

/**
 * struct drm_gmmu_vm_cfg - what a driver tells drm_gmmu about a new VM
 * @format: iommu-ctx page-table format of the GPU's MMU, e.g. "x86-48"
 * @va_bits: width of the GPU virtual address
 * @va_start: lowest address userspace may map (the space below it stays
 *	unmapped, so that a null GPU pointer faults)
 * @pgsize_bitmap: GPU page sizes the MMU supports (0: all of the format's)
 * @coherent: the GPU snoops CPU caches, both for its table walks and for
 *	the memory it maps (mappings are made with IOMMU_CACHE)
 * @tlb: the GPU's TLB invalidation callbacks
 * @tlb_cookie: passed to the @tlb callbacks
 * @free: frees the driver structure that embeds the VM; called once the
 *	last reference is gone
 * @quiesce: optional; the hardware forgets the context. Called once
 *	when a file's VM id is destroyed (drm_gmmu_file_vm_destroy()), after
 *	the VM's queues are drained and before drm_gmmu_vm_close(). Must not
 *	fail; process context, no drm_gmmu lock held.
 * @max_queues: queue ids run from 0 to @max_queues - 1
 */
struct drm_gmmu_vm_cfg {
	const char *format;
	unsigned int va_bits;
	u64 va_start;
	unsigned long pgsize_bitmap;
	bool coherent;
	const struct iommu_ctx_tlb_ops *tlb;
	void *tlb_cookie;
	void (*free)(struct drm_gmmu_vm *vm);
	void (*quiesce)(struct drm_gmmu_vm *vm);
	unsigned int max_queues;
};

/**
 * struct drm_gmmu_fault_ring - the last GPU page faults of a VM
 * @lock: protects the rest; a spinlock, since faults are recorded from
 *	the fence-signalling path
 * @rec: the records, oldest at @head
 * @head: index of the oldest record
 * @len: records held
 * @total: faults recorded since the VM was created
 * @dropped: records lost because the ring was full when a fault came
 */
struct drm_gmmu_fault_ring {
	spinlock_t lock;
	struct drm_gmmu_fault rec[DRM_GMMU_FAULT_RING_SIZE];
	unsigned int head;
	unsigned int len;
	u64 total;
	u64 dropped;
};

/**
 * struct drm_gmmu_vm - a GPU context address space
 * @base: the drm_gpuvm that keeps the VA bookkeeping; its reservation
 *	object is shared by the VM's private BOs
 * @gdev: the device
 * @domain: the iommu-ctx domain holding the level-2 page tables; NULL
 *	once the VM is closed
 * @free: see &drm_gmmu_vm_cfg.free
 * @quiesce: see &drm_gmmu_vm_cfg.quiesce
 * @lock: serialises binds, unbinds and close; protects @closed and @domain
 * @closed: drm_gmmu_vm_close() ran: no more binds
 * @coherent: see &drm_gmmu_vm_cfg.coherent
 * @link: in &drm_gmmu_device.vms while open
 * @queues: the VM's queues (&struct drm_gmmu_queue) by id; lookups take
 *	the xarray's lock, adding and removing take @queue_lock too
 * @queue_lock: serialises queue creation and destruction with
 *	drm_gmmu_vm_close_queues(); protects @queues_closed
 * @queues_closed: no queue can be created any more
 * @max_queues: see &drm_gmmu_vm_cfg.max_queues
 * @faults: the VM's GPU page faults (drm_gmmu_vm_report_fault())
 * @id: the VM's id in its file (drm_gmmu_file_vm_publish()), 0 before;
 *	for tracepoints and messages
 *
 * A driver embeds this in its own context structure. Its lifetime is the
 * drm_gpuvm's reference count (drm_gmmu_vm_get()/drm_gmmu_vm_put()); the
 * driver calls drm_gmmu_vm_close() once no job can use the VM any more and
 * before it drops its last reference.
 */
struct drm_gmmu_vm {
	struct drm_gpuvm base;
	struct drm_gmmu_device *gdev;
	struct iommu_domain *domain;
	void (*free)(struct drm_gmmu_vm *vm);
	void (*quiesce)(struct drm_gmmu_vm *vm);
	struct mutex lock;
	bool closed;
	bool coherent;
	struct list_head link;
	struct xarray queues;
	struct mutex queue_lock;
	bool queues_closed;
	unsigned int max_queues;
	struct drm_gmmu_fault_ring faults;
	u32 id;
};

static inline struct drm_gmmu_vm *to_drm_gmmu_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct drm_gmmu_vm, base);
}

/**
 * DRM_GMMU_VA_WRITABLE - a &drm_gpuva of a drm_gmmu VM that the GPU may
 * write through (it was not bound with %DRM_GMMU_VM_BIND_READONLY)
 */
#define DRM_GMMU_VA_WRITABLE	DRM_GPUVA_USERBITS

/** DRM_GMMU_VM_BIND_READONLY - map for GPU reads only */
#define DRM_GMMU_VM_BIND_READONLY	BIT(0)

int drm_gmmu_vm_init(struct drm_gmmu_vm *vm, struct drm_gmmu_device *gdev,
		     const char *name, const struct drm_gmmu_vm_cfg *cfg);
void drm_gmmu_vm_close(struct drm_gmmu_vm *vm);
int drm_gmmu_vm_bind(struct drm_gmmu_vm *vm, struct drm_gmmu_bo *bo,
		     u64 bo_offset, u64 va, u64 range, unsigned int flags);
int drm_gmmu_vm_unbind(struct drm_gmmu_vm *vm, u64 va, u64 range);
void drm_gmmu_vm_enter_gpu_domain(struct drm_gmmu_vm *vm);
void drm_gmmu_vm_report_fault(struct drm_gmmu_vm *vm,
			      const struct drm_gmmu_fault *f);
void drm_gmmu_vm_last_fault(struct drm_gmmu_vm *vm, struct drm_gmmu_fault *f,
			    u64 *total);
int drm_gmmu_vm_read_faults(struct drm_gmmu_vm *vm, u64 uptr, u32 *count,
			    u32 stride, u64 *dropped);

/**
 * drm_gmmu_vm_get - take a reference on a VM
 * @vm: the VM
 *
 * Return: @vm.
 */
static inline struct drm_gmmu_vm *drm_gmmu_vm_get(struct drm_gmmu_vm *vm)
{
	drm_gpuvm_get(&vm->base);
	return vm;
}

/**
 * drm_gmmu_vm_put - drop a reference on a VM
 * @vm: the VM, or NULL
 *
 * The last reference frees it through &drm_gmmu_vm_cfg.free; it must have
 * been closed with drm_gmmu_vm_close() by then.
 */
static inline void drm_gmmu_vm_put(struct drm_gmmu_vm *vm)
{
	if (vm)
		drm_gpuvm_put(&vm->base);
}

#endif /* __DRM_GMMU_H__ */
