/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Queue and submission interface
 *
 * drm_gmmu queues, jobs and submission: one drm_sched scheduler and
 * entity per queue, jobs whose fences are all allocated at submission,
 * and the EXEC path every driver shares. See drm-core/drm_gmmu_queue.c
 * and drm-core/drm_gmmu_submit.c.
 */
#ifndef __DRM_GMMU_QUEUE_H__
#define __DRM_GMMU_QUEUE_H__

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/gpu_scheduler.h>

struct dma_fence;
struct drm_file;
struct drm_gmmu_busy;
struct drm_gmmu_file;
struct drm_gmmu_job;
struct drm_gmmu_out_fence;
struct drm_gmmu_queue;
struct drm_gmmu_syncs;
struct drm_gmmu_vm;

/**
 * DRM_GMMU_DUMP_MAX_REGS - hardware registers an error state holds at most
 */
#define DRM_GMMU_DUMP_MAX_REGS	32

/**
 * struct drm_gmmu_dump_reg - one hardware register in an error state
 * @name: the register's name; static storage
 * @value: its value when the error state was captured
 */
struct drm_gmmu_dump_reg {
	const char *name;
	u64 value;
};

/**
 * struct drm_gmmu_queue_ops - a driver's job backend
 * @init: optional; set up the driver's part of a new queue (the memory
 *	after &struct drm_gmmu_queue is zeroed). Process context; may fail.
 * @run: hand @job to the hardware. Called in submission order, once
 *	every fence the job was given has signalled without error (a job
 *	whose dependency failed completes with that error without reaching
 *	run()), by the queue's scheduler on a per-CPU worker that other
 *	queues share, or, for a job that waits for nothing, by
 *	drm_gmmu_exec() in the submitting thread with the queue's submit
 *	lock held (see "Direct submission"): either way, return soon. The
 *	job's hardware fence is initialised. The driver calls
 *	drm_gmmu_job_done() when the hardware is done with it, which may be
 *	before run() returns. Fence-signalling path: no GFP_KERNEL
 *	allocation, no reservation lock.
 * @free_job: optional; release what the driver's part of @job holds
 *	(references it took when it filled the job in). Called once for
 *	every job drm_gmmu_job_alloc() returned, just before its memory is
 *	freed: by drm_gmmu_exec() when it fails (it takes the job over
 *	whatever happens, so the driver cannot do this itself), else once
 *	the job is done or cancelled, from the scheduler or, for a direct
 *	submission, from the submitting thread or a drm_gmmu worker.
 *	Process context, no drm_gmmu lock held; the queue still exists.
 * @fini: optional; the queue is drained (no job of it remains) and its
 *	scheduler stopped: undo @init.
 * @reset: optional; a job of the queue ran past its timeout: stop the
 *	queue's hardware (only this queue's) and complete every job it
 *	holds, the running one included, with drm_gmmu_job_done(), with
 *	-ECANCELED for those it stopped (drm_gmmu gives the hung one
 *	-ETIMEDOUT); return once the hardware no longer touches any of them
 *	and takes new jobs again. Called from the scheduler's timeout
 *	handler with the queue's scheduler stopped, so run() is not called
 *	meanwhile: the fence-signalling path, no GFP_KERNEL allocation, no
 *	reservation. Without it, a finite &drm_gmmu_queue_cfg.timeout only
 *	bans the VM and leaves the job to the hardware.
 * @dump: optional; the hardware's part of an error state (see "Error
 *	state"): write at most %DRM_GMMU_DUMP_MAX_REGS of the queue's
 *	hardware registers into @regs and return how many, and set *@cmd_va
 *	to the GPU address of the command the queue's hardware stopped at
 *	(leave it 0 if unknown). Called when a job of the queue hung (from
 *	the timeout handler, before @reset) or faulted (from
 *	drm_gmmu_job_report_fault()): the fence-signalling path, maybe with
 *	interrupts off; no allocation, no sleeping lock.
 */
struct drm_gmmu_queue_ops {
	int (*init)(struct drm_gmmu_queue *q);
	void (*run)(struct drm_gmmu_job *job);
	void (*free_job)(struct drm_gmmu_job *job);
	void (*fini)(struct drm_gmmu_queue *q);
	void (*reset)(struct drm_gmmu_queue *q);
	unsigned int (*dump)(struct drm_gmmu_queue *q,
			     struct drm_gmmu_dump_reg *regs, u64 *cmd_va);
};

/**
 * struct drm_gmmu_queue_cfg - what kind of queue a driver creates
 * @ops: the job backend
 * @name: scheduler name, for debugging output; static storage
 * @queue_size: size of the driver's queue structure, whose first member is
 *	the &struct drm_gmmu_queue
 * @job_size: size of the driver's job structure, whose first member is
 *	the &struct drm_gmmu_job
 * @depth: the most jobs of the queue the driver holds at once (between
 *	&drm_gmmu_queue_ops.run and drm_gmmu_job_done()): a hardware ring's
 *	entries, say; drm_gmmu never hands over more
 * @timeout: scheduler timeout in jiffies, or %MAX_SCHEDULE_TIMEOUT when
 *	the hardware ends runaway jobs itself (only then may jobs bypass the
 *	scheduler, whose timeout handler would not see them). drm_gmmu's
 *	``job_timeout_ms`` parameter overrides it for queues created while it
 *	is non-zero, if the driver has &drm_gmmu_queue_ops.reset.
 * @cpu: the CPU runs the queue's jobs, not the GPU (a VM's bind queue,
 *	whose jobs write page tables): they hold no address-space slot
 */
struct drm_gmmu_queue_cfg {
	const struct drm_gmmu_queue_ops *ops;
	const char *name;
	size_t queue_size;
	size_t job_size;
	unsigned int depth;
	long timeout;
	bool cpu;
};

/**
 * struct drm_gmmu_queue - a hardware queue of a VM
 * @ref: the queue's memory; its VM holds one, lookups take more
 * @vm: the VM whose address space the queue's jobs run in, with a
 *	reference; the VM drains every queue before it closes
 * @cfg: how the queue was created
 * @id: the queue's id within its VM
 * @sched: the queue's scheduler
 * @entity: the scheduler's only entity
 * @submit_lock: makes arming and pushing a job one step, as drm_sched
 *	requires, and orders direct submissions with the scheduler's;
 *	protects @closed and @out_seqno
 * @closed: no more submissions
 * @out_seqno: seqno of the last job submitted
 * @sched_pending: jobs pushed to the scheduler whose run() has not
 *	returned yet; a job may bypass the scheduler only while it is 0
 * @hw_jobs: jobs handed to the driver (their hardware fence initialised)
 *	and not yet done; a job may bypass the scheduler only while it is
 *	below &drm_gmmu_queue_cfg.depth, since the scheduler's credits do
 *	not count direct jobs
 * @last_direct: hardware fence of the queue's last direct job, with a
 *	reference; a job the scheduler runs waits for it (see "Direct
 *	submission")
 * @jobs_lock: protects @jobs and @last_direct
 * @jobs: jobs submitted and not yet freed; drain waits for zero
 * @idle: woken when @jobs drops to zero
 * @fence_lock: the lock of the queue's hardware fences
 * @hw_fence_context: fence context of the hardware fences
 * @hw_seqno: seqno of the last hardware fence (written where run() is
 *	called, one job at a time)
 * @out_fence_context: fence context of the fences userspace gets
 * @timeout: the scheduler timeout the queue was created with, in jiffies
 * @guilty: while the timeout handler resets the queue, the hung job
 * @guilty_hung: the reset stopped @guilty (it had not finished by itself)
 * @resetting: the timeout handler is resetting the queue's hardware
 */
struct drm_gmmu_queue {
	struct kref ref;
	struct drm_gmmu_vm *vm;
	const struct drm_gmmu_queue_cfg *cfg;
	u32 id;
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	struct mutex submit_lock;
	bool closed;
	u64 out_seqno;
	atomic_t sched_pending;
	atomic_t hw_jobs;
	struct dma_fence *last_direct;
	spinlock_t jobs_lock;
	unsigned int jobs;
	wait_queue_head_t idle;
	spinlock_t fence_lock;
	u64 hw_fence_context;
	u64 hw_seqno;
	u64 out_fence_context;
	long timeout;
	struct drm_gmmu_job *guilty;
	bool guilty_hung;
	bool resetting;
};

/**
 * struct drm_gmmu_job - one submission to a queue
 * @base: the scheduler's job (not initialised for a direct submission)
 * @q: the queue
 * @seqno: the job's seqno on its queue, from 1, as userspace sees it
 * @cmd_addr: GPU address of the job's commands (a batch, a ring, a
 *	descriptor chain), set by the driver when it fills the job in; the
 *	job tracepoints show it
 * @direct: the job bypasses the scheduler (see "Direct submission")
 * @direct_holds: a direct job's holders, the submitter and the hardware;
 *	the last one frees it
 * @free_work: frees a direct job the hardware finished after its
 *	submitter let go
 * @deps: the fences the job was given to wait for, kept to read their
 *	outcome when it runs (the scheduler forgets them as they signal)
 * @num_deps: entries of @deps
 * @hw_fence: the hardware fence, allocated at submission, initialised
 *	just before &drm_gmmu_queue_ops.run
 * @hw_fence_live: @hw_fence was initialised (it is then freed by its
 *	last reference, not by the job)
 * @out: the fence userspace gets (internal)
 * @busy: the submitting file's busy time (fdinfo), or NULL for a job the
 *	kernel submits; the file outlives its jobs (closing it drains its VMs)
 * @on_hw: the job was handed to the hardware and counts in @busy until
 *	drm_gmmu_job_done()
 * @slot: on a device with a slot manager (&drm_gmmu_device.slots), the
 *	address-space slot the job runs in, bound to its VM and held from
 *	before &drm_gmmu_queue_ops.run until drm_gmmu_job_done()
 * @slot_held: @slot is held for the job
 *
 * A driver's job structure starts with this; drm_gmmu_job_alloc()
 * allocates &drm_gmmu_queue_cfg.job_size bytes, zeroed.
 */
struct drm_gmmu_job {
	struct drm_sched_job base;
	struct drm_gmmu_queue *q;
	u64 seqno;
	u64 cmd_addr;
	bool direct;
	atomic_t direct_holds;
	struct work_struct free_work;
	struct dma_fence **deps;
	unsigned int num_deps;
	struct dma_fence *hw_fence;
	bool hw_fence_live;
	struct drm_gmmu_out_fence *out;
	struct drm_gmmu_busy *busy;
	bool on_hw;
	unsigned int slot;
	bool slot_held;
};

/**
 * enum drm_gmmu_sync_policy - how a job's fence meets other users of the
 *	VM's shared BOs (see Documentation/lifetime.rst)
 * @DRM_GMMU_SYNC_PUBLISH: the job's fence goes on every external BO of
 *	its VM, READ where the VM maps it read-only only and WRITE where it
 *	maps it writable, so implicit-sync consumers (a display, another
 *	driver's job) see it; the job waits only for what it was given.
 * @DRM_GMMU_SYNC_IMPLICIT: as @DRM_GMMU_SYNC_PUBLISH, and the job also
 *	waits for the fences already on those BOs: for readers and writers
 *	where it may write, for writers where it only reads.
 * @DRM_GMMU_SYNC_EXPLICIT: BOOKKEEP everywhere, as VM_BIND drivers do:
 *	nobody implicitly waits for the job, and interop goes through the
 *	dma-buf sync_file ioctls.
 */
enum drm_gmmu_sync_policy {
	DRM_GMMU_SYNC_PUBLISH,
	DRM_GMMU_SYNC_IMPLICIT,
	DRM_GMMU_SYNC_EXPLICIT,
};

/**
 * struct drm_gmmu_exec - one EXEC, as a driver's ioctl translated it
 * @file: the submitting file, whose syncobj handles the sync arrays name;
 *	NULL for a submission the kernel makes on its own behalf, which then
 *	has no sync arrays (@in_count and @out_count 0, else -EINVAL) and
 *	the scheduler client id 0
 * @job: the job, from drm_gmmu_job_alloc(), with the driver's fields set;
 *	drm_gmmu_exec() takes it over, whatever it returns
 * @in_syncs: user pointer to @in_count &struct drm_gmmu_sync to wait for
 * @out_syncs: user pointer to @out_count &struct drm_gmmu_sync to signal
 * @in_count: at most %DRM_GMMU_MAX_SYNCS
 * @out_count: at most %DRM_GMMU_MAX_SYNCS
 * @stride: size of one &struct drm_gmmu_sync as userspace knows it
 * @syncs: sync arrays the caller read already with drm_gmmu_syncs_get()
 *	(a caller that may not read user memory where it submits, because
 *	it holds a lock that page faults must not nest under: an
 *	asynchronous bind), or NULL; drm_gmmu_exec() takes them over,
 *	whatever it returns. @in_count and @out_count must then be 0.
 * @in_fences: fences from the kernel the job waits for too, as for
 *	@in_syncs (a failed one fails the job without running it); the
 *	caller keeps its references. For a driver's own jobs, which have no
 *	user memory to read syncs from.
 * @in_fence_count: entries of @in_fences, at most %DRM_GMMU_MAX_SYNCS
 * @policy: the &enum drm_gmmu_sync_policy for this job
 * @fence_out: return a sync_file of the job's fence in @out_fence_fd
 * @no_gpu_access: the job does not let the GPU reach the VM's memory (a
 *	bind job, which writes page tables): the VM's BOs do not enter the
 *	GPU's cache domain for it, its fence goes on no reservation (CPU
 *	access to the BOs does not wait for it), and its time does not count
 *	as the file's engine time
 * @fence: if not NULL, receives a reference to the job's out-fence on
 *	success
 * @seqno: out, the job's seqno on its queue, from 1
 * @out_fence_fd: out, the sync_file's descriptor, or -1
 */
struct drm_gmmu_exec {
	struct drm_file *file;
	struct drm_gmmu_job *job;
	u64 in_syncs;
	u64 out_syncs;
	u32 in_count;
	u32 out_count;
	u32 stride;
	struct drm_gmmu_syncs *syncs;
	struct dma_fence **in_fences;
	u32 in_fence_count;
	enum drm_gmmu_sync_policy policy;
	bool fence_out;
	bool no_gpu_access;
	struct dma_fence **fence;
	u64 seqno;
	int out_fence_fd;
};

int drm_gmmu_vm_queue_create(struct drm_gmmu_vm *vm,
			     const struct drm_gmmu_queue_cfg *cfg,
			     u32 first_id, u32 *id);
struct drm_gmmu_queue *drm_gmmu_vm_queue_get(struct drm_gmmu_vm *vm, u32 id);
int drm_gmmu_vm_queue_destroy(struct drm_gmmu_vm *vm, u32 id);
void drm_gmmu_vm_close_queues(struct drm_gmmu_vm *vm);
void drm_gmmu_queue_put(struct drm_gmmu_queue *q);

struct drm_gmmu_queue *drm_gmmu_file_queue_get(struct drm_gmmu_file *gfile,
					       u32 vm_id, u32 id);

struct drm_gmmu_job *drm_gmmu_job_alloc(struct drm_gmmu_queue *q);
void drm_gmmu_job_report_fault(struct drm_gmmu_job *job, u64 va, u32 access);
void drm_gmmu_job_done(struct drm_gmmu_job *job, int error);
unsigned int drm_gmmu_job_slot_yield(struct drm_gmmu_job *job);

int drm_gmmu_exec(struct drm_gmmu_exec *x);

#endif /* __DRM_GMMU_QUEUE_H__ */
