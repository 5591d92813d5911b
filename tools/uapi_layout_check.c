// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Built with -m32 and -m64: the uapi must have one layout on both, so a
 * 64-bit kernel needs no compat ioctls. The asserts are the check; running
 * the binary prints the layout for the record.
 */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>

#include "swgpu_drm.h"

#define CHECK_SIZE(type, size) \
	static_assert(sizeof(type) == (size), #type " size"); \
	static_assert(sizeof(type) % 8 == 0, #type " not padded to 8 bytes")
#define CHECK_OFFSET(type, field, off) \
	static_assert(offsetof(type, field) == (off), #type "." #field " offset")

CHECK_SIZE(struct drm_gmmu_user_extension, 16);
CHECK_OFFSET(struct drm_gmmu_user_extension, next_extension, 0);
CHECK_OFFSET(struct drm_gmmu_user_extension, name, 8);
CHECK_OFFSET(struct drm_gmmu_user_extension, flags, 12);

CHECK_SIZE(struct drm_swgpu_get_param, 24);
CHECK_OFFSET(struct drm_swgpu_get_param, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_get_param, param, 8);
CHECK_OFFSET(struct drm_swgpu_get_param, flags, 12);
CHECK_OFFSET(struct drm_swgpu_get_param, value, 16);

CHECK_SIZE(struct drm_swgpu_bo_create, 24);
CHECK_OFFSET(struct drm_swgpu_bo_create, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_bo_create, size, 8);
CHECK_OFFSET(struct drm_swgpu_bo_create, flags, 16);
CHECK_OFFSET(struct drm_swgpu_bo_create, handle, 20);

CHECK_SIZE(struct drm_swgpu_bo_mmap_offset, 24);
CHECK_OFFSET(struct drm_swgpu_bo_mmap_offset, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_bo_mmap_offset, handle, 8);
CHECK_OFFSET(struct drm_swgpu_bo_mmap_offset, flags, 12);
CHECK_OFFSET(struct drm_swgpu_bo_mmap_offset, offset, 16);

int main(void)
{
	printf("uapi layout (%zu-bit): drm_gmmu_user_extension %zu, drm_swgpu_get_param %zu\n",
	       sizeof(void *) * 8, sizeof(struct drm_gmmu_user_extension),
	       sizeof(struct drm_swgpu_get_param));
	return 0;
}
