// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Write-combined BO self-test
 *
 * KTAP self-test of write-combined BOs on x86: PAT decides a mapping's
 * memory type from the PTE's PWT/PCD/PAT bits, and a WC mapping of a page
 * whose linear-map type is WB silently becomes WB. So this reads the bits
 * of the real PTEs: the linear map of a WC BO's page and its vmap are WC,
 * a cached BO's page stays WB, and a page is WB again once it has left the
 * BO, by eviction or by the BO's free, with its content kept.
 */
#include <linux/dma-mapping.h>
#include <linux/iosys-map.h>
#include <linux/module.h>
#include <linux/sizes.h>

#include <asm/pgtable.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>

#include "gmmu_selftest_dev.h"

#define NTESTS 7
#define NPAGES 4

static const struct drm_driver selftest_driver = {
	.driver_features = DRIVER_GEM,
	.name = "drm_gmmu_wc_selftest",
	.desc = "drm_gmmu write-combine self-test",
};

/*
 * The cache bits of the kernel PTE mapping @addr, in the 4K layout (a
 * large page keeps its PAT bit elsewhere), or ~0 if nothing maps it.
 */
static unsigned long cache_bits(const void *addr)
{
	unsigned int level;
	pgprotval_t val;
	pte_t *pte;

	pte = lookup_address((unsigned long)addr, &level);
	if (!pte || !pte_present(*pte))
		return ~0UL;
	val = pte_flags(*pte);
	if (level != PG_LEVEL_4K)
		val = protval_large_2_4k(val);
	return val & _PAGE_CACHE_MASK;
}

static bool is_wc(const void *addr)
{
	return cache_bits(addr) == cachemode2protval(_PAGE_CACHE_MODE_WC);
}

static bool is_wb(const void *addr)
{
	return cache_bits(addr) == cachemode2protval(_PAGE_CACHE_MODE_WB);
}

static int get(struct drm_gmmu_bo *bo)
{
	int ret;

	dma_resv_lock(bo->base.base.resv, NULL);
	ret = drm_gmmu_bo_get_pages(bo, 0, NPAGES);
	dma_resv_unlock(bo->base.base.resv);
	return ret;
}

static void put(struct drm_gmmu_bo *bo)
{
	dma_resv_lock(bo->base.base.resv, NULL);
	drm_gmmu_bo_put_pages(bo, 0, NPAGES);
	dma_resv_unlock(bo->base.base.resv);
}

static void run(struct drm_gmmu_device *gdev)
{
	struct page *held[NPAGES] = {};
	struct drm_gmmu_bo *wc, *wb;
	struct iosys_map map;
	bool ok, vmapped;
	unsigned int i;
	u32 *p;

	report(IS_ERR(drm_gmmu_bo_create_flags(gdev, NULL, SZ_16K, BIT(7))),
	       "unknown-flag-refused");
	wc = drm_gmmu_bo_create_flags(gdev, NULL, NPAGES * PAGE_SIZE,
				      DRM_GMMU_BO_WC);
	wb = drm_gmmu_bo_create_flags(gdev, NULL, NPAGES * PAGE_SIZE, 0);
	if (IS_ERR(wc) || IS_ERR(wb) || get(wc) || get(wb)) {
		report_rest_failed(NTESTS, "bo-create");
		return;
	}

	ok = true;
	for (i = 0; i < NPAGES; i++)
		ok &= is_wc(page_address(wc->pages[i]));
	pr_info("# WC page linear-map cache bits %#lx, want %#lx\n",
		cache_bits(page_address(wc->pages[0])),
		cachemode2protval(_PAGE_CACHE_MODE_WC));
	report(ok, "wc-bo-linear-map-is-wc");

	ok = true;
	for (i = 0; i < NPAGES; i++)
		ok &= is_wb(page_address(wb->pages[i]));
	report(ok, "cached-bo-linear-map-stays-wb");

	vmapped = !drm_gem_vmap_unlocked(&wc->base.base, &map);
	ok = vmapped;
	if (vmapped) {
		for (i = 0; i < NPAGES; i++) {
			ok &= is_wc(map.vaddr + i * PAGE_SIZE);
			p = map.vaddr + i * PAGE_SIZE;
			*p = 0xc0ffee00 + i;
		}
		drm_gem_vunmap_unlocked(&wc->base.base, &map);
	}
	report(ok, "wc-vmap-is-wc");

	/* Keep the pages themselves to look at them after they left. */
	for (i = 0; i < NPAGES; i++) {
		held[i] = wc->pages[i];
		get_page(held[i]);
	}
	put(wc);
	/* The cached BO is pinned: only the WC one goes. */
	ok = drm_gmmu_device_evict(gdev) == NPAGES;
	for (i = 0; i < NPAGES; i++)
		ok &= is_wb(page_address(held[i]));
	report(ok, "evicted-pages-back-to-wb");
	for (i = 0; i < NPAGES; i++)
		put_page(held[i]);

	/* Back from eviction: WC again, content kept (read uncached). */
	ok = !get(wc);
	if (ok) {
		for (i = 0; i < NPAGES; i++) {
			ok &= is_wc(page_address(wc->pages[i]));
			p = page_address(wc->pages[i]);
			ok &= *p == 0xc0ffee00 + i;
			held[i] = wc->pages[i];
			get_page(held[i]);
		}
		put(wc);
	}
	report(ok, "restored-pages-wc-with-content");

	drm_gem_object_put(&wc->base.base);
	ok = true;
	for (i = 0; i < NPAGES; i++) {
		if (!held[i]) {
			ok = false;
			continue;
		}
		ok &= is_wb(page_address(held[i]));
		put_page(held[i]);
	}
	report(ok, "freed-pages-back-to-wb");
	put(wb);
	drm_gem_object_put(&wb->base.base);
}

static int __init drm_gmmu_wc_selftest_init(void)
{
	struct gmmu_st_dev d;

	ktap_begin(NTESTS);
	if (gmmu_st_dev_create(&d, &selftest_driver, 64)) {
		report_rest_failed(NTESTS, "setup");
		return 0;
	}
	run(d.gdev);
	drm_gmmu_device_unplug(d.gdev);
	gmmu_st_dev_destroy(&d);
	return 0;
}

static void __exit drm_gmmu_wc_selftest_exit(void)
{
}

module_init(drm_gmmu_wc_selftest_init);
module_exit(drm_gmmu_wc_selftest_exit);

MODULE_DESCRIPTION("KTAP self-test of drm_gmmu write-combined BOs (x86 PAT)");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
