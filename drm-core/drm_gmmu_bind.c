// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Bind arrays
 *
 * A bind is an array of operations (&struct drm_gmmu_bind_op: map a range
 * of a BO at a GPU address, map a range sparse, or unmap a range) carried
 * out in three steps,
 * so that the part that changes the VM can run where nothing may fail or
 * allocate:
 *
 * 1. drm_gmmu_bind_prepare() checks the whole array (ranges, offsets,
 *    flags, BOs, and that no two operations overlap), then obtains
 *    everything that can fail: the VM's bind lock, a &struct drm_gpuva for
 *    every mapping the array can create, page-table memory for the worst
 *    case of every run of neighbouring operations (iommu_ctx_reserve()),
 *    the reservation locks of the VM and of every BO whose mappings
 *    change, then under them each mapped BO's level-1 mapping (shared by
 *    every VM that maps the BO, see "Pins by purpose"), the &drm_gpuvm_bo
 *    of every BO mapped, counted against the file's pinned-memory limit,
 *    and the tables of evicted BOs the array touches. An error here
 *    leaves the VM as it was, and no pin behind.
 * 2. drm_gmmu_bind_commit() lets drm_gpuvm compute each operation's
 *    split and merge steps against the tree as the earlier operations
 *    left it (drm_gpuvm_sm_map() and drm_gpuvm_sm_unmap(), whose callbacks
 *    allocate nothing) and records the table changes each step implies;
 *    then writes them to the level-2 tables from the reservation and
 *    invalidates the GPU's TLB once for the whole array. Only then do
 *    the mappings that went release their BOs: the GPU never reaches
 *    freed memory. It cannot fail, and runs as a fence-signalling section.
 *    An asynchronous array does the first half in its ioctl and the second
 *    in its job (see "Asynchronous binds").
 * 3. drm_gmmu_bind_cleanup() drops the locks and returns what was not
 *    used. A BO whose last reference the array held is freed only here,
 *    with no reservation held (see Documentation/locking.rst).
 *
 * A sparse mapping (%DRM_GMMU_BIND_MAP_SPARSE) is a &drm_gpuva without a
 * BO: drm_gpuvm splits and replaces it like any other, and its table
 * entries are iommu-ctx's sparse leaves (%IOMMU_CTX_SPARSE), which the GPU
 * reads as zeros and whose writes it drops, without a fault.
 *
 * The bounds are exact enough to be cheap: an operation creates at most
 * one mapping of its own and one remnant at each of its ends, and only
 * where a mapping straddles that end; it removes at most one mapping per
 * mapping that already intersects its range (operations do not overlap,
 * so a remnant an earlier operation left is the only part of its original
 * that a later one can reach).
 */
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <drm/drm_exec.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_bind.h>
#include <drm/drm_print.h>

#include "drm_gmmu_bind_internal.h"
#include "drm_gmmu_internal.h"

static int drm_gmmu_bind_check_op(struct drm_gmmu_vm *vm,
				  const struct drm_gmmu_bind_op *op)
{
	u64 end;

	if (!op->range || !PAGE_ALIGNED(op->va) || !PAGE_ALIGNED(op->range) ||
	    check_add_overflow(op->va, op->range, &end) ||
	    !drm_gpuvm_range_valid(&vm->base, op->va, op->range))
		return -EINVAL;
	switch (op->kind) {
	case DRM_GMMU_BIND_UNMAP:
		return op->flags || op->bo ? -EINVAL : 0;
	case DRM_GMMU_BIND_MAP_SPARSE:
		/* Only a format with sparse leaves can: see IOMMU_CTX_SPARSE. */
		return op->flags || op->bo || op->bo_offset ? -EINVAL : 0;
	case DRM_GMMU_BIND_MAP:
		break;
	default:
		return -EINVAL;
	}
	if (op->flags & ~DRM_GMMU_VM_BIND_READONLY || !op->bo ||
	    !PAGE_ALIGNED(op->bo_offset) ||
	    check_add_overflow(op->bo_offset, op->range, &end) ||
	    end > op->bo->base.base.size || op->bo->gdev != vm->gdev)
		return -EINVAL;
	/* A VM-private BO shares its VM's reservation: only that VM. */
	if (op->bo->vm_resv_obj &&
	    op->bo->base.base.resv != drm_gpuvm_resv(&vm->base))
		return -EINVAL;
	return 0;
}

static int drm_gmmu_bind_cmp_va(const void *a, const void *b)
{
	const struct drm_gmmu_bind_step *x = a, *y = b;

	if (x->op.va != y->op.va)
		return x->op.va < y->op.va ? -1 : 1;
	return 0;
}

/* Every operation valid, and no two of them overlapping. */
static int drm_gmmu_bind_check(struct drm_gmmu_bind_ctx *ctx)
{
	struct drm_gmmu_bind_step *sorted;
	unsigned int i;
	int ret;

	for (i = 0; i < ctx->count; i++) {
		ret = drm_gmmu_bind_check_op(ctx->vm, &ctx->steps[i].op);
		if (ret)
			return ret;
	}
	if (!ctx->count)
		return 0;
	sorted = kvmemdup(ctx->steps, ctx->count * sizeof(*sorted), GFP_KERNEL);
	if (!sorted)
		return -ENOMEM;
	ctx->sorted = sorted;
	sort(sorted, ctx->count, sizeof(*sorted), drm_gmmu_bind_cmp_va, NULL);
	for (i = 1; i < ctx->count; i++)
		if (sorted[i - 1].op.va + sorted[i - 1].op.range > sorted[i].op.va)
			return -EINVAL;
	return 0;
}

/* Operations closer than this share a run of reserved tables. */
#define DRM_GMMU_BIND_RES_GAP	SZ_2M

/*
 * Page-table memory for the worst case of the whole array. Neighbouring
 * operations share tables, so operations no further apart than
 * %DRM_GMMU_BIND_RES_GAP are reserved as one run: one operation alone for
 * what it does, a run of several for mapping every page of it, which
 * covers every map, and every block split at an end of an operation,
 * inside it. Reserving each operation for its own worst case instead
 * would count the same directory tables once per operation.
 */
static int drm_gmmu_bind_reserve(struct drm_gmmu_bind_ctx *ctx)
{
	const struct drm_gmmu_bind_step *s = ctx->sorted;
	unsigned int i = 0, first, flags;
	u64 start, end;
	int ret;

	while (i < ctx->count) {
		first = i;
		start = s[i].op.va;
		end = start + s[i].op.range;
		for (i++; i < ctx->count &&
		     s[i].op.va - end <= DRM_GMMU_BIND_RES_GAP; i++)
			end = s[i].op.va + s[i].op.range;
		flags = IOMMU_CTX_RES_UNMAP;
		if (i - first > 1 || s[first].op.kind != DRM_GMMU_BIND_UNMAP)
			flags |= IOMMU_CTX_RES_MAP;
		ret = iommu_ctx_reserve(ctx->vm->domain, start, end - start,
					flags, GFP_KERNEL, &ctx->res);
		if (ret)
			return ret;
	}
	return 0;
}

/* Does a mapping of @vm cover both sides of @addr? */
static bool drm_gmmu_bind_straddled(struct drm_gmmu_vm *vm, u64 addr)
{
	struct drm_gpuva *va;

	if (!addr)
		return false;
	va = drm_gpuva_find_first(&vm->base, addr - 1, 2);
	return va && va->va.addr < addr && va->va.addr + va->va.range > addr;
}

/*
 * Size the pools from the tree as it is (the VM's bind lock is held, so it
 * cannot change before commit) and take a reference on the BO of every
 * mapping the array may remove.
 */
static int drm_gmmu_bind_alloc(struct drm_gmmu_bind_ctx *ctx)
{
	struct drm_gmmu_vm *vm = ctx->vm;
	unsigned int i, n, nva = 0, nhit = 0;
	struct drm_gpuva *va;

	for (i = 0; i < ctx->count; i++) {
		const struct drm_gmmu_bind_op *op = &ctx->steps[i].op;

		nva += (op->kind != DRM_GMMU_BIND_UNMAP) +
		       drm_gmmu_bind_straddled(vm, op->va) +
		       drm_gmmu_bind_straddled(vm, op->va + op->range);
		drm_gpuvm_for_each_va_range(va, &vm->base, op->va,
					    op->va + op->range)
			nhit++;
	}
	ctx->pool = kvcalloc(nva, sizeof(*ctx->pool), GFP_KERNEL);
	ctx->dead = kvcalloc(nhit, sizeof(*ctx->dead), GFP_KERNEL);
	ctx->held = kvcalloc(nhit, sizeof(*ctx->held), GFP_KERNEL);
	/* Each table change creates a mapping or removes one. */
	ctx->ptes = kvcalloc(nva + nhit, sizeof(*ctx->ptes), GFP_KERNEL);
	if ((nva && !ctx->pool) || (nhit && (!ctx->dead || !ctx->held)) ||
	    (nva + nhit && !ctx->ptes))
		return -ENOMEM;
	ctx->dead_max = nhit;
	ctx->pte_max = nva + nhit;
	for (n = 0; n < nva; n++) {
		ctx->pool[n] = kzalloc(sizeof(*ctx->pool[n]), GFP_KERNEL);
		if (!ctx->pool[n])
			return -ENOMEM;
		ctx->pool_count++;
	}
	for (i = 0; i < ctx->count; i++) {
		const struct drm_gmmu_bind_op *op = &ctx->steps[i].op;

		drm_gpuvm_for_each_va_range(va, &vm->base, op->va,
					    op->va + op->range) {
			if (!va->gem.obj)
				continue;
			drm_gem_object_get(va->gem.obj);
			ctx->held[ctx->held_count++] = va->gem.obj;
		}
	}
	return 0;
}

/*
 * The reservations of the VM, of the BOs the array maps and of those
 * whose mappings it may remove: what the tree commit, drm_gmmu_bind_finish()
 * and drm_gmmu_bind_revert() need. On error @ctx->exec stays initialised
 * until drm_gmmu_bind_release_locked().
 */
int drm_gmmu_bind_lock(struct drm_gmmu_bind_ctx *ctx, bool intr)
{
	unsigned int i;
	int ret = 0;

	/* Private BOs share the VM's reservation: the same lock twice. */
	drm_exec_init(&ctx->exec, (intr ? DRM_EXEC_INTERRUPTIBLE_WAIT : 0) |
		      DRM_EXEC_IGNORE_DUPLICATES, 0);
	ctx->exec_init = true;
	drm_exec_until_all_locked(&ctx->exec) {
		ret = drm_exec_lock_obj(&ctx->exec,
					drm_gpuvm_resv_obj(&ctx->vm->base));
		drm_exec_retry_on_contention(&ctx->exec);
		if (ret)
			break;
		for (i = 0; i < ctx->count && !ret; i++) {
			if (!ctx->steps[i].op.bo)
				continue;
			ret = drm_exec_lock_obj(&ctx->exec,
						&ctx->steps[i].op.bo->base.base);
			drm_exec_retry_on_contention(&ctx->exec);
		}
		for (i = 0; i < ctx->held_count && !ret; i++) {
			ret = drm_exec_lock_obj(&ctx->exec, ctx->held[i]);
			drm_exec_retry_on_contention(&ctx->exec);
		}
	}
	return ret;
}

static struct drm_gmmu_bind_ctx *
drm_gmmu_bind_prepare_mode(struct drm_gmmu_vm *vm,
			   const struct drm_gmmu_bind_op *ops, unsigned int count,
			   bool async)
{
	struct drm_gmmu_bind_ctx *ctx;
	unsigned int i;
	int ret;

	if (count > DRM_GMMU_BIND_MAX_OPS)
		return ERR_PTR(-EINVAL);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	kref_init(&ctx->ref);
	INIT_LIST_HEAD(&ctx->link);
	ctx->vm = vm;
	ctx->async = async;
	iommu_ctx_reservation_init(&ctx->res);
	ctx->steps = kvcalloc(count, sizeof(*ctx->steps), GFP_KERNEL);
	if (count && !ctx->steps) {
		ret = -ENOMEM;
		goto err;
	}
	ctx->count = count;
	for (i = 0; i < count; i++)
		ctx->steps[i].op = ops[i];
	ret = drm_gmmu_bind_check(ctx);
	if (ret)
		goto err;
	/* An asynchronous array outlives the caller's references. */
	if (async) {
		for (i = 0; i < count; i++)
			if (ctx->steps[i].op.bo)
				drm_gem_object_get(&ctx->steps[i].op.bo->base.base);
		ctx->bo_refs = true;
	}

	for (i = 0; i < count; i++) {
		struct drm_gmmu_bind_step *s = &ctx->steps[i];

		/* Writes are dropped, not refused: writable, without memory. */
		if (s->op.kind == DRM_GMMU_BIND_MAP_SPARSE)
			s->prot = IOMMU_READ | IOMMU_WRITE | IOMMU_CTX_SPARSE;
		else if (s->op.kind == DRM_GMMU_BIND_MAP)
			s->prot = drm_gmmu_vm_prot(vm, !(s->op.flags &
						 DRM_GMMU_VM_BIND_READONLY));
	}

	/* The tree the pools are sized from stays as it is until cleanup. */
	ret = mutex_lock_interruptible(&vm->lock);
	if (ret)
		goto err;
	ctx->vm_locked = true;
	if (vm->closed) {
		ret = -ENOENT;
		goto err;
	}
	for (i = 0; i < count; i++) {
		if (ctx->steps[i].op.kind == DRM_GMMU_BIND_MAP_SPARSE &&
		    !iommu_ctx_domain_format(vm->domain)->sparse) {
			ret = -EOPNOTSUPP;
			goto err;
		}
	}
	/*
	 * Earlier asynchronous arrays are in the tree already; one that
	 * failed is undone first. A synchronous array also waits for their
	 * table writes, which it must come after.
	 */
	ret = async ? drm_gmmu_bind_reap(vm) : drm_gmmu_bind_wait_pending(vm);
	/* What was settled is freed by a worker, without the bind lock. */
	if (!list_empty(&vm->bind_done))
		drm_gmmu_bind_kick(vm);
	if (ret)
		goto err;
	ret = drm_gmmu_bind_alloc(ctx);
	if (ret)
		goto err;
	ret = drm_gmmu_bind_reserve(ctx);
	if (ret)
		goto err;
	ret = drm_gmmu_bind_lock(ctx, true);
	if (ret)
		goto err;
	for (i = 0; i < count; i++) {
		struct drm_gmmu_bind_step *s = &ctx->steps[i];

		if (s->op.kind != DRM_GMMU_BIND_MAP)
			continue;
		/*
		 * Level 1 under the BO's reservation, which the last unbind
		 * that would drop it holds too: held by the array until it
		 * is cleaned up or settled (see "Pins by purpose").
		 */
		s->sgt = drm_gmmu_bo_l1_get_locked(s->op.bo);
		if (IS_ERR(s->sgt)) {
			ret = PTR_ERR(s->sgt);
			s->sgt = NULL;
			goto err;
		}
		/* Allocates only if the BO is not mapped in this VM yet. */
		s->vm_bo = drm_gpuvm_bo_obtain(&vm->base, &s->op.bo->base.base);
		if (IS_ERR(s->vm_bo)) {
			ret = PTR_ERR(s->vm_bo);
			s->vm_bo = NULL;
			goto err;
		}
		drm_gpuvm_bo_extobj_add(s->vm_bo);
		ret = drm_gmmu_vm_bo_charge(s->vm_bo);
		if (ret)
			goto err;
	}
	/*
	 * Mappings of evicted BOs that the array maps, splits or removes get
	 * their tables back first, so that what the array leaves of them is
	 * mapped (see "Eviction").
	 */
	ret = drm_gmmu_bind_restore(ctx);
	if (ret)
		goto err;
	return ctx;

err:
	drm_gmmu_bind_cleanup(ctx);
	return ERR_PTR(ret);
}

/**
 * drm_gmmu_bind_prepare - check a bind array and obtain all it needs
 * @vm: the VM
 * @ops: the operations; copied, and the BOs of MAP operations must stay
 *	referenced by the caller until drm_gmmu_bind_cleanup()
 * @count: entries of @ops, at most %DRM_GMMU_BIND_MAX_OPS
 *
 * See "Bind arrays" above. Waits for the VM's asynchronous binds to be
 * done first: a synchronous array comes after them. On success the VM's
 * bind lock and the reservations are held until drm_gmmu_bind_cleanup(),
 * which must follow, with or without drm_gmmu_bind_commit() in between.
 *
 * Context: process context; may sleep.
 * Return: the context; or an ERR_PTR: -EINVAL for a bad operation (range,
 * offset, flag, a BO of another device or private to another VM) or two
 * that overlap; -EOPNOTSUPP for a sparse mapping on a page-table format
 * without sparse leaves; -ENOENT if the VM is closed; -ENODEV, -ERANGE from the
 * level-1 mapping; -ENOSPC past the file's pinned-memory limit; -ENOMEM;
 * -EINTR/-ERESTARTSYS. On error nothing changed.
 */
struct drm_gmmu_bind_ctx *drm_gmmu_bind_prepare(struct drm_gmmu_vm *vm,
						const struct drm_gmmu_bind_op *ops,
						unsigned int count)
{
	return drm_gmmu_bind_prepare_mode(vm, ops, count, false);
}
EXPORT_SYMBOL_GPL(drm_gmmu_bind_prepare);

/*
 * drm_gmmu_bind_prepare() for an array that will run as a job: it holds
 * its own references on its BOs, and does not wait for earlier jobs.
 */
struct drm_gmmu_bind_ctx *drm_gmmu_bind_prepare_async(struct drm_gmmu_vm *vm,
						      const struct drm_gmmu_bind_op *ops,
						      unsigned int count)
{
	return drm_gmmu_bind_prepare_mode(vm, ops, count, true);
}

static struct drm_gpuva *drm_gmmu_bind_new_va(struct drm_gmmu_bind_ctx *ctx)
{
	struct drm_gpuva *va;

	if (drm_WARN_ON(ctx->vm->base.drm, ctx->pool_used == ctx->pool_count))
		return NULL;
	va = ctx->pool[ctx->pool_used++];
	va->flags = DRM_GMMU_VA_BIND_NEW;
	return va;
}

static void drm_gmmu_bind_kill(struct drm_gmmu_bind_ctx *ctx,
			       struct drm_gpuva *va)
{
	/* The bound is proven in the DOC above: a miss is a bug, not OOM. */
	if (drm_WARN_ON(ctx->vm->base.drm, ctx->dead_count == ctx->dead_max))
		return;
	va->flags |= DRM_GMMU_VA_BIND_DEAD;
	ctx->dead[ctx->dead_count++] = va;
}

/* Record a table change; the bound is proven like the pools'. */
static void drm_gmmu_bind_record(struct drm_gmmu_bind_ctx *ctx,
				 struct drm_gmmu_bind_step *step, u64 va,
				 u64 bo_offset, u64 range)
{
	if (drm_WARN_ON(ctx->vm->base.drm, ctx->pte_count == ctx->pte_max))
		return;
	ctx->ptes[ctx->pte_count++] = (struct drm_gmmu_bind_pte) {
		.step = step,
		.va = va,
		.bo_offset = bo_offset,
		.range = range,
	};
}

/* Write [bo_offset, bo_offset + range) of the BO's DMA segments at @va. */
static void drm_gmmu_bind_write(struct drm_gmmu_bind_ctx *ctx,
				const struct drm_gmmu_bind_pte *p)
{
	struct drm_gmmu_bind_step *s = p->step;
	int ret;

	if (!s->sgt)
		/* Sparse: the address is not used by the device. */
		ret = iommu_ctx_map_reserved(ctx->vm->domain, p->va, 0,
					     p->range, s->prot, &ctx->res);
	else
		/* One walk, however many DMA segments the range spans. */
		ret = iommu_ctx_map_sgtable_range_reserved(ctx->vm->domain,
							   p->va, s->sgt,
							   p->bo_offset,
							   p->range, s->prot,
							   &ctx->res);
	drm_WARN_ONCE(ctx->vm->base.drm, ret,
		      "level-2 map failed despite a reservation: %d\n", ret);
}

/**
 * drm_gmmu_bind_step_map - &drm_gpuvm_ops.sm_step_map of drm_gmmu VMs
 * @op: the new mapping
 * @priv: the &struct drm_gmmu_bind_ctx being committed
 *
 * Return: 0; commit cannot fail.
 */
int drm_gmmu_bind_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct drm_gmmu_bind_ctx *ctx = priv;
	struct drm_gpuva *va = drm_gmmu_bind_new_va(ctx);

	if (!va)
		return 0;
	drm_gmmu_bind_record(ctx, ctx->cur, op->map.va.addr,
			     op->map.gem.offset, op->map.va.range);
	drm_gpuva_map(&ctx->vm->base, va, &op->map);
	ctx->vm->mapped_bytes += op->map.va.range;
	if (ctx->cur->prot & IOMMU_WRITE)
		va->flags |= DRM_GMMU_VA_WRITABLE;
	drm_gpuva_link(va, ctx->cur->vm_bo);
	return 0;
}

/**
 * drm_gmmu_bind_step_remap - &drm_gpuvm_ops.sm_step_remap of drm_gmmu VMs
 * @op: the mapping cut, and what is left of it on either side
 * @priv: the &struct drm_gmmu_bind_ctx being committed
 *
 * Return: 0; commit cannot fail.
 */
int drm_gmmu_bind_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct drm_gmmu_bind_ctx *ctx = priv;
	struct drm_gpuva *old = op->remap.unmap->va;
	struct drm_gpuva *prev = NULL, *next = NULL;
	u64 start, len;

	drm_gpuva_op_remap_to_unmap_range(&op->remap, &start, &len);
	drm_gmmu_bind_record(ctx, NULL, start, 0, len);
	ctx->vm->mapped_bytes -= len;
	if (op->remap.prev)
		prev = drm_gmmu_bind_new_va(ctx);
	if (op->remap.next)
		next = drm_gmmu_bind_new_va(ctx);
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
	drm_gmmu_bind_kill(ctx, old);
	return 0;
}

/**
 * drm_gmmu_bind_step_unmap - &drm_gpuvm_ops.sm_step_unmap of drm_gmmu VMs
 * @op: the mapping that goes
 * @priv: the &struct drm_gmmu_bind_ctx being committed
 *
 * Return: 0; commit cannot fail.
 */
int drm_gmmu_bind_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct drm_gmmu_bind_ctx *ctx = priv;
	struct drm_gpuva *old = op->unmap.va;

	drm_gmmu_bind_record(ctx, NULL, old->va.addr, 0, old->va.range);
	ctx->vm->mapped_bytes -= old->va.range;
	drm_gpuva_unmap(&op->unmap);
	drm_gmmu_bind_kill(ctx, old);
	return 0;
}

/*
 * Change the VA tree operation by operation and record the table changes
 * that go with it; the tables themselves are untouched. Cannot fail and
 * allocates nothing; the reservations are held.
 */
void drm_gmmu_bind_commit_tree(struct drm_gmmu_bind_ctx *ctx)
{
	struct drm_gmmu_vm *vm = ctx->vm;
	unsigned int i;
	int ret;

	lockdep_assert_held(&vm->lock);
	dma_resv_assert_held(drm_gpuvm_resv(&vm->base));
	for (i = 0; i < ctx->count; i++) {
		const struct drm_gmmu_bind_op *op = &ctx->steps[i].op;

		ctx->cur = &ctx->steps[i];
		if (op->kind == DRM_GMMU_BIND_MAP)
			ret = drm_gpuvm_sm_map(&vm->base, ctx, op->va, op->range,
					       &op->bo->base.base,
					       op->bo_offset);
		else if (op->kind == DRM_GMMU_BIND_MAP_SPARSE)
			ret = drm_gpuvm_sm_map(&vm->base, ctx, op->va, op->range,
					       NULL, 0);
		else
			ret = drm_gpuvm_sm_unmap(&vm->base, ctx, op->va,
						 op->range);
		drm_WARN_ON(vm->base.drm, ret);
	}
	ctx->cur = NULL;
	atomic64_inc(&vm->gdev->stats->vm.bind_arrays);
	atomic64_add(ctx->count, &vm->gdev->stats->vm.bind_ops);
}

/*
 * Write the recorded table changes and invalidate the GPU's TLB once. The
 * fence-signalling path of an asynchronous array: allocates nothing, and
 * takes only the VM's apply lock, which nothing holds while allocating.
 * Returns -ENODEV, writing nothing, once the VM is being closed: @ctx may
 * then be freed already, and is not looked at.
 */
int drm_gmmu_bind_apply(struct drm_gmmu_vm *vm, struct drm_gmmu_bind_ctx *ctx)
{
	unsigned int i;

	mutex_lock(&vm->bind_apply_lock);
	if (vm->bind_dying) {
		mutex_unlock(&vm->bind_apply_lock);
		return -ENODEV;
	}
	iommu_iotlb_gather_init(&ctx->gather);
	for (i = 0; i < ctx->pte_count; i++) {
		const struct drm_gmmu_bind_pte *p = &ctx->ptes[i];

		if (p->step)
			drm_gmmu_bind_write(ctx, p);
		else
			iommu_ctx_unmap_reserved(vm->domain, p->va, p->range,
						 &ctx->res, &ctx->gather);
	}
	/* The GPU's TLB forgets the old translations here, once. */
	iommu_iotlb_sync(vm->domain, &ctx->gather);
	mutex_unlock(&vm->bind_apply_lock);
	return 0;
}

/*
 * The tables no longer point at the mappings the array removed: they go,
 * and with them the BOs they held. Under the reservations.
 */
void drm_gmmu_bind_finish(struct drm_gmmu_bind_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->pool_used; i++)
		ctx->pool[i]->flags &= ~DRM_GMMU_VA_BIND_NEW;
	while (ctx->dead_count) {
		struct drm_gpuva *old = ctx->dead[--ctx->dead_count];

		drm_gpuva_unlink(old);
		kfree(old);
	}
}

/*
 * Undo an array whose tree commit was done and whose table changes were
 * not written: the mappings it created leave the tree, the ones it
 * removed come back, in the opposite order. Under the reservations.
 */
void drm_gmmu_bind_revert(struct drm_gmmu_bind_ctx *ctx)
{
	struct drm_gmmu_vm *vm = ctx->vm;
	struct drm_gpuva *va;
	unsigned int i;

	lockdep_assert_held(&vm->lock);
	for (i = 0; i < ctx->pool_used; i++) {
		va = ctx->pool[i];
		if (va->flags & DRM_GMMU_VA_BIND_DEAD)
			continue;
		drm_gpuva_remove(va);
		vm->mapped_bytes -= va->va.range;
	}
	for (i = ctx->dead_count; i--; ) {
		va = ctx->dead[i];
		if (va->flags & DRM_GMMU_VA_BIND_NEW)
			continue;
		va->flags &= ~DRM_GMMU_VA_BIND_DEAD;
		/* Its place is free again: this cannot collide. */
		drm_WARN_ON(vm->base.drm, drm_gpuva_insert(&vm->base, va));
		vm->mapped_bytes += va->va.range;
	}
	ctx->dead_count = 0;
	for (i = 0; i < ctx->pool_used; i++) {
		drm_gpuva_unlink(ctx->pool[i]);
		kfree(ctx->pool[i]);
		ctx->pool[i] = NULL;
	}
	atomic64_inc(&vm->gdev->stats->vm.bind_reverted);
}

/**
 * drm_gmmu_bind_commit - carry out a prepared bind array
 * @ctx: from drm_gmmu_bind_prepare()
 *
 * Changes the VA tree and the level-2 tables operation by operation,
 * invalidates the GPU's TLB once, then releases the mappings that went.
 * Cannot fail and allocates nothing.
 *
 * Context: the locks drm_gmmu_bind_prepare() took are held; the tree and
 * table changes are a fence-signalling section, the release of what went
 * is not.
 */
void drm_gmmu_bind_commit(struct drm_gmmu_bind_ctx *ctx)
{
	bool cookie = dma_fence_begin_signalling();

	drm_gmmu_bind_commit_tree(ctx);
	/* Only a closed VM refuses, and prepare saw it open, locked. */
	drm_WARN_ON(ctx->vm->base.drm, drm_gmmu_bind_apply(ctx->vm, ctx));
	dma_fence_end_signalling(cookie);
	/*
	 * The TLB forgot the old translations: their BOs may go, and with
	 * a BO's last mapping its level-1 mapping, as when an asynchronous
	 * array is settled: that is no part of writing the tables.
	 */
	drm_gmmu_bind_finish(ctx);
}
EXPORT_SYMBOL_GPL(drm_gmmu_bind_commit);

/*
 * What a context holds under the VM's bind lock and the reservations:
 * the vm_bo references (a vm_bo's last reference goes under its BO's
 * reservation), the reservations, and unused page-table memory.
 */
void drm_gmmu_bind_release_locked(struct drm_gmmu_bind_ctx *ctx)
{
	struct drm_gmmu_vm *vm = ctx->vm;
	unsigned int i;

	lockdep_assert_held(&vm->lock);
	for (i = 0; i < ctx->count; i++) {
		struct drm_gmmu_bind_step *s = &ctx->steps[i];

		if (s->vm_bo)
			drm_gpuvm_bo_put(s->vm_bo);
		s->vm_bo = NULL;
		/* The BO's last mapping may have gone: so may level 1. */
		if (s->op.kind == DRM_GMMU_BIND_MAP && s->sgt)
			drm_gmmu_bo_l1_put_locked(s->op.bo);
		s->sgt = NULL;
	}
	if (ctx->exec_init)
		drm_exec_fini(&ctx->exec);
	ctx->exec_init = false;
	if (vm->domain)
		iommu_ctx_unreserve(vm->domain, &ctx->res);
}

static void drm_gmmu_bind_ctx_free(struct kref *ref)
{
	struct drm_gmmu_bind_ctx *ctx =
		container_of(ref, struct drm_gmmu_bind_ctx, ref);
	unsigned int i;

	/* No reservation is held any more: a BO may be freed here. */
	while (ctx->held_count)
		drm_gem_object_put(ctx->held[--ctx->held_count]);
	for (i = 0; ctx->bo_refs && i < ctx->count; i++)
		if (ctx->steps[i].op.bo)
			drm_gem_object_put(&ctx->steps[i].op.bo->base.base);
	for (i = ctx->pool_used; i < ctx->pool_count; i++)
		kfree(ctx->pool[i]);
	dma_fence_put(ctx->fence);
	kvfree(ctx->pool);
	kvfree(ctx->dead);
	kvfree(ctx->held);
	kvfree(ctx->ptes);
	kvfree(ctx->sorted);
	kvfree(ctx->steps);
	kfree(ctx);
}

/* Drop a holder of @ctx; the last one frees it. Process context. */
void drm_gmmu_bind_ctx_put(struct drm_gmmu_bind_ctx *ctx)
{
	kref_put(&ctx->ref, drm_gmmu_bind_ctx_free);
}

/**
 * drm_gmmu_bind_cleanup - release a bind array's context
 * @ctx: from drm_gmmu_bind_prepare(), committed or not
 *
 * Drops the locks, the references the array took and what it prepared
 * and did not use. If @ctx was not committed the VM is as it was.
 *
 * Context: process context.
 */
void drm_gmmu_bind_cleanup(struct drm_gmmu_bind_ctx *ctx)
{
	struct drm_gmmu_vm *vm = ctx->vm;

	if (ctx->vm_locked) {
		drm_gmmu_bind_release_locked(ctx);
		ctx->vm_locked = false;
		mutex_unlock(&vm->lock);
	}
	drm_gmmu_bind_ctx_put(ctx);
}
EXPORT_SYMBOL_GPL(drm_gmmu_bind_cleanup);

/**
 * drm_gmmu_vm_bind_ops - carry out a bind array now
 * @vm: the VM
 * @ops: the operations, as for drm_gmmu_bind_prepare()
 * @count: entries of @ops
 *
 * drm_gmmu_bind_prepare(), drm_gmmu_bind_commit() and
 * drm_gmmu_bind_cleanup(): when this returns the tables are updated and
 * the GPU's TLB invalidated.
 *
 * Context: process context; may sleep.
 * Return: 0 or the errors of drm_gmmu_bind_prepare(); on error nothing
 * changed.
 */
int drm_gmmu_vm_bind_ops(struct drm_gmmu_vm *vm,
			 const struct drm_gmmu_bind_op *ops, unsigned int count)
{
	struct drm_gmmu_bind_ctx *ctx = drm_gmmu_bind_prepare(vm, ops, count);

	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	drm_gmmu_bind_commit(ctx);
	drm_gmmu_bind_cleanup(ctx);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_bind_ops);
