// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <drm/drm_gmmu.h>

#include "swgpu_drv.h"

int swgpu_get_param_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct swgpu_device *sdev = to_swgpu(drm);
	const struct swgpu_profile *p = sdev->profile;
	struct drm_swgpu_get_param *args = data;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;

	switch (args->param) {
	case DRM_SWGPU_PARAM_PROFILE:
		args->value = p->id;
		break;
	case DRM_SWGPU_PARAM_COHERENT:
		args->value = p->coherent;
		break;
	case DRM_SWGPU_PARAM_VA_BITS:
		args->value = p->va_bits;
		break;
	case DRM_SWGPU_PARAM_DMA_BITS:
		args->value = p->dma_bits;
		break;
	case DRM_SWGPU_PARAM_PAGE_SIZES:
		args->value = p->page_sizes;
		break;
	case DRM_SWGPU_PARAM_SLOT:
		args->value = sdev->slot;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}
