// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: jdgpu job backend and SUBMIT
 *
 * Each drm_gmmu queue feeds one hardware job queue. SUBMIT checks the
 * address of the job's first descriptor against the VM and hands the rest
 * to drm_gmmu_submit_ioctl(); run() pushes the job with the slot
 * drm_gmmu holds for it and the VM's root table, which the hardware
 * checks the slot holds. The completion interrupt records a fault and
 * completes the job. The scheduler, fences, syncs and slots are
 * drm_gmmu's.
 */
#include <linux/iommu_ctx.h>

#include "jdgpu_drv.h"

static struct jdgpu_queue *to_jdgpu_queue(struct drm_gmmu_queue *q)
{
	return container_of(q, struct jdgpu_queue, base);
}

static void jdgpu_queue_done(void *cookie, int status,
			     const struct jdgpu_hw_fault *fault)
{
	struct drm_gmmu_job *job = cookie;

	if (fault)
		drm_gmmu_job_report_fault(job, fault->va, fault->access);
	drm_gmmu_job_done(job, status);
}

static void jdgpu_queue_run(struct drm_gmmu_job *job)
{
	struct drm_gmmu_vm *vm = job->q->vm;
	int ret;

	/* The scheduler never has more jobs out than the queue holds. */
	ret = jdgpu_hw_jq_push(to_jdgpu_queue(job->q)->jq, job->cmd_addr,
			       job->slot, iommu_ctx_root_dma(vm->domain), job);
	if (WARN_ON_ONCE(ret))
		drm_gmmu_job_done(job, ret);
}

static int jdgpu_queue_init(struct drm_gmmu_queue *q)
{
	struct jdgpu_device *jdev = to_jdgpu(q->vm->gdev);

	to_jdgpu_queue(q)->jq = jdgpu_hw_jq_create(jdev->hw, jdgpu_queue_done);
	return to_jdgpu_queue(q)->jq ? 0 : -ENOMEM;
}

static void jdgpu_queue_fini(struct drm_gmmu_queue *q)
{
	jdgpu_hw_jq_destroy(to_jdgpu_queue(q)->jq);
}

static void jdgpu_queue_reset(struct drm_gmmu_queue *q)
{
	jdgpu_hw_jq_reset(to_jdgpu_queue(q)->jq);
}

static const struct drm_gmmu_queue_ops jdgpu_queue_ops = {
	.init = jdgpu_queue_init,
	.run = jdgpu_queue_run,
	.fini = jdgpu_queue_fini,
	.reset = jdgpu_queue_reset,
};

static_assert(offsetof(struct jdgpu_queue, base) == 0);

const struct drm_gmmu_queue_cfg jdgpu_queue_cfg = {
	.ops = &jdgpu_queue_ops,
	.name = "jdgpu-queue",
	.queue_size = sizeof(struct jdgpu_queue),
	.job_size = sizeof(struct drm_gmmu_job),
	.depth = JDGPU_HW_JQ_DEPTH,
	.timeout = MAX_SCHEDULE_TIMEOUT,	/* the hardware's watchdog */
};

/* The first descriptor: aligned, inside the job's VM. */
static int jdgpu_submit_fill(struct drm_gmmu_job *job, void *data)
{
	u64 va = *(u64 *)data;

	if (va % JDGPU_DESC_SIZE ||
	    !drm_gpuvm_range_valid(&job->q->vm->base, va, JDGPU_DESC_SIZE))
		return -EINVAL;
	job->cmd_addr = va;
	return 0;
}

int jdgpu_submit_ioctl(struct drm_device *drm, void *data,
		       struct drm_file *file)
{
	struct drm_jdgpu_submit *args = data;

	return drm_gmmu_user_ext_walk(args->extensions, NULL, 0, NULL) ?:
	       drm_gmmu_submit_ioctl(file, &args->submit, jdgpu_submit_fill,
				     &args->desc_va);
}
