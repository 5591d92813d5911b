// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Asynchronous binds
 *
 * An asynchronous bind array (drm_gmmu_vm_bind_async()) runs as a job of
 * its VM's bind queue, a drm_gmmu queue (one drm_sched scheduler and
 * entity) that the VM creates on first use and that userspace never names.
 * The work splits where the locks allow it:
 *
 * - **In the ioctl**, under the VM's bind lock and the reservations, the
 *   array is prepared as a synchronous one is (everything that can fail),
 *   and the VA tree is changed at once (drm_gmmu_bind_commit_tree()): the
 *   tree always describes the VM as it will be once every bind submitted
 *   so far has run, so the next array, synchronous or not, is checked and
 *   sized against it, with the bind lock alone. The table changes the
 *   commit implies are only recorded, and the mappings it removed stay
 *   linked to their BOs.
 * - **In the job**, once its fences have signalled: the recorded changes
 *   are written to the tables and the TLB is invalidated once
 *   (drm_gmmu_bind_apply()). That is the fence-signalling path, so it
 *   allocates nothing (the page-table memory was reserved in the ioctl)
 *   and takes no reservation, only the VM's apply lock, which nothing
 *   holds while allocating.
 * - **Afterwards**, in process context (a worker, or the next bind of the
 *   VM), the array is settled under the bind lock and the reservations:
 *   the removed mappings are freed with the BOs they held
 *   (drm_gmmu_bind_finish()); or, if the job failed, the array is undone
 *   (drm_gmmu_bind_revert()).
 *
 * Ordering. Each asynchronous array also waits for the previous one's
 * out-fence, so arrays apply in submission order, and a failure (a fence
 * the array waited for signalled an error) reaches every array queued
 * after it: their table writes were computed on top of it. Those are
 * undone together, newest first, once the last of them has signalled, and
 * the VM is then as it was before the failed array. A synchronous array
 * first waits for every asynchronous one (drm_gmmu_bind_wait_pending()),
 * under the bind lock, so that its own table writes come after theirs.
 *
 * Teardown. Destroying a VM drains its bind queue with its other queues,
 * then settles what is left. A device unplug closes VMs whose bind jobs
 * may still wait for fences: drm_gmmu_bind_abandon() marks the VM dying
 * under the apply lock, so those jobs write nothing and fail with
 * -ENODEV, and releases the arrays' memory there and then.
 */
#include <linux/dma-fence.h>
#include <linux/workqueue.h>

#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_queue.h>
#include <drm/drm_print.h>

#include "drm_gmmu_bind_internal.h"
#include "drm_gmmu_internal.h"

/* A job of a bind queue: the array it writes to the tables. */
struct drm_gmmu_bind_job {
	struct drm_gmmu_job base;
	struct drm_gmmu_bind_ctx *ctx;
};

static struct drm_gmmu_bind_job *to_bind_job(struct drm_gmmu_job *job)
{
	return container_of(job, struct drm_gmmu_bind_job, base);
}

static void drm_gmmu_bind_job_run(struct drm_gmmu_job *job)
{
	bool cookie = dma_fence_begin_signalling();
	int err = drm_gmmu_bind_apply(job->q->vm, to_bind_job(job)->ctx);

	dma_fence_end_signalling(cookie);
	drm_gmmu_job_done(job, err);
}

/**
 * drm_gmmu_bind_kick - let a worker settle a VM's arrays and free them
 * @vm: the VM
 *
 * Context: any process context; takes a reference on @vm while queued.
 */
void drm_gmmu_bind_kick(struct drm_gmmu_vm *vm)
{
	drm_gmmu_vm_get(vm);
	if (!queue_work(system_unbound_wq, &vm->bind_reap_work))
		drm_gmmu_vm_put(vm);
}

/*
 * The job never touches its array after drm_gmmu_job_done(), and the
 * array is settled only once its fence has signalled: the job holds no
 * reference. It only tells a worker that its array may be settled now,
 * since nobody may bind in this VM soon.
 */
static void drm_gmmu_bind_job_free(struct drm_gmmu_job *job)
{
	drm_gmmu_bind_kick(job->q->vm);
}

static const struct drm_gmmu_queue_ops drm_gmmu_bind_queue_ops = {
	.run = drm_gmmu_bind_job_run,
	.free_job = drm_gmmu_bind_job_free,
};

static const struct drm_gmmu_queue_cfg drm_gmmu_bind_queue_cfg = {
	.ops = &drm_gmmu_bind_queue_ops,
	.name = "gmmu-bind",
	.queue_size = sizeof(struct drm_gmmu_queue),
	.job_size = sizeof(struct drm_gmmu_bind_job),
	.depth = 64,
	/* The CPU writes the tables: a job cannot hang, nor needs a slot. */
	.timeout = MAX_SCHEDULE_TIMEOUT,
	.cpu = true,
};

/* The VM's bind queue, made on first use; under the VM's bind lock. */
static struct drm_gmmu_queue *drm_gmmu_bind_queue(struct drm_gmmu_vm *vm)
{
	struct drm_gmmu_queue *q;

	lockdep_assert_held(&vm->lock);
	if (vm->bind_queue_closed)
		return ERR_PTR(-ENOENT);
	if (vm->bind_queue)
		return vm->bind_queue;
	q = drm_gmmu_queue_new(vm, &drm_gmmu_bind_queue_cfg);
	if (!IS_ERR(q))
		vm->bind_queue = q;
	return q;
}

/*
 * Settle one array whose fence has signalled: free what it removed, or
 * undo it. Returns -EINTR/-ERESTARTSYS if taking the reservations was
 * interrupted; the array then stays pending.
 */
static int drm_gmmu_bind_settle(struct drm_gmmu_bind_ctx *ctx, bool revert,
				bool intr)
{
	int ret = drm_gmmu_bind_lock(ctx, intr);

	if (ret) {
		drm_exec_fini(&ctx->exec);
		ctx->exec_init = false;
		return ret;
	}
	if (revert)
		drm_gmmu_bind_revert(ctx);
	else
		drm_gmmu_bind_finish(ctx);
	/*
	 * Off the pending list under the VM's reservation; freed later
	 * without the bind lock: it may hold a BO's last reference.
	 */
	list_move_tail(&ctx->link, &ctx->vm->bind_done);
	drm_gmmu_bind_release_locked(ctx);
	return 0;
}

/**
 * drm_gmmu_bind_free_done - free the settled arrays of a VM
 * @vm: the VM, whose bind lock is not held
 */
void drm_gmmu_bind_free_done(struct drm_gmmu_vm *vm)
{
	struct drm_gmmu_bind_ctx *ctx, *tmp;
	LIST_HEAD(done);

	mutex_lock(&vm->lock);
	list_splice_init(&vm->bind_done, &done);
	mutex_unlock(&vm->lock);
	list_for_each_entry_safe(ctx, tmp, &done, link) {
		list_del(&ctx->link);
		drm_gmmu_bind_ctx_put(ctx);
	}
}

static int drm_gmmu_bind_reap_intr(struct drm_gmmu_vm *vm, bool intr)
{
	struct drm_gmmu_bind_ctx *ctx, *tmp;
	int ret;

	lockdep_assert_held(&vm->lock);
	while ((ctx = list_first_entry_or_null(&vm->bind_pending,
					       struct drm_gmmu_bind_ctx, link))) {
		if (!dma_fence_is_signaled(ctx->fence))
			return 0;
		if (!ctx->fence->error) {
			ret = drm_gmmu_bind_settle(ctx, false, intr);
			if (ret)
				return ret;
			continue;
		}
		/* Every later array failed too: undo them all, newest first. */
		list_for_each_entry(tmp, &vm->bind_pending, link)
			if (!dma_fence_is_signaled(tmp->fence))
				return 0;
		list_for_each_entry_safe_reverse(ctx, tmp, &vm->bind_pending,
						 link) {
			ret = drm_gmmu_bind_settle(ctx, true, intr);
			if (ret)
				return ret;
		}
	}
	dma_fence_put(vm->bind_last);
	vm->bind_last = NULL;
	return 0;
}

/**
 * drm_gmmu_bind_reap - settle the asynchronous arrays that are done
 * @vm: the VM, whose bind lock is held
 *
 * Return: 0, or -EINTR/-ERESTARTSYS (what is not settled yet stays).
 */
int drm_gmmu_bind_reap(struct drm_gmmu_vm *vm)
{
	return drm_gmmu_bind_reap_intr(vm, true);
}

/**
 * drm_gmmu_bind_wait_pending - wait for every asynchronous array of a VM
 * @vm: the VM, whose bind lock is held
 *
 * Then settles them: the tables are as the tree says.
 *
 * Return: 0, or -EINTR/-ERESTARTSYS.
 */
int drm_gmmu_bind_wait_pending(struct drm_gmmu_vm *vm)
{
	long ret;

	lockdep_assert_held(&vm->lock);
	if (!vm->bind_last)
		return 0;
	/* Arrays signal in order: the last one done means all are. */
	ret = dma_fence_wait(vm->bind_last, true);
	if (ret)
		return ret;
	return drm_gmmu_bind_reap(vm);
}

static void drm_gmmu_bind_reap_work(struct work_struct *work)
{
	struct drm_gmmu_vm *vm = container_of(work, struct drm_gmmu_vm,
					      bind_reap_work);

	mutex_lock(&vm->lock);
	if (!vm->closed)
		drm_gmmu_bind_reap_intr(vm, false);
	mutex_unlock(&vm->lock);
	drm_gmmu_bind_free_done(vm);
	drm_gmmu_vm_put(vm);
}

/**
 * drm_gmmu_bind_vm_init - set up the asynchronous bind state of a new VM
 * @vm: the VM
 */
void drm_gmmu_bind_vm_init(struct drm_gmmu_vm *vm)
{
	INIT_LIST_HEAD(&vm->bind_pending);
	INIT_LIST_HEAD(&vm->bind_done);
	mutex_init(&vm->bind_apply_lock);
	INIT_WORK(&vm->bind_reap_work, drm_gmmu_bind_reap_work);
}

/**
 * drm_gmmu_bind_abandon - give up the asynchronous arrays of a closing VM
 * @vm: the VM, whose bind lock is held, about to unmap everything
 *
 * Their jobs, if they still run, write nothing and fail with -ENODEV.
 * The mappings the arrays removed are freed; those they created are in
 * the tree and go with the rest of it. The caller frees the arrays with
 * drm_gmmu_bind_free_done() once it has dropped the bind lock.
 */
void drm_gmmu_bind_abandon(struct drm_gmmu_vm *vm)
{
	struct drm_gmmu_bind_ctx *ctx, *tmp;

	lockdep_assert_held(&vm->lock);
	mutex_lock(&vm->bind_apply_lock);
	vm->bind_dying = true;
	mutex_unlock(&vm->bind_apply_lock);
	list_for_each_entry_safe(ctx, tmp, &vm->bind_pending, link)
		drm_gmmu_bind_settle(ctx, false, false);
	dma_fence_put(vm->bind_last);
	vm->bind_last = NULL;
}

/**
 * drm_gmmu_bind_queue_close - drain a VM's bind queue and settle its arrays
 * @vm: the VM, whose queues are closed; no bind queue is made afterwards
 *
 * Context: process context; waits for the bind jobs' fences.
 */
void drm_gmmu_bind_queue_close(struct drm_gmmu_vm *vm)
{
	struct drm_gmmu_queue *q;

	mutex_lock(&vm->lock);
	q = vm->bind_queue;
	vm->bind_queue = NULL;
	vm->bind_queue_closed = true;
	mutex_unlock(&vm->lock);
	if (!q)
		return;
	drm_gmmu_queue_drain(q);
	drm_gmmu_queue_put(q);
	mutex_lock(&vm->lock);
	if (!vm->closed)
		drm_gmmu_bind_reap_intr(vm, false);
	mutex_unlock(&vm->lock);
	drm_gmmu_bind_free_done(vm);
}

/**
 * drm_gmmu_vm_bind_async - submit a bind array as a job of the VM's bind queue
 * @vm: the VM
 * @ops: the operations, as for drm_gmmu_bind_prepare(); the array takes
 *	its own references on their BOs
 * @count: entries of @ops; 0 makes a barrier
 * @x: the fences: @x->file, the sync arrays (best read beforehand, into
 *	@x->syncs: the bind lock is held when they are used) and
 *	@x->fence_out as for a submission; drm_gmmu fills in @x->job,
 *	@x->in_fences, @x->policy and @x->fence, and @x->seqno and
 *	@x->out_fence_fd on success
 *
 * See "Asynchronous binds". The VA tree changes now, the tables when the
 * job runs.
 *
 * Context: process context, inside drm_dev_enter(); may sleep.
 * Return: 0; the errors of drm_gmmu_bind_prepare() and drm_gmmu_exec()
 * (-ENOENT for a closed VM). On error nothing changed.
 */
int drm_gmmu_vm_bind_async(struct drm_gmmu_vm *vm,
			   const struct drm_gmmu_bind_op *ops,
			   unsigned int count, struct drm_gmmu_exec *x)
{
	struct drm_gmmu_bind_ctx *ctx;
	struct drm_gmmu_queue *q;
	struct drm_gmmu_job *job;
	int ret;

	ctx = drm_gmmu_bind_prepare_async(vm, ops, count);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	q = drm_gmmu_bind_queue(vm);
	if (IS_ERR(q)) {
		ret = PTR_ERR(q);
		goto err;
	}
	job = drm_gmmu_job_alloc(q);
	if (!job) {
		ret = -ENOMEM;
		goto err;
	}
	to_bind_job(job)->ctx = ctx;

	drm_gmmu_bind_commit_tree(ctx);
	/*
	 * Pending from now on, under the VM's reservation: a submission's
	 * cache-domain entry must see the mappings it removed, which the
	 * tables keep until the job runs.
	 */
	list_add_tail(&ctx->link, &vm->bind_pending);
	/* drm_gmmu_exec() takes the VM's reservation itself. */
	drm_exec_fini(&ctx->exec);
	ctx->exec_init = false;

	x->job = job;
	x->in_fences = vm->bind_last ? &vm->bind_last : NULL;
	x->in_fence_count = vm->bind_last ? 1 : 0;
	x->policy = DRM_GMMU_SYNC_EXPLICIT;
	x->no_gpu_access = true;
	x->fence = &ctx->fence;
	ret = drm_gmmu_exec(x);
	if (ret) {
		/* The job never ran: take the tree back, uninterruptibly. */
		drm_WARN_ON(vm->base.drm, drm_gmmu_bind_lock(ctx, false));
		list_del_init(&ctx->link);
		drm_gmmu_bind_revert(ctx);
		goto err;
	}
	atomic64_inc(&vm->gdev->stats->vm.bind_async);
	dma_fence_put(vm->bind_last);
	vm->bind_last = dma_fence_get(ctx->fence);
	ctx->vm_locked = false;
	mutex_unlock(&vm->lock);
	return 0;

err:
	drm_gmmu_bind_cleanup(ctx);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_bind_async);
