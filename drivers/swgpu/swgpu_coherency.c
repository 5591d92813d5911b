// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu coherency wiring
 *
 * Cache maintenance for a GPU that does not snoop CPU caches: drm_gmmu
 * reports every flush and CPU access of the pages it tracks, any device's,
 * through &drm_gmmu_coherency_ops; this hands them to the hardware model
 * as the physical ranges a bus would show its coherency checker.
 */
#include <linux/mm.h>

#include "swgpu_drv.h"

static struct swgpu_hw_dev *swgpu_coh_hw(struct drm_gmmu_device *gdev)
{
	return to_swgpu(gdev)->hw;
}

static void swgpu_coh_flush(struct drm_gmmu_device *gdev, struct page *page,
			    unsigned int offset, unsigned int len)
{
	swgpu_hw_cpu_flush(swgpu_coh_hw(gdev), page_to_phys(page) + offset, len);
}

/* Any direction: a partial-line write merges with stale lines too. */
static void swgpu_coh_cpu_access(struct drm_gmmu_device *gdev,
				 struct page *page, unsigned int offset,
				 unsigned int len, enum dma_data_direction dir,
				 bool uncached)
{
	swgpu_hw_cpu_access(swgpu_coh_hw(gdev), page_to_phys(page) + offset,
			    len, uncached);
}

static void swgpu_coh_cpu_write(struct drm_gmmu_device *gdev,
				struct page *page, unsigned int offset,
				unsigned int len, bool uncached)
{
	swgpu_hw_cpu_write(swgpu_coh_hw(gdev), page_to_phys(page) + offset,
			   len, uncached);
}

static void swgpu_coh_release(struct drm_gmmu_device *gdev, struct page *page,
			      bool in)
{
	swgpu_hw_page_released(swgpu_coh_hw(gdev), page_to_pfn(page), in);
}

/* For drm_gmmu_device_set_noncoherent() on a profile that does not snoop. */
const struct drm_gmmu_coherency_ops swgpu_coherency_ops = {
	.flush = swgpu_coh_flush,
	.cpu_access = swgpu_coh_cpu_access,
	.cpu_write = swgpu_coh_cpu_write,
	.release = swgpu_coh_release,
};
