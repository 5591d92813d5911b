// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: GPU fault records
 *
 * A VM keeps its last %DRM_GMMU_FAULT_RING_SIZE GPU page faults in a
 * ring of &struct drm_gmmu_fault (uapi gmmu_drm.h), so that several faults
 * in a row are all reported, in order, and a flood of them costs a bounded
 * amount of memory: a fault that finds the ring full replaces the oldest
 * record and counts it as dropped. The driver reports a fault with
 * drm_gmmu_vm_report_fault(), or for a job drm_gmmu_job_report_fault(),
 * from wherever its hardware tells it, the
 * fence-signalling path included (a spinlock, no allocation). Userspace
 * reads the records through a driver ioctl that calls
 * drm_gmmu_vm_read_faults(): only the file that owns the VM can name it,
 * so a fault in one VM is invisible to every other file. Reading takes
 * the records it returns out of the ring; the counts of all faults and of
 * dropped records only grow.
 */
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_queue.h>

#include "drm_gmmu_internal.h"
#include "drm_gmmu_trace.h"

/**
 * drm_gmmu_vm_report_fault - record a GPU page fault of one of a VM's jobs
 * @vm: the VM
 * @f: the fault; its @timestamp_ns is filled in here if zero
 *
 * Context: any context that may take a spinlock; does not allocate.
 */
void drm_gmmu_vm_report_fault(struct drm_gmmu_vm *vm,
			      const struct drm_gmmu_fault *f)
{
	struct drm_gmmu_fault_ring *r = &vm->faults;
	struct drm_gmmu_fault *rec;
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	if (r->len == DRM_GMMU_FAULT_RING_SIZE) {
		r->head = (r->head + 1) % DRM_GMMU_FAULT_RING_SIZE;
		r->len--;
		r->dropped++;
	}
	rec = &r->rec[(r->head + r->len) % DRM_GMMU_FAULT_RING_SIZE];
	*rec = *f;
	rec->pad = 0;
	if (!rec->timestamp_ns)
		rec->timestamp_ns = ktime_get_ns();
	r->len++;
	r->total++;
	r->last = *rec;
	trace_drm_gmmu_vm_fault(vm, rec);
	spin_unlock_irqrestore(&r->lock, flags);
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_report_fault);

/**
 * drm_gmmu_job_report_fault - record a GPU page fault of a job
 * @job: the faulting job
 * @va: GPU virtual address of the faulting access
 * @access: DRM_GMMU_FAULT_* bits; with %DRM_GMMU_FAULT_LEVEL1 the fault
 *	is recorded at level 1, else at level 2
 *
 * drm_gmmu_vm_report_fault() in the job's VM, with the job's seqno and
 * queue: what a driver's completion interrupt calls before
 * drm_gmmu_job_done() when the hardware reports a fault. It also takes
 * the device's error state (see "Error state").
 *
 * Context: any context that may take a spinlock; does not allocate.
 */
void drm_gmmu_job_report_fault(struct drm_gmmu_job *job, u64 va, u32 access)
{
	struct drm_gmmu_fault f = {
		.va = va,
		.seqno = job->seqno,
		.access = access,
		.level = access & DRM_GMMU_FAULT_LEVEL1 ? 1 : 2,
		.queue_id = job->q->id,
	};

	f.timestamp_ns = ktime_get_ns();
	drm_gmmu_vm_report_fault(job->q->vm, &f);
	drm_gmmu_coredump_fault(job, &f);
}
EXPORT_SYMBOL_GPL(drm_gmmu_job_report_fault);

/**
 * drm_gmmu_vm_last_fault - the most recent fault of a VM, and the count
 * @vm: the VM
 * @f: out, the last fault recorded (zeroed if none), whether or not
 *	drm_gmmu_vm_read_faults() took it out of the ring
 * @total: out, faults recorded since the VM was created
 */
void drm_gmmu_vm_last_fault(struct drm_gmmu_vm *vm, struct drm_gmmu_fault *f,
			    u64 *total)
{
	struct drm_gmmu_fault_ring *r = &vm->faults;
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	*f = r->last;
	*total = r->total;
	spin_unlock_irqrestore(&r->lock, flags);
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_last_fault);

/**
 * drm_gmmu_vm_read_faults - copy a VM's fault records out, oldest first
 * @vm: the VM
 * @uptr: user pointer to an array of &struct drm_gmmu_fault
 * @count: in, room in the array (at most %DRM_GMMU_FAULT_RING_SIZE is
 *	ever used); out, records written
 * @stride: size of one element as userspace knows it: a multiple of 8, at
 *	least the first version's 40 bytes, at most
 *	%DRM_GMMU_MAX_ARRAY_STRIDE; bytes past what the kernel knows are
 *	zeroed
 * @dropped: out, records lost to a full ring since the VM was created
 *
 * The records written leave the ring. If the copy faults, they stay.
 *
 * Return: 0; -EINVAL for a bad stride; -EFAULT; -ENOMEM.
 */
int drm_gmmu_vm_read_faults(struct drm_gmmu_vm *vm, u64 uptr, u32 *count,
			    u32 stride, u64 *dropped)
{
	struct drm_gmmu_fault_ring *r = &vm->faults;
	char __user *dst = u64_to_user_ptr(uptr);
	size_t copy = min_t(size_t, stride, sizeof(struct drm_gmmu_fault));
	struct drm_gmmu_fault *snap;
	unsigned long flags;
	unsigned int n, i;
	u64 first, now;

	if (stride < sizeof(struct drm_gmmu_fault) ||
	    stride > DRM_GMMU_MAX_ARRAY_STRIDE || stride % 8)
		return -EINVAL;
	snap = kcalloc(DRM_GMMU_FAULT_RING_SIZE, sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;

	/* A snapshot: user memory cannot be written under the spinlock. */
	spin_lock_irqsave(&r->lock, flags);
	n = min_t(unsigned int, *count, r->len);
	/* Records are numbered by arrival: the oldest held is this one. */
	first = r->total - r->len;
	for (i = 0; i < n; i++)
		snap[i] = r->rec[(r->head + i) % DRM_GMMU_FAULT_RING_SIZE];
	*dropped = r->dropped;
	spin_unlock_irqrestore(&r->lock, flags);

	for (i = 0; i < n; i++) {
		char __user *d = dst + (size_t)i * stride;

		if (copy_to_user(d, &snap[i], copy) ||
		    clear_user(d + copy, stride - copy)) {
			kfree(snap);
			return -EFAULT;
		}
	}
	kfree(snap);

	/*
	 * Take out what was read, and only that: faults that came meanwhile
	 * may have pushed some of it out already.
	 */
	spin_lock_irqsave(&r->lock, flags);
	now = r->total - r->len;
	if (first + n > now) {
		i = first + n - now;
		r->head = (r->head + i) % DRM_GMMU_FAULT_RING_SIZE;
		r->len -= i;
	}
	spin_unlock_irqrestore(&r->lock, flags);
	*count = n;
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_read_faults);
