// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: BO ioctls
 *
 * The shared BO ioctls (gmmu_drm.h), ready for a driver's ioctl table:
 * create a BO, shared or private to one of the file's VMs
 * (drm_gmmu_bo_create_ioctl()); its mmap offset
 * (drm_gmmu_bo_mmap_offset_ioctl()); wait until no submitted work uses it
 * (drm_gmmu_bo_wait_ioctl()); bracket CPU access to it
 * (drm_gmmu_bo_cpu_access_ioctl()). Each checks every field of its
 * argument and returns the errno its uapi struct documents. The wait
 * covers every job that can reach the BO, explicit-only ones included
 * (%DMA_RESV_USAGE_BOOKKEEP): for a VM-private BO that is all work
 * submitted on its VM.
 */
#include <linux/dma-resv.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_ioctl.h>
#include <drm/drm_vma_manager.h>
#include <drm/gmmu_drm.h>

#include "drm_gmmu_internal.h"

/* The uapi's CPU-access bits are drm_gmmu_bo_cpu_access()'s. */
static_assert(DRM_GMMU_BO_CPU_ACCESS_START == DRM_GMMU_CPU_ACCESS_START);
static_assert(DRM_GMMU_BO_CPU_ACCESS_END == DRM_GMMU_CPU_ACCESS_END);
static_assert(DRM_GMMU_BO_CPU_ACCESS_READ == DRM_GMMU_CPU_ACCESS_READ);
static_assert(DRM_GMMU_BO_CPU_ACCESS_WRITE == DRM_GMMU_CPU_ACCESS_WRITE);

/* BO_CREATE's extension: the VM the BO is to be private to. */
struct drm_gmmu_bo_create_exts {
	bool private;
	u32 vm_id;
};

static int drm_gmmu_bo_create_ext_private(u64 uptr, void *data)
{
	struct drm_gmmu_bo_create_ext_private ext;
	struct drm_gmmu_bo_create_exts *exts = data;

	if (copy_from_user(&ext, u64_to_user_ptr(uptr), sizeof(ext)))
		return -EFAULT;
	if (ext.pad || exts->private)
		return -EINVAL;
	exts->private = true;
	exts->vm_id = ext.vm_id;
	return 0;
}

static const struct drm_gmmu_ext_handler drm_gmmu_bo_create_exts[] = {
	{ DRM_GMMU_BO_CREATE_EXT_PRIVATE, drm_gmmu_bo_create_ext_private },
};

/**
 * drm_gmmu_bo_create_flags_valid - the BO_CREATE flags a device accepts
 * @gdev: the device
 *
 * What a driver's GET_PARAM reports: %DRM_GMMU_BO_CREATE_WC on a device
 * that does not snoop CPU caches (a snooping one gains nothing from it).
 *
 * Return: the mask of &drm_gmmu_bo_create_args.flags @gdev accepts.
 */
u32 drm_gmmu_bo_create_flags_valid(struct drm_gmmu_device *gdev)
{
	return gdev->noncoherent ? DRM_GMMU_BO_CREATE_WC : 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_create_flags_valid);

/**
 * drm_gmmu_bo_create_ioctl - BO_CREATE with &struct drm_gmmu_bo_create_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * Return: 0 or the errno &struct drm_gmmu_bo_create_args lists.
 */
int drm_gmmu_bo_create_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	struct drm_gmmu_device *gdev = gfile->gdev;
	struct drm_gmmu_bo_create_args *args = data;
	struct drm_gmmu_bo_create_exts exts = {};
	struct drm_gmmu_vm *vm = NULL;
	struct drm_gmmu_bo *bo;
	int ret;

	if (args->flags & ~drm_gmmu_bo_create_flags_valid(gdev))
		return -EINVAL;
	if (!args->size || !IS_ALIGNED(args->size, SZ_4K) ||
	    args->size > drm_gmmu_device_max_bo_size(gdev))
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, drm_gmmu_bo_create_exts,
				     ARRAY_SIZE(drm_gmmu_bo_create_exts),
				     &exts);
	if (ret)
		return ret;
	if (exts.private) {
		vm = drm_gmmu_file_vm_get(gfile, exts.vm_id);
		if (!vm)
			return -ENOENT;
	}
	bo = drm_gmmu_bo_create_flags(gdev, vm, args->size,
				      args->flags & DRM_GMMU_BO_CREATE_WC ?
				      DRM_GMMU_BO_WC : 0);
	drm_gmmu_vm_put(vm);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->base.base, &args->handle);
	/* The handle holds the reference now, or the BO goes. */
	drm_gem_object_put(&bo->base.base);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_create_ioctl);

/**
 * drm_gmmu_bo_mmap_offset_ioctl - BO_MMAP_OFFSET with &struct
 *	drm_gmmu_bo_mmap_offset_args
 * @drm: the device
 * @data: the argument
 * @file: the file
 *
 * Return: 0; -EINVAL for non-zero flags; -ENOENT for an unknown handle;
 * the errors of drm_gmmu_user_ext_walk().
 */
int drm_gmmu_bo_mmap_offset_ioctl(struct drm_device *drm, void *data,
				  struct drm_file *file)
{
	struct drm_gmmu_bo_mmap_offset_args *args = data;
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
EXPORT_SYMBOL_GPL(drm_gmmu_bo_mmap_offset_ioctl);

/* WAIT_BO's work, once the fields are checked. */
static int drm_gmmu_bo_wait(struct drm_file *file, u32 handle, s64 timeout_ns)
{
	struct drm_gem_object *obj;
	long timeout;
	int ret;

	obj = drm_gem_object_lookup(file, handle);
	if (!obj)
		return -ENOENT;
	if (!timeout_ns) {
		ret = dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP) ?
		      0 : -EBUSY;
	} else {
		/*
		 * At least @timeout_ns: whole ticks rounded up, plus one, since
		 * the first tick may end at once.
		 */
		u64 ticks = div64_u64(timeout_ns + TICK_NSEC - 1, TICK_NSEC) + 1;

		timeout = dma_resv_wait_timeout(obj->resv,
						DMA_RESV_USAGE_BOOKKEEP, true,
						min_t(u64, ticks,
						      MAX_SCHEDULE_TIMEOUT - 1));
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

/**
 * drm_gmmu_bo_wait_ioctl - WAIT_BO with &struct drm_gmmu_bo_wait_args
 * @drm: the device
 * @data: the argument
 * @file: the file
 *
 * Context: process context; interruptible.
 * Return: 0 once idle; -EBUSY if the timeout is 0 and the BO is busy;
 * -ETIMEDOUT when the time ran out; -EINVAL for non-zero flags or a
 * negative timeout; -ENOENT for an unknown handle; -ERESTARTSYS on a
 * signal; the errors of drm_gmmu_user_ext_walk().
 */
int drm_gmmu_bo_wait_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct drm_gmmu_bo_wait_args *args = data;
	int ret;

	if (args->flags || args->timeout_ns < 0)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_bo_wait(file, args->handle, args->timeout_ns);
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_wait_ioctl);

/**
 * drm_gmmu_bo_cpu_access_ioctl - BO_CPU_ACCESS with &struct
 *	drm_gmmu_bo_cpu_access_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * Return: 0 or the errno &struct drm_gmmu_bo_cpu_access_args lists.
 */
int drm_gmmu_bo_cpu_access_ioctl(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct drm_gmmu_bo_cpu_access_args *args = data;
	int ret;

	/* Flags first: bad flags are -EINVAL whatever the rest says. */
	if (!drm_gmmu_cpu_access_flags_valid(args->flags))
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_file_cpu_access(to_drm_gmmu_file(file), args->handle,
					args->flags, args->offset, args->size);
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_cpu_access_ioctl);
