// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Device parameters
 *
 * GET_PARAM, shared (&struct drm_gmmu_get_param_args): what every GPU on
 * drm_gmmu can be asked (&enum drm_gmmu_param: whether it snoops CPU
 * caches, its VA and DMA widths, page sizes, largest BO, BO_CREATE flags,
 * address-space slots, page-table format), answered from the &struct
 * drm_gmmu_device the driver filled in, and the driver's own parameters
 * through &drm_gmmu_device_funcs.get_param.
 *
 * The page-table format is an iommu-ctx format's name on the device
 * (&drm_gmmu_device.format) and a number in the uapi (&enum
 * drm_gmmu_pt_format): the table below is where one becomes the other.
 */
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/string.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_ioctl.h>
#include <drm/drm_gmmu_slots.h>
#include <drm/gmmu_drm.h>

/* iommu-ctx's format names by their uapi number. */
static const char *const drm_gmmu_pt_formats[] = {
	[DRM_GMMU_PT_FORMAT_X86_48] = "x86-48",
	[DRM_GMMU_PT_FORMAT_X86_32] = "x86-32",
	[DRM_GMMU_PT_FORMAT_LPAE_40] = "lpae-40",
};

/* The uapi number of @gdev's format; -EINVAL if it has none we know. */
static int drm_gmmu_pt_format(struct drm_gmmu_device *gdev, u64 *value)
{
	unsigned int i;

	for (i = 0; gdev->format && i < ARRAY_SIZE(drm_gmmu_pt_formats); i++) {
		if (drm_gmmu_pt_formats[i] &&
		    !strcmp(drm_gmmu_pt_formats[i], gdev->format)) {
			*value = i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * drm_gmmu_device_max_bo_size - the largest BO a device's BO_CREATE makes
 * @gdev: the device
 *
 * Return: the smaller of system RAM and the GPU's VA space
 * (&drm_gmmu_device.va_bits), in whole pages.
 */
u64 drm_gmmu_device_max_bo_size(struct drm_gmmu_device *gdev)
{
	u64 ram = (u64)totalram_pages() << PAGE_SHIFT;

	if (gdev->va_bits && gdev->va_bits < 64)
		ram = min(ram, BIT_ULL(gdev->va_bits));
	return ram & PAGE_MASK;
}
EXPORT_SYMBOL_GPL(drm_gmmu_device_max_bo_size);

static int drm_gmmu_param(struct drm_gmmu_device *gdev, u32 param, u64 *value)
{
	switch (param) {
	case DRM_GMMU_PARAM_COHERENT:
		*value = !gdev->noncoherent;
		return 0;
	case DRM_GMMU_PARAM_VA_BITS:
		*value = gdev->va_bits;
		return 0;
	case DRM_GMMU_PARAM_DMA_BITS:
		*value = fls64(dma_get_mask(gdev->drm->dev));
		return 0;
	case DRM_GMMU_PARAM_PAGE_SIZES:
		*value = gdev->pgsize_bitmap;
		return 0;
	case DRM_GMMU_PARAM_MAX_BO_SIZE:
		*value = drm_gmmu_device_max_bo_size(gdev);
		return 0;
	case DRM_GMMU_PARAM_BO_CREATE_FLAGS:
		*value = drm_gmmu_bo_create_flags_valid(gdev);
		return 0;
	case DRM_GMMU_PARAM_AS_SLOTS:
		*value = gdev->slots ? gdev->slots->max : 0;
		return 0;
	case DRM_GMMU_PARAM_PT_FORMAT:
		return drm_gmmu_pt_format(gdev, value);
	}
	if (param >= DRM_GMMU_PARAM_DRIVER_BASE && gdev->funcs->get_param)
		return gdev->funcs->get_param(gdev, param, value);
	return -EINVAL;
}

/**
 * drm_gmmu_get_param_ioctl - GET_PARAM with &struct drm_gmmu_get_param_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * Return: 0, or the errno &struct drm_gmmu_get_param_args lists; on error
 * &drm_gmmu_get_param_args.value is left alone.
 */
int drm_gmmu_get_param_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct drm_gmmu_get_param_args *args = data;
	u64 value;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	ret = drm_gmmu_param(to_drm_gmmu_file(file)->gdev, args->param, &value);
	if (!ret)
		args->value = value;
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_get_param_ioctl);
