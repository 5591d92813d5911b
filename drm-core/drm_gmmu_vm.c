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
 * A bind or unbind is one transaction: drm_gpuvm computes the split/merge
 * steps, everything that can fail (VA structures, the BO's level-1
 * mapping, page-table memory for the worst case, the locks) is obtained
 * first, and only then are the tables and the VA tree changed, so an error
 * leaves the VM as it was. Mappings that go away keep their BO until the
 * GPU's TLB has been invalidated: the GPU never reaches freed memory.
 */
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_exec.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_print.h>

static void drm_gmmu_vm_free(struct drm_gpuvm *gpuvm)
{
	struct drm_gmmu_vm *vm = to_drm_gmmu_vm(gpuvm);

	/* drm_gmmu_vm_close() must have run: the domain would leak. */
	drm_WARN_ON(gpuvm->drm, vm->domain);
	/* Every queue holds a reference: none is left. */
	drm_WARN_ON(gpuvm->drm, !xa_empty(&vm->queues));
	xa_destroy(&vm->queues);
	mutex_destroy(&vm->queue_lock);
	mutex_destroy(&vm->lock);
	vm->free(vm);
}

static const struct drm_gpuvm_ops drm_gmmu_gpuvm_ops = {
	.vm_free = drm_gmmu_vm_free,
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
		.format = cfg->format,
		.dma_dev = gdev->drm->dev,
		.va_bits = cfg->va_bits,
		.pgsize_bitmap = cfg->pgsize_bitmap,
		.coherent_walk = cfg->coherent,
		.tlb = cfg->tlb,
		.cookie = cfg->tlb_cookie,
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
	xa_init_flags(&vm->queues, XA_FLAGS_ALLOC);
	mutex_init(&vm->queue_lock);
	spin_lock_init(&vm->faults.lock);
	vm->coherent = cfg->coherent;
	mutex_init(&vm->lock);
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

/* What one bind or unbind needs, obtained before anything changes. */
struct drm_gmmu_vm_txn {
	struct drm_gmmu_vm *vm;
	struct drm_gmmu_bo *bo;
	struct sg_table *sgt;
	int prot;
	struct drm_gpuva_ops *ops;
	struct drm_gpuvm_bo *vm_bo;
	/* New drm_gpuva structures, one per inserted mapping. */
	struct drm_gpuva **new_va;
	unsigned int new_count, new_used;
	/* Mappings removed from the tree, released after the invalidation. */
	struct drm_gpuva **dead_va;
	unsigned int dead_count;
	/*
	 * A reference on the BO of every mapping that may go, dropped only
	 * once every lock of the transaction is released: unlinking a BO's
	 * last mapping may drop its last reference, and freeing a BO takes
	 * the device lock and the BO's reservation, which the transaction
	 * holds (a private BO's is the VM's own).
	 */
	struct drm_gem_object **held;
	unsigned int held_count;
	struct iommu_ctx_reservation res;
	struct iommu_iotlb_gather gather;
	struct drm_exec exec;
};

/* The mapping a step removes (whole or split), or NULL for a new one. */
static struct drm_gpuva *drm_gmmu_op_old_va(struct drm_gpuva_op *op)
{
	if (op->op == DRM_GPUVA_OP_UNMAP)
		return op->unmap.va;
	if (op->op == DRM_GPUVA_OP_REMAP)
		return op->remap.unmap->va;
	return NULL;
}

static int drm_gmmu_vm_txn_prepare(struct drm_gmmu_vm_txn *t, u64 va,
				   u64 range, unsigned int res_flags)
{
	struct drm_gpuva_op *op;
	unsigned int i, nnew = 0, ndead = 0;

	drm_gpuva_for_each_op(op, t->ops) {
		switch (op->op) {
		case DRM_GPUVA_OP_MAP:
			nnew++;
			break;
		case DRM_GPUVA_OP_REMAP:
			nnew += !!op->remap.prev + !!op->remap.next;
			ndead++;
			break;
		case DRM_GPUVA_OP_UNMAP:
			ndead++;
			break;
		default:
			return -EINVAL;
		}
	}
	t->new_va = kcalloc(nnew, sizeof(*t->new_va), GFP_KERNEL);
	t->dead_va = kcalloc(ndead, sizeof(*t->dead_va), GFP_KERNEL);
	t->held = kcalloc(ndead, sizeof(*t->held), GFP_KERNEL);
	if ((nnew && !t->new_va) || (ndead && (!t->dead_va || !t->held)))
		return -ENOMEM;
	/* The tree cannot change: binds and close hold the VM lock. */
	drm_gpuva_for_each_op(op, t->ops) {
		struct drm_gpuva *old = drm_gmmu_op_old_va(op);

		if (old && old->gem.obj) {
			drm_gem_object_get(old->gem.obj);
			t->held[t->held_count++] = old->gem.obj;
		}
	}
	for (i = 0; i < nnew; i++) {
		t->new_va[i] = kzalloc(sizeof(*t->new_va[i]), GFP_KERNEL);
		if (!t->new_va[i])
			return -ENOMEM;
		t->new_count++;
	}
	/* Worst-case table memory: the map, and the splits at both ends. */
	return iommu_ctx_reserve(t->vm->domain, va, range, res_flags,
				 GFP_KERNEL, &t->res);
}

/* Lock the VM's resv, the BO's, and those of every mapping that changes. */
static int drm_gmmu_vm_txn_lock(struct drm_gmmu_vm_txn *t)
{
	struct drm_gpuva_op *op;
	int ret = 0;

	/* Private BOs share the VM's reservation: the same lock twice. */
	drm_exec_init(&t->exec, DRM_EXEC_INTERRUPTIBLE_WAIT |
		      DRM_EXEC_IGNORE_DUPLICATES, 0);
	drm_exec_until_all_locked(&t->exec) {
		ret = drm_exec_lock_obj(&t->exec, drm_gpuvm_resv_obj(&t->vm->base));
		drm_exec_retry_on_contention(&t->exec);
		if (ret)
			break;
		if (t->bo) {
			ret = drm_exec_lock_obj(&t->exec, &t->bo->base.base);
			drm_exec_retry_on_contention(&t->exec);
			if (ret)
				break;
		}
		drm_gpuva_for_each_op(op, t->ops) {
			struct drm_gpuva *old = drm_gmmu_op_old_va(op);

			if (!old || !old->gem.obj)
				continue;
			ret = drm_exec_lock_obj(&t->exec, old->gem.obj);
			drm_exec_retry_on_contention(&t->exec);
			if (ret)
				break;
		}
	}
	return ret;
}

static struct drm_gpuva *drm_gmmu_vm_txn_new_va(struct drm_gmmu_vm_txn *t)
{
	return t->new_va[t->new_used++];
}

/* Map [bo_offset, bo_offset + range) of the BO's DMA segments at @va. */
static int drm_gmmu_vm_map_sgt(struct drm_gmmu_vm_txn *t, u64 va,
			       u64 bo_offset, u64 range)
{
	struct scatterlist *sg;
	u64 pos = 0, mapped = 0;
	unsigned int i;
	int ret;

	for_each_sgtable_dma_sg(t->sgt, sg, i) {
		u64 len = sg_dma_len(sg), skip, n;

		if (pos + len <= bo_offset) {
			pos += len;
			continue;
		}
		skip = bo_offset > pos ? bo_offset - pos : 0;
		n = min(len - skip, range - mapped);
		ret = iommu_ctx_map_reserved(t->vm->domain, va + mapped,
					     sg_dma_address(sg) + skip, n,
					     t->prot, &t->res);
		if (ret)
			return ret;
		mapped += n;
		pos += len;
		if (mapped == range)
			return 0;
	}
	return -EINVAL;
}

/* Carry out the steps. Nothing in here can fail unless iommu-ctx's
 * worst-case reservation were wrong, which is a bug worth a warning.
 */
static void drm_gmmu_vm_txn_commit(struct drm_gmmu_vm_txn *t)
{
	struct iommu_domain *domain = t->vm->domain;
	struct drm_gpuva_op *op;
	int ret;

	iommu_iotlb_gather_init(&t->gather);
	drm_gpuva_for_each_op(op, t->ops) {
		switch (op->op) {
		case DRM_GPUVA_OP_UNMAP: {
			struct drm_gpuva *old = op->unmap.va;

			iommu_ctx_unmap_reserved(domain, old->va.addr,
						 old->va.range, &t->res,
						 &t->gather);
			drm_gpuva_unmap(&op->unmap);
			t->dead_va[t->dead_count++] = old;
			break;
		}
		case DRM_GPUVA_OP_REMAP: {
			struct drm_gpuva *old = op->remap.unmap->va;
			struct drm_gpuva *prev = NULL, *next = NULL;
			u64 start, len;

			drm_gpuva_op_remap_to_unmap_range(&op->remap, &start, &len);
			iommu_ctx_unmap_reserved(domain, start, len, &t->res,
						 &t->gather);
			if (op->remap.prev)
				prev = drm_gmmu_vm_txn_new_va(t);
			if (op->remap.next)
				next = drm_gmmu_vm_txn_new_va(t);
			drm_gpuva_remap(prev, next, &op->remap);
			/* What is left of a mapping keeps its permission. */
			if (prev) {
				prev->flags |= old->flags & DRM_GMMU_VA_WRITABLE;
				drm_gpuva_link(prev, old->vm_bo);
			}
			if (next) {
				next->flags |= old->flags & DRM_GMMU_VA_WRITABLE;
				drm_gpuva_link(next, old->vm_bo);
			}
			t->dead_va[t->dead_count++] = old;
			break;
		}
		case DRM_GPUVA_OP_MAP: {
			struct drm_gpuva *nva = drm_gmmu_vm_txn_new_va(t);

			ret = drm_gmmu_vm_map_sgt(t, op->map.va.addr,
						  op->map.gem.offset,
						  op->map.va.range);
			drm_WARN_ONCE(t->vm->base.drm, ret,
				      "level-2 map failed despite a reservation: %d\n",
				      ret);
			drm_gpuva_map(&t->vm->base, nva, &op->map);
			if (t->prot & IOMMU_WRITE)
				nva->flags |= DRM_GMMU_VA_WRITABLE;
			drm_gpuva_link(nva, t->vm_bo);
			break;
		}
		default:
			break;
		}
	}
	/* The GPU's TLB forgets the old translations here... */
	iommu_iotlb_sync(domain, &t->gather);
	/* ...so only now may the BOs they pointed at go. */
	while (t->dead_count) {
		struct drm_gpuva *old = t->dead_va[--t->dead_count];

		drm_gpuva_unlink(old);
		kfree(old);
	}
}

static void drm_gmmu_vm_txn_cleanup(struct drm_gmmu_vm_txn *t, bool locked)
{
	unsigned int i;

	if (t->vm_bo)
		drm_gpuvm_bo_put(t->vm_bo);
	if (locked)
		drm_exec_fini(&t->exec);
	/* No reservation is held any more: a BO may be freed here. */
	while (t->held_count)
		drm_gem_object_put(t->held[--t->held_count]);
	kfree(t->held);
	if (t->vm->domain)
		iommu_ctx_unreserve(t->vm->domain, &t->res);
	for (i = t->new_used; i < t->new_count; i++)
		kfree(t->new_va[i]);
	kfree(t->new_va);
	kfree(t->dead_va);
	if (t->ops)
		drm_gpuva_ops_free(&t->vm->base, t->ops);
}

static int drm_gmmu_vm_run(struct drm_gmmu_vm_txn *t, u64 va, u64 range,
			   unsigned int res_flags)
{
	bool locked = false;
	int ret;

	/* Binds of one VM are serialised: the steps were computed under it. */
	lockdep_assert_held(&t->vm->lock);
	iommu_ctx_reservation_init(&t->res);
	if (IS_ERR(t->ops)) {
		ret = PTR_ERR(t->ops);
		t->ops = NULL;
		goto out;
	}
	ret = drm_gmmu_vm_txn_prepare(t, va, range, res_flags);
	if (ret)
		goto out;
	ret = drm_gmmu_vm_txn_lock(t);
	locked = true;
	if (ret)
		goto out;
	if (t->bo) {
		/* Allocates only if the BO is not mapped in this VM yet. */
		t->vm_bo = drm_gpuvm_bo_obtain(&t->vm->base, &t->bo->base.base);
		if (IS_ERR(t->vm_bo)) {
			ret = PTR_ERR(t->vm_bo);
			t->vm_bo = NULL;
			goto out;
		}
		drm_gpuvm_bo_extobj_add(t->vm_bo);
	}
	drm_gmmu_vm_txn_commit(t);
out:
	drm_gmmu_vm_txn_cleanup(t, locked);
	return ret;
}

static int drm_gmmu_vm_check_range(struct drm_gmmu_vm *vm, u64 va, u64 range)
{
	u64 end;

	if (!range || !PAGE_ALIGNED(va) || !PAGE_ALIGNED(range) ||
	    check_add_overflow(va, range, &end))
		return -EINVAL;
	if (!drm_gpuvm_range_valid(&vm->base, va, range))
		return -EINVAL;
	return 0;
}

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
	struct drm_gmmu_vm_txn t = { .vm = vm, .bo = bo };
	u64 bo_end;
	int ret;

	if (flags & ~DRM_GMMU_VM_BIND_READONLY)
		return -EINVAL;
	ret = drm_gmmu_vm_check_range(vm, va, range);
	if (ret)
		return ret;
	if (!PAGE_ALIGNED(bo_offset) ||
	    check_add_overflow(bo_offset, range, &bo_end) ||
	    bo_end > bo->base.base.size)
		return -EINVAL;
	if (bo->vm_resv_obj && bo->base.base.resv != drm_gpuvm_resv(&vm->base))
		return -EINVAL;
	if (bo->gdev != vm->gdev)
		return -EINVAL;

	/* Lock order: the device lock (level-1 mappings), then resv. */
	t.sgt = drm_gmmu_bo_dma_map(bo);
	if (IS_ERR(t.sgt))
		return PTR_ERR(t.sgt);
	t.prot = IOMMU_READ;
	if (!(flags & DRM_GMMU_VM_BIND_READONLY))
		t.prot |= IOMMU_WRITE;
	if (vm->coherent)
		t.prot |= IOMMU_CACHE;

	ret = mutex_lock_interruptible(&vm->lock);
	if (ret)
		return ret;
	if (vm->closed) {
		ret = -ENOENT;
		goto out;
	}
	t.ops = drm_gpuvm_sm_map_ops_create(&vm->base, va, range,
					    &bo->base.base, bo_offset);
	ret = drm_gmmu_vm_run(&t, va, range,
			      IOMMU_CTX_RES_MAP | IOMMU_CTX_RES_UNMAP);
out:
	mutex_unlock(&vm->lock);
	return ret;
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
	struct drm_gmmu_vm_txn t = { .vm = vm };
	int ret;

	ret = drm_gmmu_vm_check_range(vm, va, range);
	if (ret)
		return ret;
	ret = mutex_lock_interruptible(&vm->lock);
	if (ret)
		return ret;
	if (vm->closed) {
		ret = -ENOENT;
		goto out;
	}
	t.ops = drm_gpuvm_sm_unmap_ops_create(&vm->base, va, range);
	ret = drm_gmmu_vm_run(&t, va, range, IOMMU_CTX_RES_UNMAP);
out:
	mutex_unlock(&vm->lock);
	return ret;
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

	iommu_ctx_reservation_init(&none);
	iommu_iotlb_gather_init(&gather);
	drm_gpuvm_for_each_va(va, gpuvm)
		iommu_ctx_unmap_reserved(vm->domain, va->va.addr, va->va.range,
					 &none, &gather);
	iommu_iotlb_sync(vm->domain, &gather);

	drm_gpuvm_for_each_va_safe(va, next, gpuvm) {
		struct drm_gem_object *obj = va->gem.obj;

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
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_close);
