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
	struct drm_gmmu_vm_create_args c = { 0 };

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_VM_CREATE, &c))
		return -errno;
	*vm_id = c.vm_id;
	return 0;
}

int swgpu_vm_destroy(int fd, uint32_t vm_id)
{
	struct drm_gmmu_vm_destroy_args d = { .vm_id = vm_id };

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_VM_DESTROY, &d))
		return -errno;
	return 0;
}

int swgpu_vm_bind_ops(int fd, uint32_t vm_id,
		      const struct drm_gmmu_vm_bind_op *ops, uint32_t count)
{
	struct drm_gmmu_vm_bind_args b = {
		.vm_id = vm_id,
		.ops = (uintptr_t)ops,
		.op_count = count,
		.op_stride = sizeof(*ops),
	};

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_VM_BIND, &b))
		return -errno;
	return 0;
}

int swgpu_vm_bind_async(int fd, uint32_t vm_id,
			const struct drm_gmmu_vm_bind_op *ops, uint32_t count,
			const struct drm_gmmu_sync *in, uint32_t in_count,
			const struct drm_gmmu_sync *out, uint32_t out_count)
{
	struct drm_gmmu_vm_bind_args b = {
		.vm_id = vm_id,
		.flags = DRM_GMMU_VM_BIND_ASYNC,
		.ops = (uintptr_t)ops,
		.op_count = count,
		.op_stride = sizeof(*ops),
		.in_syncs = (uintptr_t)in,
		.out_syncs = (uintptr_t)out,
		.in_sync_count = in_count,
		.out_sync_count = out_count,
		.sync_stride = sizeof(struct drm_gmmu_sync),
	};

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_VM_BIND, &b))
		return -errno;
	return 0;
}

int swgpu_vm_bind(int fd, uint32_t vm_id, uint32_t handle, uint64_t bo_offset,
		  uint64_t va, uint64_t range, uint32_t flags)
{
	struct drm_gmmu_vm_bind_op op = {
		.op = DRM_GMMU_VM_BIND_OP_MAP,
		.handle = handle,
		.flags = flags,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};

	return swgpu_vm_bind_ops(fd, vm_id, &op, 1);
}

int swgpu_vm_unbind(int fd, uint32_t vm_id, uint64_t va, uint64_t range)
{
	struct drm_gmmu_vm_bind_op op = {
		.op = DRM_GMMU_VM_BIND_OP_UNMAP,
		.va = va,
		.range = range,
	};

	return swgpu_vm_bind_ops(fd, vm_id, &op, 1);
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
	struct drm_gmmu_vm_read_faults_args r = {
		.vm_id = vm_id,
		.faults = (uintptr_t)faults,
		.count = *count,
		.stride = sizeof(*faults),
	};

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r))
		return -errno;
	*count = r.count;
	if (dropped)
		*dropped = r.dropped;
	return 0;
}

int swgpu_queue_create(int fd, uint32_t vm_id, uint32_t *queue_id)
{
	struct drm_gmmu_queue_create_args c = { .vm_id = vm_id };

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &c))
		return -errno;
	*queue_id = c.queue_id;
	return 0;
}

int swgpu_queue_destroy(int fd, uint32_t vm_id, uint32_t queue_id)
{
	struct drm_gmmu_queue_destroy_args d = {
		.vm_id = vm_id,
		.queue_id = queue_id,
	};

	return drmIoctl(fd, DRM_IOCTL_SWGPU_QUEUE_DESTROY, &d) ? -errno : 0;
}
