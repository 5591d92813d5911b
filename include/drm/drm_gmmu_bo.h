/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: BO interface
 *
 * drm_gmmu buffer objects: shmem backing pinned by range, one long-lived
 * level-1 mapping per device, CPU access brackets, dma-buf export and
 * import, and the BO ioctls' helpers. See drm-core/drm_gmmu_bo.c.
 */
#ifndef __DRM_GMMU_BO_H__
#define __DRM_GMMU_BO_H__

#include <linux/dma-direction.h>
#include <linux/list.h>
#include <linux/types.h>

#include <drm/drm_gem_shmem_helper.h>

struct device;
struct dma_buf;
struct drm_file;
struct drm_gmmu_device;
struct drm_gmmu_vm;
struct sg_table;

struct drm_gmmu_bo_domain;


/**
 * struct drm_gmmu_bo - a buffer object with shmem backing
 * @base: the GEM object; only its shmem file, mmap offset and reservation
 *	are used, not drm_gem_shmem's page array or pin count
 * @gdev: the device the BO was created for
 * @sgt: the level-1 mapping of the backing pages for @gdev, DMA_BIDIRECTIONAL,
 *	made when a purpose needs it and dropped when none is left, or at
 *	eviction (see "Pins by purpose"); NULL when unmapped. Set and
 *	cleared under the BO's reservation and @gdev->lock, read under
 *	either. For an imported BO, the mapped attachment, made at import
 *	and again after the exporter moved the buffer (see "Dynamic
 *	dma-buf").
 * @l1_bind: bind arrays that map the BO and are not settled yet: each
 *	holds the level-1 mapping, and the BO is not evicted meanwhile;
 *	under the BO's reservation
 * @l1_kernel: a kernel user called drm_gmmu_bo_dma_map(): the mapping
 *	stays until the BO is freed or the device unplugged; under the BO's
 *	reservation
 * @map_link: in @gdev->maps while @sgt is set
 * @bo_link: in @gdev->bos for the BO's whole life
 * @pages: the backing page of each page of the BO that is resident (one
 *	reference held on it), else NULL; under the BO's reservation
 * @pin: pin count of each page; a pinned page stays resident
 * @evicted: pages released by eviction and not obtained since
 * @resident: how many @pages are set
 * @pinned: how many pages have a non-zero @pin
 * @pinned_more: how many pages have a @pin above one: with the level-1
 *	mapping (whose pin is one on every page) the BO is evictable only
 *	while this is zero, without it only while @pinned is
 * @evictable: what the BO adds to &drm_gmmu_device.evictable
 * @vaddr: kernel mapping of the whole BO while @vmap_count is non-zero
 * @vmap_count: users of @vaddr; each holds a pin on every page
 * @shrinking: an eviction scan is looking at the BO; under @gdev->bo_lock
 * @dma32: backing pages come from below 4 GiB (the device's DMA cannot
 *	reach all memory and nothing translates for it)
 * @dma32_attachers: attachments of the BO's dma-buf for devices that need
 *	its pages below 4 GiB, which they then are (see "Importer
 *	constraints"); under the BO's reservation
 * @vm_resv_obj: for a VM-private BO, the VM's reservation object, which
 *	the BO shares (and keeps alive); NULL for a shared BO
 * @wc: the BO is write-combined (%DRM_GMMU_BO_WC): its pages have the WC
 *	memory type for as long as they back it, and every CPU mapping of it
 *	is WC
 * @dom: cache-domain state, only on a non-coherent device (else NULL);
 *	under the BO's reservation
 * @cpu_access_count: open kernel CPU-access brackets; under the BO's
 *	reservation
 * @dmabuf_cpu_access: of those, the brackets opened through the BO's
 *	dma-buf (DMA_BUF_IOCTL_SYNC), which only a dma-buf END may close;
 *	under the BO's reservation
 * @dmabuf: the BO's dma-buf, known once an importer mapped it; valid
 *	while @export_maps is non-zero (an attachment holds the dma-buf)
 * @export_maps: mappings of the BO's dma-buf attachments for other
 *	devices that exist; each pins every page; under the BO's reservation
 * @export_pins: pins of the BO's dma-buf attachments (&dma_buf_ops.pin)
 *	by importers other than drm_gmmu's: while non-zero the BO is never
 *	evicted; under the BO's reservation
 * @export_own_pins: pins the dma-buf core took for drm_gmmu's own
 *	importers' mappings (a kernel without ``CONFIG_DMABUF_MOVE_NOTIFY``
 *	pins for every dynamic importer that maps); they keep the BO unless
 *	the ``move_own_imports`` parameter is set (see "Dynamic dma-buf");
 *	under the BO's reservation
 * @import_moved: an imported BO whose exporter moved the buffer
 *	(move_notify) since its attachment was last mapped: the next
 *	mapping is a rebuild; under the BO's reservation
 */
struct drm_gmmu_bo {
	struct drm_gem_shmem_object base;
	struct drm_gmmu_device *gdev;
	struct sg_table *sgt;
	unsigned int l1_bind;
	bool l1_kernel;
	struct list_head map_link;
	struct list_head bo_link;
	struct page **pages;
	unsigned int *pin;
	unsigned long *evicted;
	pgoff_t resident;
	pgoff_t pinned;
	pgoff_t pinned_more;
	long evictable;
	void *vaddr;
	unsigned int vmap_count;
	bool shrinking;
	bool dma32;
	unsigned int dma32_attachers;
	bool wc;
	struct drm_gem_object *vm_resv_obj;
	struct drm_gmmu_bo_domain *dom;
	unsigned int cpu_access_count;
	unsigned int dmabuf_cpu_access;
	struct dma_buf *dmabuf;
	unsigned int export_maps;
	unsigned int export_pins;
	unsigned int export_own_pins;
	bool import_moved;
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
struct sg_table *drm_gmmu_bo_build_sgt(struct drm_gmmu_bo *bo,
				       struct device *dev);
int drm_gmmu_bo_get_pages(struct drm_gmmu_bo *bo, pgoff_t first,
			  pgoff_t count);
int drm_gmmu_bo_put_pages(struct drm_gmmu_bo *bo, pgoff_t first,
			  pgoff_t count);

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

enum dma_data_direction drm_gmmu_cpu_access_dir(u32 flags);
int drm_gmmu_bo_cpu_access(struct drm_gmmu_bo *bo, u32 flags, u64 offset,
			   u64 size);

struct dma_buf;

struct dma_buf *drm_gmmu_gem_prime_export(struct drm_gem_object *obj,
					  int flags);
struct drm_gem_object *drm_gmmu_gem_prime_import(struct drm_device *drm,
						 struct dma_buf *dmabuf);


#endif /* __DRM_GMMU_BO_H__ */
