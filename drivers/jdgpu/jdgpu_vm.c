// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: jdgpu contexts and address-space slots
 *
 * A jdgpu context is a drm_gmmu VM with lpae-40 tables and nothing of
 * the driver's around it: the hardware keeps no per-context state. Its
 * TLB lives in whichever of the four address-space slots the context
 * holds, so an invalidation iommu-ctx asks for flushes that slot, if the
 * context has one (drm_gmmu_slot_ctx_flush()); drm_gmmu's slot manager
 * programs a slot's TRANSTAB with the context's root table when it gives
 * the slot to it, and flushes the slot before it changes owner.
 */
#include <linux/iommu_ctx.h>
#include <linux/slab.h>

#include "jdgpu_drv.h"

static void jdgpu_tlb_flush_all(void *cookie)
{
	struct drm_gmmu_vm *vm = cookie;

	drm_gmmu_slot_ctx_flush(&vm->slot);
}

static void jdgpu_tlb_flush_range(unsigned long iova, size_t size,
				  size_t granule, void *cookie)
{
	jdgpu_tlb_flush_all(cookie);
}

static const struct iommu_ctx_tlb_ops jdgpu_tlb_ops = {
	.flush_all = jdgpu_tlb_flush_all,
	.flush_range = jdgpu_tlb_flush_range,
};

static void jdgpu_vm_free(struct drm_gmmu_vm *vm)
{
	kfree(vm);
}

/* &drm_gmmu_device_funcs.vm_create: VM_CREATE's builder. */
static struct drm_gmmu_vm *jdgpu_vm_create(struct drm_gmmu_device *gdev)
{
	struct drm_gmmu_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	struct drm_gmmu_vm_cfg cfg = {
		.va_bits = 39,
		.va_start = DRM_JDGPU_VM_VA_START,
		.pgsize_bitmap = SZ_4K | SZ_2M,
		.coherent = true,
		.tlb = &jdgpu_tlb_ops,
		.tlb_cookie = vm,
		.free = jdgpu_vm_free,
		.max_queues = DRM_JDGPU_MAX_QUEUES,
		.queue = &jdgpu_queue_cfg,
	};
	int ret;

	if (!vm)
		return ERR_PTR(-ENOMEM);
	ret = drm_gmmu_vm_init(vm, gdev, "jdgpu-vm", &cfg);
	if (ret) {
		kfree(vm);
		return ERR_PTR(ret);
	}
	return vm;
}

/* The slot manager writes TRANSTAB with the context's root table. */
static void jdgpu_slot_bind(struct drm_gmmu_slots *s, unsigned int slot,
			    struct drm_gmmu_slot_ctx *ctx)
{
	struct drm_gmmu_vm *vm = ctx ? container_of(ctx, struct drm_gmmu_vm,
						    slot) : NULL;

	jdgpu_hw_as_program(s->priv, slot, vm && vm->domain ?
			    iommu_ctx_root_dma(vm->domain) : 0);
}

static void jdgpu_slot_flush(struct drm_gmmu_slots *s, unsigned int slot)
{
	jdgpu_hw_as_flush(s->priv, slot);
}

const struct drm_gmmu_slots_ops jdgpu_slots_ops = {
	.bind = jdgpu_slot_bind,
	.flush = jdgpu_slot_flush,
};

/* &drm_gmmu_device_funcs.get_param: what only jdgpu is asked. */
static int jdgpu_get_param(struct drm_gmmu_device *gdev, u32 param, u64 *value)
{
	switch (param) {
	case DRM_JDGPU_PARAM_PCI_SLOT:
		*value = to_jdgpu(gdev)->pci_slot;
		return 0;
	case DRM_JDGPU_PARAM_MAX_CHAIN:
		*value = JDGPU_MAX_CHAIN;
		return 0;
	}
	return -EINVAL;
}

const struct drm_gmmu_device_funcs jdgpu_gmmu_funcs = {
	.vm_create = jdgpu_vm_create,
	.get_param = jdgpu_get_param,
};
