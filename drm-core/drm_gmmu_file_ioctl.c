// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: VM and BO ioctl helpers
 *
 * The logic of the ioctls every driver on drm_gmmu has, by file: create a
 * BO (shared or private to one of the file's VMs), create a VM, bind and
 * unbind in it, read its fault records. A driver's handler checks the
 * fields only its uapi has (flags, padding, extensions), translates its
 * flags, and calls one of these; lookups, limits, reference counting and
 * drm_dev_enter() around anything that makes level-1 mappings are here,
 * written once. Each returns the errno its kernel-doc lists, so a
 * driver's uapi documentation can quote it.
 */
#include <linux/err.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>

/**
 * drm_gmmu_file_bo_create - create a BO and a handle for it in a file
 * @gfile: the file
 * @gdev: the device the BO is for
 * @size: bytes, a multiple of PAGE_SIZE (the driver checks its own limit)
 * @private_vm: NULL for a shared BO, else the id of the file's VM the BO
 *	is to be private to
 * @flags: 0 or %DRM_GMMU_BO_WC
 * @handle: out, the handle
 *
 * Return: 0; -ENOENT for an unknown VM (id 0 included); -EINVAL for a bad
 * size or flag; -EOPNOTSUPP for WC off x86; -ENOMEM.
 */
int drm_gmmu_file_bo_create(struct drm_gmmu_file *gfile,
			    struct drm_gmmu_device *gdev, u64 size,
			    const u32 *private_vm, unsigned int flags,
			    u32 *handle)
{
	struct drm_gmmu_vm *vm = NULL;
	struct drm_gmmu_bo *bo;
	int ret;

	if (private_vm) {
		vm = drm_gmmu_file_vm_get(gfile, *private_vm);
		if (!vm)
			return -ENOENT;
	}
	bo = drm_gmmu_bo_create_flags(gdev, vm, size, flags);
	drm_gmmu_vm_put(vm);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(gfile->file, &bo->base.base, handle);
	/* The handle holds the reference now, or the BO goes. */
	drm_gem_object_put(&bo->base.base);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_bo_create);

/**
 * drm_gmmu_file_vm_create - create a VM of a file and give it an id
 * @gfile: the file
 * @create: the driver's constructor: builds its context structure around
 *	a VM (drm_gmmu_vm_init() and whatever the hardware needs) and
 *	returns the VM with one reference, or an ERR_PTR
 * @data: passed to @create
 * @id: out, the VM's id, never 0
 *
 * The file's limit is checked first, before @create builds anything;
 * @create runs inside drm_dev_enter(), since page tables are level-1
 * mappings and none may appear after unplug.
 *
 * Return: 0; -ENOSPC when the file has %DRM_GMMU_MAX_VMS_PER_FILE VMs;
 * -ENODEV after unplug; the error of @create; -ENOMEM.
 */
int drm_gmmu_file_vm_create(struct drm_gmmu_file *gfile,
			    struct drm_gmmu_vm *(*create)(void *data),
			    void *data, u32 *id)
{
	struct drm_gmmu_vm *vm;
	int ret, idx;

	ret = drm_gmmu_file_vm_reserve(gfile, id);
	if (ret)
		return ret;
	if (!drm_dev_enter(gfile->file->minor->dev, &idx)) {
		vm = ERR_PTR(-ENODEV);
	} else {
		vm = create(data);
		drm_dev_exit(idx);
	}
	if (IS_ERR(vm)) {
		drm_gmmu_file_vm_unreserve(gfile, *id);
		return PTR_ERR(vm);
	}
	drm_gmmu_file_vm_publish(gfile, *id, vm);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_vm_create);

/**
 * drm_gmmu_file_vm_bind - VM_BIND: map part of a BO into a file's VM
 * @gfile: the file
 * @vm_id: the VM's id
 * @handle: the BO's handle in the file
 * @bo_offset: as for drm_gmmu_vm_bind()
 * @va: as for drm_gmmu_vm_bind()
 * @range: as for drm_gmmu_vm_bind()
 * @flags: as for drm_gmmu_vm_bind()
 *
 * Return: 0; -ENOENT for an unknown VM or handle; -ENODEV after unplug;
 * the errors of drm_gmmu_vm_bind(). On error nothing changed.
 */
int drm_gmmu_file_vm_bind(struct drm_gmmu_file *gfile, u32 vm_id, u32 handle,
			  u64 bo_offset, u64 va, u64 range, unsigned int flags)
{
	struct drm_gem_object *obj;
	struct drm_gmmu_vm *vm;
	int ret, idx;

	vm = drm_gmmu_file_vm_get(gfile, vm_id);
	if (!vm)
		return -ENOENT;
	obj = drm_gem_object_lookup(gfile->file, handle);
	if (!obj) {
		ret = -ENOENT;
	} else if (!drm_dev_enter(gfile->file->minor->dev, &idx)) {
		ret = -ENODEV;
	} else {
		ret = drm_gmmu_vm_bind(vm, to_drm_gmmu_bo(obj), bo_offset, va,
				       range, flags);
		drm_dev_exit(idx);
	}
	drm_gem_object_put(obj);
	drm_gmmu_vm_put(vm);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_vm_bind);

/**
 * drm_gmmu_file_vm_unbind - VM_BIND's unmap: unmap a range of a file's VM
 * @gfile: the file
 * @vm_id: the VM's id
 * @va: as for drm_gmmu_vm_unbind()
 * @range: as for drm_gmmu_vm_unbind()
 *
 * Return: 0; -ENOENT for an unknown VM; -ENODEV after unplug; the errors
 * of drm_gmmu_vm_unbind(). On error nothing changed.
 */
int drm_gmmu_file_vm_unbind(struct drm_gmmu_file *gfile, u32 vm_id, u64 va,
			    u64 range)
{
	struct drm_gmmu_vm *vm;
	int ret, idx;

	vm = drm_gmmu_file_vm_get(gfile, vm_id);
	if (!vm)
		return -ENOENT;
	if (!drm_dev_enter(gfile->file->minor->dev, &idx)) {
		ret = -ENODEV;
	} else {
		ret = drm_gmmu_vm_unbind(vm, va, range);
		drm_dev_exit(idx);
	}
	drm_gmmu_vm_put(vm);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_vm_unbind);

/**
 * drm_gmmu_file_vm_faults - read a file's VM's fault records
 * @gfile: the file
 * @vm_id: the VM's id
 * @last: if not NULL, out: the last fault and, in @total, the count of
 *	all (drm_gmmu_vm_last_fault()); nothing is taken out of the ring
 * @total: out with @last
 * @uptr: with @last NULL: as for drm_gmmu_vm_read_faults()
 * @count: with @last NULL: as for drm_gmmu_vm_read_faults()
 * @stride: with @last NULL: as for drm_gmmu_vm_read_faults()
 * @dropped: with @last NULL: as for drm_gmmu_vm_read_faults()
 *
 * Return: 0; -ENOENT for an unknown VM; the errors of
 * drm_gmmu_vm_read_faults().
 */
int drm_gmmu_file_vm_faults(struct drm_gmmu_file *gfile, u32 vm_id,
			    struct drm_gmmu_fault *last, u64 *total,
			    u64 uptr, u32 *count, u32 stride, u64 *dropped)
{
	struct drm_gmmu_vm *vm = drm_gmmu_file_vm_get(gfile, vm_id);
	int ret = 0;

	if (!vm)
		return -ENOENT;
	if (last)
		drm_gmmu_vm_last_fault(vm, last, total);
	else
		ret = drm_gmmu_vm_read_faults(vm, uptr, count, stride, dropped);
	drm_gmmu_vm_put(vm);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_vm_faults);
