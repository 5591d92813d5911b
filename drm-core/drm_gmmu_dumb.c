// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Dumb buffers
 *
 * The generic DRM_IOCTL_MODE_CREATE_DUMB, DRM_IOCTL_MODE_MAP_DUMB and
 * DRM_IOCTL_MODE_DESTROY_DUMB, which IGT's generic tests and Mesa's
 * software paths (kms_swrast) use, on the card node of every driver on
 * drm_gmmu: &drm_driver.dumb_create is drm_gmmu_dumb_create()
 * (DRM_GMMU_DRIVER_OPS), and MAP_DUMB takes the DRM core's default path,
 * drm_gem_dumb_map_offset(), to the same mmap offset as BO_MMAP_OFFSET. A
 * dumb buffer is an ordinary drm_gmmu BO (shared, cached, shmem-backed,
 * populated on first use): it can also be bound into a VM and exported.
 *
 * The DRM core lets these ioctls through only on the card node (the render
 * node says -EACCES) and checks the geometry first: width, height and bpp
 * must be non-zero, and bytes per pixel (bpp rounded up to whole bytes)
 * times width times height must fit in 32 bits, else -EINVAL. drm_gmmu
 * then makes the pitch width times bytes per pixel rounded up to
 * %DRM_GMMU_DUMB_PITCH_ALIGN bytes, and the size pitch times height
 * rounded up to whole pages, and refuses with -EINVAL any flags (none are
 * defined) and a size above the device's largest BO
 * (drm_gmmu_device_max_bo_size(), as BO_CREATE does). MAP_DUMB of a
 * handle the file does not have is -ENOENT (of an imported BO, -EINVAL),
 * DESTROY_DUMB of one is -EINVAL: the DRM core's errnos.
 */
#include <linux/mm.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_mode.h>

/**
 * drm_gmmu_dumb_create - &drm_driver.dumb_create of a driver on drm_gmmu
 * @file: the file asking, opened with drm_gmmu_file_open()
 * @drm: the device
 * @args: width, height, bpp and flags in, as the DRM core checked them;
 *	handle, pitch and size out
 *
 * See "Dumb buffers" above.
 *
 * Return: 0; -EINVAL for flags or a size past the device's largest BO;
 * -ENOMEM.
 */
int drm_gmmu_dumb_create(struct drm_file *file, struct drm_device *drm,
			 struct drm_mode_create_dumb *args)
{
	struct drm_gmmu_device *gdev = to_drm_gmmu_file(file)->gdev;
	u64 pitch, size;
	struct drm_gmmu_bo *bo;
	int ret;

	if (args->flags)
		return -EINVAL;
	/* The DRM core made sure that the unaligned product fits in 32 bits. */
	pitch = ALIGN((u64)DIV_ROUND_UP(args->bpp, 8) * args->width,
		      DRM_GMMU_DUMB_PITCH_ALIGN);
	size = PAGE_ALIGN(pitch * args->height);
	if (pitch > U32_MAX || size > drm_gmmu_device_max_bo_size(gdev))
		return -EINVAL;
	bo = drm_gmmu_bo_create(gdev, size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->base.base, &args->handle);
	/* The handle holds the reference now, or the BO goes. */
	drm_gem_object_put(&bo->base.base);
	if (ret)
		return ret;
	args->pitch = pitch;
	args->size = size;
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_dumb_create);
