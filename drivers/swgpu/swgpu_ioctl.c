// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu BO and submission ioctls
 *
 * GET_PARAM (what the profile says), BO_CREATE (with the private-BO
 * extension and the WC flag the profile allows), BO_MMAP_OFFSET, EXEC and
 * WAIT_BO: each checks its own uapi fields and translates them into a
 * drm_gmmu call; the work (lookups, sync arrays, locking, cache domains,
 * fences) is drm_gmmu's.
 */
#include <linux/mm.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>

#include "swgpu_drv.h"

int swgpu_get_param_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct swgpu_device *sdev = to_swgpu(drm);
	const struct swgpu_profile *p = sdev->profile;
	struct drm_swgpu_get_param *args = data;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;

	switch (args->param) {
	case DRM_SWGPU_PARAM_PROFILE:
		args->value = p->id;
		break;
	case DRM_SWGPU_PARAM_COHERENT:
		args->value = p->coherent;
		break;
	case DRM_SWGPU_PARAM_VA_BITS:
		args->value = p->va_bits;
		break;
	case DRM_SWGPU_PARAM_DMA_BITS:
		args->value = p->dma_bits;
		break;
	case DRM_SWGPU_PARAM_PAGE_SIZES:
		args->value = p->page_sizes;
		break;
	case DRM_SWGPU_PARAM_SLOT:
		args->value = sdev->slot;
		break;
	case DRM_SWGPU_PARAM_MAX_BO_SIZE:
		args->value = swgpu_max_bo_size(sdev);
		break;
	case DRM_SWGPU_PARAM_BO_CREATE_FLAGS:
		/* A snooping GPU gains nothing from write-combined BOs. */
		args->value = p->coherent ? 0 : DRM_SWGPU_BO_CREATE_WC;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

u64 swgpu_max_bo_size(struct swgpu_device *sdev)
{
	u64 ram = (u64)totalram_pages() << PAGE_SHIFT;

	return min(ram, BIT_ULL(sdev->profile->va_bits)) & PAGE_MASK;
}

/* What the BO_CREATE extensions asked for. */
struct swgpu_bo_create_exts {
	bool private;
	u32 vm_id;
};

static int swgpu_bo_create_ext_private(u64 uptr, void *data)
{
	struct drm_swgpu_bo_create_ext_private ext;
	struct swgpu_bo_create_exts *exts = data;

	if (copy_from_user(&ext, u64_to_user_ptr(uptr), sizeof(ext)))
		return -EFAULT;
	if (ext.pad || exts->private)
		return -EINVAL;
	exts->private = true;
	exts->vm_id = ext.vm_id;
	return 0;
}

static const struct drm_gmmu_ext_handler swgpu_bo_create_ext_handlers[] = {
	{ DRM_SWGPU_BO_CREATE_EXT_PRIVATE, swgpu_bo_create_ext_private },
};

int swgpu_bo_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	struct swgpu_device *sdev = to_swgpu(drm);
	struct drm_swgpu_bo_create *args = data;
	struct swgpu_bo_create_exts exts = {};
	u32 handle;
	int ret;

	if (args->flags & ~DRM_SWGPU_BO_CREATE_WC)
		return -EINVAL;
	/* A snooping GPU sees cached writes anyway: WC would only slow reads. */
	if ((args->flags & DRM_SWGPU_BO_CREATE_WC) && sdev->profile->coherent)
		return -EINVAL;
	if (!args->size || !IS_ALIGNED(args->size, SZ_4K) ||
	    args->size > swgpu_max_bo_size(sdev))
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions,
				     swgpu_bo_create_ext_handlers,
				     ARRAY_SIZE(swgpu_bo_create_ext_handlers),
				     &exts);
	if (ret)
		return ret;
	ret = drm_gmmu_file_bo_create(gfile, &sdev->gmmu, args->size,
				      exts.private ? &exts.vm_id : NULL,
				      args->flags & DRM_SWGPU_BO_CREATE_WC ?
				      DRM_GMMU_BO_WC : 0, &handle);
	if (!ret)
		args->handle = handle;
	return ret;
}

int swgpu_bo_mmap_offset_ioctl(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct drm_swgpu_bo_mmap_offset *args = data;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_gem_mmap_offset(file, args->handle, &args->offset);
}

int swgpu_exec_ioctl(struct drm_device *drm, void *data,
		     struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	struct drm_swgpu_exec *args = data;
	struct drm_gmmu_exec x = {
		.file = file,
		.in_syncs = args->in_syncs,
		.out_syncs = args->out_syncs,
		.in_count = args->in_sync_count,
		.out_count = args->out_sync_count,
		.stride = args->sync_stride,
		.policy = args->flags & DRM_SWGPU_EXEC_IMPLICIT_SYNC ?
			  DRM_GMMU_SYNC_IMPLICIT : DRM_GMMU_SYNC_PUBLISH,
		.fence_out = args->flags & DRM_SWGPU_EXEC_FENCE_OUT,
	};
	struct drm_gmmu_queue *q;
	struct drm_gmmu_job *gjob;
	int ret;

	if (args->flags & ~(DRM_SWGPU_EXEC_FENCE_OUT |
			    DRM_SWGPU_EXEC_IMPLICIT_SYNC) || args->pad)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	q = drm_gmmu_file_queue_get(gfile, args->vm_id, args->queue_id);
	if (!q)
		return -ENOENT;
	if ((args->batch_va & 3) ||
	    !drm_gpuvm_range_valid(&q->vm->base, args->batch_va, 4)) {
		ret = -EINVAL;
		goto out;
	}
	gjob = drm_gmmu_job_alloc(q);
	if (!gjob) {
		ret = -ENOMEM;
		goto out;
	}
	container_of(gjob, struct swgpu_job, base)->batch_va = args->batch_va;
	x.job = gjob;
	ret = drm_gmmu_exec(&x);
	if (!ret) {
		args->seqno = x.seqno;
		args->out_fence_fd = x.out_fence_fd;
	}
out:
	drm_gmmu_queue_put(q);
	return ret;
}

int swgpu_wait_bo_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct drm_swgpu_wait_bo *args = data;
	int ret;

	if (args->flags || args->timeout_ns < 0)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_gem_wait(file, args->handle, args->timeout_ns);
}
