// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Submission
 *
 * drm_gmmu_exec() is the whole of an EXEC once the driver has checked its
 * own fields and filled in its job. In order:
 *
 * 1. Everything that can fail is obtained first: the sync arrays'
 *    fences, syncobjs and timeline nodes (drm_gmmu_syncs_get()), the
 *    out-fence's file descriptor, the scheduler job and its dependencies
 *    (those fences, and a kernel caller's &drm_gmmu_exec.in_fences),
 *    the reservations of the VM and of every external BO mapped in it
 *    (drm_gpuvm_exec_lock(), one fence slot each), and with the implicit
 *    policy the fences already on those BOs.
 * 2. Still under the reservations, the VM's evicted BOs are restored
 *    (drm_gpuvm_validate(), see "Eviction"), then a non-coherent device's VM enters the
 *    GPU cache domain (drm_gmmu_vm_enter_gpu_domain(): CPU-dirtied pages
 *    are flushed, user PTEs of cached BOs shot down). This must happen
 *    with the reservations held, so that no CPU access of a BO of the VM
 *    can slip between the flush and the job; a driver that wrote its own
 *    submit path would have to rediscover this order.
 * 3. Under the queue's submit lock: the out-fence gets the job's seqno,
 *    the sync_file is made, and only then the job is armed. From there on
 *    nothing fails: the job's fence goes on the reservations according to
 *    the policy (&enum drm_gmmu_sync_policy), the job is pushed to the
 *    scheduler or, if it waits for nothing and the scheduler holds
 *    nothing of the queue, handed to the driver directly (see "Direct
 *    submission"), and after the locks are dropped the out-syncobjs get
 *    its fence and the descriptor is installed.
 *
 * An error therefore means nothing was submitted and no syncobj changed.
 *
 * The policies, per reservation object the submission locked:
 *
 * ==================  ==========  ==============================  =================
 * policy              VM's resv   external BO                     the job waits for
 * ==================  ==========  ==============================  =================
 * publish (default)   BOOKKEEP    WRITE if mapped writable in     what it was given
 *                                 the VM, else READ
 * implicit            BOOKKEEP    as publish                      and the BO's
 *                                                                 writers (readers
 *                                                                 too if it writes)
 * explicit            BOOKKEEP    BOOKKEEP                        what it was given
 * ==================  ==========  ==============================  =================
 *
 * The VM's own reservation covers its private BOs, which nobody outside
 * the VM can reach: BOOKKEEP keeps WAIT_BO and eviction correct there.
 *
 * The job's fence on the reservations is its out-fence, the one
 * userspace gets, not the scheduler's finished fence: a reservation keeps
 * its fences until its BO goes, long after a queue may have been
 * destroyed, and whoever describes them then (the dma-buf debugfs,
 * dma_fence tracepoints) would reach the freed scheduler through the 6.12
 * scheduler fence. With the implicit policy a job does not wait for its
 * own queue's out-fences: a queue runs its jobs in order.
 */
#include <linux/dma-fence-array.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/sync_file.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_ioctl.h>
#include <drm/drm_gmmu_queue.h>
#include <drm/drm_gmmu_sync.h>
#include <drm/gmmu_drm.h>

#include "drm_gmmu_internal.h"
#include "drm_gmmu_trace.h"

/* Does @vm map @obj writable anywhere? Under @obj's reservation. */
static bool drm_gmmu_vm_maps_writable(struct drm_gmmu_vm *vm,
				      struct drm_gem_object *obj)
{
	struct drm_gpuvm_bo *vm_bo;
	struct drm_gpuva *va;
	bool writable = false;

	/* The BO's mappings change only under its reservation. */
	dma_resv_assert_held(obj->resv);
	vm_bo = drm_gpuvm_bo_find(&vm->base, obj);
	if (!vm_bo)
		return false;
	drm_gpuvm_bo_for_each_va(va, vm_bo) {
		if (va->flags & DRM_GMMU_VA_WRITABLE) {
			writable = true;
			break;
		}
	}
	drm_gpuvm_bo_put(vm_bo);
	return writable;
}

/*
 * The fences of @resv up to @usage, as dependencies of @job. The queue's
 * own out-fences are left out: its jobs run in order, and the scheduler
 * ignores its own entity's fences likewise.
 */
static int drm_gmmu_exec_resv_deps(struct drm_gmmu_job *job,
				   struct dma_resv *resv,
				   enum dma_resv_usage usage)
{
	struct dma_resv_iter cursor;
	struct dma_fence *f;
	int ret;

	dma_resv_for_each_fence(&cursor, resv, usage, f) {
		if (f->context == job->q->out_fence_context)
			continue;
		ret = drm_sched_job_add_dependency(&job->base, dma_fence_get(f));
		if (ret)
			return ret;
	}
	return 0;
}

/* With the implicit policy: the fences already on the VM's shared BOs. */
static int drm_gmmu_exec_implicit_deps(struct drm_gmmu_job *job,
				       struct drm_exec *exec)
{
	struct drm_gmmu_vm *vm = job->q->vm;
	struct dma_resv *vm_resv = drm_gpuvm_resv(&vm->base);
	struct drm_gem_object *obj;
	int ret;

	drm_exec_for_each_locked_object(exec, obj) {
		enum dma_resv_usage usage = DMA_RESV_USAGE_WRITE;

		if (obj->resv == vm_resv)
			continue;
		/* A writer waits for readers too; a reader only for writers. */
		if (drm_gmmu_vm_maps_writable(vm, obj))
			usage = DMA_RESV_USAGE_READ;
		ret = drm_gmmu_exec_resv_deps(job, obj->resv, usage);
		if (ret)
			return ret;
	}
	return 0;
}

/* The armed job's fence on every locked reservation; cannot fail. */
static void drm_gmmu_exec_add_fences(struct drm_gmmu_vm *vm,
				     struct drm_exec *exec,
				     struct dma_fence *fence,
				     enum drm_gmmu_sync_policy policy)
{
	struct dma_resv *vm_resv = drm_gpuvm_resv(&vm->base);
	struct drm_gem_object *obj;

	drm_exec_for_each_locked_object(exec, obj) {
		enum dma_resv_usage usage = DMA_RESV_USAGE_BOOKKEEP;

		if (obj->resv != vm_resv && policy != DRM_GMMU_SYNC_EXPLICIT)
			usage = drm_gmmu_vm_maps_writable(vm, obj) ?
				DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ;
		/* drm_gpuvm_exec_lock() reserved one slot per object. */
		dma_resv_add_fence(obj->resv, fence, usage);
	}
}

/*
 * What the scheduler is to wait for in place of the in-fence @f: @f
 * itself, unless it is the scheduler's fence of an earlier job of the same
 * queue, which the scheduler would not wait for (see "Dependency errors"
 * in drm_gmmu_queue.c); then a fence that follows it. Userspace only ever
 * gets out-fences, but a kernel caller's &drm_gmmu_exec.in_fences may hold
 * anything.
 */
static struct dma_fence *drm_gmmu_exec_dep_fence(struct drm_gmmu_queue *q,
						 struct dma_fence *f)
{
	struct drm_sched_fence *s_fence = to_drm_sched_fence(f);
	struct dma_fence_array *array;
	struct dma_fence **fences;

	if (!s_fence || s_fence->sched != &q->sched)
		return dma_fence_get(f);
	fences = kmalloc_array(1, sizeof(*fences), GFP_KERNEL);
	if (!fences)
		return ERR_PTR(-ENOMEM);
	fences[0] = dma_fence_get(f);
	array = dma_fence_array_create(1, fences, dma_fence_context_alloc(1),
				       1, false);
	if (!array) {
		dma_fence_put(fences[0]);
		kfree(fences);
		return ERR_PTR(-ENOMEM);
	}
	return &array->base;
}

/* One in-fence, whose reference the job takes over. */
static int drm_gmmu_exec_add_dep(struct drm_gmmu_job *job, struct dma_fence *f)
{
	struct dma_fence *wait;

	/* The job keeps the reference, to read the outcome when it runs... */
	job->deps[job->num_deps++] = f;
	/* ...and the scheduler gets its own, consumed even on error. */
	wait = drm_gmmu_exec_dep_fence(job->q, f);
	if (IS_ERR(wait))
		return PTR_ERR(wait);
	return drm_sched_job_add_dependency(&job->base, wait);
}

/* Hand the in-fences, the syncs' and the kernel caller's, to the job. */
static int drm_gmmu_exec_add_deps(struct drm_gmmu_job *job,
				  struct drm_gmmu_syncs *syncs,
				  const struct drm_gmmu_exec *x)
{
	unsigned int i;
	int ret;

	if (!syncs->num_in && !x->in_fence_count)
		return 0;
	job->deps = kcalloc(syncs->num_in + x->in_fence_count,
			    sizeof(*job->deps), GFP_KERNEL);
	if (!job->deps)
		return -ENOMEM;
	for (i = 0; i < syncs->num_in; i++) {
		struct dma_fence *f = syncs->in[i];

		syncs->in[i] = NULL;
		ret = drm_gmmu_exec_add_dep(job, f);
		if (ret)
			return ret;
	}
	for (i = 0; i < x->in_fence_count; i++) {
		ret = drm_gmmu_exec_add_dep(job, dma_fence_get(x->in_fences[i]));
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * drm_gmmu_exec - submit a job
 * @x: the submission; @x->job is taken over, whatever the outcome
 *
 * See "Submission" above for what happens in which order.
 *
 * Context: process context, inside drm_dev_enter() (the driver's hardware
 * is reached from the scheduler only after the job is pushed, but the
 * cache flushes of a non-coherent device happen here).
 * Return: 0 with @x->seqno and @x->out_fence_fd set; -ENOENT for an
 * unknown syncobj or a queue being destroyed; -EINVAL for bad sync arrays
 * (see drm_gmmu_syncs_get()), sync arrays without a file, more than
 * %DRM_GMMU_MAX_SYNCS kernel in-fences or an unknown policy; -ECANCELED
 * when the VM is banned (a job of it hung); -EMFILE with no
 * descriptor left for the out-fence; -EFAULT; -ENOMEM (also when an
 * evicted BO of the VM cannot be restored); -ENODEV, -ERANGE from a
 * restored BO's level-1 mapping; -EINTR/-ERESTARTSYS. On error nothing
 * was submitted and no syncobj changed.
 */
int drm_gmmu_exec(struct drm_gmmu_exec *x)
{
	struct drm_gmmu_job *job = x->job;
	struct drm_gmmu_queue *q = job->q;
	struct drm_gmmu_vm *vm = q->vm;
	struct drm_gpuvm_exec vm_exec = {
		.vm = &vm->base,
		.flags = DRM_EXEC_INTERRUPTIBLE_WAIT,
		.num_fences = 1,
	};
	struct drm_gmmu_syncs syncs = {};
	struct sync_file *sync_file = NULL;
	struct dma_fence *fence;
	bool may_bypass, sched_init = false;
	int ret, fd = -1;

	x->out_fence_fd = -1;
	/* A bind job keeps the CPU busy, not the engine (fdinfo). */
	if (x->file && !x->no_gpu_access)
		job->busy = &to_drm_gmmu_file(x->file)->busy;
	/* Read already: taken over, whatever happens. */
	if (x->syncs) {
		syncs = *x->syncs;
		*x->syncs = (struct drm_gmmu_syncs){};
	}
	/* Without a file there is no syncobj namespace to read syncs in. */
	if (x->policy > DRM_GMMU_SYNC_EXPLICIT ||
	    x->in_fence_count > DRM_GMMU_MAX_SYNCS ||
	    (!x->file && (x->in_count || x->out_count)) ||
	    (x->syncs && (x->in_count || x->out_count))) {
		ret = -EINVAL;
		goto err_syncs;
	}
	/* A hang banned the VM: see "Hang, reset and ban". */
	if (drm_gmmu_vm_banned(vm)) {
		ret = -ECANCELED;
		goto err_syncs;
	}
	if (!x->syncs) {
		ret = drm_gmmu_syncs_get(&syncs, x->file, x->in_syncs,
					 x->in_count, x->out_syncs,
					 x->out_count, x->stride);
		if (ret)
			goto err_free;
	}
	if (x->fence_out) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			ret = fd;
			goto err_syncs;
		}
	}

	/*
	 * A job that waits for nothing may bypass the scheduler (see "Direct
	 * submission" in drm_gmmu_queue.c); whether it does is known only
	 * under the submit lock, and its scheduler job is made only if not.
	 */
	may_bypass = !syncs.num_in && !x->in_fence_count &&
		     x->policy != DRM_GMMU_SYNC_IMPLICIT &&
		     q->timeout == MAX_SCHEDULE_TIMEOUT;
	if (!may_bypass) {
		/* The entity is torn down only after the queue is closed. */
		mutex_lock(&q->submit_lock);
		if (q->closed)
			ret = -ENOENT;
		else
			ret = drm_sched_job_init(&job->base, &q->entity, 1, q,
						 x->file ? x->file->client_id : 0);
		mutex_unlock(&q->submit_lock);
		if (ret)
			goto err_fd;
		sched_init = true;
		ret = drm_gmmu_exec_add_deps(job, &syncs, x);
		if (ret)
			goto err_cleanup;
	}

	ret = drm_gpuvm_exec_lock(&vm_exec);
	if (ret)
		goto err_cleanup;
	/*
	 * Evicted BOs of the VM come back, tables included, before the job
	 * can run (see "Eviction"); a bind job touches no BO's memory.
	 */
	if (!x->no_gpu_access) {
		ret = drm_gpuvm_validate(&vm->base, &vm_exec.exec);
		if (ret)
			goto err_unlock;
	}
	if (x->policy == DRM_GMMU_SYNC_IMPLICIT) {
		ret = drm_gmmu_exec_implicit_deps(job, &vm_exec.exec);
		if (ret)
			goto err_unlock;
	}
	/* Harmless if the queue turns out closed: only more cache upkeep. */
	if (!x->no_gpu_access)
		drm_gmmu_vm_enter_gpu_domain(vm);

	mutex_lock(&q->submit_lock);
	if (q->closed) {
		ret = -ENOENT;
		goto err_unlock_submit;
	}
	/*
	 * Pairs with the release in drm_gmmu_run_job(). A job that would
	 * wait for an address-space slot goes through the scheduler, so
	 * that the EXEC does not wait for another context's jobs; so does
	 * one that would find the driver full (see "Direct submission").
	 */
	job->direct = may_bypass && !atomic_read_acquire(&q->sched_pending) &&
		      atomic_read(&q->hw_jobs) < q->cfg->depth &&
		      (q->cfg->cpu || drm_gmmu_slot_may_run(&vm->slot));
	if (!job->direct && !sched_init) {
		ret = drm_sched_job_init(&job->base, &q->entity, 1, q,
					 x->file ? x->file->client_id : 0);
		if (ret)
			goto err_unlock_submit;
		sched_init = true;
	}
	drm_gmmu_out_fence_init(job->out, q);
	if (fd >= 0) {
		sync_file = sync_file_create(&job->out->base);
		if (!sync_file) {
			ret = -ENOMEM;
			goto err_unlock_submit;
		}
	}
	/* From here on nothing fails: a submitted job must run. */
	job->seqno = ++q->out_seqno;
	if (!job->direct) {
		drm_sched_job_arm(&job->base);
		drm_gmmu_out_fence_arm(job->out, &job->base.s_fence->finished);
	}
	/* Ours: the job may be done and freed once handed over. */
	fence = dma_fence_get(&job->out->base);
	trace_drm_gmmu_job_submit(job);
	/*
	 * The out-fence, not the scheduler's: reservations keep fences for as
	 * long as their BO lives, and the 6.12 scheduler fence reads its
	 * timeline name from the scheduler, which goes with the queue.
	 */
	/* A bind job's fence stays off the BOs: CPU access need not wait. */
	if (!x->no_gpu_access)
		drm_gmmu_exec_add_fences(vm, &vm_exec.exec, fence, x->policy);
	spin_lock_irq(&q->jobs_lock);
	q->jobs++;
	spin_unlock_irq(&q->jobs_lock);
	if (job->direct) {
		/* run() takes no reservation: they go first. */
		drm_gpuvm_exec_unlock(&vm_exec);
		drm_gmmu_job_run_direct(job);
		mutex_unlock(&q->submit_lock);
		drm_gmmu_job_direct_release(job);
	} else {
		atomic_inc(&q->sched_pending);
		drm_sched_entity_push_job(&job->base);
		mutex_unlock(&q->submit_lock);
		drm_gpuvm_exec_unlock(&vm_exec);
	}

	drm_gmmu_syncs_signal(&syncs, fence);
	drm_gmmu_syncs_put(&syncs);
	x->seqno = fence->seqno;
	if (x->fence)
		*x->fence = dma_fence_get(fence);
	if (sync_file) {
		fd_install(fd, sync_file->file);
		x->out_fence_fd = fd;
	}
	dma_fence_put(fence);
	return 0;

err_unlock_submit:
	mutex_unlock(&q->submit_lock);
err_unlock:
	drm_gpuvm_exec_unlock(&vm_exec);
err_cleanup:
	if (sched_init)
		drm_sched_job_cleanup(&job->base);
err_fd:
	if (fd >= 0)
		put_unused_fd(fd);
err_syncs:
	drm_gmmu_syncs_put(&syncs);
err_free:
	drm_gmmu_job_free(job);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_exec);

/**
 * drm_gmmu_submit_ioctl - a driver's submission ioctl, given its &struct
 *	drm_gmmu_submit
 * @file: the submitting file, opened with drm_gmmu_file_open()
 * @args: the shared part of the ioctl's argument; @args->seqno and
 *	@args->out_fence_fd are filled in on success
 * @fill: fills in the driver's part of the job (what the hardware runs),
 *	checking the driver's own fields against the job's queue and VM;
 *	returns 0 or a negative errno, which fails the ioctl with nothing
 *	submitted. It must not keep references it has not released by
 *	&drm_gmmu_queue_ops.free_job.
 * @data: passed to @fill
 *
 * Checks @args' flags and padding, finds the queue, allocates the job,
 * lets the driver fill it in and submits it (drm_gmmu_exec()) with the
 * publish policy, or the implicit one with %DRM_GMMU_SUBMIT_IMPLICIT_SYNC.
 *
 * Return: 0 or the errno &struct drm_gmmu_submit lists, or @fill's.
 */
int drm_gmmu_submit_ioctl(struct drm_file *file, struct drm_gmmu_submit *args,
			  int (*fill)(struct drm_gmmu_job *job, void *data),
			  void *data)
{
	struct drm_gmmu_exec x = {
		.file = file,
		.in_syncs = args->in_syncs,
		.out_syncs = args->out_syncs,
		.in_count = args->in_sync_count,
		.out_count = args->out_sync_count,
		.stride = args->sync_stride,
		.policy = args->flags & DRM_GMMU_SUBMIT_IMPLICIT_SYNC ?
			  DRM_GMMU_SYNC_IMPLICIT : DRM_GMMU_SYNC_PUBLISH,
		.fence_out = args->flags & DRM_GMMU_SUBMIT_FENCE_OUT,
	};
	struct drm_gmmu_queue *q;
	int ret;

	if (args->flags & ~(DRM_GMMU_SUBMIT_FENCE_OUT |
			    DRM_GMMU_SUBMIT_IMPLICIT_SYNC) || args->pad)
		return -EINVAL;
	q = drm_gmmu_file_queue_get(to_drm_gmmu_file(file), args->vm_id,
				    args->queue_id);
	if (!q)
		return -ENOENT;
	x.job = drm_gmmu_job_alloc(q);
	if (!x.job) {
		ret = -ENOMEM;
		goto out;
	}
	ret = fill(x.job, data);
	if (ret) {
		drm_gmmu_job_free(x.job);
		goto out;
	}
	ret = drm_gmmu_exec(&x);
	if (!ret) {
		args->seqno = x.seqno;
		args->out_fence_fd = x.out_fence_fd;
	}
out:
	drm_gmmu_queue_put(q);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_submit_ioctl);
