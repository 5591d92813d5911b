/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * uapi of swgpu, the reference software GPU of the gmmu framework.
 * Every struct follows Documentation/uapi-rules.rst: a __u64 extensions
 * chain first, naturally aligned fields, explicit padding that must be zero,
 * unknown flags rejected, the same layout on i386 and x86_64.
 */
#ifndef _UAPI_SWGPU_DRM_H_
#define _UAPI_SWGPU_DRM_H_

#include "drm.h"
#include "gmmu_drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_SWGPU_GET_PARAM		0x00
#define DRM_SWGPU_BO_CREATE		0x01
#define DRM_SWGPU_BO_MMAP_OFFSET	0x02

#define DRM_IOCTL_SWGPU_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_GET_PARAM, struct drm_swgpu_get_param)
#define DRM_IOCTL_SWGPU_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_BO_CREATE, struct drm_swgpu_bo_create)
#define DRM_IOCTL_SWGPU_BO_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_BO_MMAP_OFFSET, struct drm_swgpu_bo_mmap_offset)

/**
 * enum drm_swgpu_param - what DRM_IOCTL_SWGPU_GET_PARAM can report
 *
 * Features are discovered by asking: a parameter the kernel does not know
 * returns -EINVAL, so userspace can probe for newer ones.
 */
enum drm_swgpu_param {
	/** @DRM_SWGPU_PARAM_INVALID: never valid, so a zeroed struct fails. */
	DRM_SWGPU_PARAM_INVALID = 0,
	/** @DRM_SWGPU_PARAM_PROFILE: one of &enum drm_swgpu_profile. */
	DRM_SWGPU_PARAM_PROFILE = 1,
	/**
	 * @DRM_SWGPU_PARAM_COHERENT: 1 if the GPU snoops CPU caches, 0 if
	 * CPU caches must be flushed and invalidated around GPU access.
	 */
	DRM_SWGPU_PARAM_COHERENT = 2,
	/** @DRM_SWGPU_PARAM_VA_BITS: width of a context's GPU virtual address. */
	DRM_SWGPU_PARAM_VA_BITS = 3,
	/** @DRM_SWGPU_PARAM_DMA_BITS: width of the device's DMA mask (level 1). */
	DRM_SWGPU_PARAM_DMA_BITS = 4,
	/** @DRM_SWGPU_PARAM_PAGE_SIZES: bitmap of GPU page sizes, bit n = 2^n bytes. */
	DRM_SWGPU_PARAM_PAGE_SIZES = 5,
	/** @DRM_SWGPU_PARAM_SLOT: index of this GPU among the hardware slots. */
	DRM_SWGPU_PARAM_SLOT = 6,
	/**
	 * @DRM_SWGPU_PARAM_MAX_BO_SIZE: largest size DRM_IOCTL_SWGPU_BO_CREATE
	 * accepts: the smaller of system RAM and the GPU VA space.
	 */
	DRM_SWGPU_PARAM_MAX_BO_SIZE = 7,
};

/**
 * enum drm_swgpu_profile - hardware profiles of the software GPU
 */
enum drm_swgpu_profile {
	/** @DRM_SWGPU_PROFILE_LLC: coherent with CPU caches, 48-bit VA, large pages. */
	DRM_SWGPU_PROFILE_LLC = 0,
	/** @DRM_SWGPU_PROFILE_ATOM: does not snoop CPU caches, 32-bit DMA and VA. */
	DRM_SWGPU_PROFILE_ATOM = 1,
};

/**
 * struct drm_swgpu_get_param - argument of DRM_IOCTL_SWGPU_GET_PARAM
 */
struct drm_swgpu_get_param {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @param: one of &enum drm_swgpu_param. */
	__u32 param;
	/** @flags: must be zero. */
	__u32 flags;
	/** @value: out, the parameter's value. */
	__u64 value;
};

/**
 * struct drm_swgpu_bo_create - argument of DRM_IOCTL_SWGPU_BO_CREATE
 *
 * Creates a buffer object with shmem backing. Backing pages are allocated
 * on first use; on a GPU whose DMA cannot reach all memory they come from
 * below its DMA limit.
 */
struct drm_swgpu_bo_create {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/**
	 * @size: size in bytes: non-zero, a multiple of 4096, at most
	 * DRM_SWGPU_PARAM_MAX_BO_SIZE; -EINVAL otherwise.
	 */
	__u64 size;
	/** @flags: must be zero. */
	__u32 flags;
	/** @handle: out, the GEM handle of the new BO. */
	__u32 handle;
};

/**
 * struct drm_swgpu_bo_mmap_offset - argument of DRM_IOCTL_SWGPU_BO_MMAP_OFFSET
 *
 * The fake offset to pass to mmap() on the DRM file to map the BO.
 */
struct drm_swgpu_bo_mmap_offset {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @handle: the BO; -ENOENT if there is no such handle. */
	__u32 handle;
	/** @flags: must be zero. */
	__u32 flags;
	/** @offset: out, the mmap offset. */
	__u64 offset;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_SWGPU_DRM_H_ */
