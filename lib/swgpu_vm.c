// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * libswgpu: VMs, bindings, VM-private BOs, the last fault and the fault ring.
 */
#include <errno.h>

#include <xf86drm.h>

#include "swgpu.h"

int swgpu_vm_create(int fd, uint32_t *vm_id)
{
	return gmmu_vm_create(&swgpu_gmmu_ioctls, fd, vm_id);
}

int swgpu_vm_destroy(int fd, uint32_t vm_id)
{
	return gmmu_vm_destroy(&swgpu_gmmu_ioctls, fd, vm_id);
}

int swgpu_vm_bind_ops(int fd, uint32_t vm_id,
		      const struct drm_gmmu_vm_bind_op *ops, uint32_t count)
{
	return gmmu_vm_bind_ops(&swgpu_gmmu_ioctls, fd, vm_id, ops, count);
}

int swgpu_vm_bind_async(int fd, uint32_t vm_id,
			const struct drm_gmmu_vm_bind_op *ops, uint32_t count,
			const struct drm_gmmu_sync *in, uint32_t in_count,
			const struct drm_gmmu_sync *out, uint32_t out_count)
{
	return gmmu_vm_bind_async(&swgpu_gmmu_ioctls, fd, vm_id, ops, count,
				  in, in_count, out, out_count);
}

int swgpu_vm_bind(int fd, uint32_t vm_id, uint32_t handle, uint64_t bo_offset,
		  uint64_t va, uint64_t range, uint32_t flags)
{
	return gmmu_vm_bind(&swgpu_gmmu_ioctls, fd, vm_id, handle, bo_offset,
			    va, range, flags);
}

int swgpu_vm_unbind(int fd, uint32_t vm_id, uint64_t va, uint64_t range)
{
	return gmmu_vm_unbind(&swgpu_gmmu_ioctls, fd, vm_id, va, range);
}

int swgpu_bo_create_private(int fd, uint32_t vm_id, uint64_t size,
			    uint32_t *handle)
{
	struct drm_gmmu_bo_create_ext_private ext = {
		.base.name = DRM_GMMU_BO_CREATE_EXT_PRIVATE,
		.vm_id = vm_id,
	};
	struct drm_gmmu_bo_create_args c = {
		.extensions = (uintptr_t)&ext,
		.size = size,
	};

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_BO_CREATE, &c))
		return -errno;
	*handle = c.handle;
	return 0;
}

int swgpu_vm_get_fault(int fd, uint32_t vm_id, struct swgpu_fault *fault)
{
	struct drm_gmmu_vm_get_fault_args f = { .vm_id = vm_id };

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_VM_GET_FAULT, &f))
		return -errno;
	fault->count = f.count;
	fault->access = f.access;
	fault->va = f.va;
	fault->seqno = f.seqno;
	return 0;
}

int swgpu_vm_read_faults(int fd, uint32_t vm_id, struct drm_gmmu_fault *faults,
			 uint32_t *count, uint64_t *dropped)
{
	return gmmu_vm_read_faults(&swgpu_gmmu_ioctls, fd, vm_id, faults, count,
				   dropped);
}

int swgpu_queue_create(int fd, uint32_t vm_id, uint32_t *queue_id)
{
	return gmmu_queue_create(&swgpu_gmmu_ioctls, fd, vm_id, queue_id);
}

int swgpu_queue_destroy(int fd, uint32_t vm_id, uint32_t queue_id)
{
	return gmmu_queue_destroy(&swgpu_gmmu_ioctls, fd, vm_id, queue_id);
}
