// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu CPU-access ioctl
 *
 * DRM_IOCTL_SWGPU_BO_CPU_ACCESS: the uapi's fields checked and its flags
 * translated; drm_gmmu does the rest.
 */
#include <drm/drm_gmmu.h>

#include "swgpu_drv.h"

static const struct {
	u32 uapi, gmmu;
} swgpu_cpu_access_flags[] = {
	{ DRM_SWGPU_BO_CPU_ACCESS_START, DRM_GMMU_CPU_ACCESS_START },
	{ DRM_SWGPU_BO_CPU_ACCESS_END, DRM_GMMU_CPU_ACCESS_END },
	{ DRM_SWGPU_BO_CPU_ACCESS_READ, DRM_GMMU_CPU_ACCESS_READ },
	{ DRM_SWGPU_BO_CPU_ACCESS_WRITE, DRM_GMMU_CPU_ACCESS_WRITE },
};

int swgpu_bo_cpu_access_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct drm_swgpu_bo_cpu_access *args = data;
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	u32 flags = args->flags, gflags = 0;
	unsigned int i;
	int ret;

	/* The uapi's bits are its own: translate, and refuse the rest. */
	for (i = 0; i < ARRAY_SIZE(swgpu_cpu_access_flags); i++) {
		if (flags & swgpu_cpu_access_flags[i].uapi) {
			gflags |= swgpu_cpu_access_flags[i].gmmu;
			flags &= ~swgpu_cpu_access_flags[i].uapi;
		}
	}
	if (flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_file_cpu_access(gfile, args->handle, gflags,
					args->offset, args->size);
}
