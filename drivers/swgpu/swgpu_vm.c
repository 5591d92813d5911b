// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * GPU contexts: a drm_gmmu VM (address space and level-2 tables), the MMU
 * context the hardware runs it on, and one hardware queue; and the ioctls
 * that create, destroy, bind into and query them. A file owns its VMs by
 * id; a VM outlives its id while its queue drains.
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

	swgpu_hw_mmu_fini(&vm->mmu);
	kfree(vm);
}

static void swgpu_vm_on_fault(struct swgpu_queue *q,
			      const struct swgpu_hw_fault *f, u64 seqno)
{
	struct swgpu_vm *vm = container_of(q, struct swgpu_vm, queue);

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
	};
	struct swgpu_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->sdev = sdev;
	spin_lock_init(&vm->fault_lock);
	swgpu_hw_mmu_init(&vm->mmu, &sdev->hw, sdev->drm.dev, p->va_bits);
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

	ret = swgpu_queue_init(&vm->queue, sdev, &vm->mmu);
	if (ret) {
		drm_gmmu_vm_close(&vm->gvm);
		drm_gmmu_vm_put(&vm->gvm);
		return ERR_PTR(ret);
	}
	vm->queue.on_fault = swgpu_vm_on_fault;
	return vm;
}

/* The VM's id is gone: let its work finish, unmap everything, let go. */
static void swgpu_vm_teardown(struct swgpu_vm *vm)
{
	swgpu_queue_fini(&vm->queue);
	swgpu_hw_mmu_set_root(&vm->mmu, NULL, 0);
	drm_gmmu_vm_close(&vm->gvm);
	drm_gmmu_vm_put(&vm->gvm);
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
	struct swgpu_vm *vm;

	xa_lock(&sfile->vms);
	vm = xa_load(&sfile->vms, id);
	if (vm)
		drm_gmmu_vm_get(&vm->gvm);
	xa_unlock(&sfile->vms);
	return vm;
}

int swgpu_file_open(struct drm_device *drm, struct drm_file *file)
{
	struct swgpu_file *sfile;

	sfile = kzalloc(sizeof(*sfile), GFP_KERNEL);
	if (!sfile)
		return -ENOMEM;
	xa_init_flags(&sfile->vms, XA_FLAGS_ALLOC1);
	file->driver_priv = sfile;
	return 0;
}

void swgpu_file_close(struct drm_device *drm, struct drm_file *file)
{
	struct swgpu_file *sfile = file->driver_priv;
	struct swgpu_vm *vm;
	unsigned long id;

	xa_for_each(&sfile->vms, id, vm) {
		xa_erase(&sfile->vms, id);
		swgpu_vm_teardown(vm);
	}
	xa_destroy(&sfile->vms);
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
	/* Page tables are level-1 mappings: none may appear after unplug. */
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	vm = swgpu_vm_create(to_swgpu(drm));
	drm_dev_exit(idx);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = xa_alloc(&sfile->vms, &id, vm, xa_limit_32b, GFP_KERNEL);
	if (ret) {
		swgpu_vm_teardown(vm);
		return ret;
	}
	vm->id = id;
	args->vm_id = id;
	return 0;
}

int swgpu_vm_destroy_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct swgpu_file *sfile = file->driver_priv;
	struct drm_swgpu_vm_destroy *args = data;
	struct swgpu_vm *vm;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	vm = xa_erase(&sfile->vms, args->vm_id);
	if (!vm)
		return -ENOENT;
	swgpu_vm_teardown(vm);
	return 0;
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
