// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: VMs and binds
 *
 * Context address spaces (VMs): the VA bookkeeping is drm_gpuvm's, the
 * level-2 page tables are an iommu-ctx domain whose entries hold the BOs'
 * level-1 DMA addresses.
 *
 * Binds and unbinds are arrays of operations prepared, committed and
 * cleaned up as "Bind arrays" (drm_gmmu_bind.c) describes; the single
 * bind and unbind here are arrays of one.
 */
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_bind.h>
#include <drm/drm_print.h>

#include "drm_gmmu_bind_internal.h"
#include "drm_gmmu_internal.h"

static void drm_gmmu_vm_free(struct drm_gpuvm *gpuvm)
{
	struct drm_gmmu_vm *vm = to_drm_gmmu_vm(gpuvm);

	/* drm_gmmu_vm_close() must have run: the domain would leak. */
	drm_WARN_ON(gpuvm->drm, vm->domain);
	/* Every queue holds a reference: none is left. */
	drm_WARN_ON(gpuvm->drm, !xa_empty(&vm->queues));
	drm_gmmu_slot_ctx_fini(&vm->slot);
	xa_destroy(&vm->queues);
	/* Bind arrays are settled and freed before the VM closes. */
	drm_WARN_ON(gpuvm->drm, !list_empty(&vm->bind_pending) ||
		    !list_empty(&vm->bind_done) || vm->bind_queue);
	mutex_destroy(&vm->queue_lock);
	mutex_destroy(&vm->bind_apply_lock);
	mutex_destroy(&vm->lock);
	vm->free(vm);
}

static const struct drm_gpuvm_ops drm_gmmu_gpuvm_ops = {
	.vm_free = drm_gmmu_vm_free,
	/* Binds run through drm_gpuvm_sm_map() with these (drm_gmmu_bind.c). */
	.sm_step_map = drm_gmmu_bind_step_map,
	.sm_step_remap = drm_gmmu_bind_step_remap,
	.sm_step_unmap = drm_gmmu_bind_step_unmap,
};

/*
 * Page-table memory of a non-coherent walk is memory the GPU reads too:
 * iommu-ctx's table stores and syncs reach the device's observer as CPU
 * writes and flushes, so that a model of the hardware sees a table entry
 * the walker could read stale, as it sees a buffer's.
 */
static void drm_gmmu_table_write(void *cookie, struct page *page,
				 unsigned int offset, unsigned int len)
{
	struct drm_gmmu_device *gdev = cookie;

	if (gdev->coherency_ops->cpu_write)
		gdev->coherency_ops->cpu_write(gdev, page, offset, len, false);
}

static void drm_gmmu_table_flush(void *cookie, struct page *page,
				 unsigned int offset, unsigned int len)
{
	struct drm_gmmu_device *gdev = cookie;

	if (gdev->coherency_ops->flush)
		gdev->coherency_ops->flush(gdev, page, offset, len);
}

static void drm_gmmu_table_release(void *cookie, struct page *page)
{
	struct drm_gmmu_device *gdev = cookie;

	if (gdev->coherency_ops->release)
		gdev->coherency_ops->release(gdev, page);
}

static const struct iommu_ctx_walk_ops drm_gmmu_table_walk_ops = {
	.write = drm_gmmu_table_write,
	.flush = drm_gmmu_table_flush,
	.release = drm_gmmu_table_release,
};

/**
 * drm_gmmu_vm_init - set up a context address space
 * @vm: the VM, embedded in the driver's context structure, zeroed
 * @gdev: the device
 * @name: name for debugging output
 * @cfg: the GPU MMU's properties and the driver's callbacks
 *
 * Allocates the level-2 page tables (an iommu-ctx domain of the device)
 * and the VM's reservation object. The VM starts with one reference. On
 * error nothing is left and @cfg->free is not called.
 *
 * Return: 0, -EINVAL for a bad @cfg, -ENODEV if the format is unknown,
 * -ENOMEM.
 */
int drm_gmmu_vm_init(struct drm_gmmu_vm *vm, struct drm_gmmu_device *gdev,
		     const char *name, const struct drm_gmmu_vm_cfg *cfg)
{
	struct iommu_ctx_cfg icfg = {
		.format = cfg->format ?: gdev->format,
		.dma_dev = gdev->drm->dev,
		.va_bits = cfg->va_bits,
		.pgsize_bitmap = cfg->pgsize_bitmap,
		.coherent_walk = cfg->coherent,
		.tlb = cfg->tlb,
		.cookie = cfg->tlb_cookie,
		.walk = !cfg->coherent && gdev->coherency_ops ?
			&drm_gmmu_table_walk_ops : NULL,
		.walk_cookie = gdev,
	};
	struct drm_gem_object *r_obj;
	struct iommu_domain *domain;
	u64 end;

	if (!cfg->free || !cfg->va_bits || cfg->va_bits > 63)
		return -EINVAL;
	end = BIT_ULL(cfg->va_bits);
	if (cfg->va_start >= end || !PAGE_ALIGNED(cfg->va_start))
		return -EINVAL;

	domain = iommu_ctx_domain_alloc(&icfg);
	if (IS_ERR(domain))
		return PTR_ERR(domain);
	r_obj = drm_gpuvm_resv_object_alloc(gdev->drm);
	if (!r_obj) {
		iommu_domain_free(domain);
		return -ENOMEM;
	}

	vm->gdev = gdev;
	vm->domain = domain;
	vm->free = cfg->free;
	vm->quiesce = cfg->quiesce;
	vm->max_queues = cfg->max_queues;
	vm->queue_cfg = cfg->queue;
	drm_gmmu_slot_ctx_init(&vm->slot, gdev->slots);
	xa_init_flags(&vm->queues, XA_FLAGS_ALLOC);
	mutex_init(&vm->queue_lock);
	spin_lock_init(&vm->faults.lock);
	vm->coherent = cfg->coherent;
	vm->pid = task_tgid_nr(current);
	get_task_comm(vm->comm, current);
	mutex_init(&vm->lock);
	drm_gmmu_bind_vm_init(vm);
	INIT_LIST_HEAD(&vm->link);
	drm_gpuvm_init(&vm->base, name, 0, gdev->drm, r_obj, cfg->va_start,
		       end - cfg->va_start, 0, 0, &drm_gmmu_gpuvm_ops);
	/* The gpuvm holds its own reference on the reservation object. */
	drm_gem_object_put(r_obj);

	spin_lock(&gdev->vm_lock);
	list_add_tail(&vm->link, &gdev->vms);
	spin_unlock(&gdev->vm_lock);

	/*
	 * An unplug that ran before the VM was listed missed it: the VM is
	 * then born closed, and binds fail. Drivers avoid this by creating VMs
	 * inside drm_dev_enter().
	 */
	mutex_lock(&gdev->lock);
	if (gdev->unplugged) {
		mutex_unlock(&gdev->lock);
		drm_gmmu_vm_close(vm);
		return 0;
	}
	mutex_unlock(&gdev->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_init);

/**
 * drm_gmmu_vm_bind - map part of a BO into a VM
 * @vm: the VM
 * @bo: the BO; a VM-private BO must be private to @vm
 * @bo_offset: offset in @bo of the first byte mapped, page-aligned
 * @va: GPU virtual address, page-aligned
 * @range: bytes, page-aligned, non-zero
 * @flags: %DRM_GMMU_VM_BIND_READONLY or 0
 *
 * Whatever @vm mapped in [@va, @va + @range) before is unmapped in the same
 * step (mappings that straddle an end are split). Synchronous: when this
 * returns, the tables are updated and the GPU's TLB invalidated. Takes the
 * BO's level-1 mapping (drm_gmmu_bo_dma_map()) on first use.
 *
 * Context: process context; takes @vm->lock, the device lock and
 * reservation locks.
 *
 * Return: 0; -EINVAL for a bad range, offset or flag, or a BO private to
 * another VM; -ENOENT if the VM is closed; -ENODEV, -ERANGE, -ENOMEM from
 * the level-1 mapping; -ENOMEM; -EINTR/-ERESTARTSYS. On error nothing
 * changed.
 */
int drm_gmmu_vm_bind(struct drm_gmmu_vm *vm, struct drm_gmmu_bo *bo,
		     u64 bo_offset, u64 va, u64 range, unsigned int flags)
{
	const struct drm_gmmu_bind_op op = {
		.kind = DRM_GMMU_BIND_MAP,
		.flags = flags,
		.bo = bo,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};

	return drm_gmmu_vm_bind_ops(vm, &op, 1);
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_bind);

/**
 * drm_gmmu_vm_unbind - unmap a range of a VM
 * @vm: the VM
 * @va: GPU virtual address, page-aligned
 * @range: bytes, page-aligned, non-zero
 *
 * Mappings inside the range go, those that straddle an end are split.
 * Holes are not an error. Synchronous, like drm_gmmu_vm_bind().
 *
 * Return: 0; -EINVAL for a bad range; -ENOENT if the VM is closed;
 * -ENOMEM; -EINTR/-ERESTARTSYS. On error nothing changed.
 */
int drm_gmmu_vm_unbind(struct drm_gmmu_vm *vm, u64 va, u64 range)
{
	const struct drm_gmmu_bind_op op = {
		.kind = DRM_GMMU_BIND_UNMAP,
		.va = va,
		.range = range,
	};

	return drm_gmmu_vm_bind_ops(vm, &op, 1);
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_unbind);

/**
 * drm_gmmu_vm_close - unmap everything and free the page tables
 * @vm: the VM
 *
 * Called by the driver once no job can use the VM any more (its queues are
 * idle and torn down), and by drm_gmmu_device_unplug(). Later binds fail
 * with -ENOENT. Idempotent, and cannot fail: it allocates nothing (whole
 * mappings are unmapped, which splits no block) and takes one reservation
 * lock at a time, uninterruptibly.
 *
 * Context: process context.
 */
void drm_gmmu_vm_close(struct drm_gmmu_vm *vm)
{
	struct drm_gmmu_device *gdev = vm->gdev;
	struct drm_gpuvm *gpuvm = &vm->base;
	struct iommu_ctx_reservation none;
	struct iommu_iotlb_gather gather;
	struct drm_gpuva *va, *next;

	/* The reservations are taken only if something is still mapped. */
	might_lock(&drm_gpuvm_resv(gpuvm)->lock.base);
	spin_lock(&gdev->vm_lock);
	list_del_init(&vm->link);
	spin_unlock(&gdev->vm_lock);

	mutex_lock(&vm->lock);
	if (vm->closed)
		goto out;
	vm->closed = true;
	/* Bind jobs still waiting write nothing now; their arrays go. */
	drm_gmmu_bind_abandon(vm);

	iommu_ctx_reservation_init(&none);
	iommu_iotlb_gather_init(&gather);
	drm_gpuvm_for_each_va(va, gpuvm)
		iommu_ctx_unmap_reserved(vm->domain, va->va.addr, va->va.range,
					 &none, &gather);
	iommu_iotlb_sync(vm->domain, &gather);
	vm->mapped_bytes = 0;

	drm_gpuvm_for_each_va_safe(va, next, gpuvm) {
		struct drm_gem_object *obj = va->gem.obj;

		if (!obj) {
			/* Sparse: no BO, nothing linked. */
			drm_gpuva_remove(va);
			kfree(va);
			continue;
		}
		drm_gem_object_get(obj);
		dma_resv_lock(obj->resv, NULL);
		drm_gpuva_remove(va);
		drm_gpuva_unlink(va);
		dma_resv_unlock(obj->resv);
		drm_gem_object_put(obj);
		kfree(va);
	}
	iommu_domain_free(vm->domain);
	vm->domain = NULL;
out:
	mutex_unlock(&vm->lock);
	drm_gmmu_bind_free_done(vm);
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_close);
