/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: uapi rules helpers interface
 *
 * drm_gmmu's helpers for the rules every ioctl follows
 * (Documentation/uapi-rules.rst): extension chains, reserved bytes,
 * arrays passed as {pointer, count, stride}. See drm-core/drm_gmmu_uapi.c.
 */
#ifndef __DRM_GMMU_UAPI_H__
#define __DRM_GMMU_UAPI_H__

#include <linux/types.h>

/**
 * struct drm_gmmu_ext_handler - handles one extension name of an ioctl
 * @name: the &drm_gmmu_user_extension.name this handler takes
 * @fn: called with the user pointer of the extension (its header first)
 *	and the ioctl's private data; returns 0 or a negative errno
 */
struct drm_gmmu_ext_handler {
	u32 name;
	int (*fn)(u64 uptr, void *data);
};

int drm_gmmu_user_ext_walk(u64 extensions,
			   const struct drm_gmmu_ext_handler *handlers,
			   unsigned int count, void *data);

bool drm_gmmu_mem_is_zero(const void *p, size_t len);

int drm_gmmu_copy_user_array(void *dst, size_t elem_size, size_t min_stride,
			     u64 uptr, u32 count, u32 stride);


#endif /* __DRM_GMMU_UAPI_H__ */
