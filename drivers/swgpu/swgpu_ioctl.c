// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>

#include "swgpu_drv.h"
#include "swgpu_sync.h"

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

struct swgpu_bo_create_exts {
	struct drm_file *file;
	struct swgpu_vm *vm;
};

static int swgpu_bo_create_ext_private(u64 uptr, void *data)
{
	struct drm_swgpu_bo_create_ext_private ext;
	struct swgpu_bo_create_exts *exts = data;

	if (copy_from_user(&ext, u64_to_user_ptr(uptr), sizeof(ext)))
		return -EFAULT;
	if (ext.pad || exts->vm)
		return -EINVAL;
	exts->vm = swgpu_vm_lookup(exts->file, ext.vm_id);
	return exts->vm ? 0 : -ENOENT;
}

static const struct drm_gmmu_ext_handler swgpu_bo_create_ext_handlers[] = {
	{ DRM_SWGPU_BO_CREATE_EXT_PRIVATE, swgpu_bo_create_ext_private },
};

int swgpu_bo_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct swgpu_bo_create_exts exts = { .file = file };
	struct swgpu_device *sdev = to_swgpu(drm);
	struct drm_swgpu_bo_create *args = data;
	struct drm_gmmu_bo *bo;
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
		goto out;

	bo = drm_gmmu_bo_create_flags(&sdev->gmmu, exts.vm ? &exts.vm->gvm : NULL,
				      args->size,
				      args->flags & DRM_SWGPU_BO_CREATE_WC ?
				      DRM_GMMU_BO_WC : 0);
	if (IS_ERR(bo)) {
		ret = PTR_ERR(bo);
		goto out;
	}
	ret = drm_gem_handle_create(file, &bo->base.base, &handle);
	/* The handle holds the reference now, or the BO goes. */
	drm_gem_object_put(&bo->base.base);
	if (ret)
		goto out;
	args->handle = handle;
out:
	if (exts.vm)
		drm_gmmu_vm_put(&exts.vm->gvm);
	return ret;
}

int swgpu_bo_mmap_offset_ioctl(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct drm_swgpu_bo_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return 0;
}

int swgpu_exec_ioctl(struct drm_device *drm, void *data,
		     struct drm_file *file)
{
	struct drm_swgpu_exec *args = data;
	struct sync_file *sync_file = NULL;
	struct swgpu_syncs syncs = {};
	struct swgpu_submit submit;
	struct swgpu_queue *q;
	struct dma_fence *fence;
	struct swgpu_vm *vm;
	int ret, fd = -1;

	if (args->flags & ~DRM_SWGPU_EXEC_FENCE_OUT || args->pad)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	vm = swgpu_vm_lookup(file, args->vm_id);
	if (!vm)
		return -ENOENT;
	q = swgpu_vm_queue_lookup(vm, args->queue_id);
	if (!q) {
		ret = -ENOENT;
		goto out_vm;
	}
	if ((args->batch_va & 3) ||
	    !drm_gpuvm_range_valid(&vm->gvm.base, args->batch_va, 4)) {
		ret = -EINVAL;
		goto out_queue;
	}
	ret = swgpu_syncs_get(&syncs, file, args);
	if (ret)
		goto out_queue;
	if (args->flags & DRM_SWGPU_EXEC_FENCE_OUT) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			ret = fd;
			goto out_syncs;
		}
	}

	submit = (struct swgpu_submit) {
		.file = file,
		.batch_va = args->batch_va,
		.deps = syncs.in,
		.num_deps = syncs.num_in,
	};
	/* The job takes the in-fences, whatever the outcome. */
	syncs.num_in = 0;
	ret = swgpu_queue_submit(q, &submit, &fence,
				 fd >= 0 ? &sync_file : NULL);
	if (ret)
		goto out_syncs;
	/* Submitted: nothing below can fail. */
	swgpu_syncs_signal(&syncs, fence);
	args->seqno = fence->seqno;
	args->out_fence_fd = -1;
	if (sync_file) {
		fd_install(fd, sync_file->file);
		args->out_fence_fd = fd;
		fd = -1;
	}
	dma_fence_put(fence);
out_syncs:
	if (fd >= 0)
		put_unused_fd(fd);
	swgpu_syncs_put(&syncs);
out_queue:
	swgpu_queue_put(q);
out_vm:
	drm_gmmu_vm_put(&vm->gvm);
	return ret;
}

int swgpu_wait_bo_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct drm_swgpu_wait_bo *args = data;
	struct drm_gem_object *obj;
	long timeout;
	int ret;

	if (args->flags || args->timeout_ns < 0)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	/* BOOKKEEP: every job that uses the BO, private or not. */
	if (!args->timeout_ns) {
		ret = dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP) ?
		      0 : -EBUSY;
	} else {
		timeout = dma_resv_wait_timeout(obj->resv,
						DMA_RESV_USAGE_BOOKKEEP, true,
						nsecs_to_jiffies64(args->timeout_ns) ?: 1);
		if (timeout > 0)
			ret = 0;
		else if (!timeout)
			ret = -ETIMEDOUT;
		else
			ret = timeout;
	}
	drm_gem_object_put(obj);
	return ret;
}
