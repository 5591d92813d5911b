/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: VM interface
 *
 * drm_gmmu VMs: a context's address space (drm_gpuvm) on level-2 page
 * tables (an iommu-ctx domain), its queues and its fault records. See
 * drm-core/drm_gmmu_vm.c.
 */
#ifndef __DRM_GMMU_VM_H__
#define __DRM_GMMU_VM_H__

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_gmmu_reset.h>
#include <drm/drm_gmmu_slots.h>
#include <drm/drm_gpuvm.h>
#include <drm/gmmu_drm.h>

struct drm_gmmu_bo;
struct drm_gmmu_device;
struct drm_gmmu_queue;
struct drm_gmmu_queue_cfg;
struct dma_fence;
struct iommu_ctx_tlb_ops;

/**
 * struct drm_gmmu_vm_cfg - what a driver tells drm_gmmu about a new VM
 * @format: iommu-ctx page-table format of the GPU's MMU, e.g. "x86-48";
 *	NULL for the device's (&drm_gmmu_device.format)
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
 * @queue: the kind of queue the shared QUEUE_CREATE ioctl makes on this
 *	VM, and VM_CREATE's queue 0 (drm_gmmu_vm_create_ioctl()); NULL for
 *	a VM whose jobs the driver queues itself
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
	const struct drm_gmmu_queue_cfg *queue;
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
 * @last: the most recent fault, kept whatever reading took out of @rec
 */
struct drm_gmmu_fault_ring {
	spinlock_t lock;
	struct drm_gmmu_fault rec[DRM_GMMU_FAULT_RING_SIZE];
	unsigned int head;
	unsigned int len;
	u64 total;
	u64 dropped;
	struct drm_gmmu_fault last;
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
 * @queue_cfg: see &drm_gmmu_vm_cfg.queue
 * @faults: the VM's GPU page faults (drm_gmmu_vm_report_fault())
 * @mapped_bytes: bytes of GPU address space mapped, under @lock
 * @id: the VM's id in its file (drm_gmmu_file_vm_publish()), 0 before;
 *	for tracepoints and messages
 * @reset: hangs of the VM's jobs and its ban (drm-core/drm_gmmu_reset.c)
 * @pid: thread-group id of the process that created the VM, for the error
 *	state (drm-core/drm_gmmu_coredump.c)
 * @comm: that process's name, likewise
 * @bind_queue: the queue asynchronous binds run on, made on first use;
 *	under @lock (see "Asynchronous binds")
 * @bind_queue_closed: drm_gmmu_vm_close_queues() ran: no bind queue is
 *	made any more; under @lock
 * @bind_pending: asynchronous bind arrays in the VA tree and not settled
 *	yet, in submission order; under @lock
 * @bind_done: settled arrays waiting to be freed without @lock; under @lock
 * @bind_last: out-fence of the newest of @bind_pending; under @lock
 * @bind_reap_work: settles and frees arrays once their jobs are done
 * @bind_apply_lock: serialises table writes of bind arrays with
 *	drm_gmmu_vm_close(); nothing allocates under it, so bind jobs may
 *	take it in the fence-signalling path. Protects @bind_dying.
 * @bind_dying: the VM is closing: bind jobs write nothing
 * @slot: the VM's claim on the device's address-space slots, if the
 *	device has a slot manager (&drm_gmmu_device.slots)
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
	const struct drm_gmmu_queue_cfg *queue_cfg;
	struct drm_gmmu_fault_ring faults;
	u64 mapped_bytes;
	u32 id;
	struct drm_gmmu_vm_reset reset;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct drm_gmmu_queue *bind_queue;
	bool bind_queue_closed;
	struct list_head bind_pending;
	struct list_head bind_done;
	struct dma_fence *bind_last;
	struct work_struct bind_reap_work;
	struct mutex bind_apply_lock;
	bool bind_dying;
	struct drm_gmmu_slot_ctx slot;
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


#endif /* __DRM_GMMU_VM_H__ */
