// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_engine_bench: the engine's COPY of 64 MiB through both levels of
 * translation, per GPU, as "bench engine_copy_64m[_PROFILE] VALUE MiB/s".
 * Each figure is the best of three jobs, timed from submission to the
 * out-fence signalling, after one warm-up job; the BOs are bound (so
 * pinned and mapped at level 1) and written by the CPU before.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "swgpu.h"

#define SIZE	(64ull << 20)
#define SRC_VA	0x100000000ull
#define DST_VA	0x200000000ull
#define BATCH_VA 0x10000ull

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int copy_once(int fd, uint32_t vm, double *secs)
{
	int fence, status, ret;
	uint64_t seqno;
	double t0 = now();

	ret = swgpu_exec(fd, vm, BATCH_VA, &fence, &seqno);
	if (ret)
		return ret;
	ret = swgpu_fence_wait(fence, 60000, &status);
	*secs = now() - t0;
	close(fence);
	return ret ? ret : status;
}

static int bench_gpu(int slot)
{
	uint32_t vm, src, dst, batch;
	void *srcp, *dstp, *batchp;
	struct swgpu_batch b;
	uint64_t profile, va_bits;
	double best = 1e9, s;
	int fd, i, ret;

	fd = swgpu_open(slot, SWGPU_OPEN_RENDER);
	if (fd < 0)
		return fd;
	if (swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile) ||
	    swgpu_get_param(fd, DRM_SWGPU_PARAM_VA_BITS, &va_bits))
		return -1;
	/* The 32-bit profile: keep everything below 4 GiB. */
	uint64_t src_va = va_bits > 32 ? SRC_VA : 0x10000000ull;
	uint64_t dst_va = va_bits > 32 ? DST_VA : 0x20000000ull;

	ret = swgpu_vm_create(fd, &vm) ?:
	      swgpu_bo_create(fd, SIZE, &src) ?:
	      swgpu_bo_create(fd, SIZE, &dst) ?:
	      swgpu_bo_create(fd, 4096, &batch) ?:
	      swgpu_bo_mmap(fd, src, SIZE, &srcp) ?:
	      swgpu_bo_mmap(fd, dst, SIZE, &dstp) ?:
	      swgpu_bo_mmap(fd, batch, 4096, &batchp);
	if (ret)
		goto out;
	memset(srcp, 0xa5, SIZE);
	memset(dstp, 0, SIZE);
	ret = swgpu_vm_bind(fd, vm, src, 0, src_va, SIZE, 0) ?:
	      swgpu_vm_bind(fd, vm, dst, 0, dst_va, SIZE, 0) ?:
	      swgpu_vm_bind(fd, vm, batch, 0, BATCH_VA, 4096, 0);
	if (ret)
		goto out;
	swgpu_batch_init(&b, batchp, BATCH_VA, 4096);
	swgpu_batch_copy(&b, dst_va, src_va, SIZE);
	ret = swgpu_batch_end(&b);
	if (ret)
		goto out;
	ret = copy_once(fd, vm, &s);
	for (i = 0; !ret && i < 3; i++) {
		ret = copy_once(fd, vm, &s);
		if (s < best)
			best = s;
	}
	if (!ret && memcmp(srcp, dstp, SIZE))
		ret = -1;
	if (!ret)
		printf("bench engine_copy_64m%s%s %.0f MiB/s\n",
		       profile == DRM_SWGPU_PROFILE_LLC ? "" : "_",
		       profile == DRM_SWGPU_PROFILE_LLC ? "" :
		       swgpu_profile_name(profile), 64 / best);
out:
	if (ret)
		fprintf(stderr, "swgpu_engine_bench: gpu%d: error %d\n", slot, ret);
	close(fd);
	return ret;
}

int main(void)
{
	int n = swgpu_count(), i, ret = 0;

	for (i = 0; i < n; i++)
		ret |= bench_gpu(i);
	return ret ? 1 : 0;
}
