// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Buffer objects: shmem backing, and one long-lived level-1 mapping for the
 * device, DMA_BIDIRECTIONAL, made on first use and kept until the BO is
 * freed or the device goes away.
 */
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/pagemap.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_print.h>

#include "drm_gmmu_internal.h"

static void drm_gmmu_bo_free(struct drm_gem_object *obj)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	struct drm_gem_object *vm_resv_obj = bo->vm_resv_obj;
	struct drm_gmmu_device *gdev = bo->gdev;

	drm_gmmu_bo_domain_fini(bo);
	mutex_lock(&gdev->lock);
	drm_gmmu_bo_dma_unmap_locked(bo);
	mutex_unlock(&gdev->lock);
	if (bo->pinned)
		drm_gem_shmem_unpin(&bo->base);
	drm_gem_shmem_free(&bo->base);
	/* A private BO's reservation object lives until the BO is gone. */
	if (vm_resv_obj)
		drm_gem_object_put(vm_resv_obj);
}

static const struct drm_gem_object_funcs drm_gmmu_bo_funcs = {
	.free = drm_gmmu_bo_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.export = drm_gmmu_gem_prime_export,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/*
 * BOs of a device that does not snoop: the same, but with drm_gmmu's own
 * fault handling, which tracks cache domains (drm_gmmu_domain.c).
 */
static const struct drm_gem_object_funcs drm_gmmu_bo_nc_funcs = {
	.free = drm_gmmu_bo_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.export = drm_gmmu_gem_prime_export,
	.vm_ops = &drm_gmmu_bo_nc_vm_ops,
};

static struct drm_gmmu_bo *__drm_gmmu_bo_create(struct drm_gmmu_device *gdev,
						size_t size,
						struct drm_gem_object *vm_resv_obj)
{
	struct drm_gem_shmem_object *shmem;
	struct drm_gmmu_bo *bo;
	int ret;

	if (!size || !PAGE_ALIGNED(size))
		return ERR_PTR(-EINVAL);

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->gdev = gdev;
	INIT_LIST_HEAD(&bo->map_link);
	bo->base.base.funcs = gdev->noncoherent ? &drm_gmmu_bo_nc_funcs :
						  &drm_gmmu_bo_funcs;
	if (vm_resv_obj) {
		/* Set before init, which would point it at the BO's own. */
		bo->base.base.resv = vm_resv_obj->resv;
		bo->vm_resv_obj = vm_resv_obj;
	}

	ret = drm_gem_object_init(gdev->drm, &bo->base.base, size);
	if (ret)
		goto err_free;
	ret = drm_gem_create_mmap_offset(&bo->base.base);
	if (ret)
		goto err_release;
	if (gdev->noncoherent) {
		ret = drm_gmmu_bo_domain_init(bo);
		if (ret)
			goto err_release;
	}
	shmem = &bo->base;
	INIT_LIST_HEAD(&shmem->madv_list);

	bo->dma32 = drm_gmmu_device_dma_is_direct(gdev) &&
		    dma_addressing_limited(gdev->drm->dev);
	/*
	 * Backing pages are kept pinned while mapped: keep them out of
	 * ZONE_MOVABLE. __GFP_DMA32 cannot be combined with __GFP_HIGHMEM.
	 */
	mapping_set_gfp_mask(bo->base.base.filp->f_mapping,
			     (bo->dma32 ? GFP_USER | __GFP_DMA32 : GFP_HIGHUSER) |
			     __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	if (vm_resv_obj)
		drm_gem_object_get(vm_resv_obj);
	return bo;

err_release:
	drm_gem_object_release(&bo->base.base);
err_free:
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
	return __drm_gmmu_bo_create(gdev, size, NULL);
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
	return __drm_gmmu_bo_create(gdev, size, drm_gpuvm_resv_obj(&vm->base));
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_create_private);

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

/**
 * drm_gmmu_bo_dma_map - the BO's level-1 mapping for its device
 * @bo: the BO
 *
 * Pins the backing pages and maps them with the DMA API the first time,
 * DMA_BIDIRECTIONAL; later calls return the same mapping. The mapping stays
 * until the BO is freed or the device is unplugged.
 *
 * A mapping that dma-direct would bounce through swiotlb is refused: a
 * bounce buffer is a copy, and a long-lived one would hide GPU writes.
 *
 * Return: the DMA-mapped table (use sg_dma_address()/sg_dma_len()), or an
 * ERR_PTR: -ENODEV after unplug, -ERANGE if the mapping would bounce,
 * -ENOMEM.
 */
struct sg_table *drm_gmmu_bo_dma_map(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_device *gdev = bo->gdev;
	struct device *dev = gdev->drm->dev;
	struct sg_table *sgt;
	int ret;

	mutex_lock(&gdev->lock);
	if (gdev->unplugged) {
		sgt = ERR_PTR(-ENODEV);
		goto out;
	}
	if (bo->sgt) {
		sgt = bo->sgt;
		goto out;
	}
	if (!bo->pinned) {
		/* Lock order: gdev->lock, then the BO's dma_resv. */
		ret = drm_gem_shmem_pin(&bo->base);
		if (ret) {
			sgt = ERR_PTR(ret);
			goto out;
		}
		bo->pinned = true;
	}
	sgt = drm_gem_shmem_get_sg_table(&bo->base);
	if (IS_ERR(sgt))
		goto out;
	if (drm_gmmu_device_dma_is_direct(gdev) &&
	    drm_gmmu_sgt_would_bounce(dev, sgt)) {
		drm_err_ratelimited(gdev->drm,
				    "BO of %zu bytes has pages beyond the %d-bit DMA mask: refusing a bounced long-lived mapping\n",
				    bo->base.base.size, fls64(dma_get_mask(dev)));
		ret = -ERANGE;
		goto err_free;
	}
	ret = dma_map_sgtable(dev, sgt, DMA_BIDIRECTIONAL, 0);
	if (ret)
		goto err_free;
	bo->sgt = sgt;
	list_add_tail(&bo->map_link, &gdev->maps);
	goto out;

err_free:
	sg_free_table(sgt);
	kfree(sgt);
	sgt = ERR_PTR(ret);
out:
	mutex_unlock(&gdev->lock);
	return sgt;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_dma_map);

void drm_gmmu_bo_dma_unmap_locked(struct drm_gmmu_bo *bo)
{
	lockdep_assert_held(&bo->gdev->lock);
	if (!bo->sgt)
		return;
	dma_unmap_sgtable(bo->gdev->drm->dev, bo->sgt, DMA_BIDIRECTIONAL, 0);
	sg_free_table(bo->sgt);
	kfree(bo->sgt);
	bo->sgt = NULL;
	list_del_init(&bo->map_link);
}
