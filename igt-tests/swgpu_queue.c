// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Hardware queues: DRM_IOCTL_SWGPU_QUEUE_CREATE/DESTROY, submission to a
 * chosen queue, queues that run concurrently (a queue busy with a long
 * job does not hold up another, of the same VM or not), destroy waiting
 * for the queue's jobs, per-queue sequence numbers, the queue limit, and
 * bad input.
 */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "swgpu_dfs.h"

#define BUSY_SIZE	(64ull << 20)
#define BUSY_VA		0x10000000ull
/* How long the long job should take: far longer than the short ones. */
#define BUSY_MS		3000
/* The short jobs' batches: after the long batch, however long it grows. */
#define SHORT_BATCHES	0xf000

static void test_create_destroy(struct gpu *g)
{
	uint32_t q1, q2, q;
	uint64_t seqno;
	struct tvm v;
	int fence;

	tvm_init(&v, g->fd);
	igt_assert_eq(swgpu_queue_create(g->fd, v.id, &q1), 0);
	igt_assert_eq(swgpu_queue_create(g->fd, v.id, &q2), 0);
	igt_assert(q1 && q2 && q1 != q2);

	/* Each queue has its own sequence numbers, from 1. */
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t queues[3] = { 0, q1, q2 };

		for (q = 0; q < 3; q++) {
			swgpu_batch_store_dword(tvm_batch_at(&v, q * 64),
						TVM_SCRATCH_VA + q * 4, 0x100 * q + i);
			fence = tvm_submit_on(&v, queues[q], &seqno);
			igt_assert_eq(fence_status(fence), 0);
			igt_assert_eq(seqno, i + 1);
			igt_assert_eq_u32(buf_dword(&v.scratch, q * 4), 0x100 * q + i);
		}
	}

	igt_assert_eq(swgpu_queue_destroy(g->fd, v.id, q1), 0);
	/* Gone: no second destroy, no submission. */
	igt_assert_eq(swgpu_queue_destroy(g->fd, v.id, q1), -ENOENT);
	{
		struct drm_swgpu_exec e = {
			.submit.vm_id = v.id, .submit.queue_id = q1,
			.batch_va = TVM_BATCH_VA, .submit.seqno = 77,
		};

		do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, ENOENT);
		igt_assert_eq(e.submit.seqno, 77);
	}
	/* Queue 0 goes only with its VM. */
	igt_assert_eq(swgpu_queue_destroy(g->fd, v.id, 0), -ENOENT);
	tvm_assert_works(&v);
	/* q2 is left for VM destruction to take down. */
	tvm_fini(&v);
}

static void test_limit(struct gpu *g)
{
	uint32_t ids[DRM_SWGPU_MAX_QUEUES], q;
	struct tvm v;

	tvm_init(&v, g->fd);
	for (int i = 1; i < DRM_SWGPU_MAX_QUEUES; i++)
		igt_assert_eq(swgpu_queue_create(g->fd, v.id, &ids[i]), 0);
	igt_assert_eq(swgpu_queue_create(g->fd, v.id, &q), -ENOSPC);
	/* A freed slot can be taken again. */
	igt_assert_eq(swgpu_queue_destroy(g->fd, v.id, ids[5]), 0);
	igt_assert_eq(swgpu_queue_create(g->fd, v.id, &q), 0);
	igt_assert_eq(q, ids[5]);
	swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA, 0x5a5a);
	igt_assert_eq(fence_status(tvm_submit_on(&v, q, NULL)), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0x5a5a);
	tvm_fini(&v);
}

struct busy {
	struct tvm v;
	struct buf big;
	uint32_t queue;
	unsigned int fills;
	uint64_t chunk;
};

static void busy_init(struct busy *s, struct gpu *g)
{
	tvm_init(&s->v, g->fd);
	tvm_bind_unmapped(&s->v, BUSY_SIZE, BUSY_VA, &s->big);
	igt_assert_eq(swgpu_queue_create(g->fd, s->v.id, &s->queue), 0);
	tvm_fills_for_ms(&s->v, BUSY_VA, BUSY_SIZE, BUSY_MS, &s->chunk,
			 &s->fills);
}

/* The long job, on the busy queue; its batch sits at the batch BO's start. */
static int busy_submit(struct busy *s)
{
	struct swgpu_batch *b = tvm_batch(&s->v);

	for (unsigned int i = 0; i < s->fills; i++)
		swgpu_batch_fill(b, BUSY_VA, s->chunk, 0x42424242 + i);
	igt_assert(swgpu_batch_bytes(b) <= SHORT_BATCHES);
	return tvm_submit_on(&s->v, s->queue, NULL);
}

static void busy_fini(struct busy *s)
{
	tvm_fini(&s->v);
	buf_destroy(&s->big);
}

/*
 * One round of test_concurrent(): short jobs on queue 0 of the busy VM
 * and, when the GPU has a slot for each, on another VM complete while the
 * long job runs. Returns false if the long job was already done by then:
 * the round proved nothing.
 */
static bool concurrent_round(struct gpu *g, struct busy *s, struct tvm *other,
			     bool other_runs, uint32_t tag)
{
	int busy, f[4];

	/*
	 * The short batches are written first: on a GPU that does not snoop,
	 * a CPU access to a BO the long job can reach waits for it (cache
	 * domain entry), and so are their results read only at the end.
	 */
	for (int i = 0; i < 4; i++) {
		struct swgpu_batch *b = tvm_batch_at(&s->v, SHORT_BATCHES + 64 * i);

		swgpu_batch_store_dword(b, TVM_SCRATCH_VA + 4 * i, tag + i);
		swgpu_batch_end(b);
	}
	busy = busy_submit(s);
	for (int i = 0; i < 4; i++) {
		struct drm_swgpu_exec e = {
			.submit.vm_id = s->v.id,
			.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT,
			.batch_va = TVM_BATCH_VA + SHORT_BATCHES + 64 * i,
			.submit.out_fence_fd = -1,
		};

		igt_assert_eq(swgpu_exec_ioctl(g->fd, &e), 0);
		f[i] = e.submit.out_fence_fd;
		igt_assert_eq(fence_status(f[i]), 0);
		if (other_runs)
			tvm_assert_works(other);
	}
	if (fence_signalled(busy)) {
		igt_assert_eq(fence_status(busy), 0);
		return false;
	}
	igt_assert_eq(fence_status(busy), 0);
	for (int i = 0; i < 4; i++)
		igt_assert_eq_u32(buf_dword(&s->v.scratch, 4 * i), tag + i);
	/* On one slot the other VM's job runs once the long one is done. */
	if (!other_runs)
		tvm_assert_works(other);
	return true;
}

/*
 * While one queue grinds through a long job, short jobs on another queue
 * of the same VM, and on another VM if the GPU has more than one
 * address-space slot (the atom part has one: a context holds it while its
 * job runs), complete. A long job that ended
 * first (a host too busy to run the short ones in time) is made twice as
 * long and the round run again: a queue that waits for another fails
 * every round, however long the job.
 */
static void test_concurrent(struct gpu *g)
{
	bool other_runs = gpu_slots(g) > 1;
	struct busy s;
	struct tvm other;
	int round;

	busy_init(&s, g);
	tvm_init(&other, g->fd);
	for (round = 0; round < 4; round++) {
		if (concurrent_round(g, &s, &other, other_runs,
				     0xa0 + 0x100 * round))
			break;
		igt_info("%s: the long job (%u x %llu KiB) ended before the short ones; doubling it\n",
			 g->name, s.fills, (unsigned long long)(s.chunk >> 10));
		if (s.chunk * 2 <= BUSY_SIZE)
			s.chunk *= 2;
		else
			s.fills *= 2;
	}
	igt_assert_f(round < 4, "%s: the long job ended before the short ones in 4 rounds\n",
		     g->name);
	tvm_fini(&other);
	busy_fini(&s);
}

/* Destroying a queue waits for its jobs, which complete. */
static void test_destroy_waits(struct gpu *g)
{
	struct busy s;
	int busy;

	busy_init(&s, g);
	busy = busy_submit(&s);
	igt_assert_eq(swgpu_queue_destroy(g->fd, s.v.id, s.queue), 0);
	igt_assert_f(fence_signalled(busy),
		     "%s: QUEUE_DESTROY returned before the queue's job was done\n",
		     g->name);
	igt_assert_eq(fence_status(busy), 0);
	tvm_assert_works(&s.v);
	busy_fini(&s);
}

/* A fault on one queue is the VM's, with that queue's seqno; others go on. */
static void test_fault(struct gpu *g)
{
	struct swgpu_fault f;
	uint64_t seqno;
	struct tvm v;
	uint32_t q;

	tvm_init(&v, g->fd);
	igt_assert_eq(swgpu_queue_create(g->fd, v.id, &q), 0);
	for (int i = 0; i < 3; i++) {
		swgpu_batch_nop(tvm_batch(&v));
		igt_assert_eq(fence_status(tvm_submit_on(&v, q, NULL)), 0);
	}
	swgpu_batch_store_dword(tvm_batch(&v), TVM_DATA_VA + 0x3000, 1);
	igt_assert_eq(fence_status(tvm_submit_on(&v, q, &seqno)), -EFAULT);
	igt_assert_eq(seqno, 4);
	tvm_get_fault(&v, &f);
	igt_assert_eq(f.count, 1);
	igt_assert_eq_u64(f.va, TVM_DATA_VA + 0x3000);
	igt_assert_eq_u64(f.seqno, 4);
	/* The queue keeps working after its job faulted, and so does queue 0. */
	swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA, 0x77);
	igt_assert_eq(fence_status(tvm_submit_on(&v, q, NULL)), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0x77);
	tvm_assert_works(&v);
	tvm_fini(&v);
}

static void test_bad_input(struct gpu *g)
{
	struct drm_gmmu_user_extension ext = { .name = 1 };
	struct drm_gmmu_queue_create_args c;
	struct drm_gmmu_queue_destroy_args d;
	struct drm_swgpu_exec e;
	uint32_t vm2, q;
	struct tvm v;

	tvm_init(&v, g->fd);
	igt_assert_eq(swgpu_queue_create(g->fd, v.id, &q), 0);

	memset(&c, 0, sizeof(c));
	c.vm_id = 0;
	c.queue_id = 99;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &c, ENOENT);
	c.vm_id = 0x7fffffff;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &c, ENOENT);
	c.vm_id = v.id;
	for (unsigned int bit = 0; bit < 32; bit++) {
		c.flags = 1u << bit;
		do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &c, EINVAL);
	}
	c.flags = 0;
	c.pad = 1;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &c, EINVAL);
	c.pad = 0;
	c.extensions = (uintptr_t)&ext;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &c, EINVAL);
	c.extensions = 8;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &c, EFAULT);
	igt_assert_eq(c.queue_id, 99);

	memset(&d, 0, sizeof(d));
	d.vm_id = v.id;
	d.queue_id = q + 1;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_DESTROY, &d, ENOENT);
	d.queue_id = 0xffffffff;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_DESTROY, &d, ENOENT);
	d.queue_id = q;
	d.vm_id = 0x7fffffff;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_DESTROY, &d, ENOENT);
	d.vm_id = v.id;
	d.flags = 1;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_DESTROY, &d, EINVAL);
	d.flags = 0;
	d.pad = 1;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_DESTROY, &d, EINVAL);
	d.pad = 0;
	d.extensions = (uintptr_t)&ext;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_DESTROY, &d, EINVAL);

	/* Queue ids belong to their VM. */
	igt_assert_eq(swgpu_vm_create(g->fd, &vm2), 0);
	memset(&e, 0, sizeof(e));
	e.submit.vm_id = vm2;
	e.submit.queue_id = q;
	e.batch_va = TVM_BATCH_VA;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, ENOENT);
	d.extensions = 0;
	d.vm_id = vm2;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_DESTROY, &d, ENOENT);
	igt_assert_eq(swgpu_vm_destroy(g->fd, vm2), 0);
	/* ... and die with it. */
	c.extensions = 0;
	c.vm_id = vm2;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &c, ENOENT);

	/* Nothing above disturbed the real queue. */
	swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA, 0x99);
	igt_assert_eq(fence_status(tvm_submit_on(&v, q, NULL)), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0x99);
	tvm_fini(&v);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture {
		n = gpus_open(gpus);
		/* Long jobs are timed for seconds: keep the watchdog out of it. */
		watchdog_set(60000);
	}

	igt_subtest("create-destroy")
		for (int i = 0; i < n; i++)
			test_create_destroy(&gpus[i]);

	igt_subtest("queue-limit")
		for (int i = 0; i < n; i++)
			test_limit(&gpus[i]);

	igt_subtest("concurrent-queues")
		for (int i = 0; i < n; i++)
			test_concurrent(&gpus[i]);

	igt_subtest("destroy-waits-for-jobs")
		for (int i = 0; i < n; i++)
			test_destroy_waits(&gpus[i]);

	igt_subtest("fault-on-queue")
		for (int i = 0; i < n; i++)
			test_fault(&gpus[i]);

	igt_subtest("bad-input")
		for (int i = 0; i < n; i++)
			test_bad_input(&gpus[i]);

	igt_fixture
		gpus_close(gpus, n);
}
