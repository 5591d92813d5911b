// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu contexts
 *
 * GPU contexts: a drm_gmmu VM (address space, level-2 tables, queues,
 * fault records) and the MMU context the hardware runs it on; and the
 * ioctls that create, destroy, bind into and query them and their queues,
 * translated into drm_gmmu calls.
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

	swgpu_hw_mmu_destroy(vm->mmu);
	kfree(vm);
}

static void swgpu_vm_quiesce(struct drm_gmmu_vm *gvm);

/* VM_CREATE's builder (drm_gmmu_file_vm_create()), inside drm_dev_enter(). */
static struct drm_gmmu_vm *swgpu_vm_create(void *data)
{
	struct swgpu_device *sdev = data;
	const struct swgpu_profile *p = sdev->profile;
	struct drm_gmmu_vm_cfg cfg = {
		.format = p->format,
		.va_bits = p->va_bits,
		.va_start = DRM_SWGPU_VM_VA_START,
		.pgsize_bitmap = p->page_sizes,
		.coherent = p->coherent,
		.tlb = &swgpu_hw_mmu_tlb_ops,
		.free = swgpu_vm_free,
		.quiesce = swgpu_vm_quiesce,
		.max_queues = DRM_SWGPU_MAX_QUEUES,
	};
	struct swgpu_vm *vm;
	u32 qid;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->mmu = swgpu_hw_mmu_create(sdev->hw, p->va_bits);
	cfg.tlb_cookie = vm->mmu;
	ret = vm->mmu ? drm_gmmu_vm_init(&vm->gvm, &sdev->gmmu, "swgpu-vm",
					 &cfg) : -ENOMEM;
	if (ret) {
		swgpu_hw_mmu_destroy(vm->mmu);
		kfree(vm);
		return ERR_PTR(ret);
	}
	/* Write the context's page-table base, as a driver would program it. */
	if (vm->gvm.domain)
		swgpu_hw_mmu_set_root(vm->mmu,
				      iommu_ctx_domain_format(vm->gvm.domain),
				      iommu_ctx_root_dma(vm->gvm.domain));

	/* Every VM comes with its queue 0. */
	ret = drm_gmmu_vm_queue_create(&vm->gvm, &swgpu_queue_cfg, 0, &qid);
	if (ret)
		goto err_close;
	return &vm->gvm;

err_close:
	drm_gmmu_vm_close_queues(&vm->gvm);
	drm_gmmu_vm_close(&vm->gvm);
	drm_gmmu_vm_put(&vm->gvm);
	return ERR_PTR(ret);
}

/* The VM's queues are drained: the hardware forgets the context. */
static void swgpu_vm_quiesce(struct drm_gmmu_vm *gvm)
{
	swgpu_hw_mmu_set_root(to_swgpu_vm(gvm)->mmu, NULL, 0);
}

int swgpu_vm_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	struct drm_swgpu_vm_create *args = data;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_file_vm_create(gfile, swgpu_vm_create,
				       to_swgpu(drm), &args->vm_id);
}

int swgpu_vm_destroy_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	struct drm_swgpu_vm_destroy *args = data;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_file_vm_destroy(gfile, args->vm_id);
}

int swgpu_vm_bind_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	struct drm_swgpu_vm_bind *args = data;
	unsigned int flags = 0;
	int ret;

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
	if (args->op == DRM_SWGPU_VM_BIND_OP_UNMAP)
		return drm_gmmu_file_vm_unbind(gfile, args->vm_id,
					       args->va, args->range);
	return drm_gmmu_file_vm_bind(gfile, args->vm_id, args->handle,
				     args->bo_offset, args->va, args->range,
				     flags);
}

int swgpu_vm_get_fault_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	struct drm_swgpu_vm_get_fault *args = data;
	struct drm_gmmu_fault last;
	u64 total;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (!ret)
		ret = drm_gmmu_file_vm_faults(gfile, args->vm_id, &last,
					      &total, 0, NULL, 0, NULL);
	if (ret)
		return ret;
	args->count = min_t(u64, total, U32_MAX);
	args->access = last.access;
	args->va = last.va;
	args->seqno = last.seqno;
	return 0;
}

int swgpu_vm_read_faults_ioctl(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	struct drm_swgpu_vm_read_faults *args = data;
	u32 count = args->count;
	u64 dropped;
	int ret;

	if (args->flags || args->pad)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (!ret)
		ret = drm_gmmu_file_vm_faults(gfile, args->vm_id, NULL,
					      NULL, args->faults, &count,
					      args->stride, &dropped);
	if (ret)
		return ret;
	args->count = count;
	args->dropped = dropped;
	return 0;
}

int swgpu_queue_create_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct drm_swgpu_queue_create *args = data;
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	int ret, idx;
	u32 id;

	if (args->flags || args->pad)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	ret = drm_gmmu_file_queue_create(gfile, args->vm_id,
					 &swgpu_queue_cfg, &id);
	drm_dev_exit(idx);
	if (!ret)
		args->queue_id = id;
	return ret;
}

int swgpu_queue_destroy_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct drm_swgpu_queue_destroy *args = data;
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);
	int ret;

	if (args->flags || args->pad)
		return -EINVAL;
	ret = drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL);
	if (ret)
		return ret;
	return drm_gmmu_file_queue_destroy(gfile, args->vm_id,
					   args->queue_id);
}
