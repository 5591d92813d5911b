// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_engine_bench: the engine's COPY of 64 MiB through both levels of
 * translation, per GPU:
 *   "bench engine_copy_64m[_PROFILE] VALUE MiB/s"      TLB warm
 *   "bench engine_copy_64m[_PROFILE]_cold VALUE MiB/s" first copy after bind
 * A copy is timed from submission to the out-fence signalling; the BOs are
 * bound (so pinned and mapped at level 1) and written by the CPU before.
 * The cold figure is the first copy after the BOs are bound, when the TLB
 * holds nothing of them; the warm one the best of three copies after it.
 * Both are the best over %ALLOCS pairs of BOs: how fast the guest's memory
 * is depends on where its pages land in the host's (in this nested setup
 * the same copy on another pair of pages took anywhere from 24 to 67 ms),
 * and the CPU copy it is compared with is a best figure too.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "swgpu.h"
#include "bench_stats.h"

#define SIZE	(64ull << 20)
#define SRC_VA	0x100000000ull
#define DST_VA	0x200000000ull
#define BATCH_VA 0x10000ull

/* CLOCK_MONOTONIC in seconds. */
static double now(void)
{
	return bench_now_us() / 1e6;
}

static int copy_once(int fd, uint32_t vm, double *secs)
{
	double t0 = now();
	int ret;

	ret = swgpu_exec_wait(fd, vm, BATCH_VA, 60000, NULL);
	*secs = now() - t0;
	return ret;
}

#define ALLOCS	3

/* One pair of BOs bound in @vm: the cold copy, then the best warm one. */
static int bench_pair(int fd, uint32_t vm, uint64_t src_va, uint64_t dst_va,
		      double *cold, double *warm)
{
	uint32_t src = 0, dst = 0;
	void *srcp = NULL, *dstp = NULL;
	double s;
	int i, ret;

	ret = swgpu_bo_create(fd, SIZE, &src) ?:
	      swgpu_bo_create(fd, SIZE, &dst) ?:
	      swgpu_bo_mmap(fd, src, SIZE, &srcp) ?:
	      swgpu_bo_mmap(fd, dst, SIZE, &dstp);
	if (ret)
		goto out;
	memset(srcp, 0xa5, SIZE);
	memset(dstp, 0, SIZE);
	ret = swgpu_vm_bind(fd, vm, src, 0, src_va, SIZE, 0) ?:
	      swgpu_vm_bind(fd, vm, dst, 0, dst_va, SIZE, 0);
	if (ret)
		goto out;
	ret = copy_once(fd, vm, cold);
	for (i = 0; !ret && i < 3; i++) {
		ret = copy_once(fd, vm, &s);
		if (s < *warm)
			*warm = s;
	}
	if (!ret && memcmp(srcp, dstp, SIZE))
		ret = -1;
	if (!ret)
		ret = swgpu_vm_unbind(fd, vm, src_va, SIZE) ?:
		      swgpu_vm_unbind(fd, vm, dst_va, SIZE);
out:
	if (srcp)
		munmap(srcp, SIZE);
	if (dstp)
		munmap(dstp, SIZE);
	if (src)
		swgpu_bo_close(fd, src);
	if (dst)
		swgpu_bo_close(fd, dst);
	return ret;
}

static int bench_gpu(int slot)
{
	uint32_t vm, batch;
	void *batchp;
	struct swgpu_batch b;
	uint64_t profile, va_bits;
	double best_cold = 1e9, best_warm = 1e9, cold;
	const char *sep, *name;
	int fd, i, ret;

	fd = swgpu_open(slot, SWGPU_OPEN_RENDER);
	if (fd < 0)
		return fd;
	if (swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile) ||
	    swgpu_get_param(fd, DRM_GMMU_PARAM_VA_BITS, &va_bits))
		return -1;
	/* The 32-bit profile: keep everything below 4 GiB. */
	uint64_t src_va = va_bits > 32 ? SRC_VA : 0x10000000ull;
	uint64_t dst_va = va_bits > 32 ? DST_VA : 0x20000000ull;

	ret = swgpu_vm_create(fd, &vm) ?:
	      swgpu_bo_create(fd, 4096, &batch) ?:
	      swgpu_bo_mmap(fd, batch, 4096, &batchp) ?:
	      swgpu_vm_bind(fd, vm, batch, 0, BATCH_VA, 4096, 0);
	if (ret)
		goto out;
	swgpu_batch_init(&b, batchp, BATCH_VA, 4096);
	swgpu_batch_copy(&b, dst_va, src_va, SIZE);
	ret = swgpu_batch_end(&b);
	for (i = 0; !ret && i < ALLOCS; i++) {
		ret = bench_pair(fd, vm, src_va, dst_va, &cold, &best_warm);
		if (cold < best_cold)
			best_cold = cold;
	}
	if (ret)
		goto out;
	sep = profile == DRM_SWGPU_PROFILE_LLC ? "" : "_";
	name = profile == DRM_SWGPU_PROFILE_LLC ? "" : swgpu_profile_name(profile);
	printf("bench engine_copy_64m%s%s %.0f MiB/s\n", sep, name, 64 / best_warm);
	printf("bench engine_copy_64m%s%s_cold %.0f MiB/s\n", sep, name,
	       64 / best_cold);
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
