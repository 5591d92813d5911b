// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Backing self-test
 *
 * KTAP self-test of BO backing storage by page range: pin counts, bad
 * ranges, a failure half-way through a range (injected -ENOMEM) undone,
 * vmap reference counting, eviction of unpinned BOs only, the level-1
 * mapping's segments within the device's DMA parameters, and the sg
 * tables drm_gmmu_bo_build_sgt() makes: the BO's pages in order, in
 * segments within the limits and as long as the limits allow.
 */
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>

#include "../drm_gmmu_internal.h"
#include "gmmu_selftest_dev.h"

#define NTESTS 11
#define NPAGES 8

static const struct drm_driver selftest_driver = {
	.driver_features = DRIVER_GEM,
	.name = "drm_gmmu_backing_selftest",
	.desc = "drm_gmmu backing self-test",
};

static bool pins_are(struct drm_gmmu_bo *bo, const unsigned int *want)
{
	unsigned int i;

	for (i = 0; i < NPAGES; i++)
		if (bo->pin[i] != want[i])
			return false;
	return true;
}

static int get(struct drm_gmmu_bo *bo, pgoff_t first, pgoff_t count)
{
	int ret;

	dma_resv_lock(bo->base.base.resv, NULL);
	ret = drm_gmmu_bo_get_pages(bo, first, count);
	dma_resv_unlock(bo->base.base.resv);
	return ret;
}

static int put(struct drm_gmmu_bo *bo, pgoff_t first, pgoff_t count)
{
	int ret;

	dma_resv_lock(bo->base.base.resv, NULL);
	ret = drm_gmmu_bo_put_pages(bo, first, count);
	dma_resv_unlock(bo->base.base.resv);
	return ret;
}

/* Writes @seed into the first word of every page, through a pin. */
static bool stamp(struct drm_gmmu_bo *bo, u32 seed, bool check)
{
	bool ok = true;
	unsigned int i;
	u32 *p;

	if (get(bo, 0, NPAGES))
		return false;
	for (i = 0; i < NPAGES; i++) {
		p = kmap_local_page(bo->pages[i]);
		if (check)
			ok &= *p == seed + i;
		else
			*p = seed + i;
		kunmap_local(p);
	}
	return !put(bo, 0, NPAGES) && ok;
}

static void test_pins(struct drm_gmmu_device *gdev, struct drm_gmmu_bo *bo)
{
	static const unsigned int overlap[NPAGES] = { 1, 1, 2, 2, 1, 1, 0, 0 };
	static const unsigned int one[NPAGES] = { 0, 0, 1, 0, 0, 0, 0, 0 };
	static const unsigned int none[NPAGES];
	bool ok;

	ok = !get(bo, 0, 4) && !get(bo, 2, 4) && pins_are(bo, overlap) &&
	     bo->pinned == 6 && bo->resident == 6 &&
	     atomic_long_read(&gdev->evictable) == 0;
	ok &= !put(bo, 0, 4) && !put(bo, 2, 4) && pins_are(bo, none) &&
	      bo->pinned == 0 && bo->resident == 6 &&
	      atomic_long_read(&gdev->evictable) == 6;
	report(ok, "pins-overlapping-ranges-balance");

	ok = get(bo, NPAGES, 1) == -EINVAL && get(bo, 0, 0) == -EINVAL &&
	     get(bo, 1, NPAGES) == -EINVAL && get(bo, ULONG_MAX, 2) == -EINVAL &&
	     put(bo, 0, NPAGES + 1) == -EINVAL && pins_are(bo, none);
	report(ok, "bad-ranges-refused");

	/* One unpinned page in the range: nothing is unpinned at all. */
	ok = !get(bo, 2, 1) && put(bo, 1, 2) == -EINVAL && pins_are(bo, one) &&
	     put(bo, 0, 1) == -EINVAL && !put(bo, 2, 1) && pins_are(bo, none);
	report(ok, "put-of-unpinned-range-refused");
}

static void test_enomem(struct drm_gmmu_device *gdev)
{
	static const unsigned int one[NPAGES] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	/* Other BOs of the device may hold evictable pages. */
	long e0 = atomic_long_read(&gdev->evictable);
	struct drm_gmmu_bo *bo;
	bool ok;

	bo = drm_gmmu_bo_create(gdev, NPAGES * PAGE_SIZE);
	if (IS_ERR(bo)) {
		report(false, "enomem-half-way-undone");
		return;
	}
	/* Page 1 pinned beforehand must keep its pin and stay resident. */
	ok = !get(bo, 1, 1);
	/* Pages 0 and 2 are obtained, the third page obtained (3) fails. */
	gdev->stats->inject_enomem = 3;
	ok &= get(bo, 0, NPAGES) == -ENOMEM && !gdev->stats->inject_enomem &&
	      pins_are(bo, one) && bo->pinned == 1 && bo->resident == 1 &&
	      bo->pages[1] && !bo->pages[0] && !bo->pages[2] &&
	      atomic_long_read(&gdev->evictable) == e0;
	ok &= !put(bo, 1, 1) && atomic_long_read(&gdev->evictable) == e0 + 1;
	/* Nothing left behind: the same range now succeeds. */
	ok &= !get(bo, 0, NPAGES) && !put(bo, 0, NPAGES);
	report(ok, "enomem-half-way-undone");
	drm_gem_object_put(&bo->base.base);
}

static void test_vmap(struct drm_gmmu_bo *bo)
{
	struct iosys_map a, b;
	bool ok;

	ok = !bo->vaddr && !drm_gem_vmap_unlocked(&bo->base.base, &a) &&
	     !drm_gem_vmap_unlocked(&bo->base.base, &b) &&
	     a.vaddr == b.vaddr && bo->vmap_count == 2 && bo->pinned == NPAGES;
	if (ok)
		drm_gem_vunmap_unlocked(&bo->base.base, &b);
	ok &= bo->vaddr && bo->pinned == NPAGES;
	if (ok)
		drm_gem_vunmap_unlocked(&bo->base.base, &a);
	ok &= !bo->vaddr && !bo->vmap_count && bo->pinned == 0;
	report(ok, "vmap-refcounted-unpins-on-last-vunmap");
}

static void test_evict(struct drm_gmmu_device *gdev, struct drm_gmmu_bo *bo)
{
	u64 restored = atomic64_read(&gdev->stats->backing.pages_restored);
	struct iosys_map map;
	bool ok;

	ok = stamp(bo, 0x5eed0000, false) && bo->resident == NPAGES;
	ok &= drm_gmmu_device_evict(gdev) >= NPAGES && !bo->resident &&
	      atomic_long_read(&gdev->evictable) == 0;
	ok &= stamp(bo, 0x5eed0000, true) &&
	      atomic64_read(&gdev->stats->backing.pages_restored) - restored == NPAGES;
	report(ok, "evicted-content-comes-back");

	/* A vmapped BO is pinned: it stays. */
	ok = !drm_gem_vmap_unlocked(&bo->base.base, &map);
	ok &= !drm_gmmu_device_evict(gdev) && bo->resident == NPAGES;
	if (!IS_ERR_OR_NULL(map.vaddr))
		drm_gem_vunmap_unlocked(&bo->base.base, &map);
	report(ok, "pinned-bo-not-evicted");
}

/* Every segment within the maximum size, none across the boundary. */
static void test_segments(struct drm_gmmu_device *gdev, struct device *dev)
{
	struct drm_gmmu_bo *bo;
	struct scatterlist *sg;
	struct sg_table *sgt;
	unsigned int i;
	bool ok;

	dma_set_max_seg_size(dev, SZ_16K);
	dma_set_seg_boundary(dev, SZ_64K - 1);
	bo = drm_gmmu_bo_create(gdev, SZ_1M);
	if (IS_ERR(bo)) {
		report(false, "level1-respects-dma-parms");
		report(false, "level1-mapping-pins-whole-bo");
		return;
	}
	sgt = drm_gmmu_bo_dma_map(bo);
	ok = !IS_ERR(sgt);
	if (ok) {
		for_each_sgtable_dma_sg(sgt, sg, i) {
			ok &= sg_dma_len(sg) <= SZ_16K;
			ok &= (sg_dma_address(sg) >> 16) ==
			      ((sg_dma_address(sg) + sg_dma_len(sg) - 1) >> 16);
		}
		pr_info("# 1 MiB BO: %u DMA segments\n", sgt->nents);
	}
	report(ok, "level1-respects-dma-parms");
	report(!IS_ERR(sgt) && bo->pinned == SZ_1M >> PAGE_SHIFT &&
	       !drm_gmmu_device_evict(gdev) && bo->resident == SZ_1M >> PAGE_SHIFT,
	       "level1-mapping-pins-whole-bo");
	drm_gem_object_put(&bo->base.base);
	dma_set_max_seg_size(dev, UINT_MAX);
	dma_set_seg_boundary(dev, ULONG_MAX);
}

/*
 * The CPU side of @sgt, built for a device with @max_seg and @boundary:
 * the BO's pages in order, each segment within both limits, and none that
 * the page after the segment before could have joined.
 */
static bool sgt_ok(struct drm_gmmu_bo *bo, struct sg_table *sgt,
		   unsigned int max_seg, unsigned long boundary)
{
	pgoff_t j, k = 0, n = bo->base.base.size >> PAGE_SHIFT;
	struct scatterlist *sg, *prev = NULL;
	unsigned int i;

	for_each_sgtable_sg(sgt, sg, i) {
		phys_addr_t start = sg_phys(sg), last = start + sg->length - 1;

		if (sg->offset || !sg->length || !PAGE_ALIGNED(sg->length) ||
		    sg->length > max_seg ||
		    (start | boundary) != (last | boundary))
			return false;
		for (j = 0; j < sg->length >> PAGE_SHIFT; j++)
			if (k + j >= n ||
			    bo->pages[k + j] != nth_page(sg_page(sg), j))
				return false;
		if (prev && sg_phys(prev) + prev->length == start &&
		    prev->length + PAGE_SIZE <= max_seg && (start & boundary))
			return false;
		k += sg->length >> PAGE_SHIFT;
		prev = sg;
	}
	return k == n;
}

/* drm_gmmu_bo_build_sgt() under three sets of limits, on a pinned BO. */
static void test_build_sgt(struct drm_gmmu_device *gdev, struct device *dev)
{
	static const struct {
		unsigned int max_seg;
		unsigned long boundary;
	} lim[] = {
		{ UINT_MAX, ULONG_MAX },
		{ SZ_16K, SZ_64K - 1 },
		{ UINT_MAX, SZ_64K - 1 },
	};
	struct drm_gmmu_bo *bo;
	struct sg_table *sgt;
	bool ok, pinned;
	unsigned int i;

	bo = drm_gmmu_bo_create(gdev, SZ_4M);
	if (IS_ERR(bo)) {
		report(false, "build-sgt-segments");
		return;
	}
	dma_resv_lock(bo->base.base.resv, NULL);
	pinned = !drm_gmmu_bo_get_pages(bo, 0, SZ_4M >> PAGE_SHIFT);
	ok = pinned;
	for (i = 0; ok && i < ARRAY_SIZE(lim); i++) {
		dma_set_max_seg_size(dev, lim[i].max_seg);
		dma_set_seg_boundary(dev, lim[i].boundary);
		sgt = drm_gmmu_bo_build_sgt(bo, dev);
		ok = !IS_ERR(sgt);
		if (!ok)
			break;
		ok = sgt_ok(bo, sgt, rounddown(lim[i].max_seg, PAGE_SIZE),
			    lim[i].boundary);
		pr_info("# 4 MiB BO, segments of %#x bytes at most, boundary %#lx: %u segments\n",
			lim[i].max_seg, lim[i].boundary, sgt->orig_nents);
		sg_free_table(sgt);
		kfree(sgt);
	}
	if (ok) {
		/* A boundary below a page cannot be kept. */
		dma_set_seg_boundary(dev, SZ_2K - 1);
		sgt = drm_gmmu_bo_build_sgt(bo, dev);
		ok = PTR_ERR_OR_ZERO(sgt) == -EINVAL;
		if (!IS_ERR(sgt)) {
			sg_free_table(sgt);
			kfree(sgt);
		}
	}
	if (pinned)
		drm_gmmu_bo_put_pages(bo, 0, SZ_4M >> PAGE_SHIFT);
	dma_resv_unlock(bo->base.base.resv);
	dma_set_max_seg_size(dev, UINT_MAX);
	dma_set_seg_boundary(dev, ULONG_MAX);
	drm_gem_object_put(&bo->base.base);
	report(ok, "build-sgt-segments");
}

static void run(struct drm_gmmu_device *gdev, struct device *dev)
{
	struct drm_gmmu_bo *bo;

	bo = drm_gmmu_bo_create(gdev, NPAGES * PAGE_SIZE);
	if (IS_ERR(bo)) {
		report_rest_failed(NTESTS, "bo-create");
		return;
	}
	test_pins(gdev, bo);
	test_enomem(gdev);
	test_vmap(bo);
	test_evict(gdev, bo);
	drm_gem_object_put(&bo->base.base);
	test_segments(gdev, dev);
	test_build_sgt(gdev, dev);
	report(atomic_long_read(&gdev->evictable) == 0, "accounting-zero-after-free");
}

static int __init drm_gmmu_backing_selftest_init(void)
{
	struct gmmu_st_dev d;

	ktap_begin(NTESTS);
	if (gmmu_st_dev_create(&d, &selftest_driver, 32)) {
		report_rest_failed(NTESTS, "setup");
		return 0;
	}
	run(d.gdev, &d.pdev->dev);
	drm_gmmu_device_unplug(d.gdev);
	gmmu_st_dev_destroy(&d);
	return 0;
}

static void __exit drm_gmmu_backing_selftest_exit(void)
{
}

module_init(drm_gmmu_backing_selftest_init);
module_exit(drm_gmmu_backing_selftest_exit);

MODULE_DESCRIPTION("KTAP self-test of drm_gmmu BO backing storage");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
