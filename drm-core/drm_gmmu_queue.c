// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Queues and jobs
 *
 * A queue is one drm_sched scheduler with a single entity, so that a queue
 * never waits behind another and a stalled or failing job holds up only
 * its own queue. Queues belong to a VM, by id: drm_gmmu_vm_queue_create()
 * reserves the id (the VM's limit, &drm_gmmu_vm_cfg.max_queues, is checked
 * before anything is built), builds the scheduler, lets the driver set up
 * its part (&drm_gmmu_queue_ops.init) and publishes the queue. A lookup
 * (drm_gmmu_vm_queue_get()) returns a reference; destroying the id drains
 * the queue: submissions are refused, the entity is flushed (a dying
 * process's queued jobs are cancelled by the scheduler instead), and the
 * destroy returns once every job of the queue has been freed. A queue holds
 * a reference on its VM; the VM drains all its queues
 * (drm_gmmu_vm_close_queues()) before its tables go.
 *
 * A job is the driver's structure, starting with &struct drm_gmmu_job.
 * Everything the job will need on the fence-signalling path is allocated
 * with it (drm_gmmu_job_alloc()): the hardware fence, which drm_gmmu
 * initialises just before handing the job to the driver's
 * &drm_gmmu_queue_ops.run and the driver signals with drm_gmmu_job_done(),
 * and the out-fence, the fence userspace gets in sync_files and syncobjs.
 * The out-fence follows the scheduler's finished fence but owns its lock
 * and names, so it stays safe to query after the queue is gone (the 6.12
 * scheduler fence reads its names from its scheduler).
 *
 * Where a queue's jobs run: every queue's scheduler uses drm_gmmu's
 * submission workqueue, one for all queues, per CPU and not ordered,
 * instead of the scheduler's default of an ordered workqueue per queue,
 * which is unbound. With it a job pushed by an ioctl is handed to the
 * hardware by a worker of the CPU that pushed it, and a fence signalled
 * there (by a driver that completes short jobs in run(), or by an
 * interrupt taken on that CPU) wakes the waiting task where it already
 * is: the scheduler keeps a per-CPU worker and the task it woke on one
 * CPU. With an unbound workqueue each of those was a wakeup on another
 * CPU; under QEMU TCG the two were two thirds of a NOP job's round trip.
 * The scheduler runs a queue's run_job and free_job work items one at a
 * time each, so a queue stays in order; being shared and not ordered,
 * the workqueue runs queues side by side: a worker that sleeps, or
 * computes for long (the workqueue then takes it for a CPU hog), does not
 * hold the others up. It is high priority, since the submitting task
 * waits for what it does, and %WQ_MEM_RECLAIM, since fences signal from
 * it. So &drm_gmmu_queue_ops.run must return soon: hand the job over, or
 * run it only if that is bounded and short, as swgpu's model does.
 *
 * Direct submission: a job that waits for nothing need not go through
 * the scheduler at all when the queue has nothing in it that the
 * scheduler has not handed to the driver yet (&drm_gmmu_queue.sched_pending
 * is 0). drm_gmmu_exec() then calls &drm_gmmu_queue_ops.run itself
 * (drm_gmmu_job_run_direct()), in the submitting thread, once the job's
 * fences are published and the reservations dropped, with the queue's
 * submit lock held: every earlier job of the queue is in the driver's
 * hands already, and no later one can get there before the lock is
 * dropped, so the hardware still sees the queue's jobs in order. The
 * job's out-fence follows its hardware fence. A round trip then has no
 * work item, wakeup or context switch between the ioctl and the hardware;
 * with a driver that completes short jobs in run() (swgpu's model), none
 * before the waiter returns either. The job is freed where
 * &drm_gmmu_queue_ops.free_job may be called, in process context with no
 * drm_gmmu lock held: by the submitting thread once it has dropped the
 * submit lock, if the job was done by then, else by a drm_gmmu worker
 * after drm_gmmu_job_done(). Jobs with in-fences or the implicit policy go
 * through the scheduler, as do all jobs of a queue with a scheduler
 * timeout (its timeout handler would not see a direct job: see "Hang,
 * reset and ban").
 *
 * The driver holds at most &drm_gmmu_queue_cfg.depth jobs of a queue at
 * once (a ring of that many entries, say), but the scheduler's credits
 * count only the jobs it ran itself. So a job bypasses the scheduler only
 * while fewer than that many jobs are in the driver's hands
 * (&drm_gmmu_queue.hw_jobs), and a job the scheduler runs waits first
 * for the queue's last direct job to be done (its prepare_job hook):
 * then the driver holds the scheduler's jobs alone, as many as its
 * credits allow. That wait costs a pipeline bubble only where a queue
 * switches from direct submission to the scheduler.
 *
 * Dependency errors: a job whose in-fence failed does not run, and
 * completes with that fence's error, without the driver's part. The 6.12
 * scheduler does not pass errors on, and a timeline point's chain node or
 * a merged sync_file signals without the error of what it holds, so a job
 * keeps the fences it was given and drm_gmmu looks into them (unwrapped)
 * when the scheduler runs the job, before &drm_gmmu_queue_ops.run. By then
 * every one of them has signalled: the scheduler waits for a fence until
 * it signals, except for its own. Out-fences, the only ones userspace and
 * reservations get, are not its own, even those of the same queue. Its
 * own fence of a job of another queue it waits for too (a queue is a
 * scheduler of its own); one of a job of the same queue, which a kernel
 * caller's &drm_gmmu_exec.in_fences might hold, it would not wait for at
 * all, since a queue runs its jobs in order: that job would only have been
 * handed to the hardware, not finished. drm_gmmu_exec() gives the
 * scheduler, for such a fence, one that follows it and that the scheduler
 * does not take for its own (a dma_fence_array of one): the job then waits
 * for the earlier one to finish, as it asked. Marking the job fences
 * %DRM_SCHED_FENCE_DONT_PIPELINE would not do: the 6.12 scheduler drops a
 * dependency on its own entity before it looks at that flag.
 */
#include <linux/dma-fence-chain.h>
#include <linux/dma-fence-unwrap.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_file.h>
#include <drm/drm_gmmu_queue.h>

#include "drm_gmmu_bind_internal.h"
#include "drm_gmmu_internal.h"

#define CREATE_TRACE_POINTS
#include "drm_gmmu_trace.h"

static const char *drm_gmmu_fence_driver_name(struct dma_fence *f)
{
	return "drm_gmmu";
}

static const char *drm_gmmu_hw_fence_timeline_name(struct dma_fence *f)
{
	/* Static: the fence may outlive its queue. */
	return "gmmu-hw";
}

static const struct dma_fence_ops drm_gmmu_hw_fence_ops = {
	.get_driver_name = drm_gmmu_fence_driver_name,
	.get_timeline_name = drm_gmmu_hw_fence_timeline_name,
};

static const char *drm_gmmu_out_fence_timeline_name(struct dma_fence *f)
{
	return "gmmu-queue";
}

static const struct dma_fence_ops drm_gmmu_out_fence_ops = {
	.get_driver_name = drm_gmmu_fence_driver_name,
	.get_timeline_name = drm_gmmu_out_fence_timeline_name,
};

static void drm_gmmu_out_fence_cb(struct dma_fence *done,
				  struct dma_fence_cb *cb)
{
	struct drm_gmmu_out_fence *of =
		container_of(cb, struct drm_gmmu_out_fence, cb);

	if (done->error)
		dma_fence_set_error(&of->base, done->error);
	dma_fence_signal(&of->base);
	dma_fence_put(&of->base);
}

/**
 * drm_gmmu_out_fence_init - give the next job's out-fence its seqno
 * @of: the out-fence, from drm_gmmu_job_alloc()
 * @q: the queue, with its submit lock held
 *
 * Before the job is armed, so that a sync_file of it can be made while
 * failing is still allowed. Jobs are submitted in submit-lock order, so
 * the seqnos count the queue's jobs; the scheduler's own fences count only
 * those that went through it.
 */
void drm_gmmu_out_fence_init(struct drm_gmmu_out_fence *of,
			     struct drm_gmmu_queue *q)
{
	lockdep_assert_held(&q->submit_lock);
	spin_lock_init(&of->lock);
	dma_fence_init(&of->base, &drm_gmmu_out_fence_ops, &of->lock,
		       q->out_fence_context, q->out_seqno + 1);
}

/**
 * drm_gmmu_out_fence_arm - make the out-fence follow the job's fence
 * @of: the initialised out-fence
 * @job_fence: the armed job's finished fence
 *
 * Cannot fail.
 */
void drm_gmmu_out_fence_arm(struct drm_gmmu_out_fence *of,
			    struct dma_fence *job_fence)
{
	/* The callback's reference. */
	dma_fence_get(&of->base);
	if (dma_fence_add_callback(job_fence, &of->cb, drm_gmmu_out_fence_cb))
		drm_gmmu_out_fence_cb(job_fence, &of->cb);
}

static struct drm_gmmu_job *to_drm_gmmu_job(struct drm_sched_job *job)
{
	return container_of(job, struct drm_gmmu_job, base);
}

/*
 * The first error among the fences @job was given, each signalled by now
 * (see "Dependency errors" above), looking into timeline chain nodes and
 * merged sync_files; or the error the scheduler gave the job.
 */
static int drm_gmmu_job_dep_error(struct drm_gmmu_job *job)
{
	struct dma_fence_unwrap iter;
	struct dma_fence *f;
	unsigned int i;
	int status, err = 0;

	for (i = 0; i < job->num_deps && !err; i++) {
		/* The walk runs to its end: its cursor holds a reference. */
		dma_fence_unwrap_for_each(f, &iter,
					  dma_fence_chain_contained(job->deps[i])) {
			status = dma_fence_get_status(f);
			if (status < 0 && !err)
				err = status;
		}
	}
	return err ?: job->base.s_fence->finished.error;
}

static void drm_gmmu_job_put_direct(struct drm_gmmu_job *job);

/**
 * drm_gmmu_job_done - the hardware finished a job
 * @job: the job, as handed to &drm_gmmu_queue_ops.run
 * @error: 0, or the negative errno the job ended with
 *
 * Signals the job's hardware fence. The job may be freed as soon as this
 * returns: the caller must not touch it afterwards. Callable from the
 * fence-signalling path (any context that may take a spinlock).
 */
void drm_gmmu_job_done(struct drm_gmmu_job *job, int error)
{
	struct dma_fence *hw = dma_fence_get(job->hw_fence);
	/* Once @hw signals, the scheduler may free a job it owns. */
	bool direct = job->direct;

	error = drm_gmmu_job_reset_status(job, error);
	trace_drm_gmmu_job_complete(job, error);
	/* Room for a direct job before anyone wakes up to the fence. */
	atomic_dec(&job->q->hw_jobs);
	if (job->on_hw) {
		job->on_hw = false;
		drm_gmmu_busy_end(job->busy);
	}
	if (job->slot_held) {
		job->slot_held = false;
		drm_gmmu_slot_release(&job->q->vm->slot);
	}
	if (error)
		dma_fence_set_error(hw, error);
	dma_fence_signal(hw);
	dma_fence_put(hw);
	/* The hardware's hold on a job no scheduler frees. */
	if (direct)
		drm_gmmu_job_put_direct(job);
}
EXPORT_SYMBOL_GPL(drm_gmmu_job_done);

/**
 * drm_gmmu_job_slot_yield - the hardware stalled a job: others may use its slot
 * @job: the job, as handed to &drm_gmmu_queue_ops.run, stalled where the
 *	hardware can stop it (it touches no memory until this returns)
 *
 * On a device with a slot manager, lets a job that waits for a slot have
 * @job's (drm_gmmu_slot_yield()), then holds a slot for @job again and
 * records it in &drm_gmmu_job.slot. Without a manager, or with no job
 * waiting, it returns at once.
 *
 * Context: process context, the fence-signalling path; may sleep until a
 * slot is released; allocates nothing.
 * Return: the slot @job resumes in.
 */
unsigned int drm_gmmu_job_slot_yield(struct drm_gmmu_job *job)
{
	if (job->slot_held)
		job->slot = drm_gmmu_slot_yield(&job->q->vm->slot);
	return job->slot;
}
EXPORT_SYMBOL_GPL(drm_gmmu_job_slot_yield);

/*
 * The job reaches the hardware: it holds its VM's address-space slot,
 * waiting for one if every slot is busy (drm_gmmu_slots.c), and its
 * file's busy time runs (fdinfo).
 */
static void drm_gmmu_job_to_hw(struct drm_gmmu_job *job)
{
	struct drm_gmmu_slot_ctx *slot = &job->q->vm->slot;

	if (slot->slots && !job->q->cfg->cpu) {
		if (!drm_gmmu_slot_try_acquire(slot, &job->slot)) {
			struct drm_gmmu_queue *q = job->q;
			bool timed = !job->direct &&
				     q->timeout != MAX_SCHEDULE_TIMEOUT;

			/*
			 * Waiting for a slot is not running: the queue's hang
			 * timer stops meanwhile and restarts in full once the
			 * job holds one, so that a job queued behind another
			 * context's long (or hung) job is not taken for hung.
			 * The VM has no job on the hardware now (it would hold
			 * a slot), so the timer times this job alone.
			 */
			if (timed)
				drm_sched_suspend_timeout(&q->sched);
			job->slot = drm_gmmu_slot_acquire(slot);
			if (timed)
				drm_sched_resume_timeout(&q->sched, q->timeout);
		}
		job->slot_held = true;
	}
	if (job->busy) {
		job->on_hw = true;
		drm_gmmu_busy_begin(job->busy);
	}
	trace_drm_gmmu_job_run(job);
	job->q->cfg->ops->run(job);
}

/*
 * Where run() is called, one job of the queue at a time: by the
 * scheduler's worker, or with the submit lock held while the scheduler
 * has nothing (see "Direct submission").
 */
static void drm_gmmu_job_hw_fence_init(struct drm_gmmu_job *job)
{
	struct drm_gmmu_queue *q = job->q;

	dma_fence_init(job->hw_fence, &drm_gmmu_hw_fence_ops, &q->fence_lock,
		       q->hw_fence_context, ++q->hw_seqno);
	job->hw_fence_live = true;
	atomic_inc(&q->hw_jobs);
}

/*
 * Before the scheduler runs a job: the queue's direct jobs are done (see
 * "Direct submission"). Returns a fence to wait for, with a reference
 * the scheduler drops, or NULL to run the job now. No direct job can be
 * submitted meanwhile: this job keeps &drm_gmmu_queue.sched_pending up.
 */
static struct dma_fence *drm_gmmu_prepare_job(struct drm_sched_job *sched_job,
					      struct drm_sched_entity *entity)
{
	struct drm_gmmu_queue *q = to_drm_gmmu_job(sched_job)->q;
	struct dma_fence *fence;

	spin_lock_irq(&q->jobs_lock);
	fence = dma_fence_get(q->last_direct);
	spin_unlock_irq(&q->jobs_lock);
	if (fence && dma_fence_is_signaled(fence)) {
		dma_fence_put(fence);
		fence = NULL;
	}
	return fence;
}

static struct dma_fence *drm_gmmu_run_job(struct drm_sched_job *sched_job)
{
	struct drm_gmmu_job *job = to_drm_gmmu_job(sched_job);
	struct drm_gmmu_queue *q = job->q;
	int err;

	drm_gmmu_job_hw_fence_init(job);
	/* The scheduler's reference; run() may complete the job at once. */
	dma_fence_get(job->hw_fence);
	err = drm_gmmu_job_dep_error(job) ?: drm_gmmu_job_cancel_banned(job);
	if (err) {
		/* A dependency failed: the job does not reach the hardware. */
		drm_gmmu_job_done(job, err);
	} else {
		drm_gmmu_job_to_hw(job);
	}
	/*
	 * The job is in the driver's hands: a direct submission that sees
	 * this drop to 0 comes after it. The scheduler frees the job only
	 * after this returns.
	 */
	atomic_dec_return_release(&q->sched_pending);
	return job->hw_fence;
}

static void drm_gmmu_job_put_deps(struct drm_gmmu_job *job)
{
	while (job->num_deps)
		dma_fence_put(job->deps[--job->num_deps]);
	kfree(job->deps);
	job->deps = NULL;
}

/* The job's own memory and fences, without the driver's part. */
static void drm_gmmu_job_kfree(struct drm_gmmu_job *job)
{
	drm_gmmu_job_put_deps(job);
	if (job->hw_fence_live)
		dma_fence_put(job->hw_fence);
	else
		kfree(job->hw_fence);
	if (job->out && !job->out->base.ops)
		kfree(job->out);
	else if (job->out)
		dma_fence_put(&job->out->base);
	kfree(job);
}

/* Free a job the scheduler never saw, or saw and is done with. */
void drm_gmmu_job_free(struct drm_gmmu_job *job)
{
	const struct drm_gmmu_queue_ops *ops = job->q->cfg->ops;

	if (ops->free_job)
		ops->free_job(job);
	drm_gmmu_job_kfree(job);
}

/*
 * Free a submitted job the hardware is done with, and let the drain go
 * on. Process context, no drm_gmmu lock held (&drm_gmmu_queue_ops.free_job).
 */
static void drm_gmmu_job_retire(struct drm_gmmu_job *job)
{
	struct drm_gmmu_queue *q = job->q;
	unsigned long flags;

	drm_gmmu_job_free(job);

	/*
	 * Wake the drain under the lock it checks with: once it sees zero,
	 * nothing here touches the queue any more.
	 */
	spin_lock_irqsave(&q->jobs_lock, flags);
	if (!--q->jobs)
		wake_up_all(&q->idle);
	spin_unlock_irqrestore(&q->jobs_lock, flags);
}

static void drm_gmmu_free_job(struct drm_sched_job *sched_job)
{
	drm_sched_job_cleanup(sched_job);
	drm_gmmu_job_retire(to_drm_gmmu_job(sched_job));
}

static enum drm_gpu_sched_stat
drm_gmmu_timedout_job(struct drm_sched_job *sched_job)
{
	return drm_gmmu_queue_timedout(to_drm_gmmu_job(sched_job));
}

static const struct drm_sched_backend_ops drm_gmmu_sched_ops = {
	.prepare_job = drm_gmmu_prepare_job,
	.run_job = drm_gmmu_run_job,
	.timedout_job = drm_gmmu_timedout_job,
	.free_job = drm_gmmu_free_job,
};

/* Every queue's scheduler runs on it: see "Where a queue's jobs run". */
static struct workqueue_struct *drm_gmmu_submit_wq;

static void drm_gmmu_job_free_work(struct work_struct *work)
{
	drm_gmmu_job_retire(container_of(work, struct drm_gmmu_job,
					 free_work));
}

/*
 * Drop one of a direct job's two holds (see drm_gmmu_job_run_direct()).
 * The last one frees it: from drm_gmmu_job_done(), on the fence-signalling
 * path, through the submission workqueue, since the driver's free_job()
 * wants process context and no drm_gmmu lock.
 */
static void drm_gmmu_job_put_direct(struct drm_gmmu_job *job)
{
	if (atomic_dec_and_test(&job->direct_holds))
		queue_work(drm_gmmu_submit_wq, &job->free_work);
}

/**
 * drm_gmmu_job_run_direct - hand a job to the driver from its submission
 * @job: the job: seqno and out-fence set, fences published, no dependency
 *
 * See "Direct submission" above. The job's out-fence follows its hardware
 * fence. The submitter and the hardware each hold the job: the hardware
 * until drm_gmmu_job_done(), the submitter until it calls
 * drm_gmmu_job_direct_release() once it dropped the submit lock.
 *
 * Context: the submitting thread, the queue's submit lock held and
 * &drm_gmmu_queue.sched_pending found 0 under it; no reservation held.
 */
void drm_gmmu_job_run_direct(struct drm_gmmu_job *job)
{
	struct drm_gmmu_queue *q = job->q;
	struct dma_fence *prev;
	bool cookie;

	lockdep_assert_held(&q->submit_lock);
	atomic_set(&job->direct_holds, 2);
	INIT_WORK(&job->free_work, drm_gmmu_job_free_work);
	drm_gmmu_job_hw_fence_init(job);
	drm_gmmu_out_fence_arm(job->out, job->hw_fence);
	/* The scheduler's next job waits for this one (see drm_gmmu_prepare_job()). */
	spin_lock_irq(&q->jobs_lock);
	prev = q->last_direct;
	q->last_direct = dma_fence_get(job->hw_fence);
	spin_unlock_irq(&q->jobs_lock);
	dma_fence_put(prev);
	/* What run() does is what the job's fences wait for. */
	cookie = dma_fence_begin_signalling();
	drm_gmmu_job_to_hw(job);
	dma_fence_end_signalling(cookie);
}

/**
 * drm_gmmu_job_direct_release - the submitter lets go of a direct job
 * @job: the job, handed over with drm_gmmu_job_run_direct()
 *
 * If the hardware is done with the job already (the common case for a
 * short one), it is freed here, with no workqueue involved.
 *
 * Context: process context, no drm_gmmu lock held.
 */
void drm_gmmu_job_direct_release(struct drm_gmmu_job *job)
{
	if (atomic_dec_and_test(&job->direct_holds))
		drm_gmmu_job_retire(job);
}

/**
 * drm_gmmu_queue_module_init - create the submission workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int drm_gmmu_queue_module_init(void)
{
	drm_gmmu_submit_wq = alloc_workqueue("drm_gmmu_submit",
					     WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	return drm_gmmu_submit_wq ? 0 : -ENOMEM;
}

/**
 * drm_gmmu_queue_module_exit - destroy the submission workqueue
 *
 * No queue is left: each took a reference on this module's symbols.
 */
void drm_gmmu_queue_module_exit(void)
{
	destroy_workqueue(drm_gmmu_submit_wq);
}

/**
 * drm_gmmu_job_alloc - allocate a job for a queue, with all its fences
 * @q: the queue
 *
 * Return: the job, &drm_gmmu_queue_cfg.job_size bytes zeroed but for the
 * &struct drm_gmmu_job at its start, or NULL. It is submitted with
 * drm_gmmu_exec(), which takes it over.
 */
struct drm_gmmu_job *drm_gmmu_job_alloc(struct drm_gmmu_queue *q)
{
	struct drm_gmmu_job *job;

	job = kzalloc(q->cfg->job_size, GFP_KERNEL);
	if (!job)
		return NULL;
	job->q = q;
	job->hw_fence = kzalloc(sizeof(*job->hw_fence), GFP_KERNEL);
	job->out = kzalloc(sizeof(*job->out), GFP_KERNEL);
	if (!job->hw_fence || !job->out) {
		/* The driver never saw it: nothing of its part to release. */
		drm_gmmu_job_kfree(job);
		return NULL;
	}
	return job;
}
EXPORT_SYMBOL_GPL(drm_gmmu_job_alloc);

static void drm_gmmu_queue_release(struct kref *ref)
{
	struct drm_gmmu_queue *q = container_of(ref, struct drm_gmmu_queue, ref);
	struct drm_gmmu_vm *vm = q->vm;

	mutex_destroy(&q->submit_lock);
	dma_fence_put(q->last_direct);
	kfree(q);
	drm_gmmu_vm_put(vm);
}

/**
 * drm_gmmu_queue_put - drop a reference on a queue
 * @q: the queue, or NULL
 *
 * Context: process context (the last reference may drop the VM's last).
 */
void drm_gmmu_queue_put(struct drm_gmmu_queue *q)
{
	if (q)
		kref_put(&q->ref, drm_gmmu_queue_release);
}
EXPORT_SYMBOL_GPL(drm_gmmu_queue_put);

/*
 * A queue not yet listed anywhere: drm_gmmu_vm_queue_create() gives it an
 * id, a VM's bind queue (drm_gmmu_bind_queue.c) has none.
 */
struct drm_gmmu_queue *
drm_gmmu_queue_new(struct drm_gmmu_vm *vm, const struct drm_gmmu_queue_cfg *cfg)
{
	const long timeout = drm_gmmu_queue_timeout(cfg);
	const struct drm_sched_init_args args = {
		.ops = &drm_gmmu_sched_ops,
		.submit_wq = drm_gmmu_submit_wq,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = cfg->depth,
		.timeout = timeout,
		.name = cfg->name,
		.dev = vm->gdev->drm.dev,
	};
	struct drm_gpu_scheduler *sched;
	struct drm_gmmu_queue *q;
	int ret;

	if (cfg->queue_size < sizeof(*q) ||
	    cfg->job_size < sizeof(struct drm_gmmu_job) || !cfg->depth ||
	    !cfg->ops || !cfg->ops->run)
		return ERR_PTR(-EINVAL);
	q = kzalloc(cfg->queue_size, GFP_KERNEL);
	if (!q)
		return ERR_PTR(-ENOMEM);
	kref_init(&q->ref);
	q->vm = drm_gmmu_vm_get(vm);
	q->cfg = cfg;
	q->timeout = timeout;
	mutex_init(&q->submit_lock);
	spin_lock_init(&q->jobs_lock);
	spin_lock_init(&q->fence_lock);
	init_waitqueue_head(&q->idle);
	q->hw_fence_context = dma_fence_context_alloc(1);
	q->out_fence_context = dma_fence_context_alloc(1);

	sched = &q->sched;
	ret = drm_sched_init(sched, &args);
	if (ret)
		goto err_put;
	ret = drm_sched_entity_init(&q->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &sched, 1, NULL);
	if (ret)
		goto err_sched;
	if (cfg->ops->init) {
		ret = cfg->ops->init(q);
		if (ret)
			goto err_entity;
	}
	return q;

err_entity:
	drm_sched_entity_destroy(&q->entity);
err_sched:
	drm_sched_fini(sched);
err_put:
	drm_gmmu_queue_put(q);
	return ERR_PTR(ret);
}

/* Refuse submissions, let every job finish and be freed, stop. */
void drm_gmmu_queue_drain(struct drm_gmmu_queue *q)
{
	mutex_lock(&q->submit_lock);
	q->closed = true;
	mutex_unlock(&q->submit_lock);

	drm_sched_entity_destroy(&q->entity);
	spin_lock_irq(&q->jobs_lock);
	wait_event_lock_irq(q->idle, !q->jobs, q->jobs_lock);
	spin_unlock_irq(&q->jobs_lock);
	drm_sched_fini(&q->sched);
	if (q->cfg->ops->fini)
		q->cfg->ops->fini(q);
}

/**
 * drm_gmmu_vm_queue_create - create a queue of a VM
 * @vm: the VM
 * @cfg: the kind of queue; static storage
 * @first_id: lowest id the queue may get (a driver whose VMs come with a
 *	queue 0 creates it with 0, and further ones with 1)
 * @id: out, the queue's id
 *
 * The id is reserved first: past &drm_gmmu_vm_cfg.max_queues nothing is
 * built.
 *
 * Context: process context; the caller holds drm_dev_enter() (the
 * driver's @init may reach the hardware).
 * Return: 0; -ENOSPC when the VM has no free id at or above @first_id;
 * -ENOENT if the VM's queues are closed; -EINVAL for a bad @cfg;
 * -ENOMEM; the error of &drm_gmmu_queue_ops.init.
 */
int drm_gmmu_vm_queue_create(struct drm_gmmu_vm *vm,
			     const struct drm_gmmu_queue_cfg *cfg,
			     u32 first_id, u32 *id)
{
	struct drm_gmmu_queue *q;
	int ret;

	mutex_lock(&vm->queue_lock);
	if (vm->queues_closed)
		ret = -ENOENT;
	else if (first_id >= vm->max_queues)
		ret = -ENOSPC;
	else
		ret = xa_alloc(&vm->queues, id, NULL,
			       XA_LIMIT(first_id, vm->max_queues - 1),
			       GFP_KERNEL);
	mutex_unlock(&vm->queue_lock);
	if (ret)
		/* xa_alloc() says -EBUSY when the id range is full. */
		return ret == -EBUSY ? -ENOSPC : ret;

	q = drm_gmmu_queue_new(vm, cfg);
	mutex_lock(&vm->queue_lock);
	if (!IS_ERR(q) && vm->queues_closed) {
		/* The VM went meanwhile: the queue never ran anything. */
		mutex_unlock(&vm->queue_lock);
		drm_gmmu_queue_drain(q);
		drm_gmmu_queue_put(q);
		mutex_lock(&vm->queue_lock);
		q = ERR_PTR(-ENOENT);
	}
	if (IS_ERR(q)) {
		xa_release(&vm->queues, *id);
		ret = PTR_ERR(q);
	} else {
		q->id = *id;
		/* Cannot fail: the reservation allocated the slot. */
		WARN_ON(xa_store(&vm->queues, *id, q, GFP_KERNEL));
	}
	mutex_unlock(&vm->queue_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_queue_create);

/**
 * drm_gmmu_vm_queue_get - find a queue of a VM by id
 * @vm: the VM
 * @id: the queue's id
 *
 * Return: the queue with a reference (drm_gmmu_queue_put() it), or NULL.
 */
struct drm_gmmu_queue *drm_gmmu_vm_queue_get(struct drm_gmmu_vm *vm, u32 id)
{
	struct drm_gmmu_queue *q;

	xa_lock(&vm->queues);
	q = xa_load(&vm->queues, id);
	if (q)
		kref_get(&q->ref);
	xa_unlock(&vm->queues);
	return q;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_queue_get);

/**
 * drm_gmmu_vm_queue_destroy - destroy a queue of a VM
 * @vm: the VM
 * @id: the queue's id
 *
 * Removes the id, then drains the queue: returns once every job submitted
 * to it has completed (or was cancelled) and been freed.
 *
 * Context: process context; may sleep for as long as the queue's jobs.
 * Return: 0, or -ENOENT for an id the VM does not have.
 */
int drm_gmmu_vm_queue_destroy(struct drm_gmmu_vm *vm, u32 id)
{
	struct drm_gmmu_queue *q;

	/* A reserved id is not a queue yet: leave it to its creator. */
	mutex_lock(&vm->queue_lock);
	q = xa_load(&vm->queues, id);
	if (q)
		xa_erase(&vm->queues, id);
	mutex_unlock(&vm->queue_lock);
	if (!q)
		return -ENOENT;
	drm_gmmu_queue_drain(q);
	drm_gmmu_queue_put(q);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_queue_destroy);

/**
 * drm_gmmu_vm_close_queues - drain and destroy every queue of a VM
 * @vm: the VM
 *
 * No queue can be created afterwards. drm_gmmu_file_vm_destroy() calls
 * this before the driver's &drm_gmmu_vm_cfg.quiesce.
 *
 * Context: process context; may sleep until the queues' jobs are done.
 */
void drm_gmmu_vm_close_queues(struct drm_gmmu_vm *vm)
{
	struct drm_gmmu_queue *q;
	unsigned long id;

	mutex_lock(&vm->queue_lock);
	vm->queues_closed = true;
	mutex_unlock(&vm->queue_lock);
	/* Nothing adds a queue any more; destroys may still race: fine. */
	xa_for_each(&vm->queues, id, q)
		drm_gmmu_vm_queue_destroy(vm, id);
	/* Last: jobs of the others may wait for binds, not the reverse. */
	drm_gmmu_bind_queue_close(vm);
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_close_queues);

/**
 * drm_gmmu_file_queue_get - find a queue by VM id and queue id
 * @gfile: the file
 * @vm_id: the VM's id in @gfile
 * @id: the queue's id in the VM
 *
 * Return: the queue with a reference (drm_gmmu_queue_put() it; it keeps
 * its VM), or NULL if the file has no such VM or the VM no such queue.
 */
struct drm_gmmu_queue *drm_gmmu_file_queue_get(struct drm_gmmu_file *gfile,
					       u32 vm_id, u32 id)
{
	struct drm_gmmu_vm *vm = drm_gmmu_file_vm_get(gfile, vm_id);
	struct drm_gmmu_queue *q;

	if (!vm)
		return NULL;
	q = drm_gmmu_vm_queue_get(vm, id);
	drm_gmmu_vm_put(vm);
	return q;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_queue_get);
