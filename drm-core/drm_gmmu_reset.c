// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Hang, reset and ban
 *
 * A queue with a finite scheduler timeout (&drm_gmmu_queue_cfg.timeout,
 * or drm_gmmu's ``job_timeout_ms`` parameter for queues created while it
 * is non-zero, on a driver that can reset a queue) sends every job
 * through drm_sched, whose timeout handler sees a job that stays on the
 * hardware too long. drm_gmmu's handler (drm_gmmu_queue_timedout()):
 *
 * 1. stops the queue's scheduler, so that nothing more reaches the
 *    hardware of this queue;
 * 2. if the job finished meanwhile, the timeout was spurious: the job goes
 *    back to the scheduler to be freed, which starts again;
 * 3. else takes the error state (see "Error state") and asks the driver
 *    to reset that queue's hardware only (&drm_gmmu_queue_ops.reset):
 *    every job on it completes, the hung one
 *    with -ETIMEDOUT and those behind it with -ECANCELED;
 * 4. bans the job's VM, the context: the VM's jobs not yet handed to the
 *    hardware complete with -ECANCELED without running (on every queue of
 *    the VM), and every later EXEC on it fails with -ECANCELED. The ban
 *    is for good; userspace makes a new VM. The hang is counted, and the
 *    hung job's queue and seqno recorded, for VM_GET_RESET_STATS
 *    (&struct drm_gmmu_vm_get_reset_stats_args);
 * 5. lets the scheduler free what completed and start again.
 *
 * Other queues, of this VM or of others, are not touched: their jobs,
 * already on their hardware or still queued, complete as if nothing had
 * happened, and the device never needs a reload. A hung job waits for
 * nothing of another queue, so nothing else waits behind it but its own
 * queue's jobs and whoever waits for its fences, which now signal with
 * its error.
 *
 * Without &drm_gmmu_queue_ops.reset a timeout only bans the VM: the job
 * stays with the hardware until it ends it (swgpu's engine watchdog does),
 * and the handler rearms.
 *
 * Why a parameter: swgpu's engine has its own watchdog (``watchdog_ms``)
 * and its queues keep %MAX_SCHEDULE_TIMEOUT, because only then may a job
 * bypass the scheduler (see "Direct submission"), which makes an exec
 * round trip several times faster; jobs of some tests legitimately run
 * for tens of seconds, too. ``job_timeout_ms`` turns the scheduler's hang
 * handling on for the queues created after it was set (it is read at
 * QUEUE_CREATE and VM_CREATE), as a GPU without a watchdog would have it
 * from its &drm_gmmu_queue_cfg.timeout.
 */
#include <linux/moduleparam.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_file.h>
#include <drm/drm_print.h>
#include <drm/gmmu_drm.h>

#include "drm_gmmu_internal.h"

static unsigned int job_timeout_ms;
module_param(job_timeout_ms, uint, 0644);
MODULE_PARM_DESC(job_timeout_ms,
		 "scheduler timeout of queues created from now on, in ms, for drivers that can reset a queue; 0: the driver's (default 0)");

/**
 * drm_gmmu_queue_timeout - the scheduler timeout of a new queue
 * @cfg: the kind of queue
 *
 * Return: ``job_timeout_ms`` in jiffies if set and @cfg has a reset hook,
 * else &drm_gmmu_queue_cfg.timeout.
 */
long drm_gmmu_queue_timeout(const struct drm_gmmu_queue_cfg *cfg)
{
	unsigned int ms = READ_ONCE(job_timeout_ms);

	if (ms && cfg->ops->reset)
		return msecs_to_jiffies(ms);
	return cfg->timeout;
}

/**
 * drm_gmmu_vm_banned - may the VM's jobs still run?
 * @vm: the VM
 *
 * Return: true once a job of @vm hung (see "Hang, reset and ban").
 */
bool drm_gmmu_vm_banned(struct drm_gmmu_vm *vm)
{
	return READ_ONCE(vm->reset.banned);
}

/**
 * drm_gmmu_job_reset_status - the error a job completes with during a reset
 * @job: the job the hardware completes
 * @error: the hardware's error
 *
 * Context: drm_gmmu_job_done(), on the fence-signalling path.
 * Return: -ETIMEDOUT for the hung job the reset stopped, else @error; a job
 * the reset cancelled is counted.
 */
int drm_gmmu_job_reset_status(struct drm_gmmu_job *job, int error)
{
	struct drm_gmmu_queue *q = job->q;

	if (likely(!READ_ONCE(q->resetting)) || error != -ECANCELED)
		return error;
	if (job == q->guilty) {
		WRITE_ONCE(q->guilty_hung, true);
		return -ETIMEDOUT;
	}
	atomic_inc(&q->vm->reset.cancelled);
	return error;
}

/**
 * drm_gmmu_job_cancel_banned - the error of a job whose VM is banned
 * @job: a job about to be handed to the hardware
 *
 * Return: -ECANCELED (counted) if its VM is banned, else 0.
 */
int drm_gmmu_job_cancel_banned(struct drm_gmmu_job *job)
{
	if (!drm_gmmu_vm_banned(job->q->vm))
		return 0;
	atomic_inc(&job->q->vm->reset.cancelled);
	return -ECANCELED;
}

/**
 * drm_gmmu_queue_timedout - &drm_sched_backend_ops.timedout_job of a queue
 * @job: the job the scheduler found past the timeout, off its pending list
 *
 * See "Hang, reset and ban" above.
 *
 * Context: the scheduler's timeout worker; fence-signalling path.
 * Return: %DRM_GPU_SCHED_STAT_NOMINAL.
 */
enum drm_gpu_sched_stat drm_gmmu_queue_timedout(struct drm_gmmu_job *job)
{
	struct drm_gmmu_queue *q = job->q;
	struct drm_gpu_scheduler *sched = &q->sched;
	struct drm_gmmu_vm *vm = q->vm;

	drm_sched_wqueue_stop(sched);
	if (dma_fence_is_signaled(job->hw_fence) || !q->cfg->ops->reset) {
		/*
		 * Spurious (it finished meanwhile), or nothing to reset: the
		 * job goes back where the scheduler took it from, to be
		 * freed once it is done.
		 */
		if (!dma_fence_is_signaled(job->hw_fence)) {
			WRITE_ONCE(vm->reset.banned, true);
			atomic_inc(&vm->reset.hangs);
			drm_gmmu_coredump_hang(job);
		}
		spin_lock(&sched->job_list_lock);
		list_add(&job->base.list, &sched->pending_list);
		spin_unlock(&sched->job_list_lock);
		drm_sched_wqueue_start(sched);
		return DRM_GPU_SCHED_STAT_NOMINAL;
	}

	/* The error state, while the hardware still holds the hung job. */
	drm_gmmu_coredump_hang(job);
	q->guilty = job;
	q->guilty_hung = false;
	WRITE_ONCE(q->resetting, true);
	q->cfg->ops->reset(q);
	WRITE_ONCE(q->resetting, false);
	q->guilty = NULL;
	if (q->guilty_hung) {
		/* Nothing more of the VM reaches the hardware. */
		WRITE_ONCE(vm->reset.banned, true);
		atomic_inc(&vm->reset.hangs);
		WRITE_ONCE(vm->reset.guilty_queue, q->id);
		WRITE_ONCE(vm->reset.guilty_seqno, job->seqno);
		drm_warn(&vm->gdev->drm, "VM %u queue %u: job %llu hung; queue reset, VM banned\n",
			 vm->id, q->id, job->seqno);
	}
	/*
	 * Every job the hardware had is complete: the scheduler frees them
	 * (the hung one once this returns) and starts again; jobs still
	 * queued meet the ban in run_job.
	 */
	drm_sched_stop(sched, &job->base);
	drm_sched_start(sched);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

/**
 * drm_gmmu_vm_get_reset_stats_ioctl - VM_GET_RESET_STATS with &struct
 *	drm_gmmu_vm_get_reset_stats_args
 * @drm: the device
 * @data: the argument
 * @file: a file opened with drm_gmmu_file_open()
 *
 * Return: 0, or the errno &struct drm_gmmu_vm_get_reset_stats_args lists.
 */
int drm_gmmu_vm_get_reset_stats_ioctl(struct drm_device *drm, void *data,
				      struct drm_file *file)
{
	struct drm_gmmu_vm_get_reset_stats_args *args = data;
	struct drm_gmmu_vm *vm;

	if (args->flags)
		return -EINVAL;
	vm = drm_gmmu_args_vm(file, args->extensions, args->vm_id);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	args->status = drm_gmmu_vm_banned(vm) ? DRM_GMMU_RESET_STATUS_BANNED : 0;
	args->hangs = atomic_read(&vm->reset.hangs);
	args->cancelled = atomic_read(&vm->reset.cancelled);
	args->guilty_queue_id = READ_ONCE(vm->reset.guilty_queue);
	args->guilty_seqno = READ_ONCE(vm->reset.guilty_seqno);
	drm_gmmu_vm_put(vm);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_get_reset_stats_ioctl);
