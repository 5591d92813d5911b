/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Tracepoints of a job's life: submitted, started by the engine, faulted,
 * completed. Each names the GPU (slot), the VM, the queue and the job's
 * seqno on its queue, so one job can be followed across events.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM swgpu

#if !defined(__SWGPU_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __SWGPU_TRACE_H__

#include <linux/tracepoint.h>

#include "swgpu_drv.h"

TRACE_EVENT(swgpu_job_submit,
	TP_PROTO(struct swgpu_queue *q, u64 seqno, u64 batch_va,
		 unsigned int deps),
	TP_ARGS(q, seqno, batch_va, deps),
	TP_STRUCT__entry(
		__field(u32, slot)
		__field(u32, vm)
		__field(u32, queue)
		__field(u64, seqno)
		__field(u64, batch_va)
		__field(u32, deps)
	),
	TP_fast_assign(
		__entry->slot = q->sdev->slot;
		__entry->vm = q->vm->id;
		__entry->queue = q->base.id;
		__entry->seqno = seqno;
		__entry->batch_va = batch_va;
		__entry->deps = deps;
	),
	TP_printk("gpu=%u vm=%u queue=%u seqno=%llu batch=0x%llx deps=%u",
		  __entry->slot, __entry->vm, __entry->queue, __entry->seqno,
		  __entry->batch_va, __entry->deps)
);

TRACE_EVENT(swgpu_job_run,
	TP_PROTO(struct swgpu_queue *q, u64 seqno, u64 batch_va),
	TP_ARGS(q, seqno, batch_va),
	TP_STRUCT__entry(
		__field(u32, slot)
		__field(u32, vm)
		__field(u32, queue)
		__field(u64, seqno)
		__field(u64, batch_va)
	),
	TP_fast_assign(
		__entry->slot = q->sdev->slot;
		__entry->vm = q->vm->id;
		__entry->queue = q->base.id;
		__entry->seqno = seqno;
		__entry->batch_va = batch_va;
	),
	TP_printk("gpu=%u vm=%u queue=%u seqno=%llu batch=0x%llx",
		  __entry->slot, __entry->vm, __entry->queue, __entry->seqno,
		  __entry->batch_va)
);

TRACE_EVENT(swgpu_job_fault,
	TP_PROTO(struct swgpu_queue *q, u64 seqno, u64 va, u32 access),
	TP_ARGS(q, seqno, va, access),
	TP_STRUCT__entry(
		__field(u32, slot)
		__field(u32, vm)
		__field(u32, queue)
		__field(u64, seqno)
		__field(u64, va)
		__field(u32, access)
	),
	TP_fast_assign(
		__entry->slot = q->sdev->slot;
		__entry->vm = q->vm->id;
		__entry->queue = q->base.id;
		__entry->seqno = seqno;
		__entry->va = va;
		__entry->access = access;
	),
	TP_printk("gpu=%u vm=%u queue=%u seqno=%llu va=0x%llx access=0x%x",
		  __entry->slot, __entry->vm, __entry->queue, __entry->seqno,
		  __entry->va, __entry->access)
);

TRACE_EVENT(swgpu_job_complete,
	TP_PROTO(struct swgpu_queue *q, u64 seqno, int error),
	TP_ARGS(q, seqno, error),
	TP_STRUCT__entry(
		__field(u32, slot)
		__field(u32, vm)
		__field(u32, queue)
		__field(u64, seqno)
		__field(int, error)
	),
	TP_fast_assign(
		__entry->slot = q->sdev->slot;
		__entry->vm = q->vm->id;
		__entry->queue = q->base.id;
		__entry->seqno = seqno;
		__entry->error = error;
	),
	TP_printk("gpu=%u vm=%u queue=%u seqno=%llu error=%d",
		  __entry->slot, __entry->vm, __entry->queue, __entry->seqno,
		  __entry->error)
);

#endif /* __SWGPU_TRACE_H__ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE swgpu_trace
#include <trace/define_trace.h>
