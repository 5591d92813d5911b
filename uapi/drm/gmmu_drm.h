/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Definitions shared by the uapi of every driver built on drm_gmmu.
 * See Documentation/uapi-rules.rst for the rules every ioctl follows.
 */
#ifndef _UAPI_GMMU_DRM_H_
#define _UAPI_GMMU_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * struct drm_gmmu_user_extension - header of an ioctl extension
 *
 * Every ioctl argument struct starts with a ``__u64 extensions`` field: zero,
 * or a user pointer to the first of a chain of extensions. Each extension
 * starts with this header and is followed by its own payload; the ioctl
 * rejects a name it does not know with -EINVAL, and a chain longer than
 * %DRM_GMMU_MAX_EXTENSIONS with -E2BIG.
 */
struct drm_gmmu_user_extension {
	/**
	 * @next_extension: user pointer to the next extension, or 0 to end
	 * the chain.
	 */
	__u64 next_extension;
	/** @name: which extension this is; the ioctl defines the names. */
	__u32 name;
	/** @flags: must be zero. */
	__u32 flags;
};

/** DRM_GMMU_MAX_EXTENSIONS - longest extension chain an ioctl walks */
#define DRM_GMMU_MAX_EXTENSIONS 16

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_GMMU_DRM_H_ */
