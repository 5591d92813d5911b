// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu's job backend for drm_gmmu queues: a job is a batch address; the
 * engine, one work item per queue on the device's engine workqueue, runs
 * the queue's ring in order and completes each job. Everything else a
 * queue does (scheduler, fences, dependencies, submission) is drm_gmmu's.
 */
#include <linux/jiffies.h>
#include <linux/module.h>

#include <drm/drm_drv.h>

#include "swgpu_drv.h"
#include "swgpu_trace.h"

static unsigned int watchdog_ms = 5000;
module_param(watchdog_ms, uint, 0644);
MODULE_PARM_DESC(watchdog_ms,
		 "engine watchdog: a batch running longer is stopped with -ETIMEDOUT (default 5000)");

/* Jobs in flight per queue before submission blocks. */
#define SWGPU_QUEUE_DEPTH	64

static void swgpu_job_execute(struct swgpu_job *job)
{
	struct swgpu_queue *q = to_swgpu_queue(job->base.q);
	u64 seqno = job->base.base.s_fence->finished.seqno;
	struct swgpu_hw_fault hw = {};
	bool cookie;
	int ret, idx;

	cookie = dma_fence_begin_signalling();
	if (!drm_dev_enter(&q->sdev->drm, &idx)) {
		ret = -ENODEV;
	} else {
		trace_swgpu_job_run(q, seqno, job->batch_va);
		ret = swgpu_hw_engine_run(&q->vm->mmu, job->batch_va,
					  jiffies + msecs_to_jiffies(watchdog_ms),
					  &hw);
		drm_dev_exit(idx);
	}
	if (ret == -EFAULT) {
		struct drm_gmmu_fault f = {
			.va = hw.va,
			.seqno = seqno,
			.access = hw.access,
			.level = hw.access & DRM_SWGPU_FAULT_LEVEL1 ? 1 : 2,
			.queue_id = q->base.id,
		};

		drm_gmmu_vm_report_fault(&q->vm->gvm, &f);
	}
	/* The job may be freed once this returns: it is not touched after. */
	drm_gmmu_job_done(&job->base, ret);
	dma_fence_end_signalling(cookie);
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

/* The doorbell: the job goes on the queue's ring, the engine wakes. */
static void swgpu_queue_run(struct drm_gmmu_job *gjob)
{
	struct swgpu_job *job = container_of(gjob, struct swgpu_job, base);
	struct swgpu_queue *q = to_swgpu_queue(gjob->q);

	spin_lock_irq(&q->lock);
	list_add_tail(&job->ring_link, &q->ring);
	spin_unlock_irq(&q->lock);
	queue_work(q->sdev->engine_wq, &q->work);
}

static int swgpu_queue_init(struct drm_gmmu_queue *gq)
{
	struct swgpu_queue *q = to_swgpu_queue(gq);

	q->vm = container_of(gq->vm, struct swgpu_vm, gvm);
	q->sdev = q->vm->sdev;
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->ring);
	INIT_WORK(&q->work, swgpu_queue_work);
	return 0;
}

static void swgpu_queue_fini(struct drm_gmmu_queue *gq)
{
	flush_work(&to_swgpu_queue(gq)->work);
}

static const struct drm_gmmu_queue_ops swgpu_queue_ops = {
	.init = swgpu_queue_init,
	.run = swgpu_queue_run,
	.fini = swgpu_queue_fini,
};

/* drm_gmmu allocates queues and jobs with their driver parts. */
static_assert(offsetof(struct swgpu_queue, base) == 0);
static_assert(offsetof(struct swgpu_job, base) == 0);

const struct drm_gmmu_queue_cfg swgpu_queue_cfg = {
	.ops = &swgpu_queue_ops,
	.name = "swgpu-queue",
	.queue_size = sizeof(struct swgpu_queue),
	.job_size = sizeof(struct swgpu_job),
	.depth = SWGPU_QUEUE_DEPTH,
	/* The engine's own watchdog ends long batches. */
	.timeout = MAX_SCHEDULE_TIMEOUT,
};
