// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Buffer objects
 *
 * Buffer objects: shmem backing, and one level-1 mapping for the device,
 * DMA_BIDIRECTIONAL, shared by every purpose that needs it and dropped
 * when the last one goes (see "Pins by purpose").
 */
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>

#include "drm_gmmu_internal.h"

static void drm_gmmu_bo_free(struct drm_gem_object *obj)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	struct drm_gem_object *vm_resv_obj = bo->vm_resv_obj;

	/*
	 * The last reference must not drop under a reservation
	 * (Documentation/locking.rst): this takes the BO's reservation,
	 * which for a private BO is its VM's.
	 */
	lockdep_assert_not_held(&obj->resv->lock.base);
	drm_gmmu_bo_shrinker_del(bo);
	/* Unlocked, a private BO's shared reservation is not ours to take. */
	dma_resv_lock(obj->resv, NULL);
	drm_gmmu_bo_dma_unmap_locked(bo);
	drm_gmmu_backing_fini(bo);
	dma_resv_unlock(obj->resv);
	drm_gmmu_bo_domain_fini(bo);
	drm_gem_object_release(obj);
	kfree(bo);
	/* A private BO's reservation object lives until the BO is gone. */
	if (vm_resv_obj)
		drm_gem_object_put(vm_resv_obj);
}

/*
 * The protection of a user mapping of @bo with @vm_flags, before the mmap
 * core's write-notify adjustment (which the faults of a BO without domain
 * state do without: drm_gmmu_bo_fault()).
 */
pgprot_t drm_gmmu_bo_page_prot(struct drm_gmmu_bo *bo, vm_flags_t vm_flags)
{
	pgprot_t prot = vm_get_page_prot(vm_flags);

	/*
	 * The pages of a WC BO have the WC memory type already (see
	 * drm_gmmu_backing_obtain()), so PAT's check at vmf_insert_pfn()
	 * keeps this WC rather than turning it into WB; the mmap core's
	 * later write-notify adjustment keeps the cache bits.
	 */
	return bo->wc ? pgprot_writecombine(prot) : prot;
}

/*
 * User mappings are VM_PFNMAP: their PTEs hold no page references, and
 * every page is inserted by drm_gmmu's fault handler through the backing
 * API, so eviction can shoot them down and the next access faults back in.
 */
static int drm_gmmu_bo_mmap(struct drm_gem_object *obj,
			    struct vm_area_struct *vma)
{
	/* A private COW copy of a PFN mapping would share our pages. */
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = drm_gmmu_bo_page_prot(to_drm_gmmu_bo(obj),
						  vma->vm_flags);
	return 0;
}

/*
 * An imported BO: the mapped attachment goes with the level-1 mapping
 * (drm_gmmu_bo_dma_unmap_locked()), then the attachment and the dma-buf
 * reference go. It was never on the shrinker's list, nor has backing.
 */
static void drm_gmmu_bo_import_free(struct drm_gem_object *obj)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);

	/* The dma-buf's reservation, alive while the BO holds the dma-buf. */
	dma_resv_lock(obj->resv, NULL);
	drm_gmmu_bo_dma_unmap_locked(bo);
	dma_resv_unlock(obj->resv);
	drm_prime_gem_destroy(obj, NULL);
	drm_gem_object_release(obj);
	kfree(bo);
}

/*
 * There are no pages to insert, and the exporter's mmap is the CPU's way
 * in: refusing at mmap() time tells userspace at once, where a SIGBUS at
 * the first fault would come later and say less.
 */
static int drm_gmmu_bo_import_mmap(struct drm_gem_object *obj,
				   struct vm_area_struct *vma)
{
	drm_dbg_driver(obj->dev,
		       "mmap of an imported dma-buf BO: it has no struct pages, mmap the dma-buf\n");
	return -ENODEV;
}

/*
 * vmap goes through drm_gmmu_bo_vmap_locked(), whose page pin refuses an
 * imported BO with -EINVAL; there is no pin for export either, since a
 * re-export returns the original dma-buf (drm_gem_prime_handle_to_dmabuf()).
 */
static const struct drm_gem_object_funcs drm_gmmu_bo_import_funcs = {
	.free = drm_gmmu_bo_import_free,
	.vmap = drm_gmmu_bo_vmap_locked,
	.mmap = drm_gmmu_bo_import_mmap,
	.status = drm_gmmu_bo_status,
	.rss = drm_gmmu_bo_rss,
};

static const struct drm_gem_object_funcs drm_gmmu_bo_funcs = {
	.free = drm_gmmu_bo_free,
	.pin = drm_gmmu_bo_pin_locked,
	.unpin = drm_gmmu_bo_unpin_locked,
	.get_sg_table = drm_gmmu_bo_get_sg_table,
	.export = drm_gmmu_gem_prime_export,
	.vmap = drm_gmmu_bo_vmap_locked,
	.vunmap = drm_gmmu_bo_vunmap_locked,
	.status = drm_gmmu_bo_status,
	.rss = drm_gmmu_bo_rss,
	.mmap = drm_gmmu_bo_mmap,
	/* Faults track cache domains where the BO has them (drm_gmmu_domain.c). */
	.vm_ops = &drm_gmmu_bo_vm_ops,
};

static struct drm_gmmu_bo *__drm_gmmu_bo_create(struct drm_gmmu_device *gdev,
						size_t size,
						struct drm_gem_object *vm_resv_obj,
						unsigned int flags)
{
	struct drm_gmmu_bo *bo;
	int ret;

	if (!size || !PAGE_ALIGNED(size) || (flags & ~DRM_GMMU_BO_WC))
		return ERR_PTR(-EINVAL);
	/* Only x86's PAT is handled (set_pages_array_wc()). */
	if ((flags & DRM_GMMU_BO_WC) && !IS_ENABLED(CONFIG_X86))
		return ERR_PTR(-EOPNOTSUPP);

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->gdev = gdev;
	bo->wc = flags & DRM_GMMU_BO_WC;
	INIT_LIST_HEAD(&bo->map_link);
	INIT_LIST_HEAD(&bo->bo_link);
	bo->base.base.funcs = &drm_gmmu_bo_funcs;
	if (vm_resv_obj) {
		/* Set before init, which would point it at the BO's own. */
		bo->base.base.resv = vm_resv_obj->resv;
		bo->vm_resv_obj = vm_resv_obj;
	}

	drm_gem_private_object_init(&gdev->drm, &bo->base.base, size);
	bo->base.base.filp = drm_gmmu_bo_file_setup(size, bo->wc);
	if (IS_ERR(bo->base.base.filp)) {
		ret = PTR_ERR(bo->base.base.filp);
		bo->base.base.filp = NULL;
		goto err_release;
	}
	ret = drm_gem_create_mmap_offset(&bo->base.base);
	if (ret)
		goto err_release;
	ret = drm_gmmu_backing_init(bo);
	if (ret)
		goto err_release;
	if (gdev->noncoherent) {
		ret = drm_gmmu_bo_domain_init(bo);
		if (ret)
			goto err_backing;
	}

	bo->dma32 = drm_gmmu_device_dma_is_direct(gdev) &&
		    dma_addressing_limited(gdev->drm.dev);
	/*
	 * Every page is read through the file's mask (drm_gmmu_backing.c),
	 * and a page swapped back in that misses it is replaced by shmem.
	 */
	drm_gmmu_bo_set_placement(bo);
	if (vm_resv_obj)
		drm_gem_object_get(vm_resv_obj);
	drm_gmmu_bo_shrinker_add(bo);
	return bo;

err_backing:
	drm_gmmu_backing_fini(bo);
err_release:
	drm_gem_object_release(&bo->base.base);
	kfree(bo);
	return ERR_PTR(ret);
}

/**
 * drm_gmmu_bo_create - create a buffer object with shmem backing
 * @gdev: the device it is for
 * @size: size in bytes, a multiple of PAGE_SIZE
 *
 * If the device's DMA is untranslated and its mask cannot reach all memory
 * (a 32-bit device on dma-direct), the backing pages are allocated below
 * 4 GiB: otherwise dma-direct would bounce them through swiotlb, whose pool
 * is small and whose long-lived bounce buffers would hide GPU writes from
 * the CPU.
 *
 * Return: the BO with one reference, or an ERR_PTR.
 */
struct drm_gmmu_bo *drm_gmmu_bo_create(struct drm_gmmu_device *gdev, size_t size)
{
	return __drm_gmmu_bo_create(gdev, size, NULL, 0);
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_create);

/**
 * drm_gmmu_bo_create_private - create a BO private to one VM
 * @gdev: the device it is for
 * @vm: the VM; the BO shares its reservation object
 * @size: size in bytes, a multiple of PAGE_SIZE
 *
 * A submission on @vm then locks and fences all of the VM's private BOs
 * with one &dma_resv (see Documentation/lifetime.rst). The BO can be bound
 * only in @vm and must not be exported. It keeps the reservation object
 * alive, not the VM.
 *
 * Return: the BO with one reference, or an ERR_PTR.
 */
struct drm_gmmu_bo *drm_gmmu_bo_create_private(struct drm_gmmu_device *gdev,
					       struct drm_gmmu_vm *vm,
					       size_t size)
{
	if (vm->gdev != gdev)
		return ERR_PTR(-EINVAL);
	return __drm_gmmu_bo_create(gdev, size, drm_gpuvm_resv_obj(&vm->base),
				    0);
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_create_private);

/**
 * drm_gmmu_bo_create_flags - create a BO with a cache mode, maybe VM-private
 * @gdev: the device it is for
 * @vm: the VM the BO is private to (see drm_gmmu_bo_create_private()), or
 *	NULL for a shared BO
 * @size: size in bytes, a multiple of PAGE_SIZE
 * @flags: 0 for a cached (write-back) BO, or %DRM_GMMU_BO_WC
 *
 * drm_gmmu_bo_create() or drm_gmmu_bo_create_private() with a cache mode.
 * Whether the device may have WC BOs is the driver's policy: drm_gmmu does
 * what is asked on any device.
 *
 * Return: the BO with one reference, or an ERR_PTR: -EINVAL for an unknown
 * flag or a bad size, -EOPNOTSUPP for WC off x86.
 */
struct drm_gmmu_bo *drm_gmmu_bo_create_flags(struct drm_gmmu_device *gdev,
					     struct drm_gmmu_vm *vm,
					     size_t size, unsigned int flags)
{
	if (vm && vm->gdev != gdev)
		return ERR_PTR(-EINVAL);
	return __drm_gmmu_bo_create(gdev, size,
				    vm ? drm_gpuvm_resv_obj(&vm->base) : NULL,
				    flags);
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_create_flags);

/*
 * Would any segment of a mapped @sgt need dma_sync calls? On dma-direct
 * with coherent DMA that means swiotlb bounced it: the exporter's pages
 * are beyond the mask, and a long-lived bounce buffer would be a copy
 * that hides writes. Only the DMA addresses are known here, no pages.
 */
static bool drm_gmmu_sgt_needs_sync(struct device *dev, struct sg_table *sgt)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i)
		if (dma_need_sync(dev, sg_dma_address(sg)))
			return true;
	return false;
}

/*
 * Make @sgt the BO's level-1 mapping, on the device's list, unless the
 * device is unplugged: an unplug that began meanwhile has looked at the
 * list already. False if it is.
 */
static bool drm_gmmu_bo_l1_publish(struct drm_gmmu_bo *bo, struct sg_table *sgt)
{
	struct drm_gmmu_device *gdev = bo->gdev;
	bool unplugged;

	spin_lock(&gdev->lock);
	unplugged = gdev->unplugged;
	if (!unplugged) {
		bo->sgt = sgt;
		list_add_tail(&bo->map_link, &gdev->maps);
	}
	spin_unlock(&gdev->lock);
	return !unplugged;
}

/*
 * The attachment's mapping is the imported BO's level-1 mapping: made at
 * import, and again after the exporter moved the buffer (see "Dynamic
 * dma-buf"). On dma-direct a mapping that swiotlb bounced is refused, as
 * drm_gmmu_bo_dma_map() refuses one of the BO's own pages. Under the
 * BO's reservation, the dma-buf's.
 */
struct sg_table *drm_gmmu_bo_import_map_locked(struct drm_gmmu_bo *bo)
{
	struct dma_buf_attachment *attach = bo->base.base.import_attach;
	struct dma_resv *resv = bo->base.base.resv;
	struct drm_gmmu_device *gdev = bo->gdev;
	struct sg_table *sgt;
	long ret;

	/* Whatever the exporter does to move the buffer comes first. */
	ret = dma_resv_wait_timeout(resv, DMA_RESV_USAGE_KERNEL, true,
				    MAX_SCHEDULE_TIMEOUT);
	if (ret < 0)
		return ERR_PTR(ret);
	sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt))
		return sgt;
	if (drm_gmmu_device_dma_is_direct(gdev) &&
	    drm_gmmu_sgt_needs_sync(gdev->drm.dev, sgt)) {
		drm_err_ratelimited(&gdev->drm,
				    "imported dma-buf of %zu bytes is beyond the %d-bit DMA mask: refusing a bounced long-lived mapping\n",
				    attach->dmabuf->size,
				    fls64(dma_get_mask(gdev->drm.dev)));
		dma_buf_unmap_attachment(attach, sgt, DMA_BIDIRECTIONAL);
		return ERR_PTR(-ERANGE);
	}
	if (!drm_gmmu_bo_l1_publish(bo, sgt)) {
		dma_buf_unmap_attachment(attach, sgt, DMA_BIDIRECTIONAL);
		return ERR_PTR(-ENODEV);
	}
	if (bo->import_moved)
		atomic64_inc(&gdev->stats->dmabuf.import_rebuilds);
	bo->import_moved = false;
	return sgt;
}

/**
 * drm_gmmu_bo_import_sg - a BO without pages for another device's dma-buf
 * @gdev: the importing device
 * @dmabuf: the dma-buf
 *
 * Attaches @dmabuf to @gdev's device dynamically (drm_gmmu's
 * move_notify, no peer-to-peer) and maps the attachment,
 * DMA_BIDIRECTIONAL, under the dma-buf's reservation: the DMA addresses
 * of that table are the BO's level-1 mapping. A static exporter (vgem,
 * udmabuf) gets a static attachment from the dma-buf core, mapped once;
 * a dynamic one may move the buffer, and the mapping is made again
 * before the next job (see "Dynamic dma-buf"). The BO shares the
 * dma-buf's reservation object and takes a reference on the dma-buf.
 *
 * Return: the GEM object with one reference, or an ERR_PTR: -ENODEV after
 * unplug, -ERANGE if the mapping was bounced, -EINVAL for a size that is
 * not a multiple of PAGE_SIZE, the errors of dma_buf_dynamic_attach() and
 * dma_buf_map_attachment().
 */
struct drm_gem_object *drm_gmmu_bo_import_sg(struct drm_gmmu_device *gdev,
					     struct dma_buf *dmabuf)
{
	struct dma_buf_attachment *attach;
	struct drm_gem_object *obj;
	struct drm_gmmu_bo *bo;
	struct sg_table *sgt;
	int ret;

	if (!dmabuf->size || !PAGE_ALIGNED(dmabuf->size))
		return ERR_PTR(-EINVAL);
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->gdev = gdev;
	INIT_LIST_HEAD(&bo->map_link);
	INIT_LIST_HEAD(&bo->bo_link);
	obj = &bo->base.base;
	obj->funcs = &drm_gmmu_bo_import_funcs;
	/* Set before init, which would point it at the BO's own. */
	obj->resv = dmabuf->resv;
	drm_gem_private_object_init(&gdev->drm, obj, dmabuf->size);
	/* An mmap offset, so that mmap() reaches the refusal, not -EINVAL. */
	ret = drm_gem_create_mmap_offset(obj);
	if (ret)
		goto err_release;

	attach = drm_gmmu_dmabuf_attach(dmabuf, gdev->drm.dev, bo);
	if (IS_ERR(attach)) {
		ret = PTR_ERR(attach);
		goto err_release;
	}
	get_dma_buf(dmabuf);
	obj->import_attach = attach;
	ret = dma_resv_lock_interruptible(dmabuf->resv, NULL);
	if (ret)
		goto err_detach;
	sgt = drm_gmmu_bo_import_map_locked(bo);
	dma_resv_unlock(dmabuf->resv);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_detach;
	}
	return obj;

err_detach:
	obj->import_attach = NULL;
	dma_buf_detach(dmabuf, attach);
	dma_buf_put(dmabuf);
err_release:
	drm_gem_object_release(obj);
	kfree(bo);
	return ERR_PTR(ret);
}

/* Would dma-direct bounce any segment of @sgt through swiotlb? */
bool drm_gmmu_sgt_would_bounce(struct device *dev, struct sg_table *sgt)
{
	struct scatterlist *sg;
	unsigned int i;

	/* Checked range by range of RAM: no page is beyond the mask. */
	if (!dma_addressing_limited(dev))
		return false;
	for_each_sgtable_sg(sgt, sg, i)
		if (!dma_capable(dev, phys_to_dma(dev, sg_phys(sg)), sg->length, true))
			return true;
	return false;
}

/*
 * Does page @i of @pages begin a new segment, the current one being @len
 * bytes long? It does unless it follows page @i - 1 in physical memory,
 * fits in @max_seg with it, and does not begin at a multiple of the
 * segment boundary (@boundary + 1, a power of two of at least a page).
 */
static bool drm_gmmu_sgt_breaks(struct page **pages, pgoff_t i,
				unsigned int len, unsigned int max_seg,
				unsigned long boundary)
{
	unsigned long pfn = page_to_pfn(pages[i]);

	return pfn != page_to_pfn(pages[i - 1]) + 1 ||
	       len > max_seg - PAGE_SIZE || !(PFN_PHYS(pfn) & boundary);
}

/**
 * drm_gmmu_bo_build_sgt - an sg table of a BO's pages for one device
 * @bo: the BO, every page pinned
 * @dev: the device that maps it: the BO's own, or an attacher's
 *
 * The table's segments are ones @dev accepts: physically contiguous pages
 * are merged into a segment no longer than its maximum segment size, and
 * a segment ends where one of its segment boundaries falls. The pages are
 * looked at twice, to count the segments and to fill them in: a table of
 * that exact size is allocated once, with nothing else to go through.
 * Free it with sg_free_table() and kfree().
 *
 * Context: the BO's reservation is held.
 * Return: the table, not mapped, or an ERR_PTR: -EINVAL for a device
 * whose maximum segment or segment boundary is below a page, -ENOMEM.
 */
struct sg_table *drm_gmmu_bo_build_sgt(struct drm_gmmu_bo *bo,
				       struct device *dev)
{
	unsigned long boundary = dma_get_seg_boundary(dev);
	unsigned int max_seg = rounddown(dma_get_max_seg_size(dev), PAGE_SIZE);
	pgoff_t i, first, n = bo->base.base.size >> PAGE_SHIFT;
	struct page **pages = bo->pages;
	unsigned int len, nents = 1;
	struct scatterlist *sg;
	struct sg_table *sgt;

	dma_resv_assert_held(bo->base.base.resv);
	if (!max_seg || boundary < PAGE_SIZE - 1)
		return ERR_PTR(-EINVAL);
	for (i = 1, len = PAGE_SIZE; i < n; i++) {
		if (drm_gmmu_sgt_breaks(pages, i, len, max_seg, boundary)) {
			nents++;
			len = PAGE_SIZE;
		} else {
			len += PAGE_SIZE;
		}
	}
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	if (sg_alloc_table(sgt, nents, GFP_KERNEL)) {
		kfree(sgt);
		return ERR_PTR(-ENOMEM);
	}
	sg = sgt->sgl;
	for (i = 1, first = 0, len = PAGE_SIZE; i <= n; i++) {
		if (i < n && !drm_gmmu_sgt_breaks(pages, i, len, max_seg,
						  boundary)) {
			len += PAGE_SIZE;
			continue;
		}
		sg_set_page(sg, pages[first], len, 0);
		sg = sg_next(sg);
		first = i;
		len = PAGE_SIZE;
	}
	return sgt;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_build_sgt);

/**
 * drm_gmmu_bo_map_for - pin a BO's pages and map them for one device
 * @bo: the BO, not imported, its reservation held
 * @dev: the device: the BO's own, or an importer's
 * @dir: the direction of the mapping
 *
 * Pins every page (drm_gmmu_bo_get_pages()) and maps them in segments
 * that respect @dev's maximum segment size and segment boundary
 * (drm_gmmu_bo_build_sgt()). A mapping that dma-direct would bounce
 * through swiotlb is refused: a bounce buffer is a copy, and a long-lived
 * one would hide the device's writes. The CPU sync is skipped: another
 * device may map the same pages (an importer's attachment, the BO's own
 * level-1 mapping), and DMA-API debug accepts overlapping mappings of a
 * cacheline only when each skips it; cache maintenance is the caller's.
 *
 * Return: the mapped table, or an ERR_PTR: -ERANGE if it would bounce,
 * the errors of drm_gmmu_bo_get_pages() and dma_map_sgtable().
 */
struct sg_table *drm_gmmu_bo_map_for(struct drm_gmmu_bo *bo,
				     struct device *dev,
				     enum dma_data_direction dir)
{
	pgoff_t n = bo->base.base.size >> PAGE_SHIFT;
	struct sg_table *sgt;
	int ret;

	ret = drm_gmmu_bo_get_pages(bo, 0, n);
	if (ret)
		return ERR_PTR(ret);
	sgt = drm_gmmu_bo_build_sgt(bo, dev);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_put;
	}
	if (drm_gmmu_dma_is_direct(dev) && drm_gmmu_sgt_would_bounce(dev, sgt)) {
		drm_err_ratelimited(&bo->gdev->drm,
				    "BO of %zu bytes has pages beyond the %d-bit DMA mask of %s: refusing a bounced long-lived mapping\n",
				    bo->base.base.size, fls64(dma_get_mask(dev)),
				    dev_name(dev));
		ret = -ERANGE;
		goto err_free;
	}
	ret = dma_map_sgtable(dev, sgt, dir, DMA_ATTR_SKIP_CPU_SYNC);
	if (ret)
		goto err_free;
	return sgt;

err_free:
	sg_free_table(sgt);
	kfree(sgt);
err_put:
	drm_gmmu_bo_put_pages(bo, 0, n);
	return ERR_PTR(ret);
}

/**
 * drm_gmmu_bo_unmap_for - undo drm_gmmu_bo_map_for()
 * @bo: the BO, its reservation held
 * @dev: the device it was mapped for
 * @sgt: the table it returned, freed here
 * @dir: the direction it was mapped with
 */
void drm_gmmu_bo_unmap_for(struct drm_gmmu_bo *bo, struct device *dev,
			   struct sg_table *sgt, enum dma_data_direction dir)
{
	dma_unmap_sgtable(dev, sgt, dir, DMA_ATTR_SKIP_CPU_SYNC);
	sg_free_table(sgt);
	kfree(sgt);
	drm_gmmu_bo_put_pages(bo, 0, bo->base.base.size >> PAGE_SHIFT);
}

/*
 * The BO's level-1 mapping, made if there is none: drm_gmmu_bo_map_for()
 * its own device, DMA_BIDIRECTIONAL, synced for the device once. Under the
 * BO's reservation; the caller records its purpose.
 */
struct sg_table *drm_gmmu_bo_l1_map_locked(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_device *gdev = bo->gdev;
	struct device *dev = gdev->drm.dev;
	struct sg_table *sgt;
	bool unplugged;

	dma_resv_assert_held(bo->base.base.resv);
	if (bo->sgt)
		return bo->sgt;
	if (drm_gmmu_bo_is_imported(bo))
		return drm_gmmu_bo_import_map_locked(bo);
	spin_lock(&gdev->lock);
	unplugged = gdev->unplugged;
	spin_unlock(&gdev->lock);
	if (unplugged)
		return ERR_PTR(-ENODEV);
	sgt = drm_gmmu_bo_map_for(bo, dev, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt))
		return sgt;
	dma_sync_sgtable_for_device(dev, sgt, DMA_BIDIRECTIONAL);
	if (!drm_gmmu_bo_l1_publish(bo, sgt)) {
		drm_gmmu_bo_unmap_for(bo, dev, sgt, DMA_BIDIRECTIONAL);
		return ERR_PTR(-ENODEV);
	}
	atomic64_inc(&gdev->stats->vm.level1_maps);
	drm_gmmu_backing_update(bo);
	return sgt;
}

/**
 * drm_gmmu_bo_dma_map - the BO's level-1 mapping for its device, kept
 * @bo: the BO
 *
 * Makes the level-1 mapping if the BO has none (every backing page pinned
 * and mapped with the DMA API, DMA_BIDIRECTIONAL, in segments that
 * respect the device's maximum segment size and segment boundary) and
 * keeps it for a kernel user: it then stays, and the BO is not evicted,
 * until the BO is freed or the device is unplugged. Later calls return
 * the same mapping. Binds do not go through here: their mapping lasts
 * only as long as the BO is bound (see "Pins by purpose").
 *
 * A mapping that dma-direct would bounce through swiotlb is refused: a
 * bounce buffer is a copy, and a long-lived one would hide GPU writes.
 *
 * Context: process context; takes the BO's reservation.
 * Return: the DMA-mapped table (use sg_dma_address()/sg_dma_len()), or an
 * ERR_PTR: -ENODEV after unplug, -ERANGE if the mapping would bounce,
 * -ENOMEM.
 */
struct sg_table *drm_gmmu_bo_dma_map(struct drm_gmmu_bo *bo)
{
	struct dma_resv *resv = bo->base.base.resv;
	struct sg_table *sgt;

	dma_resv_lock(resv, NULL);
	sgt = drm_gmmu_bo_l1_map_locked(bo);
	if (!IS_ERR(sgt))
		bo->l1_kernel = true;
	dma_resv_unlock(resv);
	return sgt;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_dma_map);

/*
 * Drop the level-1 mapping, whatever holds it; the pages stay resident,
 * without its pin. Under the BO's reservation.
 */
void drm_gmmu_bo_dma_unmap_locked(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_device *gdev = bo->gdev;
	struct sg_table *sgt;

	dma_resv_assert_held(bo->base.base.resv);
	spin_lock(&gdev->lock);
	sgt = bo->sgt;
	bo->sgt = NULL;
	list_del_init(&bo->map_link);
	spin_unlock(&gdev->lock);
	bo->l1_kernel = false;
	if (!sgt)
		return;
	if (drm_gmmu_bo_is_imported(bo)) {
		drm_gmmu_import_release(bo, sgt);
		dma_buf_unmap_attachment(bo->base.base.import_attach, sgt,
					 DMA_BIDIRECTIONAL);
		return;
	}
	dma_unmap_sgtable(gdev->drm.dev, sgt, DMA_BIDIRECTIONAL, 0);
	atomic64_inc(&gdev->stats->vm.level1_unmaps);
	sg_free_table(sgt);
	kfree(sgt);
	drm_gmmu_bo_put_pages(bo, 0, bo->base.base.size >> PAGE_SHIFT);
}

/*
 * Does a VM map the BO (has it a &drm_gpuvm_bo)? Under its reservation.
 * The list exists only for drivers with DRIVER_GEM_GPUVA; drm_gmmu's VMs
 * need it, so a BO of a driver without it is in no VM.
 */
bool drm_gmmu_bo_in_vm(struct drm_gmmu_bo *bo)
{
	struct drm_gem_object *obj = &bo->base.base;

	return drm_core_check_feature(obj->dev, DRIVER_GEM_GPUVA) &&
	       !list_empty(&obj->gpuva.list);
}

/*
 * The level-1 mapping goes once no purpose is left: no VM has a
 * &drm_gpuvm_bo of the BO, no bind array holds it, no kernel user asked
 * for it. An import keeps its attachment mapped until the exporter moves
 * the buffer.
 */
void drm_gmmu_bo_l1_release_unused(struct drm_gmmu_bo *bo)
{
	dma_resv_assert_held(bo->base.base.resv);
	if (!bo->sgt || bo->l1_bind || bo->l1_kernel ||
	    drm_gmmu_bo_is_imported(bo) || drm_gmmu_bo_in_vm(bo))
		return;
	drm_gmmu_bo_dma_unmap_locked(bo);
}

/*
 * A bind array's hold on the level-1 mapping, made if there is none;
 * drm_gmmu_bo_l1_put_locked() lets go of it. Under the BO's reservation.
 */
struct sg_table *drm_gmmu_bo_l1_get_locked(struct drm_gmmu_bo *bo)
{
	struct sg_table *sgt = drm_gmmu_bo_l1_map_locked(bo);

	if (!IS_ERR(sgt))
		bo->l1_bind++;
	return sgt;
}

void drm_gmmu_bo_l1_put_locked(struct drm_gmmu_bo *bo)
{
	dma_resv_assert_held(bo->base.base.resv);
	if (drm_WARN_ON(&bo->gdev->drm, !bo->l1_bind))
		return;
	bo->l1_bind--;
	drm_gmmu_bo_l1_release_unused(bo);
}
