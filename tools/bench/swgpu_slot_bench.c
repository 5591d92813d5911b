// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_slot_bench: what taking an address-space slot from an idle context
 * costs, on the atom GPU's single slot. Two VMs each have a NOP batch.
 * The round trip of a NOP job (EXEC with an out-fence, wait, close) is
 * measured ITERS times on one VM, whose slot stays bound, then ITERS
 * times alternating the two VMs, where every job takes the slot from the
 * other, idle VM (flush, program, and the TLB refill that follows).
 * slot_switch_us is the difference of the two medians. drm_gmmu's
 * gmmu_slots counters must show one steal per alternating job (but the
 * first, on the VM that still holds the slot), or the
 * figure measures something else and the benchmark fails.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "swgpu.h"
#include "bench_stats.h"

#define WARMUP		100
#define ITERS		1000
#define BATCH_VA	0x100000ull

static double samples[ITERS];
static char dfs_dir[PATH_MAX];

static double median(void)
{
	return bench_median(samples, ITERS);
}

/* gmmu_slots' "steals", or -1 when debugfs cannot be read. */
static long long steals(int fd)
{
	long long v;

	if (!dfs_dir[0] && gmmu_debugfs_dir(fd, dfs_dir, sizeof(dfs_dir)))
		return -1;
	return gmmu_debugfs_value(dfs_dir, "gmmu_slots", "steals", &v) ? -1 : v;
}

/* A VM with a NOP batch at BATCH_VA. */
static int nop_vm(int fd, uint32_t *vm)
{
	struct swgpu_batch b;
	uint32_t bo;
	void *map;
	int ret;

	ret = swgpu_vm_create(fd, vm) ?:
	      swgpu_bo_create(fd, 4096, &bo) ?:
	      swgpu_bo_mmap(fd, bo, 4096, &map) ?:
	      swgpu_vm_bind(fd, *vm, bo, 0, BATCH_VA, 4096, 0);
	if (ret)
		return ret;
	swgpu_batch_init(&b, map, BATCH_VA, 4096);
	swgpu_batch_nop(&b);
	return swgpu_batch_end(&b);
}

/* @n round trips, on vm[i % nvm]; samples[] gets the last ITERS. */
static int run(int fd, const uint32_t *vm, int nvm, int n)
{
	int i, ret = 0;

	for (i = 0; !ret && i < n; i++) {
		double t0 = bench_now_us();

		ret = swgpu_exec_wait(fd, vm[i % nvm], BATCH_VA, 60000, NULL);
		if (i >= n - ITERS)
			samples[i - (n - ITERS)] = bench_now_us() - t0;
	}
	return ret;
}

int main(void)
{
	double same, alt;
	long long s0, s1;
	uint64_t profile;
	uint32_t vm[2];
	int fd = -1, i, ret;

	for (i = 0; i < 8 && fd < 0; i++) {
		fd = swgpu_open(i, SWGPU_OPEN_RENDER);
		if (fd >= 0 && (swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile) ||
				profile != DRM_SWGPU_PROFILE_ATOM)) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		fprintf(stderr, "swgpu_slot_bench: no atom GPU\n");
		return 1;
	}
	ret = nop_vm(fd, &vm[0]) ?: nop_vm(fd, &vm[1]) ?:
	      run(fd, vm, 1, WARMUP + ITERS);
	if (ret)
		goto fail;
	same = median();
	s0 = steals(fd);
	ret = run(fd, vm, 2, WARMUP + ITERS);
	s1 = steals(fd);
	if (ret)
		goto fail;
	alt = median();
	/* The first alternating job is on the VM that holds the slot. */
	if (s0 >= 0 && s1 - s0 < WARMUP + ITERS - 1) {
		fprintf(stderr, "swgpu_slot_bench: %lld steals in %d alternating jobs\n",
			s1 - s0, WARMUP + ITERS);
		return 1;
	}
	printf("bench slot_same_vm_roundtrip_median_us %.1f us\n", same);
	printf("bench slot_switch_roundtrip_median_us %.1f us\n", alt);
	printf("bench slot_switch_us %.1f us\n", alt - same);
	close(fd);
	return 0;
fail:
	fprintf(stderr, "swgpu_slot_bench: error %d\n", ret);
	return 1;
}
