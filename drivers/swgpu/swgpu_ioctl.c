// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu's own ioctls
 *
 * What swgpu's uapi adds to drm_gmmu's shared ioctls: two parameters of
 * GET_PARAM (the profile and the hardware slot), and EXEC, a batch address
 * beside drm_gmmu's &struct drm_gmmu_submit.
 */
#include "swgpu_drv.h"

/* &drm_gmmu_device_funcs.get_param: what only swgpu is asked. */
int swgpu_get_param(struct drm_gmmu_device *gdev, u32 param, u64 *value)
{
	struct swgpu_device *sdev = to_swgpu(gdev);

	switch (param) {
	case DRM_SWGPU_PARAM_PROFILE:
		*value = sdev->profile->id;
		return 0;
	case DRM_SWGPU_PARAM_SLOT:
		*value = sdev->slot;
		return 0;
	}
	return -EINVAL;
}

/* The batch address, checked against the job's VM. */
static int swgpu_exec_fill(struct drm_gmmu_job *job, void *data)
{
	u64 batch_va = *(u64 *)data;

	if ((batch_va & 3) || !drm_gpuvm_range_valid(&job->q->vm->base,
						     batch_va, 4))
		return -EINVAL;
	job->cmd_addr = batch_va;
	return 0;
}

int swgpu_exec_ioctl(struct drm_device *drm, void *data,
		     struct drm_file *file)
{
	struct drm_swgpu_exec *args = data;
	int ret;

	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_submit_ioctl(file, &args->submit, swgpu_exec_fill,
				     &args->batch_va);
}
