// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Queue and submission self-test
 *
 * KTAP self-test of drm_gmmu queues and submission with a driver that is
 * nothing but this file. Its "hardware" is a list: run() puts each job on
 * it and the test completes the jobs with drm_gmmu_job_done() when it
 * chooses (or run() completes them at once, on the queues made for that),
 * so every step of a job's life is the test's to order and observe. It
 * proves that the queue and submit helpers stand on their own, without
 * swgpu, and shows what each synchronisation policy puts on the
 * reservations of a VM's shared BOs and waits for: publish WRITE or READ
 * by mapping, explicit-only BOOKKEEP and nothing else, implicit waits by
 * dma-resv.h's rules. Submissions are the kernel's own: no DRM file,
 * in-fences through &drm_gmmu_exec.in_fences.
 */
#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/fdtable.h>
#include <linux/iommu_ctx.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/sync_file.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_file.h>
#include <drm/drm_gmmu_queue.h>
#include <drm/gmmu_drm.h>

#include "gmmu_selftest_dev.h"

#define NTESTS 23

/* Waits that should end at once: generous, a TCG guest on a loaded host. */
#define WAIT_MS 10000
/* How long a job that must not run is given to run anyway. */
#define BLOCKED_MS 200

#define VA_W	SZ_1M
#define VA_R	SZ_2M
#define VA_P	SZ_4M

static const struct drm_driver selftest_driver = {
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA,
	.name = "drm_gmmu_queue_selftest",
	.desc = "drm_gmmu queue and submission self-test",
};

/* The test's job: what run() saw, for the test to check. */
struct st_job {
	struct drm_gmmu_job base;
	struct list_head link;
	u32 tag;
};

/* The test's queue; init() marks it, so fini() can tell init() ran. */
struct st_queue {
	struct drm_gmmu_queue base;
	bool inited;
};

static_assert(offsetof(struct st_job, base) == 0);
static_assert(offsetof(struct st_queue, base) == 0);

/* One run() call, in the order they came. */
struct st_run {
	u32 tag;
	u64 seqno;
};

#define MAX_RUNS 32

/*
 * The hardware and the backend's counters. @lock protects @held, @nheld,
 * @runs, @nruns and @autocomplete; run() and free_job() come from the
 * queues' scheduler workers (or, for a job that bypasses the scheduler,
 * from the submitting thread and drm_gmmu's workqueue), so everything the
 * test waits for is followed by a wake-up of @wq.
 */
static struct {
	spinlock_t lock;
	wait_queue_head_t wq;
	struct list_head held;
	unsigned int nheld;
	unsigned int max_held;
	struct st_run runs[MAX_RUNS];
	unsigned int nruns;
	bool autocomplete;
	int init_error;
	atomic_t inits;
	atomic_t finis;
	atomic_t fini_bad;
	atomic_t allocated;
	atomic_t freed;
	atomic_t quiesced;
	atomic_t finis_at_quiesce;
} hw;

static struct st_job *to_st_job(struct drm_gmmu_job *job)
{
	return container_of(job, struct st_job, base);
}

static int st_queue_init(struct drm_gmmu_queue *q)
{
	if (hw.init_error)
		return hw.init_error;
	container_of(q, struct st_queue, base)->inited = true;
	atomic_inc(&hw.inits);
	return 0;
}

static void st_queue_fini(struct drm_gmmu_queue *q)
{
	/* fini() is promised a drained queue, and only after an init(). */
	if (q->jobs || !container_of(q, struct st_queue, base)->inited)
		atomic_inc(&hw.fini_bad);
	atomic_inc(&hw.finis);
}

/*
 * Note the job in the run log. drm_gmmu calls run() only for a job whose
 * in-fences all succeeded: one whose dependency failed completes without
 * reaching the driver.
 */
static void st_note_run(struct st_job *j)
{
	unsigned long flags;

	spin_lock_irqsave(&hw.lock, flags);
	if (hw.nruns < MAX_RUNS) {
		hw.runs[hw.nruns].tag = j->tag;
		hw.runs[hw.nruns].seqno = j->base.seqno;
	}
	hw.nruns++;
	spin_unlock_irqrestore(&hw.lock, flags);
}

/* Hold the job until the test completes it (unless tearing down). */
static void st_run_hold(struct drm_gmmu_job *job)
{
	struct st_job *j = to_st_job(job);
	unsigned long flags;
	bool now;

	st_note_run(j);
	spin_lock_irqsave(&hw.lock, flags);
	now = hw.autocomplete;
	if (!now) {
		list_add_tail(&j->link, &hw.held);
		hw.nheld++;
		hw.max_held = max(hw.max_held, hw.nheld);
	}
	spin_unlock_irqrestore(&hw.lock, flags);
	wake_up_all(&hw.wq);
	if (now)
		drm_gmmu_job_done(job, 0);
}

/* Complete the job at once, from where run() is called. */
static void st_run_now(struct drm_gmmu_job *job)
{
	st_note_run(to_st_job(job));
	wake_up_all(&hw.wq);
	drm_gmmu_job_done(job, 0);
}

static void st_free_job(struct drm_gmmu_job *job)
{
	atomic_inc(&hw.freed);
	wake_up_all(&hw.wq);
}

static const struct drm_gmmu_queue_ops st_hold_ops = {
	.init = st_queue_init,
	.run = st_run_hold,
	.free_job = st_free_job,
	.fini = st_queue_fini,
};

static const struct drm_gmmu_queue_ops st_now_ops = {
	.init = st_queue_init,
	.run = st_run_now,
	.free_job = st_free_job,
	.fini = st_queue_fini,
};

static const struct drm_gmmu_queue_cfg st_hold_cfg = {
	.ops = &st_hold_ops,
	.name = "gmmu-st-hold",
	.queue_size = sizeof(struct st_queue),
	.job_size = sizeof(struct st_job),
	.depth = 8,
	.timeout = MAX_SCHEDULE_TIMEOUT,
};

static const struct drm_gmmu_queue_cfg st_now_cfg = {
	.ops = &st_now_ops,
	.name = "gmmu-st-now",
	.queue_size = sizeof(struct st_queue),
	.job_size = sizeof(struct st_job),
	.depth = 8,
	.timeout = MAX_SCHEDULE_TIMEOUT,
};

/* Nothing runs on a zero depth: drm_gmmu refuses it before init(). */
static const struct drm_gmmu_queue_cfg st_bad_cfg = {
	.ops = &st_hold_ops,
	.name = "gmmu-st-bad",
	.queue_size = sizeof(struct st_queue),
	.job_size = sizeof(struct st_job),
	.timeout = MAX_SCHEDULE_TIMEOUT,
};

/* The oldest held job, taken off the hardware, or NULL. */
static struct st_job *st_pop(void)
{
	struct st_job *j;

	spin_lock_irq(&hw.lock);
	j = list_first_entry_or_null(&hw.held, struct st_job, link);
	if (j) {
		list_del(&j->link);
		hw.nheld--;
	}
	spin_unlock_irq(&hw.lock);
	return j;
}

static bool st_wait_held(unsigned int n)
{
	return wait_event_timeout(hw.wq, READ_ONCE(hw.nheld) >= n,
				  msecs_to_jiffies(WAIT_MS)) > 0;
}

static unsigned int st_nheld(void)
{
	return READ_ONCE(hw.nheld);
}

/* Complete the oldest held job with @error; false if none was held. */
static bool st_complete(int error)
{
	struct st_job *j = st_pop();

	if (!j)
		return false;
	drm_gmmu_job_done(&j->base, error);
	return true;
}

static void st_complete_all(int error)
{
	while (st_complete(error))
		;
}

static bool st_fence_wait(struct dma_fence *f)
{
	return dma_fence_wait_timeout(f, false, msecs_to_jiffies(WAIT_MS)) > 0;
}

/* Fences the test signals itself: other drivers' work, in-fences. */
struct st_fence {
	struct dma_fence base;
	spinlock_t lock;
};

static_assert(offsetof(struct st_fence, base) == 0);

static const char *st_fence_name(struct dma_fence *f)
{
	return "gmmu-queue-selftest";
}

static const struct dma_fence_ops st_fence_ops = {
	.get_driver_name = st_fence_name,
	.get_timeline_name = st_fence_name,
};

/*
 * Every test fence, so that teardown can signal those a failed case left
 * unsignalled: a queue drains only once its jobs' in-fences signal.
 */
#define MAX_FENCES 16
static struct dma_fence *st_fences[MAX_FENCES];
static unsigned int st_nfences;

static struct dma_fence *st_fence_new(void)
{
	struct st_fence *f;

	if (st_nfences == MAX_FENCES)
		return NULL;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &st_fence_ops, &f->lock,
		       dma_fence_context_alloc(1), 1);
	st_fences[st_nfences++] = &f->base;
	return &f->base;
}

static void st_fence_signal(struct dma_fence *f, int error)
{
	if (error)
		dma_fence_set_error(f, error);
	dma_fence_signal(f);
}

/*
 * Before a case destroys its queues: let whatever a failure left waiting
 * run to completion, or the drain would wait for it forever.
 */
static void st_unblock_begin(void)
{
	unsigned int i;

	spin_lock_irq(&hw.lock);
	hw.autocomplete = true;
	spin_unlock_irq(&hw.lock);
	for (i = 0; i < st_nfences; i++)
		dma_fence_signal(st_fences[i]);
	st_complete_all(0);
}

static void st_unblock_end(void)
{
	spin_lock_irq(&hw.lock);
	hw.autocomplete = false;
	spin_unlock_irq(&hw.lock);
}

static void st_fences_put(void)
{
	while (st_nfences)
		dma_fence_put(st_fences[--st_nfences]);
}

/*
 * Submit a job tagged @tag to @q with @policy, waiting for @in if set, as
 * a driver's kernel-internal submission does (no file, no sync arrays).
 * Returns the job's out-fence, from the sync_file drm_gmmu_exec() made,
 * with a reference, or an ERR_PTR; @seqno gets the job's seqno.
 */
static struct dma_fence *st_submit(struct drm_gmmu_queue *q, u32 tag,
				   enum drm_gmmu_sync_policy policy,
				   struct dma_fence *in, u64 *seqno)
{
	struct drm_gmmu_exec x = {
		.policy = policy,
		.in_fences = &in,
		.in_fence_count = in ? 1 : 0,
		.fence_out = true,
	};
	struct dma_fence *out;
	int ret;

	x.job = drm_gmmu_job_alloc(q);
	if (!x.job)
		return ERR_PTR(-ENOMEM);
	atomic_inc(&hw.allocated);
	to_st_job(x.job)->tag = tag;
	ret = drm_gmmu_exec(&x);
	if (ret)
		return ERR_PTR(ret);
	if (seqno)
		*seqno = x.seqno;
	out = sync_file_get_fence(x.out_fence_fd);
	close_fd(x.out_fence_fd);
	return out ?: ERR_PTR(-EINVAL);
}

static void st_fence_put(struct dma_fence *f)
{
	if (!IS_ERR_OR_NULL(f))
		dma_fence_put(f);
}

/* The usage with which @f is on @resv, or -1 if it is not there. */
static int st_resv_usage(struct dma_resv *resv, struct dma_fence *f)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	int usage = -1;

	dma_resv_lock(resv, NULL);
	dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_BOOKKEEP, fence)
		if (fence == f)
			usage = dma_resv_iter_usage(&cursor);
	dma_resv_unlock(resv);
	return usage;
}

/* Another driver's access to a shared BO: @f goes on it with @usage. */
static int st_resv_add(struct drm_gmmu_bo *bo, struct dma_fence *f,
		       enum dma_resv_usage usage)
{
	struct dma_resv *resv = bo->base.base.resv;
	int ret;

	dma_resv_lock(resv, NULL);
	ret = dma_resv_reserve_fences(resv, 1);
	if (!ret)
		dma_resv_add_fence(resv, f, usage);
	dma_resv_unlock(resv);
	return ret;
}

static bool bo_idle(struct drm_gmmu_bo *bo, enum dma_resv_usage usage)
{
	return dma_resv_test_signaled(bo->base.base.resv, usage);
}

/* The GPU of this test: a TLB nobody needs to watch. */
static void st_flush_all(void *cookie)
{
}

static void st_flush_range(unsigned long iova, size_t size, size_t granule,
			   void *cookie)
{
}

static const struct iommu_ctx_tlb_ops st_tlb = {
	.flush_all = st_flush_all,
	.flush_range = st_flush_range,
};

static void st_vm_free(struct drm_gmmu_vm *vm)
{
	kfree(vm);
}

/* drm_gmmu_file_vm_destroy() promises drained queues by now. */
static void st_vm_quiesce(struct drm_gmmu_vm *vm)
{
	atomic_set(&hw.finis_at_quiesce, atomic_read(&hw.finis));
	atomic_inc(&hw.quiesced);
}

static struct drm_gmmu_vm *st_vm_create(struct drm_gmmu_device *gdev,
					unsigned int max_queues)
{
	const struct drm_gmmu_vm_cfg cfg = {
		.format = "x86-48",
		.va_bits = 48,
		.va_start = SZ_64K,
		.coherent = true,
		.tlb = &st_tlb,
		.free = st_vm_free,
		.quiesce = st_vm_quiesce,
		.max_queues = max_queues,
		/* Only the shared ioctls look at it. */
		.queue = &st_hold_cfg,
	};
	struct drm_gmmu_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);

	if (!vm)
		return NULL;
	if (drm_gmmu_vm_init(vm, gdev, "queue-selftest", &cfg)) {
		kfree(vm);
		return NULL;
	}
	return vm;
}

static void st_vm_destroy(struct drm_gmmu_vm *vm)
{
	if (!vm)
		return;
	drm_gmmu_vm_close_queues(vm);
	drm_gmmu_vm_close(vm);
	drm_gmmu_vm_put(vm);
}

/* Is queue @id of @vm there, under that id? */
static bool has_queue(struct drm_gmmu_vm *vm, u32 id)
{
	struct drm_gmmu_queue *q = drm_gmmu_vm_queue_get(vm, id);
	bool ok = q && q->id == id;

	drm_gmmu_queue_put(q);
	return ok;
}

static struct drm_gmmu_queue *get_queue(struct drm_gmmu_vm *vm, u32 id)
{
	return drm_gmmu_vm_queue_get(vm, id);
}

/* Let go of a case's queue @q (from get_queue(), or NULL) and destroy @id. */
static void drop_queue(struct drm_gmmu_vm *vm, struct drm_gmmu_queue *q, u32 id)
{
	if (!q)
		return;
	drm_gmmu_queue_put(q);
	drm_gmmu_vm_queue_destroy(vm, id);
}

static int create(struct drm_gmmu_vm *vm, const struct drm_gmmu_queue_cfg *cfg,
		  u32 first_id, u32 *id)
{
	*id = U32_MAX;
	return drm_gmmu_vm_queue_create(vm, cfg, first_id, id);
}

/* Ids, the limit, lookups and closing, on a VM of three queues. */
static void test_queue_ids(struct drm_gmmu_device *gdev)
{
	bool ids = false, limit = false, unknown = false, init_err = false;
	bool closed = false;
	unsigned int inits, finis;
	struct drm_gmmu_vm *vm;
	u32 a, b, c, d;
	int ret;

	vm = st_vm_create(gdev, 3);
	if (!vm)
		goto out;

	/* A VM's queue 0 is asked for by id; further queues start at 1. */
	inits = atomic_read(&hw.inits);
	ids = !create(vm, &st_hold_cfg, 1, &a) && a == 1 &&
	      !create(vm, &st_hold_cfg, 0, &b) && b == 0 &&
	      !create(vm, &st_hold_cfg, 1, &c) && c == 2 &&
	      has_queue(vm, 0) && has_queue(vm, 1) && has_queue(vm, 2) &&
	      atomic_read(&hw.inits) == inits + 3;

	/* Past the limit nothing is built: the backend's init() never runs. */
	inits = atomic_read(&hw.inits);
	limit = create(vm, &st_hold_cfg, 1, &d) == -ENOSPC &&
		create(vm, &st_hold_cfg, 0, &d) == -ENOSPC &&
		create(vm, &st_hold_cfg, 3, &d) == -ENOSPC &&
		atomic_read(&hw.inits) == inits;
	/* Queue 0 free again: only a creation from id 0 may take it. */
	finis = atomic_read(&hw.finis);
	limit = limit && !drm_gmmu_vm_queue_destroy(vm, 0) &&
		atomic_read(&hw.finis) == finis + 1 &&
		create(vm, &st_hold_cfg, 1, &d) == -ENOSPC &&
		atomic_read(&hw.inits) == inits &&
		!create(vm, &st_hold_cfg, 0, &d) && d == 0 &&
		atomic_read(&hw.inits) == inits + 1;

	finis = atomic_read(&hw.finis);
	unknown = !drm_gmmu_vm_queue_destroy(vm, 1) && !has_queue(vm, 1) &&
		  atomic_read(&hw.finis) == finis + 1 &&
		  drm_gmmu_vm_queue_destroy(vm, 1) == -ENOENT &&
		  drm_gmmu_vm_queue_destroy(vm, 3) == -ENOENT &&
		  drm_gmmu_vm_queue_destroy(vm, U32_MAX) == -ENOENT &&
		  !has_queue(vm, 3) && has_queue(vm, 0) && has_queue(vm, 2);

	/* A queue that could not be built gives its id back, unfinished. */
	inits = atomic_read(&hw.inits);
	finis = atomic_read(&hw.finis);
	hw.init_error = -EIO;
	ret = create(vm, &st_hold_cfg, 1, &d);
	hw.init_error = 0;
	init_err = ret == -EIO && !has_queue(vm, 1) &&
		   create(vm, &st_bad_cfg, 1, &d) == -EINVAL &&
		   atomic_read(&hw.inits) == inits &&
		   atomic_read(&hw.finis) == finis &&
		   !create(vm, &st_hold_cfg, 1, &d) && d == 1;

	/* Closing drains every queue; no queue can be created after it. */
	inits = atomic_read(&hw.inits);
	finis = atomic_read(&hw.finis);
	drm_gmmu_vm_close_queues(vm);
	closed = atomic_read(&hw.finis) == finis + 3 &&
		 !has_queue(vm, 0) && !has_queue(vm, 1) && !has_queue(vm, 2) &&
		 create(vm, &st_hold_cfg, 1, &d) == -ENOENT &&
		 create(vm, &st_hold_cfg, 0, &d) == -ENOENT &&
		 drm_gmmu_vm_queue_destroy(vm, 0) == -ENOENT &&
		 atomic_read(&hw.inits) == inits;

	st_vm_destroy(vm);
out:
	report(ids, "queue-ids-from-first-id");
	report(limit, "queue-limit-checked-before-init");
	report(unknown, "queue-unknown-id-enoent");
	report(init_err, "queue-init-error-releases-id");
	report(closed, "closed-queues-refuse-creation");
}

/* &drm_gmmu_device_funcs.vm_create for the shared VM_CREATE. */
static struct drm_gmmu_vm *st_funcs_vm_create(struct drm_gmmu_device *gdev)
{
	return st_vm_create(gdev, 4) ?: ERR_PTR(-ENOMEM);
}

static const struct drm_gmmu_device_funcs st_funcs = {
	.vm_create = st_funcs_vm_create,
};

/* The shared QUEUE_CREATE and QUEUE_DESTROY ioctls, as a driver's table calls them. */
static int st_queue_create(struct drm_file *file, u32 vm_id, u32 *id)
{
	struct drm_gmmu_queue_create_args a = { .vm_id = vm_id };
	int ret;

	ret = drm_gmmu_queue_create_ioctl(&to_drm_gmmu_file(file)->gdev->drm,
					  &a, file);
	*id = a.queue_id;
	return ret;
}

static int st_queue_destroy(struct drm_file *file, u32 vm_id, u32 id)
{
	struct drm_gmmu_queue_destroy_args a = { .vm_id = vm_id, .queue_id = id };

	return drm_gmmu_queue_destroy_ioctl(&to_drm_gmmu_file(file)->gdev->drm,
					    &a, file);
}

/*
 * The per-file pool through the shared ioctls: VM_CREATE gives a VM with
 * its queue 0, QUEUE_CREATE ids from 1, and queue 0 goes with its VM.
 */
static void test_file_queues(struct drm_gmmu_device *gdev)
{
	struct drm_gmmu_vm_create_args vc = {};
	struct drm_gmmu_file gfile;
	struct drm_gmmu_queue *q;
	struct drm_file *file;
	unsigned int finis;
	u32 id;
	bool ok;

	/* The handlers reach the file's drm_gmmu state and nothing else. */
	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file) {
		report(false, "file-queue-0-goes-with-its-vm");
		return;
	}
	file->driver_priv = &gfile;
	drm_gmmu_file_init(&gfile, gdev, file);
	gdev->funcs = &st_funcs;
	ok = !drm_gmmu_vm_create_ioctl(&gdev->drm, &vc, file) && vc.vm_id == 1;
	if (ok) {
		q = drm_gmmu_file_queue_get(&gfile, vc.vm_id, 0);
		ok = q && q->id == 0;
		drm_gmmu_queue_put(q);
		ok = ok && !st_queue_create(file, vc.vm_id, &id) && id == 1 &&
		     st_queue_create(file, 0, &id) == -ENOENT &&
		     st_queue_destroy(file, vc.vm_id, 0) == -ENOENT &&
		     st_queue_destroy(file, vc.vm_id + 1, 1) == -ENOENT &&
		     !drm_gmmu_file_queue_get(&gfile, 0, 0);
		q = drm_gmmu_file_queue_get(&gfile, vc.vm_id, 1);
		ok = ok && q && q->id == 1 && q->vm->id == vc.vm_id;
		drm_gmmu_queue_put(q);
		ok = ok && !st_queue_destroy(file, vc.vm_id, 1) &&
		     !drm_gmmu_file_queue_get(&gfile, vc.vm_id, 1);

		/* The VM goes with its queue 0, drained before quiesce(). */
		finis = atomic_read(&hw.finis);
		atomic_set(&hw.quiesced, 0);
		ok = ok && !drm_gmmu_file_vm_destroy(&gfile, vc.vm_id) &&
		     atomic_read(&hw.quiesced) == 1 &&
		     atomic_read(&hw.finis_at_quiesce) == finis + 1 &&
		     st_queue_create(file, vc.vm_id, &id) == -ENOENT;
	}
	/* Destroys whatever a failed check left. */
	drm_gmmu_file_fini(&gfile);
	gdev->funcs = NULL;
	kfree(file);
	report(ok, "file-queue-0-goes-with-its-vm");
}

/* Another context that lets the hardware finish, a while later. */
struct st_release {
	struct delayed_work work;
	struct dma_fence *fence;
	unsigned int jobs;
	atomic_t completed;
};

static void st_release_work(struct work_struct *work)
{
	struct st_release *r = container_of(to_delayed_work(work),
					    struct st_release, work);
	unsigned long end = jiffies + msecs_to_jiffies(WAIT_MS);
	struct st_job *j;

	/* First what the queued job waits for, so it reaches the hardware. */
	if (r->fence)
		st_fence_signal(r->fence, 0);
	while (atomic_read(&r->completed) < r->jobs &&
	       time_before(jiffies, end)) {
		wait_event_timeout(hw.wq, st_nheld(), HZ / 10);
		while (atomic_read(&r->completed) < r->jobs && (j = st_pop())) {
			/* Counted first: the drain may return once it is done. */
			atomic_inc(&r->completed);
			drm_gmmu_job_done(&j->base, 0);
		}
	}
}

/*
 * Destroying a queue waits for its jobs: one on the hardware and one still
 * queued behind an in-fence, both let go only later, by a work item.
 */
static void test_destroy_drains(struct drm_gmmu_vm *vm)
{
	struct dma_fence *f1 = NULL, *f2 = NULL, *in = st_fence_new();
	struct st_release r = { .fence = in, .jobs = 2 };
	unsigned int finis, freed, bad;
	struct drm_gmmu_queue *q;
	bool ok = false;
	u32 id;

	/* On the stack: debug objects must be told. */
	INIT_DELAYED_WORK_ONSTACK(&r.work, st_release_work);
	if (!vm || !in || create(vm, &st_hold_cfg, 1, &id))
		goto out;
	q = get_queue(vm, id);
	freed = atomic_read(&hw.freed);
	f1 = st_submit(q, 1, DRM_GMMU_SYNC_PUBLISH, NULL, NULL);
	f2 = st_submit(q, 2, DRM_GMMU_SYNC_PUBLISH, in, NULL);
	drm_gmmu_queue_put(q);
	if (IS_ERR(f1) || IS_ERR(f2) || !st_wait_held(1))
		goto out;

	finis = atomic_read(&hw.finis);
	bad = atomic_read(&hw.fini_bad);
	/* Unbound: the work may wait for the scheduler's workers. */
	queue_delayed_work(system_unbound_wq, &r.work,
			   msecs_to_jiffies(BLOCKED_MS));
	ok = !drm_gmmu_vm_queue_destroy(vm, id) &&
	     atomic_read(&r.completed) == 2 &&
	     atomic_read(&hw.freed) == freed + 2 &&
	     atomic_read(&hw.finis) == finis + 1 &&
	     atomic_read(&hw.fini_bad) == bad &&
	     dma_fence_is_signaled(f1) && dma_fence_is_signaled(f2) &&
	     !has_queue(vm, id);
out:
	flush_delayed_work(&r.work);
	destroy_delayed_work_on_stack(&r.work);
	st_fence_put(f1);
	st_fence_put(f2);
	report(ok, "destroy-drains-jobs");
}

static void st_runs_reset(void)
{
	spin_lock_irq(&hw.lock);
	hw.nruns = 0;
	spin_unlock_irq(&hw.lock);
}

/* Was the @i-th run() since st_runs_reset() this one? */
static bool ran(unsigned int i, u32 tag, u64 seqno)
{
	bool ok = false;

	spin_lock_irq(&hw.lock);
	if (i < min(hw.nruns, MAX_RUNS))
		ok = hw.runs[i].tag == tag && hw.runs[i].seqno == seqno;
	spin_unlock_irq(&hw.lock);
	return ok;
}

static unsigned int st_nruns(void)
{
	return READ_ONCE(hw.nruns);
}

/*
 * One queue runs in submission order, even when its first job waits and
 * the next ones could run; seqnos count from 1; the out-fence signals at
 * drm_gmmu_job_done() and carries its error.
 */
static void test_exec_order(struct drm_gmmu_vm *vm)
{
	struct dma_fence *f[4] = {}, *in = st_fence_new();
	struct drm_gmmu_queue *q = NULL, *qn = NULL;
	bool order = false, out_fence = false;
	u64 seqno[4] = {};
	unsigned int i;
	u32 id, idn;

	if (!vm || !in || create(vm, &st_hold_cfg, 1, &id))
		goto out;
	q = get_queue(vm, id);
	if (create(vm, &st_now_cfg, 1, &idn))
		goto out;
	qn = get_queue(vm, idn);

	st_runs_reset();
	f[0] = st_submit(q, 10, DRM_GMMU_SYNC_PUBLISH, in, &seqno[0]);
	f[1] = st_submit(q, 11, DRM_GMMU_SYNC_PUBLISH, NULL, &seqno[1]);
	f[2] = st_submit(q, 12, DRM_GMMU_SYNC_PUBLISH, NULL, &seqno[2]);
	if (IS_ERR(f[0]) || IS_ERR(f[1]) || IS_ERR(f[2]))
		goto out;
	/* The later jobs are ready, but queued behind the first. */
	msleep(BLOCKED_MS);
	order = !st_nruns();
	st_fence_signal(in, 0);
	order = order && st_wait_held(3) && ran(0, 10, 1) &&
		ran(1, 11, 2) && ran(2, 12, 3);
	for (i = 0; i < 3; i++)
		order = order && seqno[i] == i + 1 && f[i]->seqno == i + 1;

	/* Held: not signalled; completed with an error: signalled with it. */
	out_fence = !dma_fence_is_signaled(f[0]) && st_complete(-EIO) &&
		    st_fence_wait(f[0]) && dma_fence_get_status(f[0]) == -EIO &&
		    !dma_fence_is_signaled(f[1]) && st_complete(0) &&
		    st_fence_wait(f[1]) && dma_fence_get_status(f[1]) == 1 &&
		    st_complete(0) && st_fence_wait(f[2]);
	/*
	 * A job that run() completes on the spot: it waits for nothing on an
	 * idle queue, so drm_gmmu_exec() itself hands it over.
	 */
	f[3] = st_submit(qn, 13, DRM_GMMU_SYNC_PUBLISH, NULL, &seqno[3]);
	out_fence = out_fence && !IS_ERR(f[3]) && st_fence_wait(f[3]) &&
		    dma_fence_get_status(f[3]) == 1 && seqno[3] == 1 &&
		    ran(3, 13, 1);
out:
	st_unblock_begin();
	for (i = 0; i < ARRAY_SIZE(f); i++)
		st_fence_put(f[i]);
	drop_queue(vm, q, id);
	drop_queue(vm, qn, idn);
	st_unblock_end();
	report(order, "exec-run-order-and-seqnos");
	report(out_fence, "out-fence-signals-at-done-with-error");
}

/*
 * The driver never holds more than the queue's depth of jobs, however
 * they reach it: twelve jobs that wait for nothing, on a queue of depth 8
 * whose hardware holds them. The first eight bypass the scheduler; the
 * other four go through it, and its credits (it ran none of the eight)
 * would let them all run at once: they wait until the direct jobs are
 * done. All twelve run in order.
 */
static void test_depth(struct drm_gmmu_vm *vm)
{
	struct dma_fence *f[12] = {};
	struct drm_gmmu_queue *q = NULL;
	bool ok = false;
	unsigned int i;
	u32 id;

	if (!vm || create(vm, &st_hold_cfg, 1, &id))
		goto out;
	q = get_queue(vm, id);
	st_runs_reset();
	spin_lock_irq(&hw.lock);
	hw.max_held = 0;
	spin_unlock_irq(&hw.lock);
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		f[i] = st_submit(q, 20 + i, DRM_GMMU_SYNC_PUBLISH, NULL, NULL);
		if (IS_ERR(f[i]))
			goto out;
	}
	ok = st_wait_held(8);
	msleep(BLOCKED_MS);
	ok = ok && st_nheld() == 8;
	/* One direct job left: the scheduler's jobs still wait for it. */
	for (i = 0; i < 7; i++)
		ok = ok && st_complete(0);
	msleep(BLOCKED_MS);
	ok = ok && st_nheld() == 1 && st_nruns() == 8;
	ok = ok && st_complete(0) && st_wait_held(4);
	st_complete_all(0);
	for (i = 0; i < ARRAY_SIZE(f); i++)
		ok = ok && st_fence_wait(f[i]) &&
		     dma_fence_get_status(f[i]) == 1 && ran(i, 20 + i, i + 1);
	ok = ok && READ_ONCE(hw.max_held) == 8;
out:
	st_unblock_begin();
	for (i = 0; i < ARRAY_SIZE(f); i++)
		st_fence_put(f[i]);
	drop_queue(vm, q, id);
	st_unblock_end();
	report(ok, "driver-holds-at-most-depth-jobs");
}

/*
 * A job waits for its in-fences, and one whose in-fence failed (another
 * queue's job, or a fence of the kernel's) completes with that error
 * without reaching run().
 */
static void test_dep_error(struct drm_gmmu_vm *vm)
{
	struct dma_fence *f1 = NULL, *f2 = NULL, *f3 = NULL;
	struct dma_fence *bad = st_fence_new();
	struct drm_gmmu_queue *qa = NULL, *qb = NULL, *qn = NULL;
	bool cross = false, kernel = false;
	u32 a = 0, b = 0, n = 0;

	if (!vm || !bad || create(vm, &st_hold_cfg, 1, &a))
		goto out;
	qa = get_queue(vm, a);
	if (create(vm, &st_hold_cfg, 1, &b))
		goto out;
	qb = get_queue(vm, b);
	if (create(vm, &st_now_cfg, 1, &n))
		goto out;
	qn = get_queue(vm, n);

	st_runs_reset();
	f1 = st_submit(qa, 20, DRM_GMMU_SYNC_PUBLISH, NULL, NULL);
	if (IS_ERR(f1) || !st_wait_held(1))
		goto out;
	f2 = st_submit(qb, 21, DRM_GMMU_SYNC_PUBLISH, f1, NULL);
	if (IS_ERR(f2))
		goto out;
	msleep(BLOCKED_MS);
	cross = st_nheld() == 1 && st_nruns() == 1 && st_complete(-EIO) &&
		st_fence_wait(f2) && dma_fence_get_status(f2) == -EIO &&
		/* The job never reached the driver. */
		st_nruns() == 1 && !st_nheld();

	f3 = st_submit(qn, 22, DRM_GMMU_SYNC_PUBLISH, bad, NULL);
	if (IS_ERR(f3))
		goto out;
	msleep(BLOCKED_MS);
	kernel = st_nruns() == 1;
	st_fence_signal(bad, -ECANCELED);
	kernel = kernel && st_fence_wait(f3) &&
		 dma_fence_get_status(f3) == -ECANCELED && st_nruns() == 1;
out:
	st_unblock_begin();
	st_fence_put(f1);
	st_fence_put(f2);
	st_fence_put(f3);
	drop_queue(vm, qa, a);
	drop_queue(vm, qb, b);
	drop_queue(vm, qn, n);
	st_unblock_end();
	report(cross, "in-fence-dep-error-propagates");
	report(kernel, "kernel-in-fence-error-propagates");
}

static struct dma_resv *resv_of(struct drm_gmmu_bo *bo)
{
	return bo->base.base.resv;
}

/*
 * Is every fence on @resv safe to describe (its timeline name is what
 * debugfs and tracepoints print) once the queues that made them are gone?
 * A 6.12 scheduler fence is not: it reads the name from its scheduler,
 * freed with its queue. Adds the fences seen to @n.
 */
static bool resv_fences_describable(struct dma_resv *resv, unsigned int *n)
{
	struct dma_resv_iter cursor;
	struct dma_fence *f;
	bool ok = true;

	dma_resv_lock(resv, NULL);
	dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_BOOKKEEP, f) {
		(*n)++;
		/* A scheduler fence's name is not even looked at: freed memory. */
		if (to_drm_sched_fence(f) || !f->ops->get_timeline_name(f))
			ok = false;
	}
	dma_resv_unlock(resv);
	return ok;
}

/* Submit on @q and let the job finish: did it reach the hardware at once? */
static bool runs_at_once(struct drm_gmmu_queue *q,
			 enum drm_gmmu_sync_policy policy)
{
	struct dma_fence *f = st_submit(q, 0, policy, NULL, NULL);
	bool ok = !IS_ERR(f) && st_wait_held(1) && st_complete(0) &&
		  st_fence_wait(f);

	st_fence_put(f);
	return ok;
}

/*
 * Submit on @q, which must not reach the hardware before @blocker
 * signals; then signal it, and let the job finish.
 */
static bool waits_for(struct drm_gmmu_queue *q,
		      enum drm_gmmu_sync_policy policy,
		      struct dma_fence *blocker)
{
	struct dma_fence *f = st_submit(q, 0, policy, NULL, NULL);
	bool ok = !IS_ERR(f);

	if (ok) {
		msleep(BLOCKED_MS);
		ok = !st_nheld();
	}
	st_fence_signal(blocker, 0);
	ok = ok && st_wait_held(1) && st_complete(0) && st_fence_wait(f);
	st_fence_put(f);
	return ok;
}

/*
 * The policies, on a VM that maps a shared BO writable (bo_w), another
 * read-only (bo_r) and a private BO, and a second VM that maps bo_r
 * writable. Fences of "other drivers" go on bo_r with dma_resv_add_fence().
 */
static void test_policies(struct drm_gmmu_device *gdev)
{
	bool publish = false, explicit = false, publish_nowait = false;
	bool reader_writer = false, reader_reader = false;
	bool writer_reader = false, outlive = false;
	struct drm_gmmu_bo *bo_w, *bo_r, *priv = NULL;
	struct drm_gmmu_queue *q = NULL, *q2 = NULL;
	struct drm_gmmu_vm *vm, *vm2;
	struct dma_fence *f, *fw, *fr;
	struct dma_resv *vm_resv;
	unsigned int n = 0;
	u32 id;

	vm = st_vm_create(gdev, 1);
	vm2 = st_vm_create(gdev, 1);
	bo_w = drm_gmmu_bo_create(gdev, SZ_64K);
	bo_r = drm_gmmu_bo_create(gdev, SZ_64K);
	fw = st_fence_new();
	fr = st_fence_new();
	if (!vm || !vm2 || IS_ERR(bo_w) || IS_ERR(bo_r) || !fw || !fr)
		goto out;
	priv = drm_gmmu_bo_create_private(gdev, vm, SZ_64K);
	if (IS_ERR(priv) ||
	    drm_gmmu_vm_bind(vm, bo_w, 0, VA_W, SZ_64K, 0) ||
	    drm_gmmu_vm_bind(vm, bo_r, 0, VA_R, SZ_64K,
			     DRM_GMMU_VM_BIND_READONLY) ||
	    drm_gmmu_vm_bind(vm, priv, 0, VA_P, SZ_64K, 0) ||
	    drm_gmmu_vm_bind(vm2, bo_r, 0, VA_R, SZ_64K, 0) ||
	    create(vm, &st_hold_cfg, 0, &id) ||
	    create(vm2, &st_hold_cfg, 0, &id))
		goto out;
	q = get_queue(vm, 0);
	q2 = get_queue(vm2, 0);
	vm_resv = drm_gpuvm_resv(&vm->base);

	/*
	 * Publish: WRITE where the VM may write, READ where it only reads,
	 * BOOKKEEP on the VM's own reservation (its private BOs').
	 */
	f = st_submit(q, 30, DRM_GMMU_SYNC_PUBLISH, NULL, NULL);
	if (!IS_ERR(f) && st_wait_held(1)) {
		publish = st_resv_usage(resv_of(bo_w), f) == DMA_RESV_USAGE_WRITE &&
			  st_resv_usage(resv_of(bo_r), f) == DMA_RESV_USAGE_READ &&
			  st_resv_usage(vm_resv, f) == DMA_RESV_USAGE_BOOKKEEP &&
			  resv_of(priv) == vm_resv &&
			  !bo_idle(bo_w, DMA_RESV_USAGE_WRITE) &&
			  bo_idle(bo_r, DMA_RESV_USAGE_WRITE) &&
			  !bo_idle(bo_w, DMA_RESV_USAGE_READ) &&
			  !bo_idle(bo_r, DMA_RESV_USAGE_READ) &&
			  dma_resv_test_signaled(vm_resv, DMA_RESV_USAGE_READ) &&
			  !dma_resv_test_signaled(vm_resv, DMA_RESV_USAGE_BOOKKEEP);
		publish = publish && st_complete(0) && st_fence_wait(f) &&
			  bo_idle(bo_w, DMA_RESV_USAGE_BOOKKEEP) &&
			  bo_idle(bo_r, DMA_RESV_USAGE_BOOKKEEP);
	}
	st_fence_put(f);
	st_complete_all(0);

	/* Explicit-only: BOOKKEEP everywhere, nobody implicitly waits. */
	f = st_submit(q, 31, DRM_GMMU_SYNC_EXPLICIT, NULL, NULL);
	if (!IS_ERR(f) && st_wait_held(1)) {
		explicit = st_resv_usage(resv_of(bo_w), f) == DMA_RESV_USAGE_BOOKKEEP &&
			   st_resv_usage(resv_of(bo_r), f) == DMA_RESV_USAGE_BOOKKEEP &&
			   st_resv_usage(vm_resv, f) == DMA_RESV_USAGE_BOOKKEEP &&
			   bo_idle(bo_w, DMA_RESV_USAGE_READ) &&
			   bo_idle(bo_r, DMA_RESV_USAGE_READ) &&
			   !bo_idle(bo_w, DMA_RESV_USAGE_BOOKKEEP) &&
			   !bo_idle(bo_r, DMA_RESV_USAGE_BOOKKEEP);
		explicit = explicit && st_complete(0) && st_fence_wait(f);
	}
	st_fence_put(f);
	st_complete_all(0);

	/* Another driver writes bo_r: a publishing job does not wait... */
	publish_nowait = !st_resv_add(bo_r, fw, DMA_RESV_USAGE_WRITE) &&
			 runs_at_once(q, DRM_GMMU_SYNC_PUBLISH) &&
			 runs_at_once(q, DRM_GMMU_SYNC_EXPLICIT);
	st_complete_all(0);
	/* ...an implicit one that only reads bo_r waits for the writer. */
	reader_writer = waits_for(q, DRM_GMMU_SYNC_IMPLICIT, fw);
	st_complete_all(0);

	/*
	 * Another driver reads bo_r: an implicit job that reads it too runs
	 * (and publishes as publish does); one that writes it waits.
	 */
	if (!st_resv_add(bo_r, fr, DMA_RESV_USAGE_READ)) {
		f = st_submit(q, 34, DRM_GMMU_SYNC_IMPLICIT, NULL, NULL);
		if (!IS_ERR(f) && st_wait_held(1))
			reader_reader = st_resv_usage(resv_of(bo_r), f) == DMA_RESV_USAGE_READ &&
					st_resv_usage(resv_of(bo_w), f) == DMA_RESV_USAGE_WRITE &&
					st_complete(0) && st_fence_wait(f);
		st_fence_put(f);
		st_complete_all(0);
		writer_reader = waits_for(q2, DRM_GMMU_SYNC_IMPLICIT, fr);
	}

	/* The queues go; the fences their jobs left on the BOs stay. */
	st_unblock_begin();
	drm_gmmu_queue_put(q);
	drm_gmmu_queue_put(q2);
	q = NULL;
	q2 = NULL;
	outlive = !drm_gmmu_vm_queue_destroy(vm, 0) &&
		  !drm_gmmu_vm_queue_destroy(vm2, 0) &&
		  resv_fences_describable(resv_of(bo_w), &n) &&
		  resv_fences_describable(resv_of(bo_r), &n) &&
		  resv_fences_describable(vm_resv, &n) && n >= 3;
	st_unblock_end();
out:
	st_unblock_begin();
	drm_gmmu_queue_put(q);
	drm_gmmu_queue_put(q2);
	st_vm_destroy(vm);
	st_vm_destroy(vm2);
	st_unblock_end();
	if (!IS_ERR_OR_NULL(priv))
		drm_gem_object_put(&priv->base.base);
	if (!IS_ERR(bo_w))
		drm_gem_object_put(&bo_w->base.base);
	if (!IS_ERR(bo_r))
		drm_gem_object_put(&bo_r->base.base);
	report(publish, "publish-write-and-read-fences");
	report(explicit, "explicit-bookkeep-only");
	report(publish_nowait, "publish-waits-only-for-what-it-is-given");
	report(reader_writer, "implicit-reader-waits-for-writers");
	report(reader_reader, "implicit-reader-ignores-readers");
	report(writer_reader, "implicit-writer-waits-for-readers");
	report(outlive, "resv-fences-outlive-their-queue");
}

/* A submission the test builds itself; the job is counted as allocated. */
static int st_exec_raw(struct drm_gmmu_queue *q, struct drm_gmmu_exec *x)
{
	x->job = drm_gmmu_job_alloc(q);
	if (!x->job)
		return -ENOMEM;
	atomic_inc(&hw.allocated);
	return drm_gmmu_exec(x);
}

/*
 * drm_gmmu_exec() takes the job over whatever it returns: on every refusal
 * the backend's free_job() runs, the job never reaches run(), and the
 * in-fences get their references back. Closes @vm's queues.
 */
static void test_exec_errors(struct drm_gmmu_vm *vm)
{
	struct dma_fence *in = st_fence_new(), *many[DRM_GMMU_MAX_SYNCS + 1];
	bool destroyed = false, bad = false, closed = false;
	struct drm_gmmu_queue *q = NULL, *q2 = NULL;
	unsigned int freed, runs, refs, i;
	u32 id, id2;

	if (!vm || !in || create(vm, &st_now_cfg, 1, &id))
		goto out;
	q = get_queue(vm, id);
	if (create(vm, &st_now_cfg, 1, &id2))
		goto out;
	q2 = get_queue(vm, id2);
	runs = st_nruns();
	refs = kref_read(&in->refcount);

	/* The id is destroyed while an ioctl still holds the queue. */
	freed = atomic_read(&hw.freed);
	if (!drm_gmmu_vm_queue_destroy(vm, id)) {
		struct drm_gmmu_exec x = {
			.in_fences = &in,
			.in_fence_count = 1,
			.fence_out = true,
		};

		destroyed = st_exec_raw(q, &x) == -ENOENT &&
			    x.out_fence_fd == -1 &&
			    atomic_read(&hw.freed) == freed + 1;
	}

	freed = atomic_read(&hw.freed);
	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = in;
	{
		struct drm_gmmu_exec policy = {
			.policy = DRM_GMMU_SYNC_EXPLICIT + 1,
		};
		/* Sync arrays name syncobjs of a file: none without one. */
		struct drm_gmmu_exec no_file_in = {
			.in_count = 1,
			.stride = sizeof(struct drm_gmmu_sync),
		};
		struct drm_gmmu_exec no_file_out = {
			.out_count = 1,
			.stride = sizeof(struct drm_gmmu_sync),
		};
		struct drm_gmmu_exec too_many = {
			.in_fences = many,
			.in_fence_count = ARRAY_SIZE(many),
		};

		bad = st_exec_raw(q2, &policy) == -EINVAL &&
		      st_exec_raw(q2, &no_file_in) == -EINVAL &&
		      st_exec_raw(q2, &no_file_out) == -EINVAL &&
		      st_exec_raw(q2, &too_many) == -EINVAL &&
		      atomic_read(&hw.freed) == freed + 4;
	}

	/* Closing the VM's queues closes the one the ioctl holds too. */
	freed = atomic_read(&hw.freed);
	drm_gmmu_vm_close_queues(vm);
	{
		struct drm_gmmu_exec x = {
			.in_fences = &in,
			.in_fence_count = 1,
		};

		closed = !has_queue(vm, id2) && st_exec_raw(q2, &x) == -ENOENT &&
			 atomic_read(&hw.freed) == freed + 1;
	}
	destroyed = destroyed && st_nruns() == runs &&
		    kref_read(&in->refcount) == refs;
	bad = bad && st_nruns() == runs && kref_read(&in->refcount) == refs;
	closed = closed && st_nruns() == runs &&
		 kref_read(&in->refcount) == refs;
out:
	drm_gmmu_queue_put(q);
	drm_gmmu_queue_put(q2);
	report(destroyed, "exec-on-destroyed-queue-frees-job");
	report(bad, "exec-bad-arguments-free-job");
	report(closed, "exec-on-closed-queues-frees-job");
}

static void run(struct drm_gmmu_device *gdev)
{
	struct drm_gmmu_vm *vm;

	test_queue_ids(gdev);
	test_file_queues(gdev);

	vm = st_vm_create(gdev, 16);
	test_destroy_drains(vm);
	test_exec_order(vm);
	test_depth(vm);
	test_dep_error(vm);
	test_policies(gdev);
	test_exec_errors(vm);
	st_unblock_begin();
	st_vm_destroy(vm);
	st_unblock_end();

	/* Every queue was finished after its init; every job was freed. */
	report(vm && !st_nheld() &&
	       atomic_read(&hw.allocated) == atomic_read(&hw.freed) &&
	       atomic_read(&hw.inits) == atomic_read(&hw.finis) &&
	       !atomic_read(&hw.fini_bad), "every-job-and-queue-freed");
	pr_info("# %d jobs, %d queues\n", atomic_read(&hw.allocated),
		atomic_read(&hw.inits));
}

static int __init drm_gmmu_queue_selftest_init(void)
{
	struct gmmu_st_dev d;

	spin_lock_init(&hw.lock);
	init_waitqueue_head(&hw.wq);
	INIT_LIST_HEAD(&hw.held);

	ktap_begin(NTESTS);
	if (gmmu_st_dev_create(&d, &selftest_driver, 64)) {
		report_rest_failed(NTESTS, "setup-failed");
		return 0;
	}
	run(d.gdev);
	/* The scheduler fences are gone with their jobs; ours go now. */
	st_fences_put();
	gmmu_st_dev_destroy(&d);
	report_rest_failed(NTESTS, "not-run");
	return 0;
}

static void __exit drm_gmmu_queue_selftest_exit(void)
{
}

module_init(drm_gmmu_queue_selftest_init);
module_exit(drm_gmmu_queue_selftest_exit);

MODULE_DESCRIPTION("KTAP self-test of drm_gmmu queues and submission");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
