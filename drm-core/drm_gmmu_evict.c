// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Pins by purpose
 *
 * A BO's level-1 mapping (&drm_gmmu_bo.sgt) pins every backing page, and is
 * shared by whatever needs it. It exists while at least one of these
 * purposes holds, and goes, with its pin, when the last one does
 * (drm_gmmu_bo_l1_release_unused()):
 *
 * - a VM maps the BO: a &drm_gpuvm_bo of the BO exists in some VM. The
 *   last unbind of the BO in any VM frees the last of them, and with it
 *   the level-1 mapping (&drm_gpuvm_ops.vm_bo_free);
 * - a bind array that maps the BO is prepared and not cleaned up (a
 *   synchronous one) or settled (an asynchronous one: its job writes the
 *   tables from the mapping, which must outlast it);
 * - a kernel user asked for it with drm_gmmu_bo_dma_map(): it stays until
 *   the BO is freed or the device unplugged.
 *
 * Everything about it is under the BO's reservation: a bind's prepare
 * takes the mapping after it has locked the BO, and the last unbind drops
 * it under the same lock, so the two cannot race. A bind that fails
 * leaves no pin behind: its &drm_gpuvm_bo, if it made one, and its hold
 * go in drm_gmmu_bind_cleanup(). An imported BO keeps the mapping of its
 * attachment, made at import, until its exporter moves the buffer (see
 * "Dynamic dma-buf").
 *
 * Pinned memory is counted per file: each BO a VM of the file maps counts
 * its size once for that VM (&drm_gmmu_file.pinned), from the bind that
 * first maps it in the VM to the unbind of its last mapping there,
 * evicted or not. A bind past the limit (the ``pin_limit_mb`` module
 * parameter, half of RAM if 0) fails with -ENOSPC and leaves nothing
 * behind. Debugfs ``gmmu_pins`` shows the limit and each file's count.
 */

/**
 * DOC: Eviction
 *
 * Any BO of the device may be evicted, bound or not, in as many VMs as
 * map it, as long as nothing but its bindings holds it. The shrinker
 * does it under memory pressure, trylocking reservations only; debugfs
 * ``gmmu_evict`` does it on demand, for one BO or for the whole device.
 * drm_gmmu_bo_evict_locked() passes over, and counts:
 *
 * - a BO with unsignalled fences: a job that uses it is not done
 *   (``skipped_busy``); every job fences every BO its VM maps, so a job
 *   never finds its mappings torn down under it;
 * - a BO that a bind array not settled yet maps, splits or unmaps
 *   (``skipped_busy``): its job writes the tables from the level-1
 *   mapping, or relies on the tables the array found;
 * - a BO pinned for another reason (``skipped_pinned``): vmapped, under
 *   CPU access, pinned by an importer of its dma-buf (also counted in
 *   ``gmmu_dmabuf``'s ``skipped_importer_pin``: a static importer, or on
 *   Debian's kernel any importer that mapped it), kept by a kernel user;
 * - an exported BO that a dynamic importer still maps after being told
 *   to let go (``skipped_busy``, see "Dynamic dma-buf").
 *
 * An exported BO whose dynamic importers mapped it tells them first
 * (dma_buf_move_notify()): each clears its own tables, after the jobs
 * that use the buffer are done, and unmaps its attachment.
 *
 * Otherwise, for every VM that maps the BO, the table entries of each of
 * its mappings there are cleared and the VM's TLB invalidated (under the
 * VM's apply lock, as a bind job writes them; nothing is allocated) and
 * the &drm_gpuvm_bo is marked evicted (drm_gpuvm_bo_evict()), which puts
 * it on the VM's evict list; then the level-1 mapping goes, and the pages
 * are released to swap as an unbound BO's are. The VA tree keeps the
 * mappings.
 *
 * Restore. Before a job of a VM runs, drm_gmmu_exec() validates the VM
 * with the submission's reservations held (drm_gpuvm_validate()): for
 * every evicted &drm_gpuvm_bo of the VM, the backing comes back, the
 * level-1 mapping is made again (once, whichever VM comes first) and the
 * table entries of its mappings in that VM are written again. Only then
 * is the job armed, with its fence on the BO, so it never runs on a
 * stale translation. A bind array that maps, splits or unmaps a mapping
 * of an evicted BO restores that BO's mappings in the VM first, so that
 * the array's table changes apply to tables as the tree describes them.
 * Whatever is evicted in VMs that run no job stays evicted.
 */
#include <linux/debugfs.h>
#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_print.h>

#include "drm_gmmu_bind_internal.h"
#include "drm_gmmu_internal.h"

static unsigned int pin_limit_mb;
module_param(pin_limit_mb, uint, 0644);
MODULE_PARM_DESC(pin_limit_mb,
		 "MiB of BOs one file's VMs may map, counted once per VM (0: half of RAM)");

/*
 * A BO in a VM: drm_gpuvm's, and the bytes it counts against its file's
 * pinned-memory limit.
 */
struct drm_gmmu_vm_bo {
	struct drm_gpuvm_bo base;
	u64 charged;
};

static struct drm_gmmu_vm_bo *to_gmmu_vm_bo(struct drm_gpuvm_bo *vm_bo)
{
	return container_of(vm_bo, struct drm_gmmu_vm_bo, base);
}

static u64 drm_gmmu_pin_limit(void)
{
	u64 mb = READ_ONCE(pin_limit_mb);

	return mb ? mb << 20 : (u64)totalram_pages() << (PAGE_SHIFT - 1);
}

/**
 * drm_gmmu_vm_prot - IOMMU_* flags of a mapping of a BO in a VM
 * @vm: the VM
 * @writable: the GPU may write through the mapping
 *
 * Return: the flags a bind or a restore writes to the tables.
 */
int drm_gmmu_vm_prot(struct drm_gmmu_vm *vm, bool writable)
{
	int prot = IOMMU_READ;

	if (writable)
		prot |= IOMMU_WRITE;
	if (vm->coherent)
		prot |= IOMMU_CACHE;
	return prot;
}

/**
 * drm_gmmu_vm_bo_alloc - &drm_gpuvm_ops.vm_bo_alloc of drm_gmmu VMs
 *
 * Return: a zeroed &struct drm_gpuvm_bo inside drm_gmmu's, or NULL.
 */
struct drm_gpuvm_bo *drm_gmmu_vm_bo_alloc(void)
{
	struct drm_gmmu_vm_bo *vbo = kzalloc(sizeof(*vbo), GFP_KERNEL);

	return vbo ? &vbo->base : NULL;
}

/**
 * drm_gmmu_vm_bo_free - &drm_gpuvm_ops.vm_bo_free of drm_gmmu VMs
 * @vm_bo: the BO's last link to the VM, unlinked from the BO already
 *
 * Gives back what it counted against its file's limit; if it was the
 * BO's last link to any VM, the BO's level-1 mapping goes too, unless
 * another purpose holds it.
 *
 * Context: the BO's reservation is held (drm_gpuvm_bo_put()).
 */
void drm_gmmu_vm_bo_free(struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gmmu_vm_bo *vbo = to_gmmu_vm_bo(vm_bo);
	struct drm_gmmu_vm *vm = to_drm_gmmu_vm(vm_bo->vm);
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(vm_bo->obj);

	if (vbo->charged && vm->pinned)
		atomic64_sub(vbo->charged, vm->pinned);
	kfree(vbo);
	drm_gmmu_bo_l1_release_unused(bo);
}

/**
 * drm_gmmu_vm_bo_charge - count a BO newly mapped in a VM against its file
 * @vm_bo: the BO in the VM, from drm_gpuvm_bo_obtain()
 *
 * Counts the BO's size once per &drm_gpuvm_bo: a BO the VM already maps
 * costs nothing more. A VM of the kernel counts nothing.
 *
 * Context: the BO's reservation is held.
 * Return: 0, or -ENOSPC past the file's limit (nothing counted).
 */
int drm_gmmu_vm_bo_charge(struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gmmu_vm_bo *vbo = to_gmmu_vm_bo(vm_bo);
	struct drm_gmmu_vm *vm = to_drm_gmmu_vm(vm_bo->vm);
	u64 size = vm_bo->obj->size;

	dma_resv_assert_held(vm_bo->obj->resv);
	if (vbo->charged || !vm->pinned)
		return 0;
	if (atomic64_add_return(size, vm->pinned) > drm_gmmu_pin_limit()) {
		atomic64_sub(size, vm->pinned);
		drm_dbg_driver(vm->base.drm,
			       "bind: the file's pinned-memory limit of %llu bytes is reached\n",
			       drm_gmmu_pin_limit());
		return -ENOSPC;
	}
	vbo->charged = size;
	return 0;
}

/*
 * Write the table entries of every mapping of an evicted BO in its VM
 * again, from the BO's level-1 mapping (made again if it is gone). The
 * BO's reservation is held; none of these mappings belongs to a bind
 * array that is not settled yet (see drm_gmmu_bind_unsettled()).
 */
static int drm_gmmu_vm_bo_restore(struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gmmu_vm *vm = to_drm_gmmu_vm(vm_bo->vm);
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(vm_bo->obj);
	struct iommu_ctx_reservation res;
	struct drm_gpuva *va;
	struct sg_table *sgt;
	int ret = 0;

	dma_resv_assert_held(bo->base.base.resv);
	if (!vm_bo->evicted)
		return 0;
	if (list_empty(&vm_bo->list.gpuva)) {
		drm_gpuvm_bo_evict(vm_bo, false);
		return 0;
	}
	sgt = drm_gmmu_bo_l1_map_locked(bo);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	/* Tables are allocated here, where the caller may sleep. */
	iommu_ctx_reservation_init(&res);
	drm_gpuvm_bo_for_each_va(va, vm_bo) {
		ret = iommu_ctx_reserve(vm->domain, va->va.addr, va->va.range,
					IOMMU_CTX_RES_MAP, GFP_KERNEL, &res);
		if (ret)
			goto out;
	}
	mutex_lock(&vm->bind_apply_lock);
	/* A VM being closed runs no job any more. */
	drm_gpuvm_bo_for_each_va(va, vm_bo) {
		bool writable = va->flags & DRM_GMMU_VA_WRITABLE;

		if (vm->bind_dying)
			break;
		ret = iommu_ctx_map_sgtable_range_reserved(vm->domain,
							   va->va.addr, sgt,
							   va->gem.offset,
							   va->va.range,
							   drm_gmmu_vm_prot(vm, writable),
							   &res);
		drm_WARN_ONCE(vm->base.drm, ret,
			      "restore: level-2 map failed despite a reservation: %d\n",
			      ret);
	}
	mutex_unlock(&vm->bind_apply_lock);
	drm_gpuvm_bo_evict(vm_bo, false);
	atomic64_inc(&bo->gdev->stats->backing.restores);
out:
	iommu_ctx_unreserve(vm->domain, &res);
	return ret;
}

/**
 * drm_gmmu_vm_bo_validate - &drm_gpuvm_ops.vm_bo_validate of drm_gmmu VMs
 * @vm_bo: an evicted BO of the VM
 * @exec: the submission's locks; the BO's reservation is among them
 *
 * See "Eviction": the BO's backing, level-1 mapping and table entries in
 * this VM come back.
 *
 * Return: 0, or the error of the level-1 mapping or the table reservation
 * (the BO stays evicted, and the submission fails).
 */
int drm_gmmu_vm_bo_validate(struct drm_gpuvm_bo *vm_bo, struct drm_exec *exec)
{
	return drm_gmmu_vm_bo_restore(vm_bo);
}

/*
 * Restore @obj's mappings in the array's VM if it is evicted there; the
 * array holds @obj and its reservation.
 */
static int drm_gmmu_bind_restore_obj(struct drm_gmmu_bind_ctx *ctx,
				     struct drm_gem_object *obj)
{
	struct drm_gpuvm_bo *vm_bo = drm_gpuvm_bo_find(&ctx->vm->base, obj);
	int ret;

	if (!vm_bo)
		return 0;
	ret = drm_gmmu_vm_bo_restore(vm_bo);
	drm_gpuvm_bo_put(vm_bo);
	return ret;
}

/**
 * drm_gmmu_bind_restore - restore the evicted BOs a bind array touches
 * @ctx: the array, prepared, with its reservations held
 *
 * Return: 0, or the error of a restore.
 */
int drm_gmmu_bind_restore(struct drm_gmmu_bind_ctx *ctx)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ctx->count; i++) {
		if (!ctx->steps[i].vm_bo)
			continue;
		ret = drm_gmmu_vm_bo_restore(ctx->steps[i].vm_bo);
		if (ret)
			return ret;
	}
	for (i = 0; i < ctx->held_count; i++) {
		ret = drm_gmmu_bind_restore_obj(ctx, ctx->held[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Does a bind array that is not settled yet have a hand in a mapping of
 * the BO: one it created or split off, one it removed?
 */
static bool drm_gmmu_bind_unsettled(struct drm_gem_object *obj)
{
	struct drm_gpuvm_bo *vm_bo;
	struct drm_gpuva *va;

	drm_gem_for_each_gpuvm_bo(vm_bo, obj)
		drm_gpuvm_bo_for_each_va(va, vm_bo)
			if (va->flags & (DRM_GMMU_VA_BIND_NEW |
					 DRM_GMMU_VA_BIND_DEAD))
				return true;
	return false;
}

/* Clear the table entries of the BO's mappings in one VM. */
static void drm_gmmu_vm_bo_unmap(struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gmmu_vm *vm = to_drm_gmmu_vm(vm_bo->vm);
	struct iommu_ctx_reservation none;
	struct iommu_iotlb_gather gather;
	struct drm_gpuva *va;

	if (list_empty(&vm_bo->list.gpuva))
		return;
	/*
	 * Whole mappings: no block is split, nothing is allocated. The
	 * domain lives while a mapping of a BO whose reservation is held is
	 * linked (drm_gmmu_vm_close() unlinks them under it first).
	 */
	iommu_ctx_reservation_init(&none);
	iommu_iotlb_gather_init(&gather);
	mutex_lock(&vm->bind_apply_lock);
	if (!vm->bind_dying) {
		drm_gpuvm_bo_for_each_va(va, vm_bo)
			iommu_ctx_unmap_reserved(vm->domain, va->va.addr,
						 va->va.range, &none, &gather);
		iommu_iotlb_sync(vm->domain, &gather);
	}
	mutex_unlock(&vm->bind_apply_lock);
}

/* Clear the BO's mappings in every VM that maps it, and mark them evicted. */
static void drm_gmmu_bo_evict_vms(struct drm_gmmu_bo *bo)
{
	struct drm_gpuvm_bo *vm_bo;

	drm_gem_for_each_gpuvm_bo(vm_bo, &bo->base.base) {
		if (vm_bo->evicted)
			continue;
		drm_gmmu_vm_bo_unmap(vm_bo);
		drm_gpuvm_bo_evict(vm_bo, true);
	}
}

/*
 * Tell the dynamic importers of an exported BO to let go of their
 * mappings; true if none is left. drm_gmmu's importers unmap at once,
 * unless a bind array not settled yet holds theirs.
 */
static bool drm_gmmu_bo_export_move(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_dmabuf_stats *s = &bo->gdev->stats->dmabuf;

	dma_buf_move_notify(bo->dmabuf);
	atomic64_inc(&s->move_notifies);
	if (!bo->export_maps)
		return true;
	atomic64_inc(&s->skipped_import_mapped);
	return false;
}

/**
 * drm_gmmu_bo_unbind_evict_locked - take an idle BO's mappings away for eviction
 * @bo: the BO, its reservation held, its fences signalled
 *
 * See "Eviction" and "Dynamic dma-buf". Counts the BO as skipped if it
 * may not go.
 *
 * Return: true if the BO has no mapping left and nothing else pins it:
 * its pages may be released.
 */
bool drm_gmmu_bo_unbind_evict_locked(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_backing_stats *s = &bo->gdev->stats->backing;
	struct drm_gem_object *obj = &bo->base.base;
	bool in_vm = drm_gmmu_bo_in_vm(bo);

	dma_resv_assert_held(obj->resv);
	if (bo->l1_bind || (in_vm && drm_gmmu_bind_unsettled(obj))) {
		atomic64_inc(&s->skipped_busy);
		return false;
	}
	if (drm_gmmu_bo_export_pinned(bo)) {
		atomic64_inc(&bo->gdev->stats->dmabuf.skipped_importer_pin);
		atomic64_inc(&s->skipped_pinned);
		return false;
	}
	if (drm_gmmu_bo_is_imported(bo) || drm_gmmu_bo_pinned_otherwise(bo)) {
		atomic64_inc(&s->skipped_pinned);
		return false;
	}
	if (bo->export_maps && !drm_gmmu_bo_export_move(bo)) {
		atomic64_inc(&s->skipped_busy);
		return false;
	}
	if (!bo->sgt)
		return true;
	/* Without a VM's purpose the mapping went with its last unbind. */
	if (drm_WARN_ON_ONCE(obj->dev, !in_vm))
		return false;
	drm_gmmu_bo_evict_vms(bo);
	/* No table points at it any more. */
	drm_gmmu_bo_dma_unmap_locked(bo);
	atomic64_inc(&s->bound_evictions);
	return true;
}

/**
 * drm_gmmu_bo_import_invalidate_locked - an import's exporter moves the buffer
 * @bo: the imported BO, its reservation (the dma-buf's) held
 *
 * The importer's half of "Dynamic dma-buf", from move_notify: once the
 * jobs that use the buffer are done, the BO's mappings in every VM of the
 * device are taken away as an eviction's are (tables cleared, TLB
 * invalidated, &drm_gpuvm_bo marked evicted, so that the VM's next job
 * or bind maps the attachment again and rewrites them), and the
 * attachment is unmapped. A bind array not settled yet writes the tables
 * from the mapping it holds: then nothing changes, and the exporter
 * finds the BO still mapped.
 */
void drm_gmmu_bo_import_invalidate_locked(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_dmabuf_stats *s = &bo->gdev->stats->dmabuf;
	struct drm_gem_object *obj = &bo->base.base;

	dma_resv_assert_held(obj->resv);
	if (!bo->sgt)
		return;
	/* No job runs on the old translation once it is gone. */
	dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_BOOKKEEP, false,
			      MAX_SCHEDULE_TIMEOUT);
	if (bo->l1_bind || drm_gmmu_bind_unsettled(obj)) {
		atomic64_inc(&s->import_deferred);
		return;
	}
	drm_gmmu_bo_evict_vms(bo);
	drm_gmmu_bo_dma_unmap_locked(bo);
	bo->import_moved = true;
	atomic64_inc(&s->import_invalidations);
}

/**
 * drm_gmmu_bo_evict - evict one BO, bound or not
 * @bo: the BO
 * @wait: wait for the BO's fences first (interruptibly), rather than pass
 *	it over if a job still uses it
 *
 * drm_gmmu_bo_evict_locked() with the reservation taken: see "Eviction".
 * For tests and debugfs.
 *
 * Context: process context, no reservation held.
 * Return: pages released (0 if the BO was passed over), or
 * -EINTR/-ERESTARTSYS.
 */
long drm_gmmu_bo_evict(struct drm_gmmu_bo *bo, bool wait)
{
	struct dma_resv *resv = bo->base.base.resv;
	long ret;

	if (drm_gmmu_bo_is_imported(bo))
		return 0;
	if (wait) {
		ret = dma_resv_wait_timeout(resv, DMA_RESV_USAGE_BOOKKEEP, true,
					    MAX_SCHEDULE_TIMEOUT);
		if (ret < 0)
			return ret;
	}
	ret = dma_resv_lock_interruptible(resv, NULL);
	if (ret)
		return ret;
	ret = drm_gmmu_bo_evict_locked(bo);
	dma_resv_unlock(resv);
	atomic64_set(&bo->gdev->stats->backing.last_evict, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_evict);

static int drm_gmmu_pins_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_device *gdev = m->private;
	struct drm_device *drm = &gdev->drm;
	struct drm_file *file;

	seq_printf(m, "limit: %llu\n", drm_gmmu_pin_limit());
	mutex_lock(&drm->filelist_mutex);
	list_for_each_entry(file, &drm->filelist, lhead) {
		struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);

		if (gfile)
			seq_printf(m, "client %llu: %lld\n", file->client_id,
				   atomic64_read(&gfile->pinned));
	}
	mutex_unlock(&drm->filelist_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(drm_gmmu_pins);

/**
 * drm_gmmu_pins_debugfs_init - debugfs ``gmmu_pins`` of a device
 * @gdev: the device
 * @root: its debugfs directory
 *
 * One line with the limit, then one per open file: its DRM client id and
 * its pinned bytes.
 */
void drm_gmmu_pins_debugfs_init(struct drm_gmmu_device *gdev,
				struct dentry *root)
{
	debugfs_create_file("gmmu_pins", 0444, root, gdev, &drm_gmmu_pins_fops);
}
