// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Hardware queues: one drm_gpu_scheduler per queue with a single entity,
 * so a queue never waits behind another and a stalled or failing job
 * touches only its own queue. run_job() hands the job to the queue's ring;
 * the engine, one work item per queue on the device's engine workqueue,
 * runs the ring in order and signals each job's hardware fence. Nothing on
 * that path allocates or takes a reservation lock: every fence is
 * allocated at submission.
 */
#include <linux/dma-fence.h>
#include <linux/dma-fence-chain.h>
#include <linux/dma-fence-unwrap.h>
#include <linux/dma-resv.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sync_file.h>

#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gpuvm.h>

#include "swgpu_drv.h"
#include "swgpu_trace.h"

static unsigned int watchdog_ms = 5000;
module_param(watchdog_ms, uint, 0644);
MODULE_PARM_DESC(watchdog_ms,
		 "engine watchdog: a batch running longer is stopped with -ETIMEDOUT (default 5000)");

/* Jobs in flight per queue before submission blocks. */
#define SWGPU_QUEUE_DEPTH	64

/**
 * struct swgpu_job - one batch submitted to a queue
 * @base: the scheduler's job
 * @q: the queue
 * @batch_va: GPU address of the batch
 * @hw_fence: the engine's fence, allocated at submission
 * @hw_fence_live: @hw_fence was initialised by run_job()
 * @ring_link: in &swgpu_queue.ring
 * @deps: the fences the job waited for, kept to read their outcome (the
 *	scheduler forgets them as they signal)
 * @num_deps: entries of @deps
 */
struct swgpu_job {
	struct drm_sched_job base;
	struct swgpu_queue *q;
	u64 batch_va;
	struct dma_fence **deps;
	unsigned int num_deps;
	struct dma_fence *hw_fence;
	bool hw_fence_live;
	struct list_head ring_link;
};

static struct swgpu_job *to_swgpu_job(struct drm_sched_job *job)
{
	return container_of(job, struct swgpu_job, base);
}

static const char *swgpu_fence_driver_name(struct dma_fence *f)
{
	return "swgpu";
}

static const char *swgpu_fence_timeline_name(struct dma_fence *f)
{
	/* Static: the fence may outlive its queue. */
	return "swgpu-engine";
}

static const struct dma_fence_ops swgpu_hw_fence_ops = {
	.get_driver_name = swgpu_fence_driver_name,
	.get_timeline_name = swgpu_fence_timeline_name,
};

/*
 * The fence userspace gets in a sync_file. It mirrors the job's scheduler
 * fence but owns its lock and names, so it stays safe to query after the
 * queue is gone (the 6.12 scheduler fence reads its name from its queue).
 */
struct swgpu_out_fence {
	struct dma_fence base;
	struct dma_fence_cb cb;
	spinlock_t lock;
};

static const char *swgpu_out_fence_timeline_name(struct dma_fence *f)
{
	return "swgpu-queue";
}

static const struct dma_fence_ops swgpu_out_fence_ops = {
	.get_driver_name = swgpu_fence_driver_name,
	.get_timeline_name = swgpu_out_fence_timeline_name,
};

static void swgpu_out_fence_cb(struct dma_fence *done, struct dma_fence_cb *cb)
{
	struct swgpu_out_fence *of = container_of(cb, struct swgpu_out_fence, cb);

	if (done->error)
		dma_fence_set_error(&of->base, done->error);
	dma_fence_signal(&of->base);
	dma_fence_put(&of->base);
}

/*
 * Initialise the out-fence of the queue's next job, before it is armed,
 * so that a sync_file of it can be made while failing is still allowed.
 * Under submit_lock: the queue's jobs are armed in this order, so its
 * seqno is the one the scheduler gives the job.
 */
static void swgpu_out_fence_init(struct swgpu_out_fence *of,
				 struct swgpu_queue *q)
{
	spin_lock_init(&of->lock);
	dma_fence_init(&of->base, &swgpu_out_fence_ops, &of->lock,
		       q->out_fence_context, q->out_seqno + 1);
}

/* Start following @job_fence; nothing here can fail. */
static void swgpu_out_fence_arm(struct swgpu_out_fence *of,
				struct dma_fence *job_fence)
{
	/* The callback's reference. */
	dma_fence_get(&of->base);
	if (dma_fence_add_callback(job_fence, &of->cb, swgpu_out_fence_cb))
		swgpu_out_fence_cb(job_fence, &of->cb);
}

/*
 * The first error among the fences the job waited for. By the time the
 * engine reaches the job every one of them has signalled: those of other
 * queues before the scheduler ran it, those of this queue's earlier jobs
 * because the ring runs in order.
 */
static int swgpu_job_dep_error(struct swgpu_job *job)
{
	struct dma_fence_unwrap iter;
	struct dma_fence *f;
	unsigned int i;
	int status, err = 0;

	for (i = 0; i < job->num_deps && !err; i++) {
		/*
		 * A timeline point's chain node signals without its fence's
		 * error: look at the fence it holds (or the fences of a
		 * merged sync_file). The walk runs to its end: leaving it
		 * early would keep the reference its cursor holds.
		 */
		dma_fence_unwrap_for_each(f, &iter,
					  dma_fence_chain_contained(job->deps[i])) {
			status = dma_fence_get_status(f);
			if (status < 0 && !err)
				err = status;
		}
	}
	return err ?: job->base.s_fence->finished.error;
}

static void swgpu_job_execute(struct swgpu_job *job)
{
	struct swgpu_queue *q = job->q;
	struct dma_fence *hw = dma_fence_get(job->hw_fence);
	u64 seqno = job->base.s_fence->finished.seqno;
	struct swgpu_hw_fault fault = {};
	bool cookie;
	int ret, idx;

	cookie = dma_fence_begin_signalling();
	ret = swgpu_job_dep_error(job);
	if (ret) {
		/* A dependency failed: the job does not run. */
	} else if (!drm_dev_enter(&q->sdev->drm, &idx)) {
		ret = -ENODEV;
	} else {
		trace_swgpu_job_run(q, seqno, job->batch_va);
		ret = swgpu_hw_engine_run(&q->vm->mmu, job->batch_va,
					  jiffies + msecs_to_jiffies(watchdog_ms),
					  &fault);
		drm_dev_exit(idx);
	}
	if (ret == -EFAULT) {
		trace_swgpu_job_fault(q, seqno, fault.va, fault.access);
		swgpu_vm_record_fault(q->vm, &fault, seqno);
	}
	trace_swgpu_job_complete(q, seqno, ret);
	if (ret)
		dma_fence_set_error(hw, ret);
	/* The job may be freed once this signals: it is not touched after. */
	dma_fence_signal(hw);
	dma_fence_end_signalling(cookie);
	dma_fence_put(hw);
}

static void swgpu_queue_work(struct work_struct *work)
{
	struct swgpu_queue *q = container_of(work, struct swgpu_queue, work);
	struct swgpu_job *job;

	for (;;) {
		spin_lock_irq(&q->lock);
		job = list_first_entry_or_null(&q->ring, struct swgpu_job,
					       ring_link);
		if (job)
			list_del(&job->ring_link);
		spin_unlock_irq(&q->lock);
		if (!job)
			return;
		swgpu_job_execute(job);
	}
}

static struct dma_fence *swgpu_run_job(struct drm_sched_job *sched_job)
{
	struct swgpu_job *job = to_swgpu_job(sched_job);
	struct swgpu_queue *q = job->q;

	/* The scheduler calls run_job() for one queue from one worker. */
	dma_fence_init(job->hw_fence, &swgpu_hw_fence_ops, &q->fence_lock,
		       q->fence_context, ++q->hw_seqno);
	job->hw_fence_live = true;

	spin_lock_irq(&q->lock);
	list_add_tail(&job->ring_link, &q->ring);
	spin_unlock_irq(&q->lock);
	queue_work(q->sdev->engine_wq, &q->work);
	return dma_fence_get(job->hw_fence);
}

static void swgpu_job_put_deps(struct swgpu_job *job)
{
	while (job->num_deps)
		dma_fence_put(job->deps[--job->num_deps]);
	kfree(job->deps);
}

static void swgpu_free_job(struct drm_sched_job *sched_job)
{
	struct swgpu_job *job = to_swgpu_job(sched_job);
	struct swgpu_queue *q = job->q;
	unsigned long flags;

	drm_sched_job_cleanup(sched_job);
	swgpu_job_put_deps(job);
	if (job->hw_fence_live)
		dma_fence_put(job->hw_fence);
	else
		kfree(job->hw_fence);
	kfree(job);

	/*
	 * Wake teardown under the lock it checks with: once it sees zero,
	 * nothing here touches the queue any more.
	 */
	spin_lock_irqsave(&q->lock, flags);
	if (!--q->jobs)
		wake_up_all(&q->idle);
	spin_unlock_irqrestore(&q->lock, flags);
}

static const struct drm_sched_backend_ops swgpu_sched_ops = {
	.run_job = swgpu_run_job,
	.free_job = swgpu_free_job,
};

static void swgpu_queue_release(struct kref *ref)
{
	kfree(container_of(ref, struct swgpu_queue, ref));
}

/**
 * swgpu_queue_put - drop a reference on a queue
 * @q: the queue, or NULL
 *
 * The last reference frees the memory; swgpu_queue_fini() must have run.
 */
void swgpu_queue_put(struct swgpu_queue *q)
{
	if (q)
		kref_put(&q->ref, swgpu_queue_release);
}

/**
 * swgpu_queue_create - a new hardware queue with its own scheduler
 * @vm: the context its jobs run in
 *
 * Return: the queue with one reference, or an ERR_PTR.
 */
struct swgpu_queue *swgpu_queue_create(struct swgpu_vm *vm)
{
	const struct drm_sched_init_args args = {
		.ops = &swgpu_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = SWGPU_QUEUE_DEPTH,
		/* The engine's own watchdog ends long batches. */
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "swgpu-queue",
		.dev = vm->sdev->drm.dev,
	};
	struct drm_gpu_scheduler *sched;
	struct swgpu_queue *q;
	int ret;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return ERR_PTR(-ENOMEM);
	kref_init(&q->ref);
	q->sdev = vm->sdev;
	q->vm = vm;
	mutex_init(&q->submit_lock);
	spin_lock_init(&q->lock);
	spin_lock_init(&q->fence_lock);
	INIT_LIST_HEAD(&q->ring);
	init_waitqueue_head(&q->idle);
	INIT_WORK(&q->work, swgpu_queue_work);
	q->fence_context = dma_fence_context_alloc(1);
	q->out_fence_context = dma_fence_context_alloc(1);

	sched = &q->sched;
	ret = drm_sched_init(sched, &args);
	if (ret)
		goto err_free;
	ret = drm_sched_entity_init(&q->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &sched, 1, NULL);
	if (ret)
		goto err_sched;
	return q;

err_sched:
	drm_sched_fini(sched);
err_free:
	kfree(q);
	return ERR_PTR(ret);
}

/**
 * swgpu_queue_fini - stop a queue once its work is done
 * @q: the queue
 *
 * Refuses new submissions, lets the entity drain (a dying process's
 * queued jobs are cancelled by the scheduler instead), waits until every
 * job has been freed, then tears the scheduler down. Afterwards nothing
 * of the queue runs and its VM's MMU context is unused by it.
 */
void swgpu_queue_fini(struct swgpu_queue *q)
{
	mutex_lock(&q->submit_lock);
	q->closed = true;
	mutex_unlock(&q->submit_lock);

	drm_sched_entity_destroy(&q->entity);
	spin_lock_irq(&q->lock);
	wait_event_lock_irq(q->idle, !q->jobs, q->lock);
	spin_unlock_irq(&q->lock);
	drm_sched_fini(&q->sched);
	flush_work(&q->work);
	/*
	 * submit_lock is not destroyed: a late submission that still holds a
	 * reference on the queue takes it to find the queue closed.
	 */
}

/**
 * swgpu_queue_submit - submit a batch on a queue
 * @q: the queue
 * @s: the batch, the submitting file and the fences to wait for
 * @fence: out, a reference on the job's fence for userspace (sync_file,
 *	syncobjs): it follows the job's scheduler fence but stays safe to
 *	query once the queue is gone
 * @sync_file: out if not NULL, a sync_file of @fence, made before the
 *	job is armed so that failing to make it submits nothing
 *
 * Fences follow the dma_resv policy of Documentation/lifetime.rst:
 * BOOKKEEP on the VM's reservation object (all private BOs), WRITE on
 * every external BO bound in the VM.
 *
 * Return: 0; -ENOENT if the queue is closed; -ENOMEM; -EINTR/-ERESTARTSYS.
 */
int swgpu_queue_submit(struct swgpu_queue *q, const struct swgpu_submit *s,
		       struct dma_fence **fence, struct sync_file **sync_file)
{
	struct drm_gpuvm_exec vm_exec = {
		.vm = &q->vm->gvm.base,
		.flags = DRM_EXEC_INTERRUPTIBLE_WAIT,
		.num_fences = 1,
	};
	struct swgpu_out_fence *of;
	struct swgpu_job *job;
	struct dma_fence *f;
	unsigned int i = 0;
	int ret;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	of = kzalloc(sizeof(*of), GFP_KERNEL);
	if (!job || !of) {
		ret = -ENOMEM;
		goto err_free;
	}
	job->hw_fence = kzalloc(sizeof(*job->hw_fence), GFP_KERNEL);
	if (!job->hw_fence) {
		ret = -ENOMEM;
		goto err_free;
	}
	job->q = q;
	job->batch_va = s->batch_va;
	if (s->num_deps) {
		job->deps = kcalloc(s->num_deps, sizeof(*job->deps), GFP_KERNEL);
		if (!job->deps) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	/* The entity is torn down only after the queue is closed. */
	mutex_lock(&q->submit_lock);
	if (q->closed)
		ret = -ENOENT;
	else
		ret = drm_sched_job_init(&job->base, &q->entity, 1, q,
					 s->file->client_id);
	mutex_unlock(&q->submit_lock);
	if (ret)
		goto err_free;

	/* Each call consumes its fence, also when it fails. */
	for (; i < s->num_deps; i++) {
		job->deps[job->num_deps++] = dma_fence_get(s->deps[i]);
		ret = drm_sched_job_add_dependency(&job->base, s->deps[i]);
		if (ret) {
			i++;
			goto err_cleanup;
		}
	}

	ret = drm_gpuvm_exec_lock(&vm_exec);
	if (ret)
		goto err_cleanup;
	/* Harmless if the queue turns out closed: only more cache upkeep. */
	drm_gmmu_vm_enter_gpu_domain(&q->vm->gvm);

	mutex_lock(&q->submit_lock);
	if (q->closed) {
		mutex_unlock(&q->submit_lock);
		ret = -ENOENT;
		goto err_unlock;
	}
	swgpu_out_fence_init(of, q);
	if (sync_file) {
		*sync_file = sync_file_create(&of->base);
		if (!*sync_file) {
			mutex_unlock(&q->submit_lock);
			/* Nobody saw the fence: it goes unsignalled. */
			dma_fence_put(&of->base);
			of = NULL;
			ret = -ENOMEM;
			goto err_unlock;
		}
	}
	/* From here on nothing fails: an armed job must run. */
	q->out_seqno++;
	drm_sched_job_arm(&job->base);
	f = &job->base.s_fence->finished;
	swgpu_out_fence_arm(of, f);
	drm_gpuvm_exec_resv_add_fence(&vm_exec, f, DMA_RESV_USAGE_BOOKKEEP,
				      DMA_RESV_USAGE_WRITE);
	spin_lock_irq(&q->lock);
	q->jobs++;
	spin_unlock_irq(&q->lock);
	trace_swgpu_job_submit(q, f->seqno, s->batch_va, s->num_deps);
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&q->submit_lock);
	drm_gpuvm_exec_unlock(&vm_exec);

	*fence = &of->base;
	return 0;

err_unlock:
	drm_gpuvm_exec_unlock(&vm_exec);
err_cleanup:
	drm_sched_job_cleanup(&job->base);
err_free:
	for (; i < s->num_deps; i++)
		dma_fence_put(s->deps[i]);
	if (job) {
		swgpu_job_put_deps(job);
		kfree(job->hw_fence);
	}
	kfree(job);
	kfree(of);
	return ret;
}
