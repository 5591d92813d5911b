// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * libswgpu: submission, BO waits, and waiting on a job's sync_file.
 */
#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "swgpu.h"

int swgpu_exec(int fd, uint32_t vm_id, uint64_t batch_va, int *out_fence_fd,
	       uint64_t *seqno)
{
	struct drm_swgpu_exec e = {
		.submit.vm_id = vm_id,
		.submit.flags = out_fence_fd ? DRM_GMMU_SUBMIT_FENCE_OUT : 0,
		.batch_va = batch_va,
		.submit.out_fence_fd = -1,
	};

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_EXEC, &e))
		return -errno;
	if (out_fence_fd)
		*out_fence_fd = e.submit.out_fence_fd;
	if (seqno)
		*seqno = e.submit.seqno;
	return 0;
}

int swgpu_exec_wait(int fd, uint32_t vm_id, uint64_t batch_va, int timeout_ms,
		    uint64_t *seqno)
{
	int fence = -1, status = 0, ret;

	ret = swgpu_exec(fd, vm_id, batch_va, &fence, seqno);
	if (ret)
		return ret;
	ret = swgpu_fence_wait(fence, timeout_ms, &status);
	close(fence);
	return ret ? ret : status;
}

int swgpu_exec_ioctl(int fd, struct drm_swgpu_exec *exec)
{
	return drmIoctl(fd, DRM_IOCTL_SWGPU_EXEC, exec) ? -errno : 0;
}

int swgpu_wait_bo(int fd, uint32_t handle, int64_t timeout_ns)
{
	return gmmu_wait_bo(&swgpu_gmmu_ioctls, fd, handle, timeout_ns);
}

int swgpu_bo_cpu_access(int fd, uint32_t handle, uint32_t flags,
			uint64_t offset, uint64_t size)
{
	struct drm_gmmu_bo_cpu_access_args a = {
		.handle = handle,
		.flags = flags,
		.offset = offset,
		.size = size,
	};

	return drmIoctl(fd, DRM_IOCTL_SWGPU_BO_CPU_ACCESS, &a) ? -errno : 0;
}

int swgpu_fence_wait(int fence_fd, int timeout_ms, int *status)
{
	return gmmu_fence_wait(fence_fd, timeout_ms, status);
}
