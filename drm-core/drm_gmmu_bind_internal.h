/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Bind context internals
 *
 * What the two halves of the bind machinery share: drm_gmmu_bind.c
 * prepares, commits and undoes bind arrays; drm_gmmu_bind_queue.c runs
 * them as jobs of a VM's bind queue and settles them once their fence has
 * signalled.
 */
#ifndef __DRM_GMMU_BIND_INTERNAL_H__
#define __DRM_GMMU_BIND_INTERNAL_H__

#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/kref.h>
#include <linux/list.h>

#include <drm/drm_exec.h>
#include <drm/drm_gmmu_bind.h>

struct dma_fence;
struct drm_gpuva;
struct drm_gpuvm_bo;
struct sg_table;

/*
 * &drm_gpuva.flags bits a bind array sets on the mappings it touches, so
 * that undoing it can tell its own from the ones it found: a mapping it
 * created, and a mapping it removed from the tree but still holds.
 */
#define DRM_GMMU_VA_BIND_NEW	(DRM_GPUVA_USERBITS << 1)
#define DRM_GMMU_VA_BIND_DEAD	(DRM_GPUVA_USERBITS << 2)

/* One operation, checked, with what it needs to be carried out. */
struct drm_gmmu_bind_step {
	struct drm_gmmu_bind_op op;
	struct sg_table *sgt;
	struct drm_gpuvm_bo *vm_bo;
	int prot;
};

/*
 * One change of the level-2 tables the tree commit recorded: map
 * [@bo_offset, @bo_offset + @range) of @step's BO at @va, or, with no
 * @step, unmap [@va, @va + @range).
 */
struct drm_gmmu_bind_pte {
	struct drm_gmmu_bind_step *step;
	u64 va;
	u64 bo_offset;
	u64 range;
};

/**
 * struct drm_gmmu_bind_ctx - a bind array between prepare and cleanup
 * @ref: the array's holder: the preparing thread, then for an
 *	asynchronous array its VM's lists
 * @vm: the VM
 * @steps: the operations, in array order
 * @sorted: a copy of @steps sorted by address, for the overlap check and
 *	the page-table reservation
 * @count: entries of @steps
 * @cur: during the tree commit, the operation drm_gpuvm's callbacks work
 *	for
 * @pool: preallocated &struct drm_gpuva, one per mapping the array can
 *	create; the first @pool_used were put in the tree by the commit
 * @pool_count: entries of @pool
 * @pool_used: entries of @pool the commit took
 * @dead: mappings the commit removed from the tree, kept (linked to their
 *	BO) until the tables no longer point at them, or until the array is
 *	undone and they go back
 * @dead_max: room in @dead
 * @dead_count: entries of @dead in use
 * @held: a reference on the BO of every mapping the array may remove,
 *	dropped with no reservation held: unlinking a BO's last mapping may
 *	drop its last reference otherwise, and freeing a BO takes locks the
 *	array holds
 * @held_count: entries of @held
 * @ptes: the table changes, in order, recorded by the tree commit and
 *	written by drm_gmmu_bind_apply()
 * @pte_max: room in @ptes
 * @pte_count: entries of @ptes in use
 * @res: page-table memory for the worst case of every range
 * @gather: what the TLB must forget, flushed once at the end of the apply
 * @exec: the reservation locks
 * @exec_init: @exec was initialised and not finished
 * @vm_locked: the VM's bind lock is held by the preparing thread
 * @async: the array runs as a job of the VM's bind queue
 * @bo_refs: the array holds a reference on the BO of each MAP (an
 *	asynchronous array outlives the caller's)
 * @link: in &drm_gmmu_vm.bind_pending until settled, then in
 *	&drm_gmmu_vm.bind_done until freed; under the VM's bind lock, and
 *	joining and leaving @bind_pending under the VM's reservation too
 *	(drm_gmmu_vm_enter_gpu_domain() reads it under that alone)
 * @fence: an asynchronous array's out-fence; set before the submitter
 *	drops the bind lock, so settling (under it) always finds it
 */
struct drm_gmmu_bind_ctx {
	struct kref ref;
	struct drm_gmmu_vm *vm;
	struct drm_gmmu_bind_step *steps;
	struct drm_gmmu_bind_step *sorted;
	unsigned int count;
	struct drm_gmmu_bind_step *cur;
	struct drm_gpuva **pool;
	unsigned int pool_count;
	unsigned int pool_used;
	struct drm_gpuva **dead;
	unsigned int dead_max;
	unsigned int dead_count;
	struct drm_gem_object **held;
	unsigned int held_count;
	struct drm_gmmu_bind_pte *ptes;
	unsigned int pte_max;
	unsigned int pte_count;
	struct iommu_ctx_reservation res;
	struct iommu_iotlb_gather gather;
	struct drm_exec exec;
	bool exec_init;
	bool vm_locked;
	bool async;
	bool bo_refs;
	struct list_head link;
	struct dma_fence *fence;
};

struct drm_gmmu_bind_ctx *drm_gmmu_bind_prepare_async(struct drm_gmmu_vm *vm,
						      const struct drm_gmmu_bind_op *ops,
						      unsigned int count);
void drm_gmmu_bind_commit_tree(struct drm_gmmu_bind_ctx *ctx);
int drm_gmmu_bind_apply(struct drm_gmmu_vm *vm, struct drm_gmmu_bind_ctx *ctx);
int drm_gmmu_bind_lock(struct drm_gmmu_bind_ctx *ctx, bool intr);
void drm_gmmu_bind_finish(struct drm_gmmu_bind_ctx *ctx);
void drm_gmmu_bind_revert(struct drm_gmmu_bind_ctx *ctx);
void drm_gmmu_bind_release_locked(struct drm_gmmu_bind_ctx *ctx);
void drm_gmmu_bind_ctx_put(struct drm_gmmu_bind_ctx *ctx);

int drm_gmmu_bind_restore(struct drm_gmmu_bind_ctx *ctx);

void drm_gmmu_bind_vm_init(struct drm_gmmu_vm *vm);
void drm_gmmu_bind_kick(struct drm_gmmu_vm *vm);
void drm_gmmu_bind_free_done(struct drm_gmmu_vm *vm);
int drm_gmmu_bind_wait_pending(struct drm_gmmu_vm *vm);
int drm_gmmu_bind_reap(struct drm_gmmu_vm *vm);
void drm_gmmu_bind_abandon(struct drm_gmmu_vm *vm);
void drm_gmmu_bind_queue_close(struct drm_gmmu_vm *vm);

#endif /* __DRM_GMMU_BIND_INTERNAL_H__ */
