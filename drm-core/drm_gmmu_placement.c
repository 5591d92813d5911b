// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Importer constraints
 *
 * A BO's pages must be within reach of every device that maps them, not
 * only of the device that made the BO. Two things limit a device: its DMA
 * mask, where nothing translates for it (dma-direct, or an identity IOMMU
 * domain; behind a translating IOMMU any page is reachable), and its
 * segment limits (maximum segment size, segment boundary), which apply
 * whatever translates.
 *
 * Segment limits are the attacher's own: each mapping of a drm_gmmu
 * dma-buf is an sg table built for the device of that attachment
 * (drm_gmmu_bo_build_sgt()), not for the exporter's, and a mapping that
 * dma-direct would still have to bounce is refused with -ERANGE.
 *
 * Reach is a placement: a device that needs pages below 4 GiB
 * (drm_gmmu_dev_needs_dma32()) makes the BO allocate there, whether it
 * is the BO's own device (&drm_gmmu_bo.dma32, set at creation) or an
 * importer, counted in &drm_gmmu_bo.dma32_attachers from its
 * &dma_buf_ops.attach to its detach. A BO allocates its pages lazily, at
 * the first mapping or CPU access, so an importer that attaches before
 * then only shapes the allocation: the shmem mapping's gfp mask is set to
 * %__GFP_DMA32 and every page lands low (``place_shaped``). A later
 * attacher finds pages that may be above 4 GiB: if any is, the BO
 * migrates (``place_migrations``, ``place_pages_moved``). Its jobs are
 * waited for, it is evicted as the shrinker would evict it (every VM's
 * mapping cleared, its level-1 mapping dropped, move_notify to its
 * dynamic importers), and its content is copied to a new shmem file whose
 * pages are all below 4 GiB, which then replaces the old one: new
 * storage, content copied, nothing lost if a page cannot be had (the old
 * file is kept and attach fails with -ENOMEM). The next job, bind or CPU
 * access brings the pages back from the new file as after any eviction.
 * A BO that cannot be evicted (pinned: a vmap, a CPU-access bracket, a
 * static importer's pin, a dynamic importer that keeps its mapping) is not
 * moved, and the attachment fails with -ERANGE (``place_refused``); so
 * does a device whose DMA mask is below 32 bits, which no placement
 * serves. Once the last such attacher detaches, new pages may come from
 * anywhere again (unless the BO's own device needs them low); the pages
 * already allocated stay where they are.
 *
 * Pages swapped out meanwhile need no copy: shmem reads a page back in
 * through the mapping's gfp mask, and replaces a swap-cache page from a
 * zone above it.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>

#include <drm/drm_gmmu.h>
#include <drm/drm_print.h>

#include "drm_gmmu_internal.h"

/**
 * drm_gmmu_dma_is_direct - does a device's DMA go untranslated?
 * @dev: the device
 *
 * Return: true if its DMA addresses are physical addresses (dma-direct, or
 * an identity IOMMU domain), so that its DMA mask limits which memory it
 * can reach; false behind a translating IOMMU.
 */
bool drm_gmmu_dma_is_direct(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	return !domain || domain->type == IOMMU_DOMAIN_IDENTITY;
}

/**
 * drm_gmmu_dev_needs_dma32 - must a device's pages lie below 4 GiB?
 * @dev: the device
 *
 * Return: true if nothing translates its DMA and its mask does not cover
 * all memory.
 */
bool drm_gmmu_dev_needs_dma32(struct device *dev)
{
	return drm_gmmu_dma_is_direct(dev) && dma_addressing_limited(dev);
}

/* The gfp mask of the BO's shmem file: where its new pages come from. */
void drm_gmmu_bo_set_placement(struct drm_gmmu_bo *bo)
{
	bool low = bo->dma32 || bo->dma32_attachers;

	/*
	 * Backing pages are kept pinned while mapped: keep them out of
	 * ZONE_MOVABLE. __GFP_DMA32 cannot be combined with __GFP_HIGHMEM.
	 */
	mapping_set_gfp_mask(bo->base.base.filp->f_mapping,
			     (low ? GFP_USER | __GFP_DMA32 : GFP_HIGHUSER) |
			     __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
}

static bool drm_gmmu_folio_above_4g(struct folio *folio)
{
	return PFN_PHYS(folio_pfn(folio) + folio_nr_pages(folio)) - 1 >
	       DMA_BIT_MASK(32);
}

/* Does a page of the BO's file (in memory, not in swap) lie above 4 GiB? */
static bool drm_gmmu_bo_has_pages_above_4g(struct drm_gmmu_bo *bo)
{
	struct address_space *mapping = bo->base.base.filp->f_mapping;
	pgoff_t i = 0, n = bo->base.base.size >> PAGE_SHIFT;
	struct folio *folio;
	bool high = false;

	while (i < n && !high) {
		folio = filemap_get_folio(mapping, i);
		if (IS_ERR(folio)) {
			i++;
			continue;
		}
		high = drm_gmmu_folio_above_4g(folio);
		i = folio_next_index(folio);
		folio_put(folio);
	}
	return high;
}

/*
 * A copy of the BO's file whose pages are all below 4 GiB, or an ERR_PTR.
 * Holes stay holes; pages in swap are read back to be copied.
 */
static struct file *drm_gmmu_bo_copy_low(struct drm_gmmu_bo *bo,
					 unsigned long *copied)
{
	struct file *old = bo->base.base.filp;
	pgoff_t i, n = bo->base.base.size >> PAGE_SHIFT;
	struct address_space *mapping;
	struct folio *folio;
	struct page *page;
	struct file *new;
	int ret;

	new = drm_gmmu_bo_file_setup(bo->base.base.size, bo->wc);
	if (IS_ERR(new))
		return new;
	mapping = new->f_mapping;
	mapping_set_gfp_mask(mapping, GFP_USER | __GFP_DMA32 |
				      __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	*copied = 0;
	for (i = 0; i < n; i++) {
		ret = shmem_get_folio(file_inode(old), i, 0, &folio, SGP_READ);
		if (ret)
			goto err;
		if (!folio)
			continue;
		folio_unlock(folio);
		page = shmem_read_mapping_page_gfp(mapping, i,
						   mapping_gfp_mask(mapping));
		if (IS_ERR(page)) {
			folio_put(folio);
			ret = PTR_ERR(page);
			goto err;
		}
		copy_highpage(page, folio_file_page(folio, i));
		set_page_dirty(page);
		put_page(page);
		folio_put(folio);
		++*copied;
		cond_resched();
	}
	return new;

err:
	fput(new);
	return ERR_PTR(ret);
}

/*
 * Move every page of the BO below 4 GiB (see "Importer constraints"):
 * -ERANGE if the BO cannot be evicted, -EINTR/-ERESTARTSYS if a signal
 * came while its jobs ran, -ENOMEM (with the BO as it was) if the copy
 * cannot be made.
 */
static int drm_gmmu_bo_migrate_low(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_dmabuf_stats *s = &bo->gdev->stats->dmabuf;
	struct drm_gem_object *obj = &bo->base.base;
	unsigned long copied;
	struct file *new;
	long ret;

	ret = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_BOOKKEEP, true,
				    MAX_SCHEDULE_TIMEOUT);
	if (ret < 0)
		return ret;
	if (!drm_gmmu_bo_unbind_evict_locked(bo))
		return -ERANGE;
	drm_gmmu_backing_release_all(bo);
	if (bo->resident)
		return -ERANGE;
	new = drm_gmmu_bo_copy_low(bo, &copied);
	if (IS_ERR(new))
		return PTR_ERR(new);
	fput(obj->filp);
	obj->filp = new;
	atomic64_inc(&s->place_migrations);
	atomic64_add(copied, &s->place_pages_moved);
	return 0;
}

/**
 * drm_gmmu_bo_place_for - the BO is about to be mapped for another device
 * @bo: the BO, not imported, its reservation held
 * @dev: the device attaching to its dma-buf
 *
 * See "Importer constraints". On success, a device that needs pages below
 * 4 GiB is counted in &drm_gmmu_bo.dma32_attachers until
 * drm_gmmu_bo_unplace_for().
 *
 * Context: process context; may wait (interruptibly) for the BO's jobs.
 * Return: 1 if @dev is counted, 0 if it needs no placement; -ERANGE if @dev cannot reach memory a placement could give
 * it, or the BO must move for it and is pinned; -EINTR or -ERESTARTSYS;
 * -ENOMEM.
 */
int drm_gmmu_bo_place_for(struct drm_gmmu_bo *bo, struct device *dev)
{
	struct drm_gmmu_dmabuf_stats *s = &bo->gdev->stats->dmabuf;
	int ret;

	dma_resv_assert_held(bo->base.base.resv);
	if (!drm_gmmu_dev_needs_dma32(dev))
		return 0;
	if (dma_get_mask(dev) < DMA_BIT_MASK(32)) {
		ret = -ERANGE;
		goto refused;
	}
	if (bo->dma32_attachers == UINT_MAX)
		return -EOVERFLOW;
	if (!bo->dma32 && !bo->dma32_attachers) {
		if (drm_gmmu_bo_has_pages_above_4g(bo)) {
			ret = drm_gmmu_bo_migrate_low(bo);
			if (ret == -ERANGE)
				goto refused;
			if (ret)
				return ret;
		} else {
			atomic64_inc(&s->place_shaped);
		}
	}
	bo->dma32_attachers++;
	drm_gmmu_bo_set_placement(bo);
	return 1;

refused:
	atomic64_inc(&s->place_refused);
	drm_dbg_driver(&bo->gdev->drm,
		       "%s (%d-bit DMA, untranslated) cannot reach a pinned BO of %zu bytes: attach refused\n",
		       dev_name(dev), fls64(dma_get_mask(dev)),
		       bo->base.base.size);
	return ret;
}

/**
 * drm_gmmu_bo_unplace_for - an attacher that needed pages below 4 GiB goes
 * @bo: the BO, its reservation held
 *
 * For a device drm_gmmu_bo_place_for() counted. New pages may come from
 * above 4 GiB again once no attacher, nor the BO's own device, needs them
 * low; the ones it has stay.
 */
void drm_gmmu_bo_unplace_for(struct drm_gmmu_bo *bo)
{
	dma_resv_assert_held(bo->base.base.resv);
	if (drm_WARN_ON(&bo->gdev->drm, !bo->dma32_attachers))
		return;
	bo->dma32_attachers--;
	drm_gmmu_bo_set_placement(bo);
}
