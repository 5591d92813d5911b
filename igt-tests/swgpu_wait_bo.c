// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * DRM_IOCTL_SWGPU_WAIT_BO: idle BOs, BOs that a long job keeps busy (FILLs
 * timed to take about 1.5 s, far longer than the two ioctls between
 * submitting it and asking), VM-private BOs that any job of their VM keeps
 * busy, and bad input.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "swgpu_igt.h"

#define BUSY_SIZE	(64ull << 20)
#define BUSY_VA		0x10000000ull

struct busy {
	struct tvm v;
	struct buf big;		/* BUSY_SIZE, bound, the long job's target */
	struct buf idle;	/* bound in no VM */
	struct buf priv;	/* busy_add_private(): private, bound, not used by the job */
	uint64_t chunk;		/* the long job: fills FILLs of chunk bytes */
	unsigned int fills;
};

static void busy_init(struct busy *s, struct gpu *g)
{
	tvm_init(&s->v, g->fd);
	tvm_bind_unmapped(&s->v, BUSY_SIZE, BUSY_VA, &s->big);
	tvm_fills_for_ms(&s->v, BUSY_VA, BUSY_SIZE, 1500, &s->chunk, &s->fills);
	buf_create(g->fd, 4096, &s->idle);
	s->priv.handle = 0;
	s->priv.map = NULL;
}

static void busy_add_private(struct busy *s, struct gpu *g)
{
	buf_create_private(g->fd, s->v.id, 4096, &s->priv);
	igt_assert_eq(swgpu_vm_bind(g->fd, s->v.id, s->priv.handle, 0, TVM_DATA_VA, 4096, 0), 0);
}

static void busy_fini(struct busy *s)
{
	tvm_fini(&s->v);
	buf_destroy(&s->big);
	buf_destroy(&s->idle);
	buf_destroy(&s->priv);
}

/* Submits the long job; returns its fence. */
static int busy_submit(struct busy *s)
{
	struct swgpu_batch *b = tvm_batch(&s->v);

	for (unsigned int i = 0; i < s->fills; i++)
		swgpu_batch_fill(b, BUSY_VA, s->chunk, 0x42424242);
	return tvm_submit(&s->v, NULL);
}

static void test_busy(struct gpu *g)
{
	struct timespec t0, t1;
	struct busy s;
	int fence, ret;

	busy_init(&s, g);
	igt_assert_eq(swgpu_wait_bo(g->fd, s.big.handle, 0), 0);
	fence = busy_submit(&s);
	ret = swgpu_wait_bo(g->fd, s.big.handle, 0);
	igt_assert_f(ret == -EBUSY, "%s: WAIT_BO(0) right after a %u x %llu KiB FILL: %d, expected -EBUSY%s\n",
		     g->name, s.fills, (unsigned long long)(s.chunk >> 10), ret,
		     fence_signalled(fence) ? " (the job was already done)" : "");
	/* The batch BO is read by the job: busy too. */
	igt_assert_eq(swgpu_wait_bo(g->fd, s.v.batch.handle, 0), -EBUSY);
	/* A BO in no VM is not used by it. */
	igt_assert_eq(swgpu_wait_bo(g->fd, s.idle.handle, 0), 0);
	/* A short timeout runs out. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	igt_assert_eq(swgpu_wait_bo(g->fd, s.big.handle, 1000000), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	igt_assert(((t1.tv_sec - t0.tv_sec) * 1000000000ll + t1.tv_nsec - t0.tv_nsec) >= 1000000);
	/* A long one does not: idle means done. */
	igt_assert_eq(swgpu_wait_bo(g->fd, s.big.handle, FENCE_TIMEOUT_MS * 1000000ll), 0);
	igt_assert(fence_signalled(fence));
	igt_assert_eq(fence_status(fence), 0);
	igt_assert_eq(swgpu_wait_bo(g->fd, s.big.handle, 0), 0);
	igt_assert_eq(swgpu_wait_bo(g->fd, s.v.batch.handle, 0), 0);
	busy_fini(&s);
}

static void test_busy_private(struct gpu *g)
{
	struct busy s;
	int fence, ret;

	busy_init(&s, g);
	busy_add_private(&s, g);
	igt_assert_eq(swgpu_wait_bo(g->fd, s.priv.handle, 0), 0);
	fence = busy_submit(&s);
	/* Any work of its VM keeps a private BO busy, used or not. */
	ret = swgpu_wait_bo(g->fd, s.priv.handle, 0);
	igt_assert_f(ret == -EBUSY, "%s: WAIT_BO(0) on a private BO: %d, expected -EBUSY%s\n",
		     g->name, ret, fence_signalled(fence) ? " (the job was already done)" : "");
	igt_assert_eq(swgpu_wait_bo(g->fd, s.priv.handle, FENCE_TIMEOUT_MS * 1000000ll), 0);
	igt_assert(fence_signalled(fence));
	igt_assert_eq(fence_status(fence), 0);
	busy_fini(&s);
}

static void test_idle(struct gpu *g)
{
	struct buf bo;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, 8192, &bo);
	igt_assert_eq(swgpu_wait_bo(g->fd, bo.handle, 0), 0);
	igt_assert_eq(swgpu_wait_bo(g->fd, bo.handle, 1000000000), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bo.handle, 0, TVM_DATA_VA, 8192, 0), 0);
	tvm_store_check(&v, TVM_DATA_VA + 4, &bo, 4);
	/* Done work keeps nothing busy. */
	igt_assert_eq(swgpu_wait_bo(g->fd, bo.handle, 0), 0);
	igt_assert_eq(swgpu_wait_bo(g->fd, v.batch.handle, 0), 0);
	tvm_fini(&v);
	buf_destroy(&bo);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	struct drm_gmmu_bo_wait_args w;
	int n = 0;

	igt_fixture {
		n = gpus_open(gpus);
		/* Long jobs are timed for seconds: keep the watchdog out of it. */
		watchdog_set(60000);
	}

	igt_subtest("idle")
		for (int i = 0; i < n; i++)
			test_idle(&gpus[i]);

	igt_subtest("busy")
		for (int i = 0; i < n; i++)
			test_busy(&gpus[i]);

	igt_subtest("busy-private")
		for (int i = 0; i < n; i++)
			test_busy_private(&gpus[i]);

	igt_subtest("bad-handle") {
		uint32_t h;

		igt_assert_eq(swgpu_wait_bo(gpus[0].fd, 0, 0), -ENOENT);
		igt_assert_eq(swgpu_wait_bo(gpus[0].fd, 0x7fffffff, 0), -ENOENT);
		igt_assert_eq(swgpu_bo_create(gpus[0].fd, 4096, &h), 0);
		igt_assert_eq(swgpu_bo_close(gpus[0].fd, h), 0);
		igt_assert_eq(swgpu_wait_bo(gpus[0].fd, h, 0), -ENOENT);
	}

	igt_subtest("negative-timeout") {
		uint32_t h;

		igt_assert_eq(swgpu_bo_create(gpus[0].fd, 4096, &h), 0);
		igt_assert_eq(swgpu_wait_bo(gpus[0].fd, h, -1), -EINVAL);
		igt_assert_eq(swgpu_wait_bo(gpus[0].fd, h, INT64_MIN), -EINVAL);
		igt_assert_eq(swgpu_wait_bo(gpus[0].fd, h, INT64_MAX), 0);
		igt_assert_eq(swgpu_bo_close(gpus[0].fd, h), 0);
	}

	igt_subtest("bad-flags-and-extension") {
		struct drm_gmmu_user_extension ext = { .name = 1 };
		uint32_t h;

		igt_assert_eq(swgpu_bo_create(gpus[0].fd, 4096, &h), 0);
		for (unsigned int bit = 0; bit < 32; bit++) {
			memset(&w, 0, sizeof(w));
			w.handle = h;
			w.flags = 1u << bit;
			do_ioctl_err(gpus[0].fd, DRM_IOCTL_SWGPU_WAIT_BO, &w, EINVAL);
		}
		memset(&w, 0, sizeof(w));
		w.handle = h;
		w.extensions = (uintptr_t)&ext;
		do_ioctl_err(gpus[0].fd, DRM_IOCTL_SWGPU_WAIT_BO, &w, EINVAL);
		w.extensions = 8;
		do_ioctl_err(gpus[0].fd, DRM_IOCTL_SWGPU_WAIT_BO, &w, EFAULT);
		igt_assert_eq(swgpu_bo_close(gpus[0].fd, h), 0);
	}

	igt_fixture
		gpus_close(gpus, n);
}
