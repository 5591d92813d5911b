// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * GPU contexts: a drm_gmmu VM (address space and level-2 tables), the MMU
 * context the hardware runs it on, and its hardware queues; and the ioctls
 * that create, destroy, bind into and query them. A file owns its VMs by
 * id; a VM outlives its id while its queues drain.
 */
#include <linux/iommu_ctx.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "swgpu_drv.h"

static struct swgpu_vm *to_swgpu_vm(struct drm_gmmu_vm *gvm)
{
	return container_of(gvm, struct swgpu_vm, gvm);
}

static void swgpu_vm_free(struct drm_gmmu_vm *gvm)
{
	struct swgpu_vm *vm = to_swgpu_vm(gvm);

	xa_destroy(&vm->queues);
	mutex_destroy(&vm->queue_lock);
	swgpu_hw_mmu_fini(&vm->mmu);
	kfree(vm);
}

/**
 * swgpu_vm_record_fault - note a GPU page fault of one of the VM's jobs
 * @vm: the VM
 * @f: the fault, as the MMU reported it
 * @seqno: the faulting job's seqno on its queue
 */
void swgpu_vm_record_fault(struct swgpu_vm *vm, const struct swgpu_hw_fault *f,
			   u64 seqno)
{
	spin_lock(&vm->fault_lock);
	vm->fault.count++;
	vm->fault.access = f->access;
	vm->fault.va = f->va;
	vm->fault.seqno = seqno;
	spin_unlock(&vm->fault_lock);
	drm_dbg_driver(&vm->sdev->drm,
		       "vm %u: GPU page fault at 0x%llx (access 0x%x) in job %llu\n",
		       vm->id, f->va, f->access, seqno);
}

/* Drain and free every queue of the VM; no new ones can appear after. */
static void swgpu_vm_close_queues(struct swgpu_vm *vm)
{
	struct swgpu_queue *q;
	unsigned long id;

	/* A queue destroyed by its ioctl meanwhile is gone from the xarray. */
	mutex_lock(&vm->queue_lock);
	vm->queues_closed = true;
	xa_for_each(&vm->queues, id, q) {
		xa_erase(&vm->queues, id);
		swgpu_queue_fini(q);
		swgpu_queue_put(q);
	}
	mutex_unlock(&vm->queue_lock);
}

static void swgpu_vm_quiesce(struct drm_gmmu_vm *gvm);

static struct swgpu_vm *swgpu_vm_create(struct swgpu_device *sdev)
{
	const struct swgpu_profile *p = sdev->profile;
	struct drm_gmmu_vm_cfg cfg = {
		.format = "x86-48",
		.va_bits = p->va_bits,
		.va_start = DRM_SWGPU_VM_VA_START,
		.pgsize_bitmap = p->page_sizes,
		.coherent = p->coherent,
		.tlb = &swgpu_hw_mmu_tlb_ops,
		.free = swgpu_vm_free,
		.quiesce = swgpu_vm_quiesce,
	};
	struct swgpu_queue *q;
	struct swgpu_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->sdev = sdev;
	spin_lock_init(&vm->fault_lock);
	xa_init_flags(&vm->queues, XA_FLAGS_ALLOC);
	mutex_init(&vm->queue_lock);
	swgpu_hw_mmu_init(&vm->mmu, &sdev->hw, sdev->drm.dev, p->va_bits);
	vm->mmu.coherency = sdev->coherency;
	cfg.tlb_cookie = &vm->mmu;

	ret = drm_gmmu_vm_init(&vm->gvm, &sdev->gmmu, "swgpu-vm", &cfg);
	if (ret) {
		swgpu_hw_mmu_fini(&vm->mmu);
		kfree(vm);
		return ERR_PTR(ret);
	}
	/* Write the context's page-table base, as a driver would program it. */
	if (vm->gvm.domain)
		swgpu_hw_mmu_set_root(&vm->mmu,
				      iommu_ctx_domain_format(vm->gvm.domain),
				      iommu_ctx_root_dma(vm->gvm.domain));

	q = swgpu_queue_create(vm);
	if (IS_ERR(q)) {
		ret = PTR_ERR(q);
		goto err_close;
	}
	ret = xa_insert(&vm->queues, 0, q, GFP_KERNEL);
	if (ret) {
		swgpu_queue_fini(q);
		swgpu_queue_put(q);
		goto err_close;
	}
	return vm;

err_close:
	drm_gmmu_vm_close(&vm->gvm);
	drm_gmmu_vm_put(&vm->gvm);
	return ERR_PTR(ret);
}

/* The VM's id is gone: let its work finish, the hardware forget it. */
static void swgpu_vm_quiesce(struct drm_gmmu_vm *gvm)
{
	struct swgpu_vm *vm = to_swgpu_vm(gvm);

	swgpu_vm_close_queues(vm);
	swgpu_hw_mmu_set_root(&vm->mmu, NULL, 0);
}

/**
 * swgpu_vm_lookup - find a VM of a file by id
 * @file: the file
 * @id: the id
 *
 * Return: the VM with a reference (drm_gmmu_vm_put() it), or NULL.
 */
struct swgpu_vm *swgpu_vm_lookup(struct drm_file *file, u32 id)
{
	struct swgpu_file *sfile = file->driver_priv;
	struct drm_gmmu_vm *gvm = drm_gmmu_file_vm_get(&sfile->gfile, id);

	return gvm ? to_swgpu_vm(gvm) : NULL;
}

int swgpu_file_open(struct drm_device *drm, struct drm_file *file)
{
	struct swgpu_file *sfile;

	sfile = kzalloc(sizeof(*sfile), GFP_KERNEL);
	if (!sfile)
		return -ENOMEM;
	drm_gmmu_file_init(&sfile->gfile, file);
	file->driver_priv = sfile;
	return 0;
}

void swgpu_file_close(struct drm_device *drm, struct drm_file *file)
{
	struct swgpu_file *sfile = file->driver_priv;

	drm_gmmu_file_fini(&sfile->gfile);
	kfree(sfile);
}

int swgpu_vm_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct swgpu_file *sfile = file->driver_priv;
	struct drm_swgpu_vm_create *args = data;
	struct swgpu_vm *vm;
	int ret, idx;
	u32 id;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	/* The file's limit first: nothing is built past it. */
	ret = drm_gmmu_file_vm_reserve(&sfile->gfile, &id);
	if (ret)
		return ret;
	/* Page tables are level-1 mappings: none may appear after unplug. */
	if (!drm_dev_enter(drm, &idx)) {
		drm_gmmu_file_vm_unreserve(&sfile->gfile, id);
		return -ENODEV;
	}
	vm = swgpu_vm_create(to_swgpu(drm));
	drm_dev_exit(idx);
	if (IS_ERR(vm)) {
		drm_gmmu_file_vm_unreserve(&sfile->gfile, id);
		return PTR_ERR(vm);
	}
	vm->id = id;
	drm_gmmu_file_vm_publish(&sfile->gfile, id, &vm->gvm);
	args->vm_id = id;
	return 0;
}

int swgpu_vm_destroy_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct swgpu_file *sfile = file->driver_priv;
	struct drm_swgpu_vm_destroy *args = data;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_file_vm_destroy(&sfile->gfile, args->vm_id);
}

int swgpu_vm_bind_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct drm_swgpu_vm_bind *args = data;
	struct drm_gem_object *obj = NULL;
	struct swgpu_vm *vm;
	unsigned int flags = 0;
	int ret, idx;

	switch (args->op) {
	case DRM_SWGPU_VM_BIND_OP_MAP:
		if (args->flags & ~DRM_SWGPU_VM_BIND_READONLY)
			return -EINVAL;
		if (args->flags & DRM_SWGPU_VM_BIND_READONLY)
			flags |= DRM_GMMU_VM_BIND_READONLY;
		break;
	case DRM_SWGPU_VM_BIND_OP_UNMAP:
		if (args->handle || args->flags || args->bo_offset)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;

	vm = swgpu_vm_lookup(file, args->vm_id);
	if (!vm)
		return -ENOENT;
	if (args->op == DRM_SWGPU_VM_BIND_OP_MAP) {
		obj = drm_gem_object_lookup(file, args->handle);
		if (!obj) {
			ret = -ENOENT;
			goto out;
		}
	}
	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto out;
	}
	if (obj)
		ret = drm_gmmu_vm_bind(&vm->gvm, to_drm_gmmu_bo(obj),
				       args->bo_offset, args->va, args->range,
				       flags);
	else
		ret = drm_gmmu_vm_unbind(&vm->gvm, args->va, args->range);
	drm_dev_exit(idx);
out:
	drm_gem_object_put(obj);
	drm_gmmu_vm_put(&vm->gvm);
	return ret;
}

int swgpu_vm_get_fault_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct drm_swgpu_vm_get_fault *args = data;
	struct swgpu_vm *vm;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	vm = swgpu_vm_lookup(file, args->vm_id);
	if (!vm)
		return -ENOENT;
	spin_lock(&vm->fault_lock);
	args->count = vm->fault.count;
	args->access = vm->fault.access;
	args->va = vm->fault.va;
	args->seqno = vm->fault.seqno;
	spin_unlock(&vm->fault_lock);
	drm_gmmu_vm_put(&vm->gvm);
	return 0;
}

/**
 * swgpu_vm_queue_lookup - find a queue of a VM by id
 * @vm: the VM
 * @id: the queue's id
 *
 * Return: the queue with a reference (swgpu_queue_put() it), or NULL.
 */
struct swgpu_queue *swgpu_vm_queue_lookup(struct swgpu_vm *vm, u32 id)
{
	struct swgpu_queue *q;

	xa_lock(&vm->queues);
	q = xa_load(&vm->queues, id);
	if (q)
		kref_get(&q->ref);
	xa_unlock(&vm->queues);
	return q;
}

int swgpu_queue_create_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct drm_swgpu_queue_create *args = data;
	struct swgpu_queue *q;
	struct swgpu_vm *vm;
	int ret, idx;
	u32 id;

	if (args->flags || args->pad)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	vm = swgpu_vm_lookup(file, args->vm_id);
	if (!vm)
		return -ENOENT;

	/* The VM's limit first: no scheduler is built past it. */
	mutex_lock(&vm->queue_lock);
	if (vm->queues_closed)
		ret = -ENOENT;
	else
		ret = xa_alloc(&vm->queues, &id, NULL,
			       XA_LIMIT(1, DRM_SWGPU_MAX_QUEUES - 1), GFP_KERNEL);
	mutex_unlock(&vm->queue_lock);
	if (ret) {
		/* xa_alloc() says -EBUSY when the id range is full. */
		if (ret == -EBUSY)
			ret = -ENOSPC;
		goto out;
	}

	if (!drm_dev_enter(drm, &idx)) {
		q = ERR_PTR(-ENODEV);
	} else {
		q = swgpu_queue_create(vm);
		drm_dev_exit(idx);
	}
	mutex_lock(&vm->queue_lock);
	if (!IS_ERR(q) && vm->queues_closed) {
		/* The VM was destroyed meanwhile. */
		swgpu_queue_fini(q);
		swgpu_queue_put(q);
		q = ERR_PTR(-ENOENT);
	}
	if (IS_ERR(q)) {
		xa_release(&vm->queues, id);
		ret = PTR_ERR(q);
	} else {
		q->id = id;
		/* Cannot fail: the reservation allocated the slot. */
		WARN_ON(xa_store(&vm->queues, id, q, GFP_KERNEL));
		args->queue_id = id;
	}
	mutex_unlock(&vm->queue_lock);
out:
	drm_gmmu_vm_put(&vm->gvm);
	return ret;
}

int swgpu_queue_destroy_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct drm_swgpu_queue_destroy *args = data;
	struct swgpu_queue *q = NULL;
	struct swgpu_vm *vm;
	int ret;

	if (args->flags || args->pad)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	vm = swgpu_vm_lookup(file, args->vm_id);
	if (!vm)
		return -ENOENT;
	/* Queue 0 goes with its VM; a reserved id is not a queue yet. */
	if (args->queue_id) {
		mutex_lock(&vm->queue_lock);
		q = xa_load(&vm->queues, args->queue_id);
		if (q)
			xa_erase(&vm->queues, args->queue_id);
		mutex_unlock(&vm->queue_lock);
	}
	if (q) {
		swgpu_queue_fini(q);
		swgpu_queue_put(q);
	} else {
		ret = -ENOENT;
	}
	drm_gmmu_vm_put(&vm->gvm);
	return ret;
}
