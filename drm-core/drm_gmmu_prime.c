// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: dma-buf export and import
 *
 * dma-buf export of drm_gmmu BOs: drm_prime's GEM defaults, plus CPU
 * access brackets (DMA_BUF_IOCTL_SYNC, dma_buf_begin_cpu_access()) that
 * do drm_gmmu's cache maintenance. The dma-buf core does not pair them:
 * an END the BO's dma-buf did not open fails with -EINVAL rather than
 * close another user's bracket, and a START never closed keeps the BO
 * pinned until it is freed. mmaps of the dma-buf need nothing
 * more: drm_gem_dmabuf_export() points the dma-buf file at the DRM
 * device's address space, so the GPU-domain entry's shootdown
 * (drm_vma_node_unmap()) reaches their PTEs too.
 */
#include <linux/dma-buf.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_prime.h>

#include "drm_gmmu_internal.h"

/*
 * An importer's attachment pins the whole BO (drm_gem_map_attach() calls
 * this with the reservation held) for as long as it is attached: its DMA
 * mapping holds the pages, so they must not be evicted meanwhile.
 */
int drm_gmmu_bo_pin_locked(struct drm_gem_object *obj)
{
	return drm_gmmu_bo_get_pages(to_drm_gmmu_bo(obj), 0,
				     obj->size >> PAGE_SHIFT);
}

void drm_gmmu_bo_unpin_locked(struct drm_gem_object *obj)
{
	drm_gmmu_bo_put_pages(to_drm_gmmu_bo(obj), 0, obj->size >> PAGE_SHIFT);
}

/* The pages of a pinned BO, for an importer to map for its own device. */
struct sg_table *drm_gmmu_bo_get_sg_table(struct drm_gem_object *obj)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);

	dma_resv_assert_held(obj->resv);
	return drm_prime_pages_to_sg(obj->dev, bo->pages,
				     obj->size >> PAGE_SHIFT);
}

/*
 * The dma-buf core calls this before its own fence wait, which covers
 * only the implicit-sync usages; invalidating before the GPU is done
 * would be useless, so drm_gmmu_bo_begin_cpu_access() waits for every
 * fence itself first.
 */
static int drm_gmmu_dmabuf_begin_cpu_access(struct dma_buf *dmabuf,
					    enum dma_data_direction dir)
{
	struct drm_gem_object *obj = dmabuf->priv;
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	int ret;

	ret = drm_gmmu_bo_begin_cpu_access(bo, dir, 0, obj->size);
	if (ret)
		return ret;
	dma_resv_lock(obj->resv, NULL);
	bo->dmabuf_cpu_access++;
	dma_resv_unlock(obj->resv);
	return 0;
}

/*
 * Userspace may send DMA_BUF_IOCTL_SYNC's END without a START: only a
 * bracket the dma-buf opened is closed here, never the pins of a file's
 * bracket (drm_gmmu_file_cpu_access()) or of a kernel user on the same
 * BO, whose own END would then find nothing to close.
 */
static int drm_gmmu_dmabuf_end_cpu_access(struct dma_buf *dmabuf,
					  enum dma_data_direction dir)
{
	struct drm_gem_object *obj = dmabuf->priv;
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	int ret;

	dma_resv_lock(obj->resv, NULL);
	if (!bo->dmabuf_cpu_access) {
		dma_resv_unlock(obj->resv);
		return -EINVAL;
	}
	bo->dmabuf_cpu_access--;
	dma_resv_unlock(obj->resv);
	ret = drm_gmmu_bo_end_cpu_access(bo, dir, 0, obj->size);
	if (ret) {
		dma_resv_lock(obj->resv, NULL);
		bo->dmabuf_cpu_access++;
		dma_resv_unlock(obj->resv);
	}
	return ret;
}

static const struct dma_buf_ops drm_gmmu_dmabuf_ops = {
	.cache_sgt_mapping = true,
	.attach = drm_gem_map_attach,
	.detach = drm_gem_map_detach,
	.map_dma_buf = drm_gem_map_dma_buf,
	.unmap_dma_buf = drm_gem_unmap_dma_buf,
	.release = drm_gem_dmabuf_release,
	.mmap = drm_gem_dmabuf_mmap,
	.vmap = drm_gem_dmabuf_vmap,
	.vunmap = drm_gem_dmabuf_vunmap,
	.begin_cpu_access = drm_gmmu_dmabuf_begin_cpu_access,
	.end_cpu_access = drm_gmmu_dmabuf_end_cpu_access,
};

/**
 * drm_gmmu_gem_prime_export - &drm_gem_object_funcs.export of drm_gmmu BOs
 * @obj: the BO's GEM object
 * @flags: flags of the dma-buf file (O_CLOEXEC, O_RDWR)
 *
 * Like drm_gem_prime_export(), with drm_gmmu's own &dma_buf_ops, whose
 * begin_cpu_access/end_cpu_access bracket the whole BO with
 * drm_gmmu_bo_begin_cpu_access()/drm_gmmu_bo_end_cpu_access(). A
 * VM-private BO shares its VM's reservation object, which another device
 * or process must not lock and fence: it cannot be exported.
 *
 * Return: the dma-buf, or an ERR_PTR: -EINVAL for a VM-private BO.
 */
struct dma_buf *drm_gmmu_gem_prime_export(struct drm_gem_object *obj,
					  int flags)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	struct dma_buf_export_info exp_info = {
		.exp_name = KBUILD_MODNAME,
		.owner = obj->dev->driver->fops->owner,
		.ops = &drm_gmmu_dmabuf_ops,
		.size = obj->size,
		.flags = flags,
		.priv = obj,
		.resv = obj->resv,
	};

	if (bo->vm_resv_obj)
		return ERR_PTR(-EINVAL);
	return drm_gem_dmabuf_export(obj->dev, &exp_info);
}
EXPORT_SYMBOL_GPL(drm_gmmu_gem_prime_export);

/**
 * drm_gmmu_gem_prime_import - &drm_driver.gem_prime_import for drm_gmmu drivers
 * @drm: the importing device, a &drm_gmmu_device.drm
 * @dmabuf: the dma-buf
 *
 * A dma-buf exported by drm_gmmu_gem_prime_export() for @drm is its own
 * GEM object again. Any other dma-buf (another device's, drm_gmmu or not)
 * becomes a BO without struct pages (drm_gmmu_bo_import_sg()): it is
 * attached to @drm's device and mapped once, and the DMA addresses of
 * that mapping are the BO's level-1 mapping, so it can be bound in a VM.
 * The BO shares the dma-buf's reservation object, so the fences of jobs
 * that use it are seen by the exporter and every other importer.
 * %DRM_GMMU_DRIVER_OPS sets it.
 *
 * Return: the GEM object with a new reference, or an ERR_PTR.
 */
struct drm_gem_object *drm_gmmu_gem_prime_import(struct drm_device *drm,
						 struct dma_buf *dmabuf)
{
	struct drm_gem_object *obj = dmabuf->priv;

	if (dmabuf->ops == &drm_gmmu_dmabuf_ops && obj->dev == drm) {
		drm_gem_object_get(obj);
		return obj;
	}
	return drm_gmmu_bo_import_sg(to_drm_gmmu_device(drm), dmabuf);
}
EXPORT_SYMBOL_GPL(drm_gmmu_gem_prime_import);
