// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu job backend
 *
 * swgpu's job backend for drm_gmmu queues: each queue feeds one hardware
 * ring (hw/swgpu_hw.h). A job is a batch address: run() writes it into the
 * ring with the job as the cookie, and the ring's completion interrupt
 * records a fault in the VM and completes the job. Everything else a queue
 * does (scheduler, fences, dependencies and their errors, submission, the
 * address-space slot the job runs in) is drm_gmmu's.
 */
#include "swgpu_drv.h"

static struct swgpu_queue *to_swgpu_queue(struct drm_gmmu_queue *q)
{
	return container_of(q, struct swgpu_queue, base);
}

/* The completion interrupt: the job may be freed once it is done. */
static void swgpu_queue_irq(void *cookie, int status,
			    const struct swgpu_hw_fault *hw)
{
	struct drm_gmmu_job *job = cookie;

	if (hw)
		drm_gmmu_job_report_fault(job, hw->va, hw->access);
	drm_gmmu_job_done(job, status);
}

/* A batch stalled on a semaphore: another context may take its slot. */
static unsigned int swgpu_queue_yield(void *cookie, unsigned int slot)
{
	return drm_gmmu_job_slot_yield(cookie);
}

/* A job is a batch address (&drm_gmmu_job.cmd_addr), run on the job's ring. */
static void swgpu_queue_run(struct drm_gmmu_job *gjob)
{
	struct swgpu_hw_ring_entry e = {
		.batch_va = gjob->cmd_addr,
		.cookie = gjob,
		.slot = gjob->slot,
	};
	int ret;

	/* drm_gmmu hands over at most depth jobs: the ring has room. */
	ret = swgpu_hw_ring_submit(to_swgpu_queue(gjob->q)->ring, &e);
	if (WARN_ON_ONCE(ret))
		drm_gmmu_job_done(gjob, ret);
}

static int swgpu_queue_init(struct drm_gmmu_queue *gq)
{
	struct swgpu_vm *vm = container_of(gq->vm, struct swgpu_vm, gvm);
	struct swgpu_queue *q = to_swgpu_queue(gq);

	q->ring = swgpu_hw_ring_create(vm->mmu, swgpu_queue_irq,
				       swgpu_queue_yield);
	return q->ring ? 0 : -ENOMEM;
}

static void swgpu_queue_fini(struct drm_gmmu_queue *gq)
{
	swgpu_hw_ring_destroy(to_swgpu_queue(gq)->ring);
}

static void swgpu_queue_reset(struct drm_gmmu_queue *gq)
{
	swgpu_hw_ring_reset(to_swgpu_queue(gq)->ring);
}

/* The ring's registers, for drm_gmmu's error state. */
static unsigned int swgpu_queue_dump(struct drm_gmmu_queue *gq,
				     struct drm_gmmu_dump_reg *regs, u64 *cmd_va)
{
	struct swgpu_hw_ring_regs r;

	swgpu_hw_ring_read_regs(to_swgpu_queue(gq)->ring, &r);
	const struct drm_gmmu_dump_reg v[] = {
		{ "RING_HEAD", r.head }, { "RING_TAIL", r.tail },
		{ "RING_BUSY", r.busy }, { "ACTIVE_BATCH", r.active_batch },
		{ "PC", r.pc }, { "LAST_BATCH", r.last_batch },
		{ "LAST_STATUS", (u32)r.last_status }, { "FAULT_VA", r.fault_va },
		{ "FAULT_ACCESS", r.fault_access }, { "MMU_ROOT", r.root },
	};
	static_assert(ARRAY_SIZE(v) <= DRM_GMMU_DUMP_MAX_REGS);
	memcpy(regs, v, sizeof(v));
	*cmd_va = r.pc;
	return ARRAY_SIZE(v);
}

static const struct drm_gmmu_queue_ops swgpu_queue_ops = {
	.init = swgpu_queue_init,
	.run = swgpu_queue_run,
	.fini = swgpu_queue_fini,
	.reset = swgpu_queue_reset,
	.dump = swgpu_queue_dump,
};

/* drm_gmmu allocates queues with their driver parts. */
static_assert(offsetof(struct swgpu_queue, base) == 0);

const struct drm_gmmu_queue_cfg swgpu_queue_cfg = {
	.ops = &swgpu_queue_ops,
	.name = "swgpu-queue",
	.queue_size = sizeof(struct swgpu_queue),
	.job_size = sizeof(struct drm_gmmu_job),
	.depth = SWGPU_HW_RING_SLOTS,
	.timeout = MAX_SCHEDULE_TIMEOUT,	/* the engine's watchdog, or job_timeout_ms */
};
