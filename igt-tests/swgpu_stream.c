// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * A stream of 10,000 jobs spread over 64 contexts (VMs), submitted
 * round-robin without waiting. Job k of a context copies the context's
 * "last" dword into log[k], then stores k into "last": in-order execution
 * leaves log[k] = the previous successful job of that context. Some jobs
 * fault (-EFAULT) and some are malformed (-EPROTO); their fences carry
 * exactly that error, they write nothing, and the jobs after them run.
 * Each context's timeline syncobj gets point k for job k.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_igt.h"

#define CONTEXTS	64
#define JOBS		10000
/*
 * On the debug lane's kernel (KASAN, lockdep, kmemleak) half as many,
 * still more per context than a queue's depth (swgpu's ring of 64), so
 * that the checkers see the path where the driver's ring is full.
 */
#define JOBS_DEBUG	5000
#define MAX_PER_CTX	((JOBS + CONTEXTS - 1) / CONTEXTS)
#define BATCH_STRIDE	64
#define LAST_OFF	0
#define LOG_OFF(k)	(4ull * (k))
/* Every SAMPLE-th good job also gets a sync_file, checked at the end. */
#define SAMPLE		32
/*
 * How long the last jobs may take after the last submission. A few
 * seconds on a release kernel; the debug kernel's lane took from 30 to
 * over 100 s per GPU for the whole stream, and it kills a test binary
 * only after 900 s.
 */
#define STREAM_WAIT_MS	240000

enum kind { GOOD, FAULTS, MALFORMED };

static enum kind job_kind(int ctx, int k)
{
	if (ctx % 4 == 1 && k % 37 == 0)
		return FAULTS;
	if (ctx % 4 == 2 && k % 53 == 0)
		return MALFORMED;
	return GOOD;
}

struct fence_rec {
	int fd;
	int expect;
	int ctx, k;
};

static int64_t abs_timeout(int64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec + ms * 1000000ll;
}

static void test_stream(struct gpu *g)
{
	static struct tvm v[CONTEXTS];
	static uint32_t tl[CONTEXTS];
	static uint64_t points[CONTEXTS];
	static struct fence_rec recs[1024];
	int nrec = 0, jobs[CONTEXTS] = { 0 };
	const char *lane = getenv("GMMU_LANE");
	int njobs = lane && !strcmp(lane, "debug") ? JOBS_DEBUG : JOBS;
	struct timespec t0, t1;

	for (int c = 0; c < CONTEXTS; c++) {
		tvm_init(&v[c], g->fd);
		igt_assert_eq(drmSyncobjCreate(g->fd, 0, &tl[c]), 0);
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int j = 0; j < njobs; j++) {
		int c = j % CONTEXTS, k = ++jobs[c];
		struct drm_gmmu_sync out = { .handle = tl[c], .point = k };
		enum kind kind = job_kind(c, k);
		struct swgpu_batch *b = tvm_batch_at(&v[c], k * BATCH_STRIDE);
		struct drm_swgpu_exec e = {
			.submit.vm_id = v[c].id,
			.submit.out_fence_fd = -1,
			.submit.out_syncs = (uintptr_t)&out,
			.submit.out_sync_count = 1,
			.submit.sync_stride = sizeof(out),
		};

		igt_assert(k < MAX_PER_CTX + 1 && LOG_OFF(k) < 2048);
		switch (kind) {
		case GOOD:
			swgpu_batch_copy(b, TVM_SCRATCH_VA + LOG_OFF(k),
					 TVM_SCRATCH_VA + LAST_OFF, 4);
			swgpu_batch_store_dword(b, TVM_SCRATCH_VA + LAST_OFF, k);
			break;
		case FAULTS:
			swgpu_batch_store_dword(b, TVM_DATA_VA + 0x7000, k);
			break;
		case MALFORMED:
			swgpu_batch_dwords(b, (uint32_t[]){ SWGPU_CMD_HEADER(SWGPU_CMD_STORE_DWORD, 3) }, 1);
			break;
		}
		swgpu_batch_end(b);
		igt_assert(!b->error);
		e.batch_va = b->va;
		if (kind != GOOD || k % SAMPLE == 0)
			e.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT;
		igt_assert_eq(swgpu_exec_ioctl(g->fd, &e), 0);
		igt_assert_eq(e.submit.seqno, k);
		if (e.submit.flags) {
			igt_assert(nrec < 1024);
			recs[nrec++] = (struct fence_rec){
				.fd = e.submit.out_fence_fd, .ctx = c, .k = k,
				.expect = kind == FAULTS ? -EFAULT :
					  kind == MALFORMED ? -EPROTO : 0,
			};
		}
	}
	for (int c = 0; c < CONTEXTS; c++)
		points[c] = jobs[c];
	igt_assert_eq(drmSyncobjTimelineWait(g->fd, tl, points, CONTEXTS,
					     abs_timeout(STREAM_WAIT_MS),
					     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	igt_info("%s: %d jobs on %d contexts in %.2f s\n", g->name, njobs, CONTEXTS,
		 (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);

	for (int i = 0; i < nrec; i++) {
		int st = fence_status(recs[i].fd);

		igt_assert_f(st == recs[i].expect,
			     "%s: context %d job %d: fence status %d, expected %d\n",
			     g->name, recs[i].ctx, recs[i].k, st, recs[i].expect);
	}
	for (int c = 0; c < CONTEXTS; c++) {
		uint32_t last_good = 0;
		uint64_t p = 0;

		igt_assert_eq(drmSyncobjQuery(g->fd, &tl[c], &p, 1), 0);
		igt_assert_eq(p, jobs[c]);
		for (int k = 1; k <= jobs[c]; k++) {
			uint32_t got = buf_dword(&v[c].scratch, LOG_OFF(k));

			if (job_kind(c, k) != GOOD) {
				igt_assert_f(got == 0, "%s: context %d: failed job %d wrote %u\n",
					     g->name, c, k, got);
				continue;
			}
			igt_assert_f(got == last_good,
				     "%s: context %d: job %d saw last = %u, expected %u: out of order\n",
				     g->name, c, k, got, last_good);
			last_good = k;
		}
		igt_assert_eq_u32(buf_dword(&v[c].scratch, LAST_OFF), last_good);
		if (c % 4 == 1 || c % 4 == 2) {
			struct swgpu_fault f;

			tvm_get_fault(&v[c], &f);
			igt_assert_eq(f.count, c % 4 == 1 ? jobs[c] / 37 : 0);
		}
	}
	for (int c = 0; c < CONTEXTS; c++) {
		tvm_fini(&v[c]);
		drmSyncobjDestroy(g->fd, tl[c]);
	}
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("10k-jobs-64-contexts")
		for (int i = 0; i < n; i++)
			test_stream(&gpus[i]);

	igt_fixture
		gpus_close(gpus, n);
}
