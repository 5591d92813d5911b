// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <linux/mm.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
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
	case DRM_SWGPU_PARAM_MAX_BO_SIZE:
		args->value = swgpu_max_bo_size(sdev);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

u64 swgpu_max_bo_size(struct swgpu_device *sdev)
{
	u64 ram = (u64)totalram_pages() << PAGE_SHIFT;

	return min(ram, BIT_ULL(sdev->profile->va_bits)) & PAGE_MASK;
}

int swgpu_bo_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct swgpu_device *sdev = to_swgpu(drm);
	struct drm_swgpu_bo_create *args = data;
	struct drm_gmmu_bo *bo;
	u32 handle;
	int ret;

	if (args->flags)
		return -EINVAL;
	if (!args->size || !IS_ALIGNED(args->size, SZ_4K) ||
	    args->size > swgpu_max_bo_size(sdev))
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;

	bo = drm_gmmu_bo_create(&sdev->gmmu, args->size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->base.base, &handle);
	/* The handle holds the reference now, or the BO goes. */
	drm_gem_object_put(&bo->base.base);
	if (ret)
		return ret;
	args->handle = handle;
	return 0;
}

int swgpu_bo_mmap_offset_ioctl(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct drm_swgpu_bo_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return 0;
}
