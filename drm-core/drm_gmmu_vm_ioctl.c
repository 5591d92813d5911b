// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: VM and queue ioctls
 *
 * The shared VM and queue ioctls (gmmu_drm.h), ready for a driver's ioctl
 * table: create and destroy a VM of the file, bind and unbind in it, read
 * its fault records, create and destroy its queues. Each checks every
 * field of its argument, looks its objects up by id in the file (the
 * lookup holds a reference for the rest of the ioctl, whatever another
 * thread destroys meanwhile), checks limits before building anything, and
 * runs whatever makes level-1 mappings or queues inside drm_dev_enter().
 * VM_BIND takes arrays (&struct drm_gmmu_vm_bind_op), carried out as
 * "Bind arrays" describes.
 * What the hardware needs of a new VM is the driver's
 * (&drm_gmmu_device_funcs.vm_create); the kind of queue is the VM's
 * (&drm_gmmu_vm_cfg.queue).
 */
#include <linux/err.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_bind.h>
#include <drm/drm_gmmu_ioctl.h>
#include <drm/drm_gmmu_queue.h>
#include <drm/drm_gmmu_sync.h>
#include <drm/gmmu_drm.h>

#include "drm_gmmu_internal.h"

/*
 * The VM an ioctl names, with a reference, once its extensions (none
 * known) are walked: an ERR_PTR for a bad chain or -ENOENT. For every
 * shared ioctl that names a VM (drm_gmmu_internal.h).
 */
struct drm_gmmu_vm *drm_gmmu_args_vm(struct drm_file *file, u64 extensions,
				     u32 vm_id)
{
	struct drm_gmmu_vm *vm;
	int ret;

	ret = drm_gmmu_user_ext_walk(extensions, NULL, 0, NULL);
	if (ret)
		return ERR_PTR(ret);
	vm = drm_gmmu_file_vm_get(to_drm_gmmu_file(file), vm_id);
	return vm ?: ERR_PTR(-ENOENT);
}

/**
 * drm_gmmu_vm_create_ioctl - VM_CREATE with &struct drm_gmmu_vm_create_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * The file's limit is checked first, before the driver's
 * &drm_gmmu_device_funcs.vm_create builds anything; it runs inside
 * drm_dev_enter(), since page tables are level-1 mappings and none may
 * appear after unplug. A VM whose &drm_gmmu_vm_cfg.queue is set gets its
 * queue 0 before its id is published.
 *
 * Return: 0 or the errno &struct drm_gmmu_vm_create_args lists.
 */
int drm_gmmu_vm_create_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	struct drm_gmmu_vm_create_args *args = data;
	struct drm_gmmu_vm *vm;
	int ret, idx;
	u32 qid;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	ret = drm_gmmu_file_vm_reserve(gfile, &args->vm_id);
	if (ret)
		return ret;
	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto err_unreserve;
	}
	vm = gfile->gdev->funcs->vm_create(gfile->gdev);
	if (IS_ERR(vm)) {
		ret = PTR_ERR(vm);
		goto err_exit;
	}
	if (vm->queue_cfg) {
		ret = drm_gmmu_vm_queue_create(vm, vm->queue_cfg, 0, &qid);
		if (ret)
			goto err_close;
	}
	drm_dev_exit(idx);
	drm_gmmu_file_vm_publish(gfile, args->vm_id, vm);
	return 0;

err_close:
	drm_gmmu_vm_close_queues(vm);
	drm_gmmu_vm_close(vm);
	drm_gmmu_vm_put(vm);
err_exit:
	drm_dev_exit(idx);
err_unreserve:
	drm_gmmu_file_vm_unreserve(gfile, args->vm_id);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_create_ioctl);

/**
 * drm_gmmu_vm_destroy_ioctl - VM_DESTROY with &struct
 *	drm_gmmu_vm_destroy_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * Context: process context; waits for the VM's submitted work.
 * Return: 0; -ENOENT for an unknown VM; -EINVAL for non-zero flags; the
 * errors of drm_gmmu_user_ext_walk().
 */
int drm_gmmu_vm_destroy_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct drm_gmmu_vm_destroy_args *args = data;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_file_vm_destroy(to_drm_gmmu_file(file), args->vm_id);
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_destroy_ioctl);

static_assert(DRM_GMMU_VM_BIND_MAX_OPS == DRM_GMMU_BIND_MAX_OPS);

/* One uapi operation checked and turned into drm_gmmu's, its BO looked up. */
static int drm_gmmu_vm_bind_op_get(struct drm_file *file,
				   const struct drm_gmmu_vm_bind_op *u,
				   struct drm_gmmu_bind_op *op)
{
	struct drm_gem_object *obj;

	op->va = u->va;
	op->range = u->range;
	if (u->pad)
		return -EINVAL;
	switch (u->op) {
	case DRM_GMMU_VM_BIND_OP_MAP:
		if (u->flags & ~DRM_GMMU_VM_BIND_MAP_READONLY)
			return -EINVAL;
		op->kind = DRM_GMMU_BIND_MAP;
		op->flags = u->flags & DRM_GMMU_VM_BIND_MAP_READONLY ?
			    DRM_GMMU_VM_BIND_READONLY : 0;
		op->bo_offset = u->bo_offset;
		obj = drm_gem_object_lookup(file, u->handle);
		if (!obj)
			return -ENOENT;
		op->bo = to_drm_gmmu_bo(obj);
		return 0;
	case DRM_GMMU_VM_BIND_OP_UNMAP:
		op->kind = DRM_GMMU_BIND_UNMAP;
		return u->handle || u->flags || u->bo_offset ? -EINVAL : 0;
	case DRM_GMMU_VM_BIND_OP_MAP_SPARSE:
		op->kind = DRM_GMMU_BIND_MAP_SPARSE;
		return u->handle || u->flags || u->bo_offset ? -EINVAL : 0;
	}
	return -EINVAL;
}

/**
 * drm_gmmu_vm_bind_ioctl - VM_BIND with &struct drm_gmmu_vm_bind_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * Copies the array in, checks every field and looks every BO up before
 * drm_gmmu_vm_bind_ops() checks the array against the VM and carries it
 * out.
 *
 * Return: 0 or the errno &struct drm_gmmu_vm_bind_args lists; on error
 * nothing changed.
 */
int drm_gmmu_vm_bind_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct drm_gmmu_vm_bind_args *args = data;
	const bool async = args->flags & DRM_GMMU_VM_BIND_ASYNC;
	struct drm_gmmu_vm_bind_op *uops = NULL;
	struct drm_gmmu_bind_op *ops = NULL;
	struct drm_gmmu_vm *vm;
	unsigned int i, n = args->op_count;
	int ret, idx;

	if (args->flags & ~DRM_GMMU_VM_BIND_ASYNC || args->pad ||
	    n > DRM_GMMU_VM_BIND_MAX_OPS)
		return -EINVAL;
	/* The sync arrays themselves are checked when the job is made. */
	if (!async && (args->in_syncs || args->out_syncs ||
		       args->in_sync_count || args->out_sync_count ||
		       args->sync_stride))
		return -EINVAL;
	vm = drm_gmmu_args_vm(file, args->extensions, args->vm_id);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	/* An empty synchronous array does nothing; an async one is a barrier. */
	if (!n && !async) {
		ret = 0;
		goto out;
	}
	uops = kvmalloc_array(n, sizeof(*uops), GFP_KERNEL);
	ops = kvcalloc(n, sizeof(*ops), GFP_KERNEL);
	if (n && (!uops || !ops)) {
		ret = -ENOMEM;
		goto out;
	}
	ret = drm_gmmu_copy_user_array(uops, sizeof(*uops), sizeof(*uops),
				       args->ops, n, args->op_stride);
	for (i = 0; i < n && !ret; i++)
		ret = drm_gmmu_vm_bind_op_get(file, &uops[i], &ops[i]);
	if (ret)
		goto out;
	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto out;
	}
	if (async) {
		struct drm_gmmu_syncs syncs = {};
		struct drm_gmmu_exec x = {
			.file = file,
			.syncs = &syncs,
		};

		/* Before the bind lock: reading them may fault. */
		ret = drm_gmmu_syncs_get(&syncs, file, args->in_syncs,
					 args->in_sync_count, args->out_syncs,
					 args->out_sync_count, args->sync_stride);
		if (!ret)
			ret = drm_gmmu_vm_bind_async(vm, ops, n, &x);
		drm_gmmu_syncs_put(&syncs);
	} else {
		ret = drm_gmmu_vm_bind_ops(vm, ops, n);
	}
	drm_dev_exit(idx);
out:
	for (i = 0; ops && i < n; i++)
		if (ops[i].bo)
			drm_gem_object_put(&ops[i].bo->base.base);
	kvfree(ops);
	kvfree(uops);
	drm_gmmu_vm_put(vm);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_bind_ioctl);

/**
 * drm_gmmu_vm_get_fault_ioctl - VM_GET_FAULT with &struct
 *	drm_gmmu_vm_get_fault_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * Reports the count of faults and the last one; takes nothing out of the
 * VM's ring (drm_gmmu_vm_last_fault()).
 *
 * Return: 0; -ENOENT for an unknown VM; -EINVAL for non-zero flags; the
 * errors of drm_gmmu_user_ext_walk().
 */
int drm_gmmu_vm_get_fault_ioctl(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct drm_gmmu_vm_get_fault_args *args = data;
	struct drm_gmmu_fault last;
	struct drm_gmmu_vm *vm;
	u64 total;

	if (args->flags)
		return -EINVAL;
	vm = drm_gmmu_args_vm(file, args->extensions, args->vm_id);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	drm_gmmu_vm_last_fault(vm, &last, &total);
	drm_gmmu_vm_put(vm);
	args->count = min_t(u64, total, U32_MAX);
	args->access = last.access;
	args->va = last.va;
	args->seqno = last.seqno;
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_get_fault_ioctl);

/**
 * drm_gmmu_vm_read_faults_ioctl - VM_READ_FAULTS with &struct
 *	drm_gmmu_vm_read_faults_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * Return: 0 or the errno &struct drm_gmmu_vm_read_faults_args lists (those
 * of drm_gmmu_vm_read_faults()).
 */
int drm_gmmu_vm_read_faults_ioctl(struct drm_device *drm, void *data,
				  struct drm_file *file)
{
	struct drm_gmmu_vm_read_faults_args *args = data;
	struct drm_gmmu_vm *vm;
	u32 count = args->count;
	u64 dropped;
	int ret;

	if (args->flags || args->pad)
		return -EINVAL;
	vm = drm_gmmu_args_vm(file, args->extensions, args->vm_id);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = drm_gmmu_vm_read_faults(vm, args->faults, &count, args->stride,
				      &dropped);
	drm_gmmu_vm_put(vm);
	if (ret)
		return ret;
	args->count = count;
	args->dropped = dropped;
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_read_faults_ioctl);

/**
 * drm_gmmu_queue_create_ioctl - QUEUE_CREATE with &struct
 *	drm_gmmu_queue_create_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * The queue is of the VM's kind (&drm_gmmu_vm_cfg.queue); a VM without
 * one has no queues to create (-EOPNOTSUPP).
 *
 * Return: 0 or the errno &struct drm_gmmu_queue_create_args lists (those
 * of drm_gmmu_vm_queue_create()).
 */
int drm_gmmu_queue_create_ioctl(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct drm_gmmu_queue_create_args *args = data;
	struct drm_gmmu_vm *vm;
	int ret, idx;

	if (args->flags || args->pad)
		return -EINVAL;
	vm = drm_gmmu_args_vm(file, args->extensions, args->vm_id);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	if (!vm->queue_cfg) {
		ret = -EOPNOTSUPP;
	} else if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
	} else {
		ret = drm_gmmu_vm_queue_create(vm, vm->queue_cfg, 1,
					       &args->queue_id);
		drm_dev_exit(idx);
	}
	drm_gmmu_vm_put(vm);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_queue_create_ioctl);

/**
 * drm_gmmu_queue_destroy_ioctl - QUEUE_DESTROY with &struct
 *	drm_gmmu_queue_destroy_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * Context: process context; may sleep for as long as the queue's jobs.
 * Return: 0; -ENOENT for an unknown VM or queue, or queue 0 (it goes only
 * with its VM); -EINVAL for non-zero flags or pad; the errors of
 * drm_gmmu_user_ext_walk().
 */
int drm_gmmu_queue_destroy_ioctl(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct drm_gmmu_queue_destroy_args *args = data;
	struct drm_gmmu_vm *vm;
	int ret;

	if (args->flags || args->pad)
		return -EINVAL;
	vm = drm_gmmu_args_vm(file, args->extensions, args->vm_id);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = args->queue_id ? drm_gmmu_vm_queue_destroy(vm, args->queue_id) :
	      -ENOENT;
	drm_gmmu_vm_put(vm);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_queue_destroy_ioctl);
