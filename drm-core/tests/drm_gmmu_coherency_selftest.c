// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Cache maintenance self-test
 *
 * KTAP self-test of drm_gmmu's cache maintenance API: the flush primitive
 * reports exactly the ranges it flushed, the kernel CPU-access brackets
 * validate their input, report their accesses and writes piece by piece
 * and refuse an end without a begin, and a coherent device's BOs carry no
 * domain state and never reach the observer.
 */
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_gmmu.h>

#include "../drm_gmmu_internal.h"
#include "gmmu_selftest_dev.h"

#define NTESTS 10

static const struct drm_driver selftest_driver = {
	.driver_features = DRIVER_GEM,
	.name = "drm_gmmu_coh_selftest",
	.desc = "drm_gmmu coherency self-test",
};

/* A second device beside the first, one that snoops. */
static const struct drm_driver snoop_driver = {
	.driver_features = DRIVER_GEM,
	.name = "drm_gmmu_coh_selftest_snoop",
	.desc = "drm_gmmu coherency self-test, snooping device",
};

/* What the observer saw: counts, and the last range of each kind. */
static struct {
	unsigned int flushes, accesses, writes, releases, acquires;
	struct page *page;
	unsigned int offset, len;
	unsigned int write_offset, write_len;
	enum dma_data_direction dir;
} seen;

static void obs_flush(struct drm_gmmu_device *gdev, struct page *page,
		      unsigned int offset, unsigned int len)
{
	seen.flushes++;
	seen.page = page;
	seen.offset = offset;
	seen.len = len;
}

static void obs_cpu_access(struct drm_gmmu_device *gdev, struct page *page,
			   unsigned int offset, unsigned int len,
			   enum dma_data_direction dir, bool uncached)
{
	seen.accesses++;
	seen.offset = offset;
	seen.len = len;
	seen.dir = dir;
}

static void obs_cpu_write(struct drm_gmmu_device *gdev, struct page *page,
			  unsigned int offset, unsigned int len, bool uncached)
{
	seen.writes++;
	seen.offset = offset;
	seen.len = len;
	seen.write_offset = offset;
	seen.write_len = len;
}

static void obs_release(struct drm_gmmu_device *gdev, struct page *page,
			bool acquire)
{
	if (acquire)
		seen.acquires++;
	else
		seen.releases++;
}

static const struct drm_gmmu_coherency_ops obs_ops = {
	.flush = obs_flush,
	.cpu_access = obs_cpu_access,
	.cpu_write = obs_cpu_write,
	.release = obs_release,
};

static void run_primitive(struct drm_gmmu_device *gdev)
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *buf = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	s64 bytes = atomic64_read(&gdev->stats->coherency.flush_bytes);

	if (!page || !buf) {
		report(false, "flush-page-reports-its-range");
		report(false, "flush-virt-range-reports-each-page");
		goto out;
	}
	memset(&seen, 0, sizeof(seen));
	drm_gmmu_flush_page(gdev, page, 64, 128);
	report(seen.flushes == 1 && seen.page == page && seen.offset == 64 &&
	       seen.len == 128 &&
	       atomic64_read(&gdev->stats->coherency.flush_bytes) == bytes + 128,
	       "flush-page-reports-its-range");

	/* 100 bytes before a page boundary, 200 after: two reports. */
	memset(&seen, 0, sizeof(seen));
	drm_gmmu_flush_virt_range(gdev, PTR_ALIGN(buf + 100, PAGE_SIZE) - 100, 300);
	report(seen.flushes == 2 && seen.offset == 0 && seen.len == 200,
	       "flush-virt-range-reports-each-page");
out:
	kfree(buf);
	if (page)
		__free_page(page);
}

static void run_brackets(struct drm_gmmu_device *gdev)
{
	struct drm_gmmu_bo *bo = drm_gmmu_bo_create(gdev, 4 * PAGE_SIZE);
	bool ok;

	if (IS_ERR(bo)) {
		for (int i = 0; i < 7; i++)
			report(false, "bracket-setup");
		return;
	}
	report(drm_gmmu_bo_end_cpu_access(bo, DMA_TO_DEVICE, 0, PAGE_SIZE) == -EINVAL,
	       "end-without-begin-is-einval");

	ok = drm_gmmu_bo_begin_cpu_access(bo, DMA_NONE, 0, PAGE_SIZE) == -EINVAL &&
	     drm_gmmu_bo_begin_cpu_access(bo, DMA_TO_DEVICE, 0, 0) == -EINVAL &&
	     drm_gmmu_bo_begin_cpu_access(bo, DMA_TO_DEVICE, 4 * PAGE_SIZE, 1) == -EINVAL &&
	     drm_gmmu_bo_begin_cpu_access(bo, DMA_TO_DEVICE, PAGE_SIZE, 3 * PAGE_SIZE + 1) == -EINVAL &&
	     drm_gmmu_bo_begin_cpu_access(bo, DMA_TO_DEVICE, 1, SIZE_MAX) == -EINVAL &&
	     bo->cpu_access_count == 0;
	report(ok, "bad-direction-or-range-is-einval");

	/* From byte 100 of page 0 to byte 1003 of page 1: two pieces. */
	memset(&seen, 0, sizeof(seen));
	ok = drm_gmmu_bo_begin_cpu_access(bo, DMA_FROM_DEVICE, 100, 5000) == 0;
	report(ok && seen.accesses == 2 && seen.offset == 0 &&
	       seen.len == 5000 - (PAGE_SIZE - 100) && seen.dir == DMA_FROM_DEVICE &&
	       seen.flushes == 0 && bo->cpu_access_count == 1,
	       "begin-reports-accesses-without-needless-invalidation");

	memset(&seen, 0, sizeof(seen));
	ok = drm_gmmu_bo_end_cpu_access(bo, DMA_FROM_DEVICE, 100, 5000) == 0;
	report(ok && seen.writes == 0 && bo->cpu_access_count == 0,
	       "end-of-read-reports-no-write");

	/*
	 * Page 3 comes in: the observer forgets its past and learns that
	 * the CPU wrote all of it (zeroing), before the bracket's access.
	 */
	memset(&seen, 0, sizeof(seen));
	ok = drm_gmmu_bo_begin_cpu_access(bo, DMA_TO_DEVICE, 3 * PAGE_SIZE + 8, 16) == 0;
	report(ok && seen.acquires == 1 && !seen.releases && seen.writes == 1 &&
	       seen.write_offset == 0 && seen.write_len == PAGE_SIZE &&
	       seen.accesses == 1 && seen.offset == 8 && seen.len == 16,
	       "new-page-is-released-then-written");

	memset(&seen, 0, sizeof(seen));
	ok = ok && drm_gmmu_bo_end_cpu_access(bo, DMA_TO_DEVICE, 3 * PAGE_SIZE + 8, 16) == 0;
	report(ok && seen.writes == 1 && seen.offset == 8 && seen.len == 16 &&
	       drm_gmmu_bo_end_cpu_access(bo, DMA_TO_DEVICE, 3 * PAGE_SIZE + 8, 16) == -EINVAL,
	       "end-of-write-reports-range-then-unbalanced-end-is-einval");

	/*
	 * The brackets made pages 0, 1 and 3 resident, page 2 never was:
	 * the observer hears of each page that leaves, and of no other.
	 */
	memset(&seen, 0, sizeof(seen));
	drm_gem_object_put(&bo->base.base);
	report(seen.releases == 3, "free-releases-every-resident-page");
}

static void run_coherent(struct drm_gmmu_device *gdev)
{
	struct drm_gmmu_bo *bo = drm_gmmu_bo_create(gdev, PAGE_SIZE);

	if (IS_ERR(bo)) {
		report(false, "coherent-bo-has-no-domain-state");
		return;
	}
	memset(&seen, 0, sizeof(seen));
	report(!bo->dom &&
	       drm_gmmu_bo_begin_cpu_access(bo, DMA_BIDIRECTIONAL, 0, PAGE_SIZE) == 0 &&
	       drm_gmmu_bo_end_cpu_access(bo, DMA_BIDIRECTIONAL, 0, PAGE_SIZE) == 0 &&
	       drm_gmmu_bo_end_cpu_access(bo, DMA_BIDIRECTIONAL, 0, PAGE_SIZE) == -EINVAL &&
	       !seen.accesses && !seen.writes && !seen.flushes &&
	       !atomic64_read(&gdev->stats->coherency.flush_calls),
	       "coherent-bo-has-no-domain-state");
	drm_gem_object_put(&bo->base.base);
}

static int __init drm_gmmu_coherency_selftest_init(void)
{
	struct gmmu_st_dev d, coh;

	ktap_begin(NTESTS);
	if (gmmu_st_dev_create(&d, &selftest_driver, 64)) {
		report_rest_failed(NTESTS, "setup");
		return 0;
	}
	if (gmmu_st_dev_create(&coh, &snoop_driver, 64)) {
		gmmu_st_dev_destroy(&d);
		report_rest_failed(NTESTS, "setup");
		return 0;
	}
	drm_gmmu_device_set_noncoherent(d.gdev, &obs_ops);
	run_primitive(d.gdev);
	run_brackets(d.gdev);
	coh.gdev->coherency_ops = &obs_ops;
	run_coherent(coh.gdev);
	gmmu_st_dev_destroy(&coh);
	gmmu_st_dev_destroy(&d);
	return 0;
}

static void __exit drm_gmmu_coherency_selftest_exit(void)
{
}

module_init(drm_gmmu_coherency_selftest_init);
module_exit(drm_gmmu_coherency_selftest_exit);

MODULE_DESCRIPTION("KTAP self-test of drm_gmmu cache maintenance");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
