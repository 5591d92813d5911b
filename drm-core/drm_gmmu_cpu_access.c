// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: CPU-access brackets
 *
 * CPU-access brackets asked for by userspace (a driver's ioctl, through
 * drm_gmmu_file_cpu_access(), or DMA_BUF_IOCTL_SYNC on an exported BO),
 * turned into the kernel's drm_gmmu_bo_begin_cpu_access() and
 * drm_gmmu_bo_end_cpu_access(), so that every driver validates them the
 * same way.
 */
#include <linux/dma-direction.h>
#include <linux/export.h>

#include <drm/drm_gmmu.h>

#include "drm_gmmu_internal.h"

#define DRM_GMMU_CPU_ACCESS_SIDES \
	(DRM_GMMU_CPU_ACCESS_START | DRM_GMMU_CPU_ACCESS_END)
#define DRM_GMMU_CPU_ACCESS_RW \
	(DRM_GMMU_CPU_ACCESS_READ | DRM_GMMU_CPU_ACCESS_WRITE)

/**
 * drm_gmmu_cpu_access_dir - the DMA direction of CPU-access flags
 * @flags: %DRM_GMMU_CPU_ACCESS_READ and/or %DRM_GMMU_CPU_ACCESS_WRITE
 *	(other bits are ignored)
 *
 * The CPU reading is the device having written (%DMA_FROM_DEVICE), the
 * CPU writing is for the device to read (%DMA_TO_DEVICE).
 *
 * Return: the direction, or %DMA_NONE if neither bit is set.
 */
enum dma_data_direction drm_gmmu_cpu_access_dir(u32 flags)
{
	switch (flags & DRM_GMMU_CPU_ACCESS_RW) {
	case DRM_GMMU_CPU_ACCESS_READ:
		return DMA_FROM_DEVICE;
	case DRM_GMMU_CPU_ACCESS_WRITE:
		return DMA_TO_DEVICE;
	case DRM_GMMU_CPU_ACCESS_RW:
		return DMA_BIDIRECTIONAL;
	default:
		return DMA_NONE;
	}
}
EXPORT_SYMBOL_GPL(drm_gmmu_cpu_access_dir);

/* Exactly one of START and END, at least one of READ and WRITE, no other bit. */
bool drm_gmmu_cpu_access_flags_valid(u32 flags)
{
	u32 side = flags & DRM_GMMU_CPU_ACCESS_SIDES;

	return !(flags & ~(DRM_GMMU_CPU_ACCESS_SIDES | DRM_GMMU_CPU_ACCESS_RW)) &&
	       side && side != DRM_GMMU_CPU_ACCESS_SIDES &&
	       (flags & DRM_GMMU_CPU_ACCESS_RW);
}

/**
 * drm_gmmu_bo_cpu_access - open or close a CPU-access bracket by flags
 * @bo: the BO
 * @flags: exactly one of %DRM_GMMU_CPU_ACCESS_START and
 *	%DRM_GMMU_CPU_ACCESS_END, with %DRM_GMMU_CPU_ACCESS_READ and/or
 *	%DRM_GMMU_CPU_ACCESS_WRITE
 * @offset: first byte of the range
 * @size: bytes, at least one, within the BO
 *
 * Checks everything before anything changes, then calls
 * drm_gmmu_bo_begin_cpu_access() or drm_gmmu_bo_end_cpu_access().
 *
 * Return: 0; -EINVAL for unknown or inconsistent flags, a bad range, or
 * an END with no bracket open on @bo; the errors of the begin/end calls.
 */
int drm_gmmu_bo_cpu_access(struct drm_gmmu_bo *bo, u32 flags, u64 offset,
			   u64 size)
{
	enum dma_data_direction dir = drm_gmmu_cpu_access_dir(flags);

	if (!drm_gmmu_cpu_access_flags_valid(flags))
		return -EINVAL;
	/* In u64, so that no range is truncated on the way to size_t. */
	if (!size || offset >= bo->base.base.size ||
	    size > bo->base.base.size - offset)
		return -EINVAL;
	if (flags & DRM_GMMU_CPU_ACCESS_START)
		return drm_gmmu_bo_begin_cpu_access(bo, dir, offset, size);
	return drm_gmmu_bo_end_cpu_access(bo, dir, offset, size);
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_cpu_access);
