// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: BO self-test
 *
 * KTAP self-test of drm_gmmu buffer objects and their level-1 mapping, on a
 * platform device with a 32-bit DMA mask: platform devices are never behind
 * VT-d, so DMA is direct and the mask is real. On the lane with more than
 * 4 GiB of RAM this proves the backing comes from below 4 GiB.
 */
#include <linux/dma-mapping.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>

#include <drm/drm_drv.h>
#include <drm/drm_gmmu.h>

#include "gmmu_selftest_dev.h"

#define NTESTS 5

static const struct drm_driver selftest_driver = {
	.driver_features = DRIVER_GEM,
	.name = "drm_gmmu_selftest",
	.desc = "drm_gmmu self-test",
};

/* Every segment: DMA address == physical address, below 4 GiB. */
static bool sgt_untranslated_below_4g(struct sg_table *sgt)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (sg_dma_address(sg) != sg_phys(sg))
			return false;
		if (sg_dma_address(sg) + sg_dma_len(sg) - 1 > U32_MAX)
			return false;
	}
	return true;
}

static void run(struct drm_gmmu_device *gdev)
{
	/* q35 puts RAM beyond 2 GiB above the PCI hole: look at addresses. */
	bool big = region_intersects(SZ_4G, SZ_1T, IORESOURCE_SYSTEM_RAM,
				     IORES_DESC_NONE) != REGION_DISJOINT;
	struct drm_gmmu_bo *bo, *bo2;
	struct sg_table *sgt;

	report(IS_ERR(drm_gmmu_bo_create(gdev, 0)) &&
	       PTR_ERR(drm_gmmu_bo_create(gdev, SZ_4K + 1)) == -EINVAL,
	       "bo-create-bad-size");

	bo = drm_gmmu_bo_create(gdev, SZ_64M);
	if (IS_ERR(bo)) {
		report(false, "bo-create");
		return;
	}
	/* Below 4 GiB exactly when the 32-bit mask cannot reach all of RAM. */
	report(bo->dma32 == dma_addressing_limited(gdev->drm.dev), "bo-dma32-policy");

	sgt = drm_gmmu_bo_dma_map(bo);
	report(!IS_ERR(sgt) && sgt_untranslated_below_4g(sgt) &&
	       drm_gmmu_bo_dma_map(bo) == sgt,
	       "bo-map-never-bounces-and-is-kept");
	pr_info("# RAM %lu MiB: %s\n", totalram_pages() >> (20 - PAGE_SHIFT),
		big ? "memory above 4 GiB exists" : "all memory below 4 GiB");

	/*
	 * Without the policy, pages come from anywhere: with memory above
	 * 4 GiB the mapping would bounce, and must be refused.
	 */
	bo2 = drm_gmmu_bo_create(gdev, SZ_64M);
	if (!IS_ERR(bo2)) {
		mapping_set_gfp_mask(bo2->base.base.filp->f_mapping, GFP_HIGHUSER);
		sgt = drm_gmmu_bo_dma_map(bo2);
		if (big && !IS_ERR(sgt) && sgt_untranslated_below_4g(sgt))
			pr_info("ok %u bo-bouncing-map-refused # SKIP every page landed below 4 GiB\n",
				++test_nr);
		else if (big)
			report(PTR_ERR(sgt) == -ERANGE, "bo-bouncing-map-refused");
		else
			pr_info("ok %u bo-bouncing-map-refused # SKIP no memory above 4 GiB\n",
				++test_nr);
		drm_gem_object_put(&bo2->base.base);
	} else {
		report(false, "bo-bouncing-map-refused");
	}

	drm_gmmu_device_unplug(gdev);
	report(!bo->sgt && PTR_ERR(drm_gmmu_bo_dma_map(bo)) == -ENODEV,
	       "unplug-tears-down-level1");
	drm_gem_object_put(&bo->base.base);
}

static int __init drm_gmmu_bo_selftest_init(void)
{
	struct gmmu_st_dev d;

	ktap_begin(NTESTS);
	if (gmmu_st_dev_create(&d, &selftest_driver, 32)) {
		report_rest_failed(NTESTS, "setup");
		return 0;
	}
	run(d.gdev);
	gmmu_st_dev_destroy(&d);
	return 0;
}

static void __exit drm_gmmu_bo_selftest_exit(void)
{
}

module_init(drm_gmmu_bo_selftest_init);
module_exit(drm_gmmu_bo_selftest_exit);

MODULE_DESCRIPTION("KTAP self-test of drm_gmmu buffer objects");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
