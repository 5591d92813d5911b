/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Cache maintenance interface
 *
 * Cache maintenance for GPUs that do not snoop CPU caches: the flush
 * primitive and the observer a driver (or its hardware model) registers
 * to see every flush and CPU access. See drm-core/drm_gmmu_flush.c and
 * drm-core/drm_gmmu_domain.c.
 */
#ifndef __DRM_GMMU_COHERENCY_H__
#define __DRM_GMMU_COHERENCY_H__

#include <linux/dma-direction.h>
#include <linux/types.h>

struct drm_gmmu_device;
struct page;

/**
 * struct drm_gmmu_coherency_ops - observer of a non-snooping device's
 *	cache maintenance and CPU accesses
 * @flush: a range of one page was written back and invalidated from the
 *	CPU caches (clflush); called after the instructions have retired
 * @cpu_access: the CPU side begins accessing a range (a user page fault,
 *	or drm_gmmu_bo_begin_cpu_access()) in direction @dir; @uncached when
 *	the page is write-combined (its reads bypass the CPU caches)
 * @cpu_write: the CPU may have written a range (a write fault on a user
 *	mapping covers its whole page; a kernel bracket its exact range);
 *	@uncached when the page is write-combined: the write reaches memory
 *	without leaving a dirty line behind
 * @release: whatever is known about the page's cache lines no longer
 *	matters: it leaves the buffer object it backed, or the import of
 *	another exporter's dma-buf that reached it goes (reported to the
 *	importer's observer only); or, with @acquire, it enters a buffer
 *	object (allocated, or back from swap), then followed by @cpu_write
 *	of the whole page (the kernel zeroed it or swapped it in), and
 *	anything still known about it is from a previous life whose end
 *	was never reported
 *
 * Registered with drm_gmmu_device_set_noncoherent(). drm_gmmu calls these
 * for every event, whatever its own bookkeeping decided, so that an
 * independent model (a hardware model's coherency checker, a tracer) can
 * tell when the helpers' cache maintenance is wrong. Every callback may be
 * NULL. They are called with the BO's reservation held and must not sleep.
 *
 * CPU caches are shared by every device, so the events of a page are
 * reported per page to the observer of *every*
 * non-coherent device, whichever device's BO the page backs: @gdev is
 * the observer's device, not the BO's. A BO of a coherent device has
 * cache-domain state, and so reports, once it is exported (it may be
 * imported by a device that does not snoop).
 *
 * The level-2 page tables of a VM whose walk does not snoop are reported
 * too, to that VM's device only (@cpu_write for each entry stored,
 * @flush for each table sync, @release when a table page is freed), from
 * under iommu-ctx's spinlocks.
 */
struct drm_gmmu_coherency_ops {
	void (*flush)(struct drm_gmmu_device *gdev, struct page *page,
		      unsigned int offset, unsigned int len);
	void (*cpu_access)(struct drm_gmmu_device *gdev, struct page *page,
			   unsigned int offset, unsigned int len,
			   enum dma_data_direction dir, bool uncached);
	void (*cpu_write)(struct drm_gmmu_device *gdev, struct page *page,
			  unsigned int offset, unsigned int len, bool uncached);
	void (*release)(struct drm_gmmu_device *gdev, struct page *page,
			bool acquire);
};

void drm_gmmu_device_set_noncoherent(struct drm_gmmu_device *gdev,
				     const struct drm_gmmu_coherency_ops *ops);
void drm_gmmu_flush_page(struct drm_gmmu_device *gdev, struct page *page,
			 unsigned int offset, unsigned int len);
void drm_gmmu_flush_virt_range(struct drm_gmmu_device *gdev, void *addr,
			       size_t len);

#endif /* __DRM_GMMU_COHERENCY_H__ */
