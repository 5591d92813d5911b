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
#include <linux/dma-direct.h>
#include <linux/iommu.h>

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

/*
 * The drm_gmmu BO behind an import of another drm_gmmu device's dma-buf,
 * or NULL for any other exporter's. It shares the import's reservation.
 */
struct drm_gmmu_bo *drm_gmmu_bo_exporter(struct drm_gmmu_bo *bo)
{
	struct dma_buf *dmabuf = bo->base.base.import_attach->dmabuf;

	return dmabuf->ops == &drm_gmmu_dmabuf_ops ?
	       to_drm_gmmu_bo(dmabuf->priv) : NULL;
}

/*
 * An import's mapping goes, before it is unmapped: its pages go back to
 * their exporter, so whatever the importer's observer knows of their lines
 * is stale from now on (its device's jobs may have written them). Only
 * the importer's DMA addresses are known here (the dma-buf core may hide
 * the pages of the table): they are translated back to pages as the
 * device's DMA is (the system IOMMU's domain, or dma-direct). A drm_gmmu
 * exporter's BO tracks its own pages and reports their release itself.
 */
void drm_gmmu_import_release(struct drm_gmmu_bo *bo, struct sg_table *sgt)
{
	const struct drm_gmmu_coherency_ops *ops = bo->gdev->coherency_ops;
	struct device *dev = bo->gdev->drm->dev;
	struct iommu_domain *l1 = iommu_get_domain_for_dev(dev);
	struct scatterlist *sg;
	phys_addr_t phys;
	dma_addr_t dma;
	unsigned int i;
	size_t off;

	if (!ops || !ops->release || drm_gmmu_bo_exporter(bo))
		return;
	if (l1 && l1->type == IOMMU_DOMAIN_IDENTITY)
		l1 = NULL;
	for_each_sgtable_dma_sg(sgt, sg, i) {
		for (off = 0; off < sg_dma_len(sg); off += PAGE_SIZE) {
			dma = sg_dma_address(sg) + off;
			phys = l1 ? iommu_iova_to_phys(l1, dma) :
				    dma_to_phys(dev, dma);
			if (phys && pfn_valid(PHYS_PFN(phys)))
				ops->release(bo->gdev, pfn_to_page(PHYS_PFN(phys)),
					     false);
		}
	}
}

/**
 * drm_gmmu_gem_prime_export - &drm_gem_object_funcs.export of drm_gmmu BOs
 * @obj: the BO's GEM object
 * @flags: flags of the dma-buf file (O_CLOEXEC, O_RDWR)
 *
 * Like drm_gem_prime_export(), with drm_gmmu's own &dma_buf_ops, whose
 * begin_cpu_access/end_cpu_access bracket the whole BO with
 * drm_gmmu_bo_begin_cpu_access()/drm_gmmu_bo_end_cpu_access(). A
 * VM-private BO shares its VM's reservation object, which another device
 * or process must not lock and fence: it cannot be exported. A BO of a
 * coherent device gets cache-domain state here (drm_gmmu_bo_domain_share()):
 * an importer that does not snoop relies on it.
 *
 * Return: the dma-buf, or an ERR_PTR: -EINVAL for a VM-private BO,
 * -ENOMEM.
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

	int ret;

	if (bo->vm_resv_obj)
		return ERR_PTR(-EINVAL);
	ret = drm_gmmu_bo_domain_share(bo);
	if (ret)
		return ERR_PTR(ret);
	return drm_gem_dmabuf_export(obj->dev, &exp_info);
}
EXPORT_SYMBOL_GPL(drm_gmmu_gem_prime_export);

/**
 * drm_gmmu_gem_prime_import - &drm_driver.gem_prime_import for drm_gmmu drivers
 * @gdev: the importing device
 * @dmabuf: the dma-buf
 *
 * A dma-buf exported by drm_gmmu_gem_prime_export() for @gdev is its own
 * GEM object again. Any other dma-buf (another device's, drm_gmmu or not)
 * becomes a BO without struct pages (drm_gmmu_bo_import_sg()): it is
 * attached to @gdev's device and mapped once, and the DMA addresses of
 * that mapping are the BO's level-1 mapping, so it can be bound in a VM.
 * The BO shares the dma-buf's reservation object, so the fences of jobs
 * that use it are seen by the exporter and every other importer.
 *
 * Return: the GEM object with a new reference, or an ERR_PTR.
 */
struct drm_gem_object *drm_gmmu_gem_prime_import(struct drm_gmmu_device *gdev,
						 struct dma_buf *dmabuf)
{
	struct drm_gem_object *obj = dmabuf->priv;

	if (dmabuf->ops == &drm_gmmu_dmabuf_ops && obj->dev == gdev->drm) {
		drm_gem_object_get(obj);
		return obj;
	}
	return drm_gmmu_bo_import_sg(gdev, dmabuf);
}
EXPORT_SYMBOL_GPL(drm_gmmu_gem_prime_import);
