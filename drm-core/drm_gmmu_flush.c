// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: The flush primitive
 *
 * The flush primitive: the one place where drm_gmmu writes CPU caches back
 * to memory for a device that does not snoop them. Keeping it one function
 * is what makes cache maintenance observable: every call reports the range
 * it flushed to the device's observer, so a model of the hardware can tell
 * a missing flush from a present one (under QEMU TCG the instructions
 * themselves do nothing visible).
 *
 * Reports are per page, not per device: a CPU cache line is dirty or not
 * whichever device's BO its page backs and whichever mapping wrote it, so
 * every page event goes to the observer of every non-coherent device
 * (drm_gmmu_report()). A device that does not snoop then learns of CPU
 * writes through another device's mmap of a BO it imported.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/vmalloc.h>

#include <drm/drm_cache.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "drm_gmmu_internal.h"

/* Devices with a coherency observer; RCU: the readers may not sleep. */
LIST_HEAD(drm_gmmu_observers);
static DEFINE_SPINLOCK(drm_gmmu_observers_lock);

static void drm_gmmu_observer_del(struct drm_device *drm, void *data)
{
	struct drm_gmmu_device *gdev = data;

	spin_lock(&drm_gmmu_observers_lock);
	list_del_rcu(&gdev->observer_link);
	spin_unlock(&drm_gmmu_observers_lock);
	/* No report is still running in the observer when this returns. */
	synchronize_rcu();
}

/* @gdev's observer sees every page's events until its DRM device goes. */
void drm_gmmu_observer_add(struct drm_gmmu_device *gdev)
{
	if (drmm_add_action(&gdev->drm, drm_gmmu_observer_del, gdev)) {
		drm_warn(&gdev->drm, "out of memory: the coherency observer sees no page event\n");
		return;
	}
	spin_lock(&drm_gmmu_observers_lock);
	list_add_tail_rcu(&gdev->observer_link, &drm_gmmu_observers);
	spin_unlock(&drm_gmmu_observers_lock);
}

/**
 * drm_gmmu_flush_page - write back and invalidate part of a page
 * @gdev: the device the flush is for, whose counters count it; every
 *	non-coherent device's observer is told (the CPU caches are theirs
 *	too)
 * @page: the page
 * @offset: first byte within @page
 * @len: bytes, @offset + @len <= PAGE_SIZE
 *
 * Executes clflushopt (clflush where it is absent) over every cache line
 * the range touches, fenced with mb() on both sides as the SDM requires
 * for clflushopt to be ordered against the stores before and the device
 * accesses after it (drm_clflush_virt_range()). On x86 a clflush both
 * writes a dirty line back and drops it, so the same call is the flush
 * before the device reads and the invalidation before the CPU reads what
 * the device wrote.
 *
 * Only for non-coherent devices: drm_gmmu never calls it for a device
 * that snoops.
 *
 * Context: any context that may kmap_local; does not sleep.
 */
void drm_gmmu_flush_page(struct drm_gmmu_device *gdev, struct page *page,
			 unsigned int offset, unsigned int len)
{
	void *vaddr;

	if (WARN_ON_ONCE(offset >= PAGE_SIZE || len > PAGE_SIZE - offset) || !len)
		return;
	vaddr = kmap_local_page(page);
	drm_clflush_virt_range(vaddr + offset, len);
	kunmap_local(vaddr);

	atomic64_inc(&gdev->stats->coherency.flush_calls);
	atomic64_add(len, &gdev->stats->coherency.flush_bytes);
	drm_gmmu_report(flush, page, offset, len);
}
EXPORT_SYMBOL_GPL(drm_gmmu_flush_page);

/**
 * drm_gmmu_flush_virt_range - write back and invalidate a kernel virtual range
 * @gdev: the device the flush is for
 * @addr: start, in the linear map or in vmalloc space (a vmap of a BO)
 * @len: bytes
 *
 * drm_gmmu_flush_page() for each page the range covers, so that the
 * observer learns the physical pages behind the virtual range.
 *
 * Context: does not sleep.
 */
void drm_gmmu_flush_virt_range(struct drm_gmmu_device *gdev, void *addr,
			       size_t len)
{
	while (len) {
		unsigned int off = offset_in_page(addr);
		unsigned int n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = is_vmalloc_addr(addr) ?
			vmalloc_to_page(addr) : virt_to_page(addr);

		drm_gmmu_flush_page(gdev, page, off, n);
		addr += n;
		len -= n;
	}
}
EXPORT_SYMBOL_GPL(drm_gmmu_flush_virt_range);
