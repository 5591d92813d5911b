/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * libswgpu: a small libdrm-style C library over the swgpu uapi.
 * Every function returns 0 or a negative errno; none prints.
 */
#ifndef SWGPU_H
#define SWGPU_H

#include <stdint.h>

#include "swgpu_drm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Open flags for swgpu_open(). */
#define SWGPU_OPEN_RENDER	0	/* the render node (default) */
#define SWGPU_OPEN_PRIMARY	1	/* the card node */

/**
 * swgpu_open() - open the swgpu GPU in hardware slot @slot
 * @slot: slot index (DRM_SWGPU_PARAM_SLOT), or -1 for the first swgpu found
 * @flags: SWGPU_OPEN_RENDER or SWGPU_OPEN_PRIMARY
 *
 * Return: a file descriptor, or -ENODEV if there is no such GPU.
 */
int swgpu_open(int slot, unsigned int flags);

/** swgpu_count() - number of swgpu GPUs present (render nodes). */
int swgpu_count(void);

/**
 * swgpu_get_param() - DRM_IOCTL_SWGPU_GET_PARAM
 * @fd: an swgpu file descriptor
 * @param: one of enum drm_swgpu_param
 * @value: where the value goes
 */
int swgpu_get_param(int fd, uint32_t param, uint64_t *value);

/**
 * swgpu_bo_create() - DRM_IOCTL_SWGPU_BO_CREATE
 * @fd: an swgpu file descriptor
 * @size: size in bytes, a multiple of 4096
 * @handle: where the new handle goes
 */
int swgpu_bo_create(int fd, uint64_t size, uint32_t *handle);

/**
 * swgpu_bo_mmap() - map a BO into this process
 * @fd: an swgpu file descriptor
 * @handle: the BO
 * @size: bytes to map from its start
 * @ptr: where the address goes
 */
int swgpu_bo_mmap(int fd, uint32_t handle, uint64_t size, void **ptr);

/** swgpu_bo_close() - drop the handle (DRM_IOCTL_GEM_CLOSE). */
int swgpu_bo_close(int fd, uint32_t handle);

/** swgpu_profile_name() - "llc", "atom", or "unknown". */
const char *swgpu_profile_name(uint64_t profile);

#ifdef __cplusplus
}
#endif

#endif /* SWGPU_H */
