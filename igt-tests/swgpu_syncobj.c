// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Syncobjs on DRM_IOCTL_SWGPU_EXEC: binary and timeline out-syncobjs get
 * the job's fence with its outcome; in-syncobjs order jobs across queues
 * and pass a failed job's error on instead of running, also from an
 * earlier job of the same queue; the generic
 * syncobj ioctls (DRIVER_SYNCOBJ, DRIVER_SYNCOBJ_TIMELINE) work on swgpu
 * fences; bad input changes nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "swgpu_igt.h"

#define BUSY_SIZE	(64ull << 20)
#define BUSY_VA		0x10000000ull
#define BUSY_MS		2000

static int64_t abs_timeout(int64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec + ms * 1000000ll;
}

static uint32_t syncobj(int fd)
{
	uint32_t h;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &h), 0);
	return h;
}

/* The outcome of a syncobj's (binary) fence, waited for. */
static int syncobj_status(int fd, uint32_t h)
{
	int sf = -1;

	igt_assert_eq(drmSyncobjWait(fd, &h, 1, abs_timeout(FENCE_TIMEOUT_MS),
				     0, NULL), 0);
	igt_assert_eq(drmSyncobjExportSyncFile(fd, h, &sf), 0);
	return fence_status(sf);
}

static int syncobj_signalled(int fd, uint32_t h, uint64_t point)
{
	return drmSyncobjTimelineWait(fd, &h, &point, 1, 0, 0, NULL) == 0;
}

struct sub {
	uint32_t queue;
	struct drm_gmmu_sync in[4], out[4];
	uint32_t nin, nout;
};

/* Submits the batch at @va of @v; returns 0 or -errno. */
static int exec_sub_at(struct tvm *v, const struct sub *s, uint64_t va,
		       uint64_t *seqno)
{
	struct drm_swgpu_exec e = {
		.submit.vm_id = v->id,
		.submit.queue_id = s->queue,
		.batch_va = va,
		.submit.out_fence_fd = -1,
		.submit.in_syncs = (uintptr_t)s->in,
		.submit.out_syncs = (uintptr_t)s->out,
		.submit.in_sync_count = s->nin,
		.submit.out_sync_count = s->nout,
		.submit.sync_stride = sizeof(struct drm_gmmu_sync),
	};
	int ret;

	ret = swgpu_exec_ioctl(v->fd, &e);
	if (!ret && seqno)
		*seqno = e.submit.seqno;
	return ret;
}

/* Ends @v's current batch and submits it; returns 0 or -errno. */
static int exec_sub(struct tvm *v, const struct sub *s, uint64_t *seqno)
{
	swgpu_batch_end(&v->b);
	igt_assert(!v->b.error);
	return exec_sub_at(v, s, v->b.va, seqno);
}

static void test_binary_out(struct gpu *g)
{
	struct sub s = { .nout = 2 };
	uint32_t a = syncobj(g->fd), b = syncobj(g->fd);
	struct tvm v;

	tvm_init(&v, g->fd);
	s.out[0].handle = a;
	s.out[1].handle = b;
	swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA, 0x1234);
	igt_assert_eq(exec_sub(&v, &s, NULL), 0);
	igt_assert_eq(syncobj_status(g->fd, a), 0);
	igt_assert_eq(syncobj_status(g->fd, b), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0x1234);

	/* A failed job's syncobj carries its error. */
	s.nout = 1;
	swgpu_batch_store_dword(tvm_batch(&v), TVM_DATA_VA + 0x5000, 1);
	igt_assert_eq(exec_sub(&v, &s, NULL), 0);
	igt_assert_eq(syncobj_status(g->fd, a), -EFAULT);
	/* b still holds the first job's fence. */
	igt_assert_eq(syncobj_status(g->fd, b), 0);
	tvm_fini(&v);
	drmSyncobjDestroy(g->fd, a);
	drmSyncobjDestroy(g->fd, b);
}

static void test_timeline_out(struct gpu *g)
{
	uint32_t t = syncobj(g->fd);
	struct sub s = { .nout = 1 };
	uint64_t point;
	struct tvm v;

	tvm_init(&v, g->fd);
	s.out[0].handle = t;
	for (uint32_t i = 1; i <= 5; i++) {
		s.out[0].point = i * 10;
		swgpu_batch_store_dword(tvm_batch_at(&v, i * 64), TVM_SCRATCH_VA + 4 * i, i);
		igt_assert_eq(exec_sub(&v, &s, NULL), 0);
	}
	point = 50;
	igt_assert_eq(drmSyncobjTimelineWait(g->fd, &t, &point, 1,
					     abs_timeout(FENCE_TIMEOUT_MS), 0, NULL), 0);
	point = 0;
	igt_assert_eq(drmSyncobjQuery(g->fd, &t, &point, 1), 0);
	igt_assert_eq(point, 50);
	for (uint32_t i = 1; i <= 5; i++)
		igt_assert_eq_u32(buf_dword(&v.scratch, 4 * i), i);
	tvm_fini(&v);
	drmSyncobjDestroy(g->fd, t);
}

struct busy {
	struct tvm v;
	struct buf big;
	uint32_t queue;
	unsigned int fills;
	uint64_t chunk;
};

static void busy_init(struct busy *b, struct gpu *g)
{
	tvm_init(&b->v, g->fd);
	tvm_bind_unmapped(&b->v, BUSY_SIZE, BUSY_VA, &b->big);
	igt_assert_eq(swgpu_queue_create(g->fd, b->v.id, &b->queue), 0);
	tvm_fills_for_ms(&b->v, BUSY_VA, BUSY_SIZE, BUSY_MS, &b->chunk,
			 &b->fills);
}

static void busy_fini(struct busy *b)
{
	tvm_fini(&b->v);
	buf_destroy(&b->big);
}

/*
 * A long job on one queue ends by storing a marker; a job on another
 * queue (of another VM too) that waits for the first's syncobj copies the
 * marker: it can only see it if it ran after.
 */
static void test_in_orders_queues(struct gpu *g, uint64_t point)
{
	uint32_t s1 = syncobj(g->fd), s2 = syncobj(g->fd);
	struct sub a = { .nout = 1 }, w = { .nin = 1, .nout = 1 };
	struct buf shared;
	struct swgpu_batch *b;
	struct busy busy;
	struct tvm other;
	uint64_t wait_va;

	busy_init(&busy, g);
	tvm_init(&other, g->fd);
	buf_create(g->fd, 4096, &shared);
	igt_assert_eq(swgpu_vm_bind(g->fd, busy.v.id, shared.handle, 0, TVM_DATA_VA, 4096, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, other.id, shared.handle, 0, TVM_DATA_VA, 4096, 0), 0);

	/*
	 * Every batch is written before the long job is submitted: on a GPU
	 * that does not snoop, a CPU access to a BO the long job can reach
	 * waits for it (cache-domain entry), which would serialise the test.
	 */
	b = tvm_batch_at(&busy.v, 0x8000);
	swgpu_batch_copy(b, TVM_DATA_VA + 4, TVM_DATA_VA, 4);
	swgpu_batch_end(b);
	wait_va = b->va;
	swgpu_batch_copy(tvm_batch(&other), TVM_DATA_VA + 8, TVM_DATA_VA, 4);
	swgpu_batch_end(&other.b);
	b = tvm_batch(&busy.v);
	for (unsigned int i = 0; i < busy.fills; i++)
		swgpu_batch_fill(b, BUSY_VA, busy.chunk, i);
	swgpu_batch_store_dword(b, TVM_DATA_VA, 0xfeed);

	a.queue = busy.queue;
	a.out[0] = (struct drm_gmmu_sync){ .handle = s1, .point = point };
	igt_assert_eq(exec_sub(&busy.v, &a, NULL), 0);

	/* Same VM, queue 0: copies the marker to offset 4. */
	w.queue = 0;
	w.in[0] = a.out[0];
	w.out[0].handle = s2;
	igt_assert_eq(exec_sub_at(&busy.v, &w, wait_va, NULL), 0);
	/* Another VM: copies it to offset 8. */
	w.out[0].handle = 0;
	w.nout = 0;
	igt_assert_eq(exec_sub_at(&other, &w, other.b.va, NULL), 0);

	igt_assert_f(!syncobj_signalled(g->fd, s2, 0),
		     "%s: the waiting job finished while its dependency had not\n", g->name);
	igt_assert_eq(syncobj_status(g->fd, s2), 0);
	igt_assert_eq(swgpu_wait_bo(g->fd, shared.handle, 10ll * 1000000000), 0);
	igt_assert_eq_u32(buf_dword(&shared, 0), 0xfeed);
	igt_assert_eq_u32(buf_dword(&shared, 4), 0xfeed);
	igt_assert_eq_u32(buf_dword(&shared, 8), 0xfeed);
	buf_destroy(&shared);
	tvm_fini(&other);
	busy_fini(&busy);
	drmSyncobjDestroy(g->fd, s1);
	drmSyncobjDestroy(g->fd, s2);
}

/* A job whose in-fence failed does not run and takes the error. */
static void test_in_error(struct gpu *g)
{
	uint32_t s1 = syncobj(g->fd), s2 = syncobj(g->fd), t = syncobj(g->fd);
	struct sub a = { .nout = 2 }, w = { .nin = 1, .nout = 1 };
	struct tvm v;
	uint32_t q;

	tvm_init(&v, g->fd);
	igt_assert_eq(swgpu_queue_create(g->fd, v.id, &q), 0);
	a.out[0].handle = s1;
	a.out[1] = (struct drm_gmmu_sync){ .handle = t, .point = 7 };
	swgpu_batch_dwords(tvm_batch(&v), (uint32_t[]){ SWGPU_CMD_HEADER(0x7f, 1) }, 1);
	igt_assert_eq(exec_sub(&v, &a, NULL), 0);

	w.queue = q;
	w.in[0].handle = s1;
	w.out[0].handle = s2;
	swgpu_batch_store_dword(tvm_batch_at(&v, 0x100), TVM_SCRATCH_VA, 0xdead);
	igt_assert_eq(exec_sub(&v, &w, NULL), 0);
	igt_assert_eq(syncobj_status(g->fd, s2), -EPROTO);
	/* Through a timeline point as well. */
	w.in[0] = a.out[1];
	swgpu_batch_store_dword(tvm_batch_at(&v, 0x200), TVM_SCRATCH_VA, 0xdead);
	igt_assert_eq(exec_sub(&v, &w, NULL), 0);
	igt_assert_eq(syncobj_status(g->fd, s2), -EPROTO);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0);
	/* The queue is fine for jobs that do not depend on the failure. */
	w.nin = 0;
	swgpu_batch_store_dword(tvm_batch_at(&v, 0x300), TVM_SCRATCH_VA, 0x600d);
	igt_assert_eq(exec_sub(&v, &w, NULL), 0);
	igt_assert_eq(syncobj_status(g->fd, s2), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0x600d);
	tvm_fini(&v);
	drmSyncobjDestroy(g->fd, s1);
	drmSyncobjDestroy(g->fd, s2);
	drmSyncobjDestroy(g->fd, t);
}

/*
 * The same with a fence of the waiting job's own queue, taken from a BO's
 * reservation object (DMA_BUF_IOCTL_EXPORT_SYNC_FILE), the long job going
 * through the scheduler (it has an in-fence). A queue runs in order, and
 * the waiting job would reach the hardware right after the long one if
 * that fence were the scheduler's own: it must wait for the long job to
 * fail, and fail too.
 */
static void test_in_error_same_queue(struct gpu *g)
{
	struct dma_buf_export_sync_file ex = { .flags = DMA_BUF_SYNC_WRITE, .fd = -1 };
	struct sub a = { .nin = 1 }, w = { .nin = 1, .nout = 1 };
	uint32_t s = syncobj(g->fd), done = syncobj(g->fd);
	struct swgpu_batch *b;
	struct busy busy;
	uint64_t store_va;
	int dmabuf;

	busy_init(&busy, g);
	/* Both batches written first (on atom a CPU write would wait). */
	b = tvm_batch_at(&busy.v, 0x8000);
	swgpu_batch_store_dword(b, TVM_SCRATCH_VA, 0xdead);
	swgpu_batch_end(b);
	store_va = b->va;
	b = tvm_batch(&busy.v);
	for (unsigned int i = 0; i < busy.fills; i++)
		swgpu_batch_fill(b, BUSY_VA, busy.chunk, i);
	swgpu_batch_dwords(b, (uint32_t[]){ SWGPU_CMD_HEADER(0x7f, 1) }, 1);
	igt_assert_eq(drmSyncobjSignal(g->fd, &done, 1), 0);
	a.queue = busy.queue;
	a.in[0].handle = done;
	igt_assert_eq(exec_sub(&busy.v, &a, NULL), 0);

	/* The long job's fence, from a BO of its VM that it may write. */
	igt_assert_eq(drmPrimeHandleToFD(g->fd, busy.v.scratch.handle,
					 DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &ex), 0);
	igt_assert(!fence_signalled(ex.fd));
	w.queue = busy.queue;
	w.in[0] = (struct drm_gmmu_sync){ .handle = ex.fd, .flags = DRM_GMMU_SYNC_SYNC_FILE };
	w.out[0].handle = s;
	igt_assert_eq(exec_sub_at(&busy.v, &w, store_va, NULL), 0);
	igt_assert_eq(syncobj_status(g->fd, s), -EPROTO);
	igt_assert_eq(fence_status(ex.fd), -EPROTO);
	igt_assert_eq_u32(buf_dword(&busy.v.scratch, 0), 0);
	/* The queue goes on with jobs that do not depend on the failure. */
	w.nin = 0;
	igt_assert_eq(exec_sub_at(&busy.v, &w, store_va, NULL), 0);
	igt_assert_eq(syncobj_status(g->fd, s), 0);
	igt_assert_eq_u32(buf_dword(&busy.v.scratch, 0), 0xdead);
	close(dmabuf);
	busy_fini(&busy);
	drmSyncobjDestroy(g->fd, s);
	drmSyncobjDestroy(g->fd, done);
}

/* Syncobjs signalled by the CPU, or carrying an imported sync_file. */
static void test_generic_ioctls(struct gpu *g)
{
	uint32_t cpu = syncobj(g->fd), imp = syncobj(g->fd), out = syncobj(g->fd);
	struct sub w = { .nin = 2, .nout = 1 };
	uint64_t seqno;
	struct tvm v;
	int sf;

	tvm_init(&v, g->fd);
	igt_assert_eq(drmSyncobjSignal(g->fd, &cpu, 1), 0);
	/* A job's sync_file, imported into a syncobj. */
	swgpu_batch_nop(tvm_batch(&v));
	sf = tvm_submit(&v, NULL);
	igt_assert_eq(drmSyncobjImportSyncFile(g->fd, imp, sf), 0);
	close(sf);
	w.in[0].handle = cpu;
	w.in[1].handle = imp;
	w.out[0].handle = out;
	swgpu_batch_store_dword(tvm_batch_at(&v, 0x100), TVM_SCRATCH_VA, 0xc0);
	igt_assert_eq(exec_sub(&v, &w, &seqno), 0);
	igt_assert_eq(seqno, 2);
	igt_assert_eq(syncobj_status(g->fd, out), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0xc0);
	/* Transfer a job's point to another timeline and wait there. */
	igt_assert_eq(drmSyncobjTransfer(g->fd, imp, 3, out, 0, 0), 0);
	{
		uint64_t p = 3;

		igt_assert_eq(drmSyncobjTimelineWait(g->fd, &imp, &p, 1,
						     abs_timeout(FENCE_TIMEOUT_MS), 0, NULL), 0);
	}
	tvm_fini(&v);
	drmSyncobjDestroy(g->fd, cpu);
	drmSyncobjDestroy(g->fd, imp);
	drmSyncobjDestroy(g->fd, out);
}

/* Every bad EXEC: the errno, no job, no seqno taken, no syncobj changed. */
static void test_bad_input(struct gpu *g)
{
	uint32_t good = syncobj(g->fd), empty = syncobj(g->fd), out = syncobj(g->fd);
	struct drm_gmmu_sync in[DRM_GMMU_MAX_SYNCS + 1];
	struct { struct drm_gmmu_sync s; uint64_t extra; } wide[1];
	struct drm_swgpu_exec e, init;
	uint64_t seqno, point;
	struct tvm v;

	tvm_init(&v, g->fd);
	igt_assert_eq(drmSyncobjSignal(g->fd, &good, 1), 0);
	swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA, 0xbad);
	swgpu_batch_end(&v.b);
	memset(in, 0, sizeof(in));
	for (int i = 0; i <= DRM_GMMU_MAX_SYNCS; i++)
		in[i].handle = good;
	memset(&init, 0, sizeof(init));
	init.submit.vm_id = v.id;
	init.batch_va = TVM_BATCH_VA;
	init.submit.in_syncs = (uintptr_t)in;
	init.submit.out_syncs = (uintptr_t)&(struct drm_gmmu_sync){ .handle = out, .point = 5 };
	init.submit.in_sync_count = 1;
	init.submit.out_sync_count = 1;
	init.submit.sync_stride = sizeof(struct drm_gmmu_sync);
	init.submit.seqno = 77;

	e = init;
	e.submit.in_sync_count = DRM_GMMU_MAX_SYNCS + 1;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	e = init;
	e.submit.out_sync_count = DRM_GMMU_MAX_SYNCS + 1;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	e = init;
	e.submit.out_sync_count = 0xffffffff;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	for (uint32_t stride = 0; stride < 16; stride += 4) {
		e = init;
		e.submit.sync_stride = stride;
		do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	}
	e = init;
	e.submit.sync_stride = 20;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	/* A longer element from newer userspace: its extra bytes must be 0. */
	memset(wide, 0, sizeof(wide));
	wide[0].s.handle = good;
	wide[0].extra = 1;
	e = init;
	e.submit.in_syncs = (uintptr_t)wide;
	e.submit.out_sync_count = 0;
	e.submit.sync_stride = sizeof(wide[0]);
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	e = init;
	in[0].flags = 1;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	in[0].flags = 0x80000000;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	in[0].flags = 0;
	in[0].handle = 0;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, ENOENT);
	in[0].handle = 0x7fffffff;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, ENOENT);
	/* Nothing submitted to wait for: a future fence is refused. */
	in[0].handle = empty;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	in[0].handle = good;
	in[0].point = 5;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	in[0].point = 0;
	e.submit.out_syncs = (uintptr_t)&(struct drm_gmmu_sync){ .handle = 0x7fffffff };
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, ENOENT);
	e.submit.out_syncs = (uintptr_t)&(struct drm_gmmu_sync){ .handle = out, .flags = 2 };
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	e = init;
	e.submit.in_syncs = 8;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EFAULT);
	e = init;
	e.submit.out_syncs = 0;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EFAULT);
	igt_assert_eq(e.submit.seqno, 77);

	/* Nothing ran, nothing was signalled, no seqno was used. */
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0);
	point = 0;
	igt_assert_eq(drmSyncobjQuery(g->fd, &out, &point, 1), 0);
	igt_assert_eq(point, 0);
	/* And the same arguments, fixed, work. */
	e = init;
	e.submit.sync_stride = sizeof(wide[0]);
	wide[0].extra = 0;
	e.submit.in_syncs = (uintptr_t)wide;
	e.submit.out_syncs = (uintptr_t)&(struct { struct drm_gmmu_sync s; uint64_t x; }){
		.s = { .handle = out, .point = 5 } };
	igt_assert_eq(swgpu_exec_ioctl(g->fd, &e), 0);
	seqno = e.submit.seqno;
	igt_assert_eq(seqno, 1);
	point = 5;
	igt_assert_eq(drmSyncobjTimelineWait(g->fd, &out, &point, 1,
					     abs_timeout(FENCE_TIMEOUT_MS), 0, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0xbad);
	tvm_fini(&v);
	drmSyncobjDestroy(g->fd, good);
	drmSyncobjDestroy(g->fd, empty);
	drmSyncobjDestroy(g->fd, out);
}

/*
 * A sync array's stride is bounded (DRM_GMMU_MAX_ARRAY_STRIDE): every
 * byte of each element is read, and an unbounded stride once let one EXEC
 * keep the kernel scanning gigabytes of zeroes. Elements at exactly the
 * bound work; one more step, or a huge one, is -EINVAL with nothing run.
 */
static void test_stride_bound(struct gpu *g)
{
	const size_t max = DRM_GMMU_MAX_ARRAY_STRIDE, huge = 32u << 20;
	size_t len = 2 * huge;
	uint32_t good = syncobj(g->fd);
	struct drm_swgpu_exec e;
	uint8_t *arr;
	struct tvm v;

	tvm_init(&v, g->fd);
	igt_assert_eq(drmSyncobjSignal(g->fd, &good, 1), 0);
	arr = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	igt_assert(arr != MAP_FAILED);
	swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA, 0x57);
	swgpu_batch_end(&v.b);

	memset(&e, 0, sizeof(e));
	e.submit.vm_id = v.id;
	e.batch_va = TVM_BATCH_VA;
	e.submit.in_syncs = (uintptr_t)arr;
	e.submit.in_sync_count = 2;

	/* Two elements a huge stride apart, readable and zero past the struct. */
	((struct drm_gmmu_sync *)arr)->handle = good;
	((struct drm_gmmu_sync *)(arr + huge))->handle = good;
	e.submit.sync_stride = huge;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	((struct drm_gmmu_sync *)(arr + huge))->handle = 0;

	((struct drm_gmmu_sync *)(arr + max + 8))->handle = good;
	e.submit.sync_stride = max + 8;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0);
	((struct drm_gmmu_sync *)(arr + max + 8))->handle = 0;

	((struct drm_gmmu_sync *)(arr + max))->handle = good;
	e.submit.sync_stride = max;
	e.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT;
	igt_assert_eq(swgpu_exec_ioctl(g->fd, &e), 0);
	igt_assert_eq(e.submit.seqno, 1);
	igt_assert_eq(fence_status(e.submit.out_fence_fd), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0x57);

	munmap(arr, len);
	tvm_fini(&v);
	drmSyncobjDestroy(g->fd, good);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture {
		n = gpus_open(gpus);
		for (int i = 0; i < n; i++) {
			uint64_t cap = 0;

			igt_assert_eq(drmGetCap(gpus[i].fd, DRM_CAP_SYNCOBJ, &cap), 0);
			igt_assert_eq(cap, 1);
			igt_assert_eq(drmGetCap(gpus[i].fd, DRM_CAP_SYNCOBJ_TIMELINE, &cap), 0);
			igt_assert_eq(cap, 1);
		}
		/* Long jobs are timed for seconds: keep the watchdog out of it. */
		watchdog_set(60000);
	}

	igt_subtest("binary-out")
		for (int i = 0; i < n; i++)
			test_binary_out(&gpus[i]);

	igt_subtest("timeline-out")
		for (int i = 0; i < n; i++)
			test_timeline_out(&gpus[i]);

	igt_subtest("binary-in-orders-queues")
		for (int i = 0; i < n; i++)
			test_in_orders_queues(&gpus[i], 0);

	igt_subtest("timeline-in-orders-queues")
		for (int i = 0; i < n; i++)
			test_in_orders_queues(&gpus[i], 3);

	igt_subtest("in-fence-error-propagates")
		for (int i = 0; i < n; i++)
			test_in_error(&gpus[i]);

	igt_subtest("in-fence-error-same-queue")
		for (int i = 0; i < n; i++)
			test_in_error_same_queue(&gpus[i]);

	igt_subtest("generic-syncobj-ioctls")
		for (int i = 0; i < n; i++)
			test_generic_ioctls(&gpus[i]);

	igt_subtest("stride-bound")
		each_gpu(gpus, n, test_stride_bound);
	igt_subtest("bad-input")
		for (int i = 0; i < n; i++)
			test_bad_input(&gpus[i]);

	igt_fixture
		gpus_close(gpus, n);
}
