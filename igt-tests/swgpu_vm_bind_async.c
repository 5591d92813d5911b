// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Asynchronous DRM_IOCTL_SWGPU_VM_BIND (DRM_GMMU_VM_BIND_ASYNC), on every
 * GPU: a bind that runs as a job of its VM's bind queue after its
 * in-fences (binary syncobjs, timeline points, sync_files) and after the
 * VM's earlier asynchronous binds, and signals its out-syncobjs. Checked
 * by jobs that read the mappings and by the VM's fault record: jobs that
 * wait for a bind see its mappings, jobs that do not see the old ones or
 * fault; a failed in-fence leaves the VM as it was and fails the binds
 * queued behind it; a synchronous bind waits for the asynchronous ones;
 * an empty array is a barrier; bad input changes nothing; a VM destroyed
 * with a bind still pending.
 *
 * A bind is held back by a fence that stays unsignalled on demand: the
 * fence of a job of a "holder" VM that waits on a semaphore in its own
 * scratch BO, until a job of a "releaser" VM writes it. Only GPU jobs
 * touch the semaphore, so no CPU cache maintenance is involved and every
 * GPU takes part. Held jobs are released well within the engine's 5 s
 * watchdog. While a bind is pending the CPU does not touch the BOs of its
 * VM: jobs leave what they read in a destination BO that is checked once
 * everything has settled.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_dfs.h"
#include "swgpu_igt.h"

#define PAGE		4096ull
/* The test VM: jobs copy what they read into the destination BO. */
#define DST_VA		TVM_DATA_VA
#define DST_SIZE	0x10000ull
#define OLD_VA		(TVM_DATA_VA + 0x100000)
#define NEW_VA		(TVM_DATA_VA + 0x200000)
#define NEW2_VA		(TVM_DATA_VA + 0x300000)
#define NEW3_VA		(TVM_DATA_VA + 0x400000)
/* Three source BOs of BO_SIZE bytes, each with its own pattern. */
#define BO_SIZE		(4 * PAGE)
#define SEED_A		0xa1
#define SEED_B		0xb2
#define SEED_C		0xc3
/* async-many: single pages, every other page, and where they are copied. */
#define MANY		256
#define MANY_VA		(TVM_DATA_VA + 0x1000000)
#define MANY_DST_VA	(TVM_DATA_VA + 0x2000000)
#define SEED_MANY	0x3d
/* The holder's semaphore, in its scratch BO; the releaser maps that BO here. */
#define SEM_OFF		0x100
#define REL_VA		TVM_DATA_VA
/* Never mapped in the holder: a held job that must fail writes here. */
#define HOLD_FAULT_VA	(TVM_DATA_VA + 0x800000)
/*
 * How long a bind that must wait is given to (wrongly) complete, and how
 * long a job that must not wait may take: below the 5 s watchdog that
 * would end a held job by itself.
 */
#define HOLD_MS		200
#define DONE_MS		3000

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t abs_timeout_ns(int64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec + ms * 1000000ll;
}

static uint64_t step_t0;

/* With --debug: what the test is doing, and when (ms since the first step). */
#define step(fmt, ...) do { \
	if (!step_t0) \
		step_t0 = now_ms(); \
	igt_debug("[%5llu ms] " fmt "\n", \
		  (unsigned long long)(now_ms() - step_t0), ##__VA_ARGS__); \
} while (0)

/* ---- The atom model's coherency checker ---- */

/*
 * On a GPU that does not snoop, every GPU access must see what the CPU
 * wrote: the model counts the reads of CPU-written lines nobody flushed.
 * A job reading an old mapping while a bind that removes it is pending
 * is such a reader too.
 */
struct checker {
	struct dfs d;
	long long before;
	bool on;
};

/*
 * Every page of @b written once by the CPU, before the checker starts: a
 * fresh BO's page may come from a freed one and carry, in the model, what
 * its last owner left (GPU-written lines the CPU never read back).
 */
static void buf_touch(struct buf *b)
{
	memset(b->map, 0, b->size);
}

static void tvm_touch(struct tvm *v)
{
	buf_touch(&v->batch);
	buf_touch(&v->scratch);
}

/* From now on, on a GPU that does not snoop, count unflushed accesses. */
static void checker_begin(struct checker *k, const struct gpu *g)
{
	k->on = !g->coherent;
	if (!k->on)
		return;
	dfs_init(&k->d, g);
	k->on = dfs_exists(&k->d, "swgpu_coherency");
	if (k->on)
		k->before = dfs_violations(&k->d);
}

/* No read of unflushed lines since checker_begin(), up to @what. */
static void checker_end(struct checker *k, const struct gpu *g, const char *what)
{
	long long n;

	if (!k->on)
		return;
	n = dfs_violations(&k->d) - k->before;
	igt_assert_f(n == 0, "%s: %s: %lld reads of CPU-written lines that were not flushed (see dmesg)\n",
		     g->name, what, n);
}

/* ---- Syncobjs ---- */

static struct drm_gmmu_sync sobj(uint32_t handle, uint64_t point)
{
	return (struct drm_gmmu_sync){ .handle = handle, .point = point };
}

static struct drm_gmmu_sync sfile(int fd)
{
	return (struct drm_gmmu_sync){ .handle = fd, .flags = DRM_GMMU_SYNC_SYNC_FILE };
}

static uint32_t syncobj_new(int fd)
{
	uint32_t h;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &h), 0);
	return h;
}

/* Waits up to @ms for @point of @h (0: its binary fence); 0 or -errno. */
static int syncobj_wait(int fd, uint32_t h, uint64_t point, int64_t ms)
{
	return drmSyncobjTimelineWait(fd, &h, &point, 1,
				      ms ? abs_timeout_ns(ms) : 0, 0, NULL);
}

/* @point of @h has a fence that has not signalled, now nor in a short while. */
static void assert_pending(int fd, uint32_t h, uint64_t point, const char *what)
{
	int ret = syncobj_wait(fd, h, point, 0);

	step("pending? %s: %d", what, ret);
	igt_assert_f(ret == -ETIME, "%s: wait with timeout 0 returned %d, expected -ETIME\n",
		     what, ret);
	ret = syncobj_wait(fd, h, point, 20);
	igt_assert_f(ret == -ETIME, "%s: wait of 20 ms returned %d, expected -ETIME\n",
		     what, ret);
}

/* The outcome of @point of @h (0: its binary fence), once signalled. */
static int syncobj_status(int fd, uint32_t h, uint64_t point)
{
	uint32_t tmp = h;
	int ret, sf = -1;

	ret = syncobj_wait(fd, h, point, FENCE_TIMEOUT_MS);
	igt_assert_f(ret == 0, "syncobj %u point %llu: wait returned %d\n", h,
		     (unsigned long long)point, ret);
	if (point) {
		tmp = syncobj_new(fd);
		igt_assert_eq(drmSyncobjTransfer(fd, tmp, 0, h, point, 0), 0);
	}
	igt_assert_eq(drmSyncobjExportSyncFile(fd, tmp, &sf), 0);
	if (point)
		drmSyncobjDestroy(fd, tmp);
	return fence_status(sf);
}

/* @h has no fence at all (a wait without WAIT_FOR_SUBMIT is refused). */
static void assert_no_fence(int fd, uint32_t h)
{
	int ret = drmSyncobjWait(fd, &h, 1, 0, 0, NULL);

	igt_assert_f(ret == -EINVAL, "out-syncobj was given a fence (wait returned %d)\n", ret);
}

/* ---- Jobs ---- */

/* Ends @v's current batch; returns its address, to submit it later. */
static uint64_t batch_done(struct tvm *v)
{
	swgpu_batch_end(&v->b);
	igt_assert_f(!v->b.error, "batch overflow\n");
	return v->b.va;
}

/*
 * A fresh batch in slot @slot (4 KiB each, from 4 KiB in) of @v's batch
 * BO. Batches of jobs submitted while a bind of @v is pending are written
 * before anything is held: a CPU access to a BO of the VM may wait for
 * everything submitted in the VM, binds included.
 */
static struct swgpu_batch *batch_slot(struct tvm *v, unsigned int slot)
{
	igt_assert(slot >= 1 && slot < TVM_BATCH_SIZE / 0x1000);
	return tvm_batch_at(v, slot * 0x1000ull);
}

/* Submits the batch at @va of @v with the syncs; returns its out-fence. */
static int exec_va(struct tvm *v, uint64_t va, const struct drm_gmmu_sync *in,
		   uint32_t nin, const struct drm_gmmu_sync *out, uint32_t nout)
{
	struct drm_swgpu_exec e = {
		.submit.vm_id = v->id,
		.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT,
		.submit.out_fence_fd = -1,
		.submit.in_syncs = (uintptr_t)in,
		.submit.out_syncs = (uintptr_t)out,
		.submit.in_sync_count = nin,
		.submit.out_sync_count = nout,
		.submit.sync_stride = sizeof(struct drm_gmmu_sync),
		.batch_va = va,
	};
	int ret;

	ret = swgpu_exec_ioctl(v->fd, &e);
	step("exec on VM %u, %u in, %u out: %d", v->id, nin, nout, ret);
	igt_assert_f(ret == 0, "exec: %s\n", strerror(-ret));
	igt_assert(e.submit.out_fence_fd >= 0);
	return e.submit.out_fence_fd;
}

/* Ends @v's batch and submits it with the syncs; returns its out-fence. */
static int exec_syncs(struct tvm *v, const struct drm_gmmu_sync *in, uint32_t nin,
		      const struct drm_gmmu_sync *out, uint32_t nout)
{
	return exec_va(v, batch_done(v), in, nin, out, nout);
}

/* The status of a job that must complete within @ms. */
static int job_status_within(int fence, int ms, const char *what)
{
	int status = 1, ret = swgpu_fence_wait(fence, ms, &status);

	igt_assert_f(ret == 0, "%s: not done within %d ms (%d)\n", what, ms, ret);
	close(fence);
	return status;
}

/*
 * The job at @batch, waiting for @in, faults within @ms: -EFAULT, and the
 * VM's record counts one more fault, at @va with @access, by that job.
 */
static void fault_job(struct tvm *v, uint64_t batch, uint64_t va, uint32_t access,
		      const struct drm_gmmu_sync *in, uint32_t nin, int ms)
{
	struct swgpu_fault before, after;
	int fence, ret;

	tvm_get_fault(v, &before);
	fence = exec_va(v, batch, in, nin, NULL, 0);
	ret = job_status_within(fence, ms, "a job that must fault");
	igt_assert_f(ret == -EFAULT, "access to %#llx: status %d, expected -EFAULT\n",
		     (unsigned long long)va, ret);
	tvm_get_fault(v, &after);
	igt_assert_eq(after.count, before.count + 1);
	igt_assert_f(after.va == va, "fault at %#llx, expected %#llx\n",
		     (unsigned long long)after.va, (unsigned long long)va);
	igt_assert_eq_u32(after.access, access);
}

/* A STORE_DWORD to @va, in slot @slot; returns the batch's address. */
static uint64_t store_batch(struct tvm *v, unsigned int slot, uint64_t va)
{
	swgpu_batch_store_dword(batch_slot(v, slot), va, 0xbadbad00);
	return batch_done(v);
}

/* A job waiting for @in that writes @va faults (the batch written now). */
static void store_faults(struct tvm *v, uint64_t va, const struct drm_gmmu_sync *in,
			 uint32_t nin)
{
	fault_job(v, store_batch(v, 1, va), va, DRM_SWGPU_FAULT_WRITE, in, nin,
		  FENCE_TIMEOUT_MS);
}

/* ---- Binds ---- */

static struct drm_gmmu_vm_bind_op op_map(uint32_t handle, uint64_t bo_offset,
					 uint64_t va, uint64_t range)
{
	return (struct drm_gmmu_vm_bind_op){ .op = DRM_GMMU_VM_BIND_OP_MAP,
		.handle = handle, .bo_offset = bo_offset, .va = va, .range = range };
}

static struct drm_gmmu_vm_bind_op op_unmap(uint64_t va, uint64_t range)
{
	return (struct drm_gmmu_vm_bind_op){ .op = DRM_GMMU_VM_BIND_OP_UNMAP,
		.va = va, .range = range };
}

static struct drm_gmmu_vm_bind_args async_args(uint32_t vm,
					       const struct drm_gmmu_vm_bind_op *ops,
					       uint32_t nops,
					       const struct drm_gmmu_sync *in, uint32_t nin,
					       const struct drm_gmmu_sync *out, uint32_t nout)
{
	return (struct drm_gmmu_vm_bind_args){
		.vm_id = vm,
		.flags = DRM_GMMU_VM_BIND_ASYNC,
		.ops = (uintptr_t)ops,
		.op_count = nops,
		.op_stride = sizeof(struct drm_gmmu_vm_bind_op),
		.in_syncs = (uintptr_t)in,
		.out_syncs = (uintptr_t)out,
		.in_sync_count = nin,
		.out_sync_count = nout,
		.sync_stride = sizeof(struct drm_gmmu_sync),
	};
}

/* An asynchronous VM_BIND: 0 or -errno. */
static int bind_async(int fd, uint32_t vm, const struct drm_gmmu_vm_bind_op *ops,
		      uint32_t nops, const struct drm_gmmu_sync *in, uint32_t nin,
		      const struct drm_gmmu_sync *out, uint32_t nout)
{
	struct drm_gmmu_vm_bind_args a = async_args(vm, ops, nops, in, nin, out, nout);
	int ret;

	ret = igt_ioctl(fd, DRM_IOCTL_SWGPU_VM_BIND, &a) ? -errno : 0;
	step("async bind of VM %u: %u ops, %u in, %u out: %d", vm, nops, nin, nout, ret);
	return ret;
}

#define assert_bind_async(...) do { \
	int __r = bind_async(__VA_ARGS__); \
	igt_assert_f(__r == 0, "asynchronous VM_BIND: %d (%s)\n", __r, strerror(-__r)); \
} while (0)

/* ---- Fences held back on demand ---- */

struct hold {
	struct tvm h;	/* its held jobs wait for the semaphore in its scratch */
	struct tvm r;	/* its jobs write that semaphore */
	uint64_t seq;
};

static void hold_init(struct hold *k, int fd)
{
	tvm_init(&k->h, fd);
	tvm_init(&k->r, fd);
	k->seq = 0;
	igt_assert_eq(swgpu_vm_bind(fd, k->r.id, k->h.scratch.handle, 0, REL_VA,
				    TVM_SCRATCH_SIZE, 0), 0);
	tvm_touch(&k->h);
	tvm_touch(&k->r);
}

static void hold_fini(struct hold *k)
{
	tvm_fini(&k->r);
	tvm_fini(&k->h);
}

/*
 * A job of the holder that runs until hold_release(), then completes, or
 * with @fail page-faults (-EFAULT). Its fence goes to @out; returns it as
 * a sync_file.
 */
static int hold_job(struct hold *k, const struct drm_gmmu_sync *out, uint32_t nout,
		    bool fail)
{
	struct swgpu_batch *b = tvm_batch(&k->h);

	k->seq++;
	step("hold: job %llu of VM %u", (unsigned long long)k->seq, k->h.id);
	swgpu_batch_sem_wait(b, TVM_SCRATCH_VA + SEM_OFF, k->seq, ~0ull,
			     SWGPU_SEM_COMPARE_GTE);
	swgpu_batch_store_dword(b, fail ? HOLD_FAULT_VA : TVM_SCRATCH_VA + SEM_OFF + 16,
				(uint32_t)k->seq);
	return exec_syncs(&k->h, NULL, 0, out, nout);
}

/* The releaser's batch that ends the latest held job, written, not submitted. */
static uint64_t hold_release_batch(struct hold *k)
{
	struct swgpu_batch *b = tvm_batch(&k->r);

	swgpu_batch_sem_signal(b, REL_VA + SEM_OFF, k->seq);
	swgpu_batch_end(b);
	igt_assert(!b->error);
	return b->va;
}

static void hold_release(struct hold *k)
{
	uint64_t va = hold_release_batch(k);
	int fence = -1;

	step("release %llu", (unsigned long long)k->seq);
	igt_assert_eq(swgpu_exec(k->r.fd, k->r.id, va, &fence, NULL), 0);
	igt_assert_eq(fence_status(fence), 0);
	step("released");
}

/* ---- The test VM ---- */

struct actx {
	struct gpu *g;
	struct tvm v;
	struct buf dst, a, b, c;
	struct checker k;
};

static void actx_init(struct actx *c, struct gpu *g)
{
	c->g = g;
	tvm_init(&c->v, g->fd);
	buf_create(g->fd, DST_SIZE, &c->dst);
	buf_create(g->fd, BO_SIZE, &c->a);
	buf_create(g->fd, BO_SIZE, &c->b);
	buf_create(g->fd, BO_SIZE, &c->c);
	pattern_fill(c->a.map, BO_SIZE, SEED_A);
	pattern_fill(c->b.map, BO_SIZE, SEED_B);
	pattern_fill(c->c.map, BO_SIZE, SEED_C);
	buf_touch(&c->dst);
	tvm_touch(&c->v);
	igt_assert_eq(swgpu_vm_bind(g->fd, c->v.id, c->dst.handle, 0, DST_VA, DST_SIZE, 0), 0);
	checker_begin(&c->k, g);
}

static void actx_fini(struct actx *c)
{
	tvm_fini(&c->v);
	buf_destroy(&c->dst);
	buf_destroy(&c->a);
	buf_destroy(&c->b);
	buf_destroy(&c->c);
	checker_end(&c->k, c->g, "the whole subtest");
}

/* Appends a copy of BO_SIZE bytes at @va to @dst_off of the destination. */
static void copy_out(struct swgpu_batch *b, uint64_t va, uint64_t dst_off)
{
	igt_assert(dst_off + BO_SIZE <= DST_SIZE);
	swgpu_batch_copy(b, DST_VA + dst_off, va, BO_SIZE);
}

/* A copy of @va out to @dst_off, in slot @slot; returns the batch's address. */
static uint64_t read_batch(struct actx *c, unsigned int slot, uint64_t va,
			   uint64_t dst_off)
{
	copy_out(batch_slot(&c->v, slot), va, dst_off);
	return batch_done(&c->v);
}

/* A job waiting for @in that copies @va out succeeds (the batch written now). */
static void read_job(struct actx *c, uint64_t va, uint64_t dst_off,
		     const struct drm_gmmu_sync *in, uint32_t nin)
{
	uint64_t batch = read_batch(c, 1, va, dst_off);

	igt_assert_eq(fence_status(exec_va(&c->v, batch, in, nin, NULL, 0)), 0);
}

#define assert_dst(c, off, seed) \
	igt_assert_pattern((c)->dst.map + (off), BO_SIZE, seed, 0)

/* ---- Subtests ---- */

static void test_map_basic(struct gpu *g)
{
	struct drm_gmmu_vm_bind_op op;
	struct drm_gmmu_sync out;
	uint64_t rd, st;
	struct actx c;
	uint32_t t;

	actx_init(&c, g);
	t = syncobj_new(g->fd);
	out = sobj(t, 0);
	rd = read_batch(&c, 2, NEW_VA, 0);
	st = store_batch(&c.v, 3, NEW_VA + 8);

	/* A job submitted right behind the bind, waiting for it, reads it. */
	op = op_map(c.a.handle, 0, NEW_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, NULL, 0, &out, 1);
	igt_assert_eq(fence_status(exec_va(&c.v, rd, &out, 1, NULL, 0)), 0);
	igt_assert_eq(syncobj_status(g->fd, t, 0), 0);
	/* Once signalled, any job does. */
	read_job(&c, NEW_VA, BO_SIZE, NULL, 0);
	assert_dst(&c, 0, SEED_A);
	assert_dst(&c, BO_SIZE, SEED_A);
	tvm_store_check(&c.v, NEW_VA + BO_SIZE - 4, &c.a, BO_SIZE - 4);

	/* Unmapped the same way: a job waiting for it faults there. */
	op = op_unmap(NEW_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, NULL, 0, &out, 1);
	fault_job(&c.v, st, NEW_VA + 8, DRM_SWGPU_FAULT_WRITE, &out, 1, FENCE_TIMEOUT_MS);
	igt_assert_eq(syncobj_status(g->fd, t, 0), 0);
	store_faults(&c.v, NEW_VA + BO_SIZE - 4, NULL, 0);
	tvm_assert_works(&c.v);

	drmSyncobjDestroy(g->fd, t);
	actx_fini(&c);
}

static void test_waits_for_in_fence(struct gpu *g)
{
	uint64_t rd_new, rd_old, rd_after;
	struct drm_gmmu_vm_bind_op ops[2];
	struct drm_gmmu_sync in, out;
	struct hold k;
	struct actx c;
	uint32_t s, t;
	int hf, fence, wf;

	hold_init(&k, g->fd);
	actx_init(&c, g);
	s = syncobj_new(g->fd);
	t = syncobj_new(g->fd);
	in = sobj(s, 0);
	out = sobj(t, 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, c.v.id, c.a.handle, 0, OLD_VA, BO_SIZE, 0), 0);
	rd_new = read_batch(&c, 2, NEW_VA, 3 * BO_SIZE);
	rd_old = read_batch(&c, 3, OLD_VA, 0);
	copy_out(batch_slot(&c.v, 4), OLD_VA, BO_SIZE);
	copy_out(&c.v.b, NEW_VA, 2 * BO_SIZE);
	rd_after = batch_done(&c.v);

	hf = hold_job(&k, &in, 1, false);
	/* b at a fresh VA and over a's mapping, after s. */
	ops[0] = op_map(c.b.handle, 0, NEW_VA, BO_SIZE);
	ops[1] = op_map(c.b.handle, 0, OLD_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, ops, 2, &in, 1, &out, 1);
	usleep(HOLD_MS * 1000);
	assert_pending(g->fd, t, 0, "bind waiting for a held fence");

	/* Jobs that do not wait for t: a fault at the fresh VA, a's bytes at the old one. */
	fault_job(&c.v, rd_new, NEW_VA, DRM_SWGPU_FAULT_READ, NULL, 0, DONE_MS);
	fence = exec_va(&c.v, rd_old, NULL, 0, NULL, 0);
	igt_assert_eq(job_status_within(fence, DONE_MS, "read of the old VA"), 0);
	checker_end(&c.k, g, "a job reading a mapping that a pending bind replaces");
	assert_pending(g->fd, t, 0, "bind waiting for a held fence");

	/* A job waiting for t, submitted now, runs after the bind. */
	wf = exec_va(&c.v, rd_after, &out, 1, NULL, 0);
	usleep(HOLD_MS * 1000 / 4);
	igt_assert_f(!fence_signalled(wf), "a job waiting for a held bind completed\n");
	assert_pending(g->fd, t, 0, "bind waiting for a held fence");

	hold_release(&k);
	igt_assert_eq(fence_status(hf), 0);
	igt_assert_eq(syncobj_status(g->fd, t, 0), 0);
	igt_assert_eq(fence_status(wf), 0);
	assert_dst(&c, 0, SEED_A);
	assert_dst(&c, BO_SIZE, SEED_B);
	assert_dst(&c, 2 * BO_SIZE, SEED_B);
	igt_assert_bytes(c.dst.map + 3 * BO_SIZE, BO_SIZE, 0);
	/* a was not written through its old mapping. */
	igt_assert_pattern(c.a.map, BO_SIZE, SEED_A, 0);

	drmSyncobjDestroy(g->fd, s);
	drmSyncobjDestroy(g->fd, t);
	hold_fini(&k);
	actx_fini(&c);
}

static void test_timeline(struct gpu *g)
{
	struct drm_gmmu_sync p1, p2, p3;
	struct drm_gmmu_vm_bind_op op;
	uint64_t point = 0, rd;
	struct hold k;
	struct actx c;
	uint32_t tl;
	int hf, wf;

	hold_init(&k, g->fd);
	actx_init(&c, g);
	tl = syncobj_new(g->fd);
	p1 = sobj(tl, 1);
	p2 = sobj(tl, 2);
	p3 = sobj(tl, 3);
	copy_out(batch_slot(&c.v, 2), NEW_VA, 0);
	copy_out(&c.v.b, NEW2_VA, BO_SIZE);
	rd = batch_done(&c.v);

	/* The holder signals point 1; a waits for 1 and signals 2; b 2 and 3. */
	hf = hold_job(&k, &p1, 1, false);
	op = op_map(c.a.handle, 0, NEW_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, &p1, 1, &p2, 1);
	op = op_map(c.b.handle, 0, NEW2_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, &p2, 1, &p3, 1);
	wf = exec_va(&c.v, rd, &p3, 1, NULL, 0);
	usleep(HOLD_MS * 1000);
	assert_pending(g->fd, tl, 1, "point 1");
	assert_pending(g->fd, tl, 2, "point 2");
	assert_pending(g->fd, tl, 3, "point 3");
	igt_assert_eq(drmSyncobjQuery(g->fd, &tl, &point, 1), 0);
	igt_assert_eq(point, 0);
	igt_assert(!fence_signalled(wf));

	hold_release(&k);
	igt_assert_eq(syncobj_wait(g->fd, tl, 3, FENCE_TIMEOUT_MS), 0);
	igt_assert_eq(drmSyncobjQuery(g->fd, &tl, &point, 1), 0);
	igt_assert_eq(point, 3);
	igt_assert_eq(syncobj_status(g->fd, tl, 2), 0);
	igt_assert_eq(syncobj_status(g->fd, tl, 3), 0);
	igt_assert_eq(fence_status(hf), 0);
	igt_assert_eq(fence_status(wf), 0);
	assert_dst(&c, 0, SEED_A);
	assert_dst(&c, BO_SIZE, SEED_B);

	/* A point already signalled is waited for as well: c after point 3. */
	op = op_map(c.c.handle, 0, NEW3_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, &p3, 1, &(struct drm_gmmu_sync){ tl, 0, 4 }, 1);
	read_job(&c, NEW3_VA, 2 * BO_SIZE, &(struct drm_gmmu_sync){ tl, 0, 4 }, 1);
	assert_dst(&c, 2 * BO_SIZE, SEED_C);

	drmSyncobjDestroy(g->fd, tl);
	hold_fini(&k);
	actx_fini(&c);
}

static void test_sync_file_in(struct gpu *g)
{
	struct drm_gmmu_vm_bind_op op;
	struct drm_gmmu_sync in, out;
	struct hold k;
	struct actx c;
	int hf, wf, done;
	uint64_t rd;
	uint32_t t;

	hold_init(&k, g->fd);
	actx_init(&c, g);
	t = syncobj_new(g->fd);
	out = sobj(t, 0);
	rd = read_batch(&c, 2, NEW_VA, 0);

	/* A held job's out-fence, as a sync_file. */
	hf = hold_job(&k, NULL, 0, false);
	in = sfile(hf);
	op = op_map(c.a.handle, 0, NEW_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, &in, 1, &out, 1);
	wf = exec_va(&c.v, rd, &out, 1, NULL, 0);
	usleep(HOLD_MS * 1000);
	assert_pending(g->fd, t, 0, "bind waiting for a held sync_file");
	igt_assert(!fence_signalled(wf));
	hold_release(&k);
	igt_assert_eq(syncobj_status(g->fd, t, 0), 0);
	igt_assert_eq(fence_status(hf), 0);
	igt_assert_eq(fence_status(wf), 0);
	assert_dst(&c, 0, SEED_A);

	/* A sync_file already signalled: the bind just happens. */
	swgpu_batch_store_dword(tvm_batch(&c.v), TVM_SCRATCH_VA, 1);
	done = exec_syncs(&c.v, NULL, 0, NULL, 0);
	igt_assert_eq(swgpu_fence_wait(done, FENCE_TIMEOUT_MS, NULL), 0);
	in = sfile(done);
	op = op_map(c.b.handle, 0, NEW2_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, &in, 1, &out, 1);
	close(done);
	read_job(&c, NEW2_VA, BO_SIZE, &out, 1);
	assert_dst(&c, BO_SIZE, SEED_B);

	drmSyncobjDestroy(g->fd, t);
	hold_fini(&k);
	actx_fini(&c);
}

static void test_failed_in_fence(struct gpu *g)
{
	struct drm_gmmu_vm_bind_op ops[2];
	struct drm_gmmu_sync in, o1, o2, o3;
	uint32_t s, t1, t2, t3;
	struct hold k;
	struct actx c;
	int hf;

	hold_init(&k, g->fd);
	actx_init(&c, g);
	s = syncobj_new(g->fd);
	t1 = syncobj_new(g->fd);
	t2 = syncobj_new(g->fd);
	t3 = syncobj_new(g->fd);
	in = sobj(s, 0);
	o1 = sobj(t1, 0);
	o2 = sobj(t2, 0);
	o3 = sobj(t3, 0);

	/* First, what the in-fence will carry: a faulting job's fence is -EFAULT. */
	swgpu_batch_store_dword(tvm_batch(&k.h), HOLD_FAULT_VA, 1);
	igt_assert_eq(fence_status(exec_syncs(&k.h, NULL, 0, &in, 1)), -EFAULT);
	igt_assert_eq(syncobj_status(g->fd, s, 0), -EFAULT);

	/* a at OLD_VA, c at NEW2_VA: what the failed binds would change. */
	igt_assert_eq(swgpu_vm_bind(g->fd, c.v.id, c.a.handle, 0, OLD_VA, BO_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, c.v.id, c.c.handle, 0, NEW2_VA, BO_SIZE, 0), 0);

	/* A held job that will fault; a bind waiting for it; one queued behind. */
	hf = hold_job(&k, &in, 1, true);
	ops[0] = op_map(c.b.handle, 0, OLD_VA, BO_SIZE);
	ops[1] = op_map(c.b.handle, 0, NEW_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, ops, 2, &in, 1, &o1, 1);
	ops[0] = op_unmap(NEW2_VA, BO_SIZE);
	ops[1] = op_map(c.b.handle, 0, NEW3_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, ops, 2, NULL, 0, &o2, 1);
	usleep(HOLD_MS * 1000);
	assert_pending(g->fd, t1, 0, "bind waiting for a held fence");
	assert_pending(g->fd, t2, 0, "bind queued behind a held bind");

	hold_release(&k);
	igt_assert_eq(fence_status(hf), -EFAULT);
	igt_assert_eq(syncobj_status(g->fd, t1, 0), -EFAULT);
	igt_assert_eq(syncobj_status(g->fd, t2, 0), -EFAULT);

	/* The VM is as it was: a at OLD_VA, c at NEW2_VA, nothing at NEW_VA, NEW3_VA. */
	read_job(&c, OLD_VA, 0, NULL, 0);
	read_job(&c, NEW2_VA, BO_SIZE, NULL, 0);
	assert_dst(&c, 0, SEED_A);
	assert_dst(&c, BO_SIZE, SEED_C);
	store_faults(&c.v, NEW_VA + 4, NULL, 0);
	store_faults(&c.v, NEW3_VA + 4, NULL, 0);
	igt_assert_pattern(c.b.map, BO_SIZE, SEED_B, 0);

	/* Once it has all settled, a new bind works. */
	ops[0] = op_map(c.b.handle, 0, NEW_VA, BO_SIZE);
	ops[1] = op_unmap(OLD_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, ops, 2, NULL, 0, &o3, 1);
	read_job(&c, NEW_VA, 2 * BO_SIZE, &o3, 1);
	igt_assert_eq(syncobj_status(g->fd, t3, 0), 0);
	assert_dst(&c, 2 * BO_SIZE, SEED_B);
	store_faults(&c.v, OLD_VA, NULL, 0);
	tvm_assert_works(&k.h);

	drmSyncobjDestroy(g->fd, s);
	drmSyncobjDestroy(g->fd, t1);
	drmSyncobjDestroy(g->fd, t2);
	drmSyncobjDestroy(g->fd, t3);
	hold_fini(&k);
	actx_fini(&c);
}

static void test_then_sync(struct gpu *g)
{
	const int delay_ms = 200;
	struct drm_gmmu_vm_bind_op op;
	struct drm_gmmu_sync in, out;
	uint64_t rel_va, t0, took;
	int hf, ret, st, sig;
	struct hold k;
	struct actx c;
	uint32_t s, t;
	pid_t pid;

	hold_init(&k, g->fd);
	actx_init(&c, g);
	s = syncobj_new(g->fd);
	t = syncobj_new(g->fd);
	in = sobj(s, 0);
	out = sobj(t, 0);

	hf = hold_job(&k, &in, 1, false);
	op = op_map(c.a.handle, 0, NEW_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, &in, 1, &out, 1);
	rel_va = hold_release_batch(&k);

	/* The child releases the held job a while later. */
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		int fence = -1, status = 1;

		usleep(delay_ms * 1000);
		if (swgpu_exec(k.r.fd, k.r.id, rel_va, &fence, NULL))
			_exit(1);
		if (swgpu_fence_wait(fence, FENCE_TIMEOUT_MS, &status) || status)
			_exit(2);
		_exit(0);
	}

	/* Meanwhile a synchronous UNMAP of the same range returns only after it. */
	t0 = now_ms();
	ret = swgpu_vm_unbind(g->fd, c.v.id, NEW_VA, BO_SIZE);
	took = now_ms() - t0;
	sig = syncobj_wait(g->fd, t, 0, 0);
	igt_assert_eq(waitpid(pid, &st, 0), pid);
	igt_assert_f(WIFEXITED(st) && WEXITSTATUS(st) == 0, "releasing child: status %#x\n", st);
	igt_assert_f(ret == 0, "synchronous UNMAP: %d\n", ret);
	igt_assert_f(sig == 0, "synchronous UNMAP returned (after %llu ms) before the asynchronous MAP before it was done (wait: %d)\n",
		     (unsigned long long)took, sig);
	igt_info("%s: synchronous UNMAP returned after %llu ms, the release came after %d ms\n",
		 g->name, (unsigned long long)took, delay_ms);
	igt_assert_eq(fence_status(hf), 0);
	igt_assert_eq(syncobj_status(g->fd, t, 0), 0);

	/* The UNMAP came last: the range is unmapped. */
	store_faults(&c.v, NEW_VA, NULL, 0);
	store_faults(&c.v, NEW_VA + BO_SIZE - 4, NULL, 0);
	igt_assert_pattern(c.a.map, BO_SIZE, SEED_A, 0);
	tvm_assert_works(&c.v);

	drmSyncobjDestroy(g->fd, s);
	drmSyncobjDestroy(g->fd, t);
	hold_fini(&k);
	actx_fini(&c);
}

static void test_barrier(struct gpu *g)
{
	struct drm_gmmu_sync in, o1, o2, o3;
	struct drm_gmmu_vm_bind_op op;
	uint32_t s, t1, t2, t3;
	struct hold k;
	struct actx c;
	uint64_t st;
	int hf;

	hold_init(&k, g->fd);
	actx_init(&c, g);
	s = syncobj_new(g->fd);
	t1 = syncobj_new(g->fd);
	t2 = syncobj_new(g->fd);
	t3 = syncobj_new(g->fd);
	in = sobj(s, 0);
	o1 = sobj(t1, 0);
	o2 = sobj(t2, 0);
	o3 = sobj(t3, 0);
	st = store_batch(&c.v, 2, NEW_VA);

	hf = hold_job(&k, &in, 1, false);
	/* An empty array after s; another with no in-fence; a MAP behind them. */
	assert_bind_async(g->fd, c.v.id, NULL, 0, &in, 1, &o1, 1);
	assert_bind_async(g->fd, c.v.id, NULL, 0, NULL, 0, &o2, 1);
	op = op_map(c.a.handle, 0, NEW_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, NULL, 0, &o3, 1);
	usleep(HOLD_MS * 1000);
	assert_pending(g->fd, t1, 0, "barrier waiting for a held fence");
	assert_pending(g->fd, t2, 0, "barrier behind a held barrier");
	assert_pending(g->fd, t3, 0, "bind behind a held barrier");
	/* A barrier changes nothing: a job that does not wait sees no mapping. */
	fault_job(&c.v, st, NEW_VA, DRM_SWGPU_FAULT_WRITE, NULL, 0, DONE_MS);

	hold_release(&k);
	igt_assert_eq(syncobj_status(g->fd, t1, 0), 0);
	igt_assert_f(fence_signalled(hf), "the barrier signalled before its in-fence\n");
	igt_assert_eq(syncobj_status(g->fd, t2, 0), 0);
	igt_assert_eq(syncobj_status(g->fd, t3, 0), 0);
	igt_assert_eq(fence_status(hf), 0);
	read_job(&c, NEW_VA, 0, NULL, 0);
	assert_dst(&c, 0, SEED_A);

	/* With nothing to wait for, a barrier signals at once. */
	assert_bind_async(g->fd, c.v.id, NULL, 0, NULL, 0, &o1, 1);
	igt_assert_eq(syncobj_status(g->fd, t1, 0), 0);

	drmSyncobjDestroy(g->fd, s);
	drmSyncobjDestroy(g->fd, t1);
	drmSyncobjDestroy(g->fd, t2);
	drmSyncobjDestroy(g->fd, t3);
	hold_fini(&k);
	actx_fini(&c);
}

static void test_many(struct gpu *g)
{
	const uint64_t size = MANY * PAGE;
	struct buf src, dst;
	struct swgpu_batch *b;
	struct drm_gmmu_sync last;
	uint64_t point = 0, copy;
	struct checker k;
	struct tvm v;
	uint32_t tl;

	tvm_init(&v, g->fd);
	buf_create(g->fd, size, &src);
	buf_create(g->fd, size, &dst);
	pattern_fill(src.map, size, SEED_MANY);
	buf_touch(&dst);
	tvm_touch(&v);
	checker_begin(&k, g);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, dst.handle, 0, MANY_DST_VA, size, 0), 0);
	tl = syncobj_new(g->fd);
	/* A job that copies every page back together, written first. */
	b = tvm_batch(&v);
	for (uint32_t i = 0; i < MANY; i++)
		swgpu_batch_copy(b, MANY_DST_VA + i * PAGE, MANY_VA + 2 * i * PAGE, PAGE);
	copy = batch_done(&v);

	/* Page i of src at every other page from MANY_VA, each bind its own point. */
	for (uint32_t i = 0; i < MANY; i++) {
		struct drm_gmmu_vm_bind_op op = op_map(src.handle, i * PAGE,
						       MANY_VA + 2 * i * PAGE, PAGE);
		struct drm_gmmu_sync out = sobj(tl, i + 1);

		assert_bind_async(g->fd, v.id, &op, 1, NULL, 0, &out, 1);
	}
	/* Submitted right behind them, after the last point. */
	last = sobj(tl, MANY);
	igt_assert_eq(fence_status(exec_va(&v, copy, &last, 1, NULL, 0)), 0);
	igt_assert_eq(drmSyncobjQuery(g->fd, &tl, &point, 1), 0);
	igt_assert_eq(point, MANY);
	igt_assert_eq(syncobj_status(g->fd, tl, 1), 0);
	igt_assert_eq(syncobj_status(g->fd, tl, MANY / 2), 0);
	igt_assert_pattern(dst.map, size, SEED_MANY, 0);
	/* Distinct pages: the ones in between were never mapped. */
	tvm_store_fault(&v, MANY_VA + PAGE, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, MANY_VA + (2 * MANY - 1) * PAGE, DRM_SWGPU_FAULT_WRITE);

	drmSyncobjDestroy(g->fd, tl);
	tvm_fini(&v);
	buf_destroy(&src);
	buf_destroy(&dst);
	checker_end(&k, g, "the whole subtest");
}

/*
 * async-bad-input: the data BO mapped at OLD_VA; each bad request would
 * map "other" there, asynchronously, signalling a binary syncobj that has
 * no fence and point 5 of a timeline that has none.
 */
struct bad {
	struct gpu *g;
	struct tvm v;
	struct buf data, other;
	struct drm_gmmu_vm_bind_op op;
	struct drm_gmmu_sync in[DRM_GMMU_MAX_SYNCS + 1];
	struct drm_gmmu_sync out[DRM_GMMU_MAX_SYNCS + 1];
	uint32_t t, tl, s;
	uint64_t n;
	struct checker k;
};

static void bad_init(struct bad *c, struct gpu *g)
{
	c->g = g;
	c->n = 0;
	tvm_init(&c->v, g->fd);
	buf_create(g->fd, BO_SIZE, &c->data);
	buf_create(g->fd, BO_SIZE, &c->other);
	buf_touch(&c->data);
	buf_touch(&c->other);
	tvm_touch(&c->v);
	checker_begin(&c->k, g);
	igt_assert_eq(swgpu_vm_bind(g->fd, c->v.id, c->data.handle, 0, OLD_VA, BO_SIZE, 0), 0);
	c->op = op_map(c->other.handle, 0, OLD_VA, BO_SIZE);
	c->t = syncobj_new(g->fd);
	c->tl = syncobj_new(g->fd);
	/* s: a signalled fence to wait for. */
	c->s = syncobj_new(g->fd);
	swgpu_batch_store_dword(tvm_batch(&c->v), TVM_SCRATCH_VA, 0);
	igt_assert_eq(fence_status(exec_syncs(&c->v, NULL, 0,
					      &(struct drm_gmmu_sync){ c->s, 0, 0 }, 1)), 0);
	for (int i = 0; i <= DRM_GMMU_MAX_SYNCS; i++) {
		c->in[i] = sobj(c->s, 0);
		c->out[i] = sobj(c->t, 0);
	}
	c->out[1] = sobj(c->tl, 5);
}

static void bad_fini(struct bad *c)
{
	drmSyncobjDestroy(c->g->fd, c->t);
	drmSyncobjDestroy(c->g->fd, c->tl);
	drmSyncobjDestroy(c->g->fd, c->s);
	tvm_fini(&c->v);
	buf_destroy(&c->data);
	buf_destroy(&c->other);
	checker_end(&c->k, c->g, "the whole subtest");
}

/* An async MAP of "other" over the data, after s, signalling t and tl point 5. */
static struct drm_gmmu_vm_bind_args bad_args(struct bad *c)
{
	return async_args(c->v.id, &c->op, 1, c->in, 1, c->out, 2);
}

/* Nothing changed: data still mapped, other not, no out-syncobj touched. */
static void bad_check(struct bad *c)
{
	uint64_t off = (c->n++ * 4 + 8) % BO_SIZE, point = 0;

	tvm_store_check(&c->v, OLD_VA + off, &c->data, off);
	igt_assert_bytes(c->other.map, BO_SIZE, 0);
	assert_no_fence(c->g->fd, c->t);
	igt_assert_eq(drmSyncobjQuery(c->g->fd, &c->tl, &point, 1), 0);
	igt_assert_eq(point, 0);
}

#define bad_err(c, args, err) do { \
	struct drm_gmmu_vm_bind_args __a = (args); \
	do_ioctl_err((c)->v.fd, DRM_IOCTL_SWGPU_VM_BIND, &__a, err); \
	bad_check(c); \
} while (0)

static void test_bad_input(struct gpu *g)
{
	static const uint32_t strides[] = { 0, 8, 12, 20, 36, DRM_GMMU_MAX_ARRAY_STRIDE + 8 };
	struct drm_gmmu_vm_bind_args a;
	uint64_t wide[2][3] = { { 0 } };
	struct bad c;
	uint32_t gone;
	int devnull, sf;

	bad_init(&c, g);

	/* The request is good otherwise: see the end. Unknown flag bits. */
	for (unsigned int bit = 1; bit < 32; bit++) {
		a = bad_args(&c);
		a.flags |= 1u << bit;
		bad_err(&c, a, EINVAL);
	}
	/* Non-zero pad. */
	a = bad_args(&c);
	a.pad = 1;
	bad_err(&c, a, EINVAL);
	a.pad = 1u << 31;
	bad_err(&c, a, EINVAL);

	/* Any sync field without ASYNC. */
	for (int field = 0; field < 5; field++) {
		a = bad_args(&c);
		a.flags = 0;
		a.in_syncs = field == 0 ? a.in_syncs : 0;
		a.out_syncs = field == 1 ? a.out_syncs : 0;
		a.in_sync_count = field == 2 ? 1 : 0;
		a.out_sync_count = field == 3 ? 1 : 0;
		a.sync_stride = field == 4 ? sizeof(struct drm_gmmu_sync) : 0;
		igt_debug("sync field %d without ASYNC\n", field);
		bad_err(&c, a, EINVAL);
	}
	a = bad_args(&c);
	a.flags = 0;
	bad_err(&c, a, EINVAL);

	/* Too many syncs: every one of them good. */
	a = bad_args(&c);
	a.in_sync_count = DRM_GMMU_MAX_SYNCS + 1;
	bad_err(&c, a, EINVAL);
	a.in_sync_count = ~0u;
	bad_err(&c, a, EINVAL);
	a = bad_args(&c);
	a.out_sync_count = DRM_GMMU_MAX_SYNCS + 1;
	bad_err(&c, a, EINVAL);
	a.out_sync_count = ~0u;
	bad_err(&c, a, EINVAL);

	/* Bad sync_stride, and bytes past the struct that are not zero. */
	for (unsigned int k = 0; k < sizeof(strides) / sizeof(strides[0]); k++) {
		a = bad_args(&c);
		a.sync_stride = strides[k];
		igt_debug("sync_stride %u\n", strides[k]);
		bad_err(&c, a, EINVAL);
	}
	wide[0][0] = c.s;
	wide[0][2] = 1;
	wide[1][0] = c.t;
	a = bad_args(&c);
	a.in_syncs = (uintptr_t)wide[0];
	a.out_syncs = (uintptr_t)wide[1];
	a.out_sync_count = 1;
	a.sync_stride = sizeof(wide[0]);
	bad_err(&c, a, EINVAL);
	wide[0][2] = 0;
	wide[1][2] = 1ull << 63;
	bad_err(&c, a, EINVAL);
	wide[1][2] = 0;

	/* Unknown syncobjs, waited for or signalled. */
	gone = syncobj_new(g->fd);
	igt_assert_eq(drmSyncobjDestroy(g->fd, gone), 0);
	{
		const uint32_t handles[] = { 0, 0x7fffffff, gone };

		for (unsigned int k = 0; k < 3; k++) {
			a = bad_args(&c);
			c.in[0].handle = handles[k];
			bad_err(&c, a, ENOENT);
			c.in[0] = sobj(c.s, 0);
			c.out[0].handle = handles[k];
			bad_err(&c, a, ENOENT);
			c.out[0] = sobj(c.t, 0);
			c.out[1].handle = handles[k];
			bad_err(&c, a, ENOENT);
			c.out[1] = sobj(c.tl, 5);
		}
	}
	/* A syncobj with nothing to wait for yet: no fence, or not that point. */
	a = bad_args(&c);
	c.in[0] = sobj(c.t, 0);
	bad_err(&c, a, EINVAL);
	c.in[0] = sobj(c.tl, 1);
	bad_err(&c, a, EINVAL);
	c.in[0] = sobj(c.s, 0);

	/* Unknown sync flags, waited for or signalled. */
	for (unsigned int bit = 1; bit < 32; bit++) {
		a = bad_args(&c);
		c.in[0].flags = 1u << bit;
		bad_err(&c, a, EINVAL);
		c.in[0].flags = 0;
		c.out[0].flags = 1u << bit;
		bad_err(&c, a, EINVAL);
		c.out[0].flags = 0;
	}

	/* sync_files: to signal, not one, or with a point. */
	swgpu_batch_store_dword(tvm_batch(&c.v), TVM_SCRATCH_VA, 0);
	sf = exec_syncs(&c.v, NULL, 0, NULL, 0);
	igt_assert_eq(swgpu_fence_wait(sf, FENCE_TIMEOUT_MS, NULL), 0);
	a = bad_args(&c);
	c.out[0] = sfile(sf);
	bad_err(&c, a, EINVAL);
	c.out[0] = sobj(c.t, 0);
	devnull = open("/dev/null", O_RDONLY);
	igt_assert(devnull >= 0);
	c.in[0] = sfile(devnull);
	bad_err(&c, a, EINVAL);
	c.in[0] = sfile(g->fd);
	bad_err(&c, a, EINVAL);
	c.in[0] = sfile(sf);
	c.in[0].point = 1;
	bad_err(&c, a, EINVAL);
	c.in[0] = sobj(c.s, 0);
	close(devnull);

	/* Unreadable sync arrays; an unknown VM. */
	a = bad_args(&c);
	a.in_syncs = 8;
	bad_err(&c, a, EFAULT);
	a = bad_args(&c);
	a.out_syncs = 8;
	bad_err(&c, a, EFAULT);
	a = bad_args(&c);
	a.vm_id = 0;
	bad_err(&c, a, ENOENT);

	/* A bad operation in an asynchronous array: t and tl stay untouched. */
	a = bad_args(&c);
	c.op.op = 7;
	bad_err(&c, a, EINVAL);
	c.op = op_map(c.other.handle, 0, OLD_VA + 8, BO_SIZE);
	bad_err(&c, a, EINVAL);
	c.op = op_map(c.other.handle, PAGE, OLD_VA, BO_SIZE);
	bad_err(&c, a, EINVAL);
	c.op = op_map(0x7fffffff, 0, OLD_VA, BO_SIZE);
	bad_err(&c, a, ENOENT);
	c.op = op_map(c.other.handle, 0, OLD_VA, BO_SIZE);
	c.op.pad = 1;
	bad_err(&c, a, EINVAL);
	c.op = op_map(c.other.handle, 0, OLD_VA, BO_SIZE);

	/* The same request, good: it happens (with the wider stride too). */
	a = bad_args(&c);
	wide[0][0] = c.s;
	wide[1][0] = c.t;
	a.in_syncs = (uintptr_t)wide[0];
	a.out_syncs = (uintptr_t)wide[1];
	a.out_sync_count = 1;
	a.sync_stride = sizeof(wide[0]);
	do_ioctl(c.v.fd, DRM_IOCTL_SWGPU_VM_BIND, &a);
	igt_assert_eq(syncobj_status(g->fd, c.t, 0), 0);
	tvm_store_check(&c.v, OLD_VA + 12, &c.other, 12);
	c.op.handle = c.data.handle;
	a = bad_args(&c);
	c.in[0] = sfile(sf);
	do_ioctl(c.v.fd, DRM_IOCTL_SWGPU_VM_BIND, &a);
	close(sf);
	igt_assert_eq(syncobj_status(g->fd, c.t, 0), 0);
	igt_assert_eq(syncobj_status(g->fd, c.tl, 5), 0);
	tvm_store_check(&c.v, OLD_VA + 16, &c.data, 16);

	bad_fini(&c);
}

/*
 * In a child with a file of its own: a VM with an asynchronous bind
 * waiting for @fence (and one queued behind it), a byte to @ready, then
 * the VM destroyed (@destroy) and the file closed. Returns what the child
 * should exit with.
 */
static int pending_child(const struct gpu *g, int fence, bool destroy, int ready)
{
	struct drm_gmmu_vm_bind_op op;
	struct drm_gmmu_sync in = sfile(fence), out;
	uint32_t vm, bo, so;
	int fd;

	fd = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
	if (fd < 0)
		return 10;
	if (swgpu_vm_create(fd, &vm) || swgpu_bo_create(fd, BO_SIZE, &bo) ||
	    drmSyncobjCreate(fd, 0, &so))
		return 11;
	out = sobj(so, 0);
	op = op_map(bo, 0, TVM_DATA_VA, BO_SIZE);
	if (bind_async(fd, vm, &op, 1, &in, 1, &out, 1))
		return 12;
	op = op_unmap(TVM_DATA_VA, PAGE);
	if (bind_async(fd, vm, &op, 1, NULL, 0, &out, 1))
		return 13;
	if (drmSyncobjWait(fd, &so, 1, 0, 0, NULL) != -ETIME)
		return 14;
	if (write(ready, "r", 1) != 1)
		return 16;
	if (destroy && swgpu_vm_destroy(fd, vm))
		return 15;
	close(fd);
	return 0;
}

static void test_vm_destroy_pending(struct gpu *g)
{
	struct drm_gmmu_vm_bind_op op;
	struct drm_gmmu_sync out;
	int hf, ready[2];
	pid_t pid[2];
	struct hold k;
	struct actx c;
	char byte;
	uint32_t t;

	hold_init(&k, g->fd);
	actx_init(&c, g);
	t = syncobj_new(g->fd);
	out = sobj(t, 0);

	/* The children may be slow (a debug kernel): the held job waits for them. */
	watchdog_set(60000);
	igt_assert_eq(pipe(ready), 0);
	hf = hold_job(&k, NULL, 0, false);
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		igt_assert(pid[i] >= 0);
		if (pid[i] == 0)
			_exit(pending_child(g, hf, i == 0, ready[1]));
	}
	close(ready[1]);
	/*
	 * Both binds submitted and still waiting; then a while for the
	 * destroy and the closes, which may wait for the binds: not for them.
	 */
	for (int i = 0; i < 2; i++)
		igt_assert_f(read(ready[0], &byte, 1) == 1, "a child ended early\n");
	close(ready[0]);
	usleep(HOLD_MS * 1000);
	igt_assert(!fence_signalled(hf));
	hold_release(&k);
	for (int i = 0; i < 2; i++) {
		int st;

		igt_assert_eq(waitpid(pid[i], &st, 0), pid[i]);
		igt_assert_f(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			     "child %d (%s): status %#x\n", i,
			     i == 0 ? "VM destroyed, file closed" : "file closed", st);
	}
	igt_assert_eq(fence_status(hf), 0);
	watchdog_restore();

	/* The other VMs still work, synchronously and asynchronously. */
	tvm_assert_works(&c.v);
	tvm_assert_works(&k.h);
	op = op_map(c.a.handle, 0, NEW_VA, BO_SIZE);
	assert_bind_async(g->fd, c.v.id, &op, 1, NULL, 0, &out, 1);
	read_job(&c, NEW_VA, 0, &out, 1);
	assert_dst(&c, 0, SEED_A);

	drmSyncobjDestroy(g->fd, t);
	hold_fini(&k);
	actx_fini(&c);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("async-map-basic")
		each_gpu(gpus, n, test_map_basic);

	igt_subtest("async-waits-for-in-fence")
		each_gpu(gpus, n, test_waits_for_in_fence);

	igt_subtest("async-timeline")
		each_gpu(gpus, n, test_timeline);

	igt_subtest("async-sync-file-in")
		each_gpu(gpus, n, test_sync_file_in);

	igt_subtest("async-failed-in-fence")
		each_gpu(gpus, n, test_failed_in_fence);

	igt_subtest("async-then-sync-ordering")
		each_gpu(gpus, n, test_then_sync);

	igt_subtest("async-barrier")
		each_gpu(gpus, n, test_barrier);

	igt_subtest("async-many")
		each_gpu(gpus, n, test_many);

	igt_subtest("async-bad-input")
		each_gpu(gpus, n, test_bad_input);

	igt_subtest("async-vm-destroy-pending")
		each_gpu(gpus, n, test_vm_destroy_pending);

	igt_fixture
		gpus_close(gpus, n);
}
