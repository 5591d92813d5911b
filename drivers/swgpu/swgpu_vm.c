// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu contexts
 *
 * GPU contexts: a drm_gmmu VM (address space, level-2 tables, queues,
 * fault records) and the MMU context the hardware runs it on. drm_gmmu's
 * VM_CREATE calls swgpu_vm_create() to build one; everything else about
 * VMs is drm_gmmu's shared ioctls.
 */
#include <linux/iommu_ctx.h>
#include <linux/slab.h>

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

/* The VM's queues are drained: the hardware forgets the context. */
static void swgpu_vm_quiesce(struct drm_gmmu_vm *gvm)
{
	swgpu_hw_mmu_set_root(to_swgpu_vm(gvm)->mmu, NULL, 0);
}

/* &drm_gmmu_device_funcs.vm_create: VM_CREATE's builder. */
static struct drm_gmmu_vm *swgpu_vm_create(struct drm_gmmu_device *gdev)
{
	struct swgpu_device *sdev = container_of(gdev, struct swgpu_device, gmmu);
	const struct swgpu_profile *p = sdev->profile;
	struct drm_gmmu_vm_cfg cfg = {
		.va_bits = p->va_bits,
		.va_start = DRM_SWGPU_VM_VA_START,
		.pgsize_bitmap = p->page_sizes,
		.coherent = p->coherent,
		.tlb = &swgpu_hw_mmu_tlb_ops,
		.free = swgpu_vm_free,
		.quiesce = swgpu_vm_quiesce,
		.max_queues = DRM_SWGPU_MAX_QUEUES,
		.queue = &swgpu_queue_cfg,
	};
	struct swgpu_vm *vm;
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
	return &vm->gvm;
}

/* drm_gmmu's slot manager programs and flushes the hardware's slots. */
static void swgpu_slot_bind(struct drm_gmmu_slots *s, unsigned int slot,
			    struct drm_gmmu_slot_ctx *ctx)
{
	struct drm_gmmu_vm *gvm = ctx ? container_of(ctx, struct drm_gmmu_vm,
						     slot) : NULL;

	swgpu_hw_slot_bind(s->priv, slot, gvm ? to_swgpu_vm(gvm)->mmu : NULL);
}

static void swgpu_slot_flush(struct drm_gmmu_slots *s, unsigned int slot)
{
	swgpu_hw_slot_flush(s->priv, slot);
}

const struct drm_gmmu_slots_ops swgpu_slots_ops = {
	.bind = swgpu_slot_bind,
	.flush = swgpu_slot_flush,
};

const struct drm_gmmu_device_funcs swgpu_gmmu_funcs = {
	.vm_create = swgpu_vm_create,
	.get_param = swgpu_get_param,
};
