// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: BO ioctl helpers
 *
 * The logic of the BO ioctls every driver has, once the driver has checked
 * its own fields: the mmap offset of a handle (drm_gmmu_gem_mmap_offset())
 * and waiting until no submitted work uses a BO (drm_gmmu_gem_wait()).
 * The wait covers every job that can reach the BO, explicit-only ones
 * included (%DMA_RESV_USAGE_BOOKKEEP): for a VM-private BO that is all
 * work submitted on its VM.
 */
#include <linux/dma-resv.h>
#include <linux/jiffies.h>
#include <linux/math64.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_vma_manager.h>

/**
 * drm_gmmu_gem_mmap_offset - the fake offset to mmap a BO through its file
 * @file: the DRM file the handle belongs to
 * @handle: a GEM handle
 * @offset: out, the offset to pass to mmap() on the DRM file
 *
 * Return: 0, or -ENOENT for an unknown handle.
 */
int drm_gmmu_gem_mmap_offset(struct drm_file *file, u32 handle, u64 *offset)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	if (!obj)
		return -ENOENT;
	*offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_gem_mmap_offset);

/**
 * drm_gmmu_gem_wait - wait until no submitted work uses a BO
 * @file: the DRM file the handle belongs to
 * @handle: a GEM handle
 * @timeout_ns: how long to wait, relative; 0 only checks
 *
 * Context: process context; interruptible.
 * Return: 0 once idle; -EBUSY if @timeout_ns is 0 and the BO is busy;
 * -ETIMEDOUT when the time ran out; -EINVAL for a negative @timeout_ns;
 * -ENOENT for an unknown handle; -ERESTARTSYS on a signal.
 */
int drm_gmmu_gem_wait(struct drm_file *file, u32 handle, s64 timeout_ns)
{
	struct drm_gem_object *obj;
	long timeout;
	int ret;

	if (timeout_ns < 0)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, handle);
	if (!obj)
		return -ENOENT;
	if (!timeout_ns) {
		ret = dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP) ?
		      0 : -EBUSY;
	} else {
		/*
		 * At least @timeout_ns: whole ticks rounded up, plus one, since
		 * the first tick may end at once.
		 */
		u64 ticks = div64_u64(timeout_ns + TICK_NSEC - 1, TICK_NSEC) + 1;

		timeout = dma_resv_wait_timeout(obj->resv,
						DMA_RESV_USAGE_BOOKKEEP, true,
						min_t(u64, ticks,
						      MAX_SCHEDULE_TIMEOUT - 1));
		if (timeout > 0)
			ret = 0;
		else if (!timeout)
			ret = -ETIMEDOUT;
		else
			ret = timeout;
	}
	drm_gem_object_put(obj);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_gem_wait);
