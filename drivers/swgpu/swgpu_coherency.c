// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu coherency wiring
 *
 * Wiring of the non-snooping model's coherency checker: drm_gmmu reports
 * every flush and every CPU access of the device's BOs through
 * &drm_gmmu_coherency_ops, and this turns them into the physical ranges
 * the hardware model works with.
 */
#include <linux/mm.h>

#include <drm/drm_managed.h>

#include "swgpu_drv.h"

static struct swgpu_hw_coherency *swgpu_checker(struct drm_gmmu_device *gdev)
{
	return container_of(gdev, struct swgpu_device, gmmu)->coherency;
}

static void swgpu_coh_flush(struct drm_gmmu_device *gdev, struct page *page,
			    unsigned int offset, unsigned int len)
{
	swgpu_hw_coherency_flush(swgpu_checker(gdev), page_to_phys(page) + offset,
				 len);
}

static void swgpu_coh_cpu_access(struct drm_gmmu_device *gdev,
				 struct page *page, unsigned int offset,
				 unsigned int len, enum dma_data_direction dir,
				 bool uncached)
{
	/* Any direction: a partial-line write merges with stale lines too. */
	swgpu_hw_coherency_cpu_access(swgpu_checker(gdev),
				      page_to_phys(page) + offset, len,
				      uncached);
}

static void swgpu_coh_cpu_write(struct drm_gmmu_device *gdev,
				struct page *page, unsigned int offset,
				unsigned int len, bool uncached)
{
	swgpu_hw_coherency_cpu_write(swgpu_checker(gdev),
				     page_to_phys(page) + offset, len,
				     uncached);
}

static void swgpu_coh_release(struct drm_gmmu_device *gdev, struct page *page)
{
	swgpu_hw_coherency_release(swgpu_checker(gdev), page_to_pfn(page));
}

static const struct drm_gmmu_coherency_ops swgpu_coherency_ops = {
	.flush = swgpu_coh_flush,
	.cpu_access = swgpu_coh_cpu_access,
	.cpu_write = swgpu_coh_cpu_write,
	.release = swgpu_coh_release,
};

static void swgpu_coherency_release(struct drm_device *drm, void *c)
{
	swgpu_hw_coherency_destroy(c);
}

/**
 * swgpu_coherency_init - cache maintenance for a GPU that does not snoop
 * @sdev: the device, before any BO or VM is created
 *
 * On a non-coherent profile, tells drm_gmmu to track cache domains and
 * attaches the hardware model's coherency checker as the observer of its
 * flushes; every context's MMU shows its accesses to the same checker. A
 * coherent profile gets neither.
 *
 * Return: 0 or -ENOMEM.
 */
int swgpu_coherency_init(struct swgpu_device *sdev)
{
	if (sdev->profile->coherent)
		return 0;
	sdev->coherency = swgpu_hw_coherency_create(sdev->drm.dev);
	if (!sdev->coherency)
		return -ENOMEM;
	drm_gmmu_device_set_noncoherent(&sdev->gmmu, &swgpu_coherency_ops);
	return drmm_add_action_or_reset(&sdev->drm, swgpu_coherency_release,
					sdev->coherency);
}
