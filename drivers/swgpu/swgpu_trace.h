/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu engine tracepoint
 *
 * A batch handed to the hardware: which GPU (slot), VM, queue and job,
 * and the batch's GPU address. The rest of a job's life is traced by
 * drm_gmmu (events/drm_gmmu/: submit, run, fault, complete).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM swgpu

#if !defined(__SWGPU_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __SWGPU_TRACE_H__

#include <linux/tracepoint.h>

#include "swgpu_drv.h"

TRACE_EVENT(swgpu_job_run,
	TP_PROTO(struct drm_gmmu_job *job, u64 batch_va),
	TP_ARGS(job, batch_va),
	TP_STRUCT__entry(
		__field(u32, slot)
		__field(u32, vm)
		__field(u32, queue)
		__field(u64, seqno)
		__field(u64, batch_va)
	),
	TP_fast_assign(
		__entry->slot = to_swgpu(job->q->vm->gdev->drm)->slot;
		__entry->vm = job->q->vm->id;
		__entry->queue = job->q->id;
		__entry->seqno = job->seqno;
		__entry->batch_va = batch_va;
	),
	TP_printk("gpu=%u vm=%u queue=%u seqno=%llu batch=0x%llx",
		  __entry->slot, __entry->vm, __entry->queue, __entry->seqno,
		  __entry->batch_va)
);

#endif /* __SWGPU_TRACE_H__ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE swgpu_trace
#include <trace/define_trace.h>
