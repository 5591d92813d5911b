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

/**
 * DRM_GMMU_MAX_ARRAY_STRIDE - largest stride of an array an ioctl takes
 *
 * Arrays are passed as {pointer, count, stride}: the stride is the size of
 * one element as userspace knows it, so that elements can grow. A stride
 * above this is -EINVAL: the kernel reads every byte of each element, and
 * an element a page long leaves plenty of room to grow.
 */
#define DRM_GMMU_MAX_ARRAY_STRIDE 4096

/**
 * DRM_GMMU_MAX_VMS_PER_FILE - VMs one open file can have at once
 *
 * VM ids run from 1 to this; id 0 never names a VM (-ENOENT). Creating one
 * more is -ENOSPC, checked before anything is built.
 */
#define DRM_GMMU_MAX_VMS_PER_FILE 256

/**
 * DRM_GMMU_MAX_CPU_ACCESS_PER_FILE - CPU-access brackets one open file
 * can have open at once
 *
 * A bracket belongs to the file that opened it: only that file can close
 * it, and closing the file closes the brackets it left open. One more
 * START is -ENOSPC.
 */
#define DRM_GMMU_MAX_CPU_ACCESS_PER_FILE 1024

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_GMMU_DRM_H_ */
