/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Job tracepoints
 *
 * Tracepoints of a job's life in drm_gmmu: submitted (armed and pushed),
 * handed to the driver's hardware, faulted, completed. Each names the
 * device, the VM (its id in its file), the queue and the job's seqno on
 * its queue, so one job can be followed across events, whatever driver
 * runs it.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM drm_gmmu

#if !defined(__DRM_GMMU_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __DRM_GMMU_TRACE_H__

#include <linux/device.h>
#include <linux/tracepoint.h>

#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_queue.h>

DECLARE_EVENT_CLASS(drm_gmmu_job,
	TP_PROTO(struct drm_gmmu_job *job),
	TP_ARGS(job),
	TP_STRUCT__entry(
		__string(dev, dev_name(job->q->vm->gdev->drm.dev))
		__field(u32, vm)
		__field(u32, queue)
		__field(u64, seqno)
		__field(u32, deps)
		__field(u64, cmd)
	),
	TP_fast_assign(
		__assign_str(dev);
		__entry->vm = job->q->vm->id;
		__entry->queue = job->q->id;
		__entry->seqno = job->seqno;
		__entry->deps = job->num_deps;
		__entry->cmd = job->cmd_addr;
	),
	TP_printk("dev=%s vm=%u queue=%u seqno=%llu deps=%u cmd=0x%llx",
		  __get_str(dev), __entry->vm, __entry->queue, __entry->seqno,
		  __entry->deps, __entry->cmd)
);

DEFINE_EVENT(drm_gmmu_job, drm_gmmu_job_submit,
	TP_PROTO(struct drm_gmmu_job *job),
	TP_ARGS(job)
);

DEFINE_EVENT(drm_gmmu_job, drm_gmmu_job_run,
	TP_PROTO(struct drm_gmmu_job *job),
	TP_ARGS(job)
);

TRACE_EVENT(drm_gmmu_job_complete,
	TP_PROTO(struct drm_gmmu_job *job, int error),
	TP_ARGS(job, error),
	TP_STRUCT__entry(
		__string(dev, dev_name(job->q->vm->gdev->drm.dev))
		__field(u32, vm)
		__field(u32, queue)
		__field(u64, seqno)
		__field(int, error)
	),
	TP_fast_assign(
		__assign_str(dev);
		__entry->vm = job->q->vm->id;
		__entry->queue = job->q->id;
		__entry->seqno = job->seqno;
		__entry->error = error;
	),
	TP_printk("dev=%s vm=%u queue=%u seqno=%llu error=%d", __get_str(dev),
		  __entry->vm, __entry->queue, __entry->seqno, __entry->error)
);

TRACE_EVENT(drm_gmmu_vm_fault,
	TP_PROTO(struct drm_gmmu_vm *vm, const struct drm_gmmu_fault *f),
	TP_ARGS(vm, f),
	TP_STRUCT__entry(
		__string(dev, dev_name(vm->gdev->drm.dev))
		__field(u32, vm)
		__field(u32, queue)
		__field(u64, seqno)
		__field(u64, va)
		__field(u32, access)
		__field(u32, level)
	),
	TP_fast_assign(
		__assign_str(dev);
		__entry->vm = vm->id;
		__entry->queue = f->queue_id;
		__entry->seqno = f->seqno;
		__entry->va = f->va;
		__entry->access = f->access;
		__entry->level = f->level;
	),
	TP_printk("dev=%s vm=%u queue=%u seqno=%llu va=0x%llx access=0x%x level=%u",
		  __get_str(dev), __entry->vm, __entry->queue, __entry->seqno,
		  __entry->va, __entry->access, __entry->level)
);

#endif /* __DRM_GMMU_TRACE_H__ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE drm_gmmu_trace
#include <trace/define_trace.h>
