// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Buffer objects
 *
 * Buffer objects: shmem backing, and one long-lived level-1 mapping for the
 * device, DMA_BIDIRECTIONAL, made on first use and kept until the BO is
 * freed or the device goes away.
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
#include <drm/drm_gmmu.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>

#include "drm_gmmu_internal.h"

static void drm_gmmu_bo_free(struct drm_gem_object *obj)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	struct drm_gem_object *vm_resv_obj = bo->vm_resv_obj;
	struct drm_gmmu_device *gdev = bo->gdev;

	/*
	 * The last reference must not drop under a reservation
	 * (Documentation/locking.rst): this takes the device lock and the
	 * BO's reservation, which for a private BO is its VM's.
	 */
	lockdep_assert_not_held(&obj->resv->lock.base);
	might_lock(&gdev->lock);
	drm_gmmu_bo_shrinker_del(bo);
	mutex_lock(&gdev->lock);
	drm_gmmu_bo_dma_unmap_locked(bo);
	mutex_unlock(&gdev->lock);
	/* Unlocked, a private BO's shared reservation is not ours to take. */
	dma_resv_lock(obj->resv, NULL);
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
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	/*
	 * The pages of a WC BO have the WC memory type already (see
	 * drm_gmmu_backing_obtain()), so PAT's check at vmf_insert_pfn()
	 * keeps this WC rather than turning it into WB; the mmap core's
	 * later write-notify adjustment keeps the cache bits.
	 */
	if (to_drm_gmmu_bo(obj)->wc)
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
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
	struct drm_gmmu_device *gdev = bo->gdev;

	mutex_lock(&gdev->lock);
	drm_gmmu_bo_dma_unmap_locked(bo);
	mutex_unlock(&gdev->lock);
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
	.vm_ops = &drm_gmmu_bo_vm_ops,
};

/*
 * BOs of a device that does not snoop: the same, but their faults also
 * track cache domains (drm_gmmu_domain.c).
 */
static const struct drm_gem_object_funcs drm_gmmu_bo_nc_funcs = {
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
	.vm_ops = &drm_gmmu_bo_nc_vm_ops,
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
	bo->base.base.funcs = gdev->noncoherent ? &drm_gmmu_bo_nc_funcs :
						  &drm_gmmu_bo_funcs;
	if (vm_resv_obj) {
		/* Set before init, which would point it at the BO's own. */
		bo->base.base.resv = vm_resv_obj->resv;
		bo->vm_resv_obj = vm_resv_obj;
	}

	drm_gem_private_object_init(gdev->drm, &bo->base.base, size);
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
		    dma_addressing_limited(gdev->drm->dev);
	/*
	 * Backing pages are kept pinned while mapped: keep them out of
	 * ZONE_MOVABLE. __GFP_DMA32 cannot be combined with __GFP_HIGHMEM.
	 * Every page is read through this mask (drm_gmmu_backing.c), and a
	 * page swapped back in that misses it is replaced by shmem.
	 */
	mapping_set_gfp_mask(bo->base.base.filp->f_mapping,
			     (bo->dma32 ? GFP_USER | __GFP_DMA32 : GFP_HIGHUSER) |
			     __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
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

/**
 * drm_gmmu_bo_import_sg - a BO without pages for another device's dma-buf
 * @gdev: the importing device
 * @dmabuf: the dma-buf
 *
 * Attaches @dmabuf to @gdev's device and maps the attachment,
 * DMA_BIDIRECTIONAL; the DMA addresses of that table are the BO's level-1
 * mapping until the BO is freed or @gdev is unplugged. A static attachment
 * makes the exporter pin its backing for as long as it lasts, which a
 * mapping kept that long needs. The BO shares the dma-buf's reservation
 * object and takes a reference on the dma-buf.
 *
 * On dma-direct, a mapping that swiotlb bounced is refused, as
 * drm_gmmu_bo_dma_map() refuses one of the BO's own pages.
 *
 * Return: the GEM object with one reference, or an ERR_PTR: -ENODEV after
 * unplug, -ERANGE if the mapping was bounced, -EINVAL for a size that is
 * not a multiple of PAGE_SIZE, the errors of dma_buf_attach() and dma_buf_map_attachment().
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
	attach = dma_buf_attach(dmabuf, gdev->drm->dev);
	if (IS_ERR(attach))
		return ERR_CAST(attach);
	get_dma_buf(dmabuf);
	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_detach;
	}

	if (drm_gmmu_device_dma_is_direct(gdev) &&
	    drm_gmmu_sgt_needs_sync(gdev->drm->dev, sgt)) {
		drm_err_ratelimited(gdev->drm,
				    "imported dma-buf of %zu bytes is beyond the %d-bit DMA mask: refusing a bounced long-lived mapping\n",
				    dmabuf->size, fls64(dma_get_mask(gdev->drm->dev)));
		ret = -ERANGE;
		goto err_unmap;
	}

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo) {
		ret = -ENOMEM;
		goto err_unmap;
	}
	bo->gdev = gdev;
	INIT_LIST_HEAD(&bo->map_link);
	INIT_LIST_HEAD(&bo->bo_link);
	obj = &bo->base.base;
	obj->funcs = &drm_gmmu_bo_import_funcs;
	/* Set before init, which would point it at the BO's own. */
	obj->resv = dmabuf->resv;
	drm_gem_private_object_init(gdev->drm, obj, dmabuf->size);
	/* An mmap offset, so that mmap() reaches the refusal, not -EINVAL. */
	ret = drm_gem_create_mmap_offset(obj);
	if (ret)
		goto err_release;

	mutex_lock(&gdev->lock);
	if (gdev->unplugged) {
		mutex_unlock(&gdev->lock);
		ret = -ENODEV;
		goto err_release;
	}
	obj->import_attach = attach;
	bo->sgt = sgt;
	list_add_tail(&bo->map_link, &gdev->maps);
	mutex_unlock(&gdev->lock);
	return obj;

err_release:
	drm_gem_object_release(obj);
	kfree(bo);
err_unmap:
	dma_buf_unmap_attachment_unlocked(attach, sgt, DMA_BIDIRECTIONAL);
err_detach:
	dma_buf_detach(dmabuf, attach);
	dma_buf_put(dmabuf);
	return ERR_PTR(ret);
}

/* Would dma-direct bounce any segment of @sgt through swiotlb? */
static bool drm_gmmu_sgt_would_bounce(struct device *dev, struct sg_table *sgt)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_sg(sgt, sg, i)
		if (!dma_capable(dev, phys_to_dma(dev, sg_phys(sg)), sg->length, true))
			return true;
	return false;
}

/*
 * An sg table of the BO's pinned pages whose segments the device accepts:
 * none longer than its maximum segment size, none crossing its segment
 * boundary. Merging contiguous pages is only limited in length, so a
 * merged segment that crosses a boundary makes the table be built again
 * one page per segment (a page never crosses one).
 */
static struct sg_table *drm_gmmu_bo_build_sgt(struct drm_gmmu_bo *bo)
{
	struct device *dev = bo->gdev->drm->dev;
	unsigned long boundary = dma_get_seg_boundary(dev);
	unsigned int max_seg = dma_get_max_seg_size(dev);
	size_t size = bo->base.base.size;
	struct scatterlist *sg;
	struct sg_table *sgt;
	unsigned int i;
	int ret;

	if (boundary < ULONG_MAX && boundary < max_seg - 1)
		max_seg = boundary + 1;
	max_seg = rounddown(max_seg, PAGE_SIZE);
	if (!max_seg)
		return ERR_PTR(-EINVAL);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
again:
	ret = sg_alloc_table_from_pages_segment(sgt, bo->pages, size >> PAGE_SHIFT,
						0, size, max_seg, GFP_KERNEL);
	if (ret) {
		kfree(sgt);
		return ERR_PTR(ret);
	}
	if (max_seg == PAGE_SIZE || boundary == ULONG_MAX)
		return sgt;
	for_each_sgtable_sg(sgt, sg, i) {
		if ((sg_phys(sg) & ~boundary) !=
		    ((sg_phys(sg) + sg->length - 1) & ~boundary)) {
			sg_free_table(sgt);
			max_seg = PAGE_SIZE;
			goto again;
		}
	}
	return sgt;
}

/**
 * drm_gmmu_bo_dma_map - the BO's level-1 mapping for its device
 * @bo: the BO
 *
 * Pins every backing page (drm_gmmu_bo_get_pages()) and maps them with the
 * DMA API the first time, DMA_BIDIRECTIONAL, in segments that respect the
 * device's maximum segment size and segment boundary; later calls return
 * the same mapping. The mapping, and its pin, stay until the BO is freed
 * or the device is unplugged: a level-1 mapped BO is never evicted.
 *
 * A mapping that dma-direct would bounce through swiotlb is refused: a
 * bounce buffer is a copy, and a long-lived one would hide GPU writes.
 *
 * Context: takes &drm_gmmu_device.lock, then the BO's reservation.
 * Return: the DMA-mapped table (use sg_dma_address()/sg_dma_len()), or an
 * ERR_PTR: -ENODEV after unplug, -ERANGE if the mapping would bounce,
 * -ENOMEM.
 */
struct sg_table *drm_gmmu_bo_dma_map(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_device *gdev = bo->gdev;
	struct device *dev = gdev->drm->dev;
	struct dma_resv *resv = bo->base.base.resv;
	pgoff_t n = bo->base.base.size >> PAGE_SHIFT;
	struct sg_table *sgt;
	int ret;

	/* Taken only on the first mapping: declare it for every call. */
	might_lock(&resv->lock.base);
	mutex_lock(&gdev->lock);
	if (gdev->unplugged) {
		sgt = ERR_PTR(-ENODEV);
		goto out;
	}
	if (bo->sgt) {
		sgt = bo->sgt;
		goto out;
	}
	/* The attachment's mapping, made at import, is all there is. */
	if (drm_gmmu_bo_is_imported(bo)) {
		sgt = ERR_PTR(-ENODEV);
		goto out;
	}
	/* Lock order: gdev->lock, then the BO's dma_resv. */
	dma_resv_lock(resv, NULL);
	ret = drm_gmmu_bo_get_pages(bo, 0, n);
	if (ret) {
		sgt = ERR_PTR(ret);
		goto out_resv;
	}
	sgt = drm_gmmu_bo_build_sgt(bo);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_put;
	}
	if (drm_gmmu_device_dma_is_direct(gdev) &&
	    drm_gmmu_sgt_would_bounce(dev, sgt)) {
		drm_err_ratelimited(gdev->drm,
				    "BO of %zu bytes has pages beyond the %d-bit DMA mask: refusing a bounced long-lived mapping\n",
				    bo->base.base.size, fls64(dma_get_mask(dev)));
		ret = -ERANGE;
		goto err_free;
	}
	/*
	 * Another device may map the same pages through a dma-buf
	 * attachment, which skips the CPU sync (drm_gem_map_dma_buf()):
	 * DMA-API debug accepts overlapping mappings of a cacheline only
	 * when each skips it, so this one does too and syncs explicitly.
	 */
	ret = dma_map_sgtable(dev, sgt, DMA_BIDIRECTIONAL,
			      DMA_ATTR_SKIP_CPU_SYNC);
	if (ret)
		goto err_free;
	dma_sync_sgtable_for_device(dev, sgt, DMA_BIDIRECTIONAL);
	atomic64_inc(&gdev->stats->vm.level1_maps);
	bo->sgt = sgt;
	list_add_tail(&bo->map_link, &gdev->maps);
	goto out_resv;

err_free:
	sg_free_table(sgt);
	kfree(sgt);
err_put:
	drm_gmmu_bo_put_pages(bo, 0, n);
	sgt = ERR_PTR(ret);
out_resv:
	dma_resv_unlock(resv);
out:
	mutex_unlock(&gdev->lock);
	return sgt;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_dma_map);

/* Takes the BO's reservation, to drop the mapping's pin. */
void drm_gmmu_bo_dma_unmap_locked(struct drm_gmmu_bo *bo)
{
	lockdep_assert_held(&bo->gdev->lock);
	if (!bo->sgt)
		return;
	if (drm_gmmu_bo_is_imported(bo)) {
		dma_buf_unmap_attachment_unlocked(bo->base.base.import_attach,
						  bo->sgt, DMA_BIDIRECTIONAL);
		bo->sgt = NULL;
		list_del_init(&bo->map_link);
		return;
	}
	dma_unmap_sgtable(bo->gdev->drm->dev, bo->sgt, DMA_BIDIRECTIONAL, 0);
	atomic64_inc(&bo->gdev->stats->vm.level1_unmaps);
	sg_free_table(bo->sgt);
	kfree(bo->sgt);
	bo->sgt = NULL;
	list_del_init(&bo->map_link);
	dma_resv_lock(bo->base.base.resv, NULL);
	drm_gmmu_bo_put_pages(bo, 0, bo->base.base.size >> PAGE_SHIFT);
	dma_resv_unlock(bo->base.base.resv);
}
