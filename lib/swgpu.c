// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <errno.h>

#include "swgpu.h"

const struct gmmu_ioctls swgpu_gmmu_ioctls = {
	.driver = "swgpu",
	.slot_param = DRM_SWGPU_PARAM_SLOT,
	.get_param = DRM_IOCTL_SWGPU_GET_PARAM,
	.bo_create = DRM_IOCTL_SWGPU_BO_CREATE,
	.bo_mmap_offset = DRM_IOCTL_SWGPU_BO_MMAP_OFFSET,
	.vm_create = DRM_IOCTL_SWGPU_VM_CREATE,
	.vm_destroy = DRM_IOCTL_SWGPU_VM_DESTROY,
	.vm_bind = DRM_IOCTL_SWGPU_VM_BIND,
	.wait_bo = DRM_IOCTL_SWGPU_WAIT_BO,
	.vm_read_faults = DRM_IOCTL_SWGPU_VM_READ_FAULTS,
	.queue_create = DRM_IOCTL_SWGPU_QUEUE_CREATE,
	.queue_destroy = DRM_IOCTL_SWGPU_QUEUE_DESTROY,
};

int swgpu_open(int slot, unsigned int flags)
{
	if (flags > SWGPU_OPEN_PRIMARY)
		return -EINVAL;
	return gmmu_open(&swgpu_gmmu_ioctls, slot, flags == SWGPU_OPEN_PRIMARY);
}

int swgpu_count(void)
{
	return gmmu_count(&swgpu_gmmu_ioctls);
}

int swgpu_get_param(int fd, uint32_t param, uint64_t *value)
{
	return gmmu_get_param(&swgpu_gmmu_ioctls, fd, param, value);
}

int swgpu_bo_create(int fd, uint64_t size, uint32_t *handle)
{
	return swgpu_bo_create_flags(fd, size, 0, handle);
}

int swgpu_bo_create_flags(int fd, uint64_t size, uint32_t flags,
			  uint32_t *handle)
{
	return gmmu_bo_create(&swgpu_gmmu_ioctls, fd, size, flags, handle);
}

int swgpu_bo_mmap(int fd, uint32_t handle, uint64_t size, void **ptr)
{
	return gmmu_bo_mmap(&swgpu_gmmu_ioctls, fd, handle, size, ptr);
}

int swgpu_bo_close(int fd, uint32_t handle)
{
	return gmmu_bo_close(fd, handle);
}

const char *swgpu_profile_name(uint64_t profile)
{
	switch (profile) {
	case DRM_SWGPU_PROFILE_LLC:
		return "llc";
	case DRM_SWGPU_PROFILE_ATOM:
		return "atom";
	}
	return "unknown";
}
