// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_bind_bench: what a bind array saves. On the first GPU, OPS
 * separate 4 KiB pages of one BO are bound (every other page, so that no
 * two mappings touch) and unbound again, once as one VM_BIND array of OPS
 * operations each way, once as OPS VM_BIND calls of one operation each.
 * The two are measured in turns, ROUNDS times, and each figure is the
 * median of its rounds:
 *
 *   bench bind_array_1000_us VALUE us     map + unmap, two arrays
 *   bench bind_single_1000_us VALUE us    map + unmap, 2 * OPS calls
 *   ratio bind_array_vs_single VALUE      single / array: above 1, the
 *                                         array is faster
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "swgpu.h"
#include "bench_stats.h"

#define OPS	1000
#define ROUNDS	9
#define VA	0x1000000ull

static struct drm_gmmu_vm_bind_op map_ops[OPS], unmap_ops[OPS];

static int run_array(int fd, uint32_t vm, double *us)
{
	double t = bench_now_us();
	int ret;

	ret = swgpu_vm_bind_ops(fd, vm, map_ops, OPS) ?:
	      swgpu_vm_bind_ops(fd, vm, unmap_ops, OPS);
	*us = bench_now_us() - t;
	return ret;
}

static int run_single(int fd, uint32_t vm, double *us)
{
	double t = bench_now_us();
	int i, ret = 0;

	for (i = 0; i < OPS && !ret; i++)
		ret = swgpu_vm_bind_ops(fd, vm, &map_ops[i], 1);
	for (i = 0; i < OPS && !ret; i++)
		ret = swgpu_vm_bind_ops(fd, vm, &unmap_ops[i], 1);
	*us = bench_now_us() - t;
	return ret;
}

int main(void)
{
	double array[ROUNDS], single[ROUNDS], a, s;
	uint32_t vm, bo;
	int fd, i, ret;

	fd = swgpu_open(-1, SWGPU_OPEN_RENDER);
	if (fd < 0) {
		fprintf(stderr, "swgpu_bind_bench: no swgpu GPU: %d\n", fd);
		return 1;
	}
	ret = swgpu_vm_create(fd, &vm) ?:
	      swgpu_bo_create(fd, (uint64_t)OPS * 4096, &bo);
	if (ret) {
		fprintf(stderr, "swgpu_bind_bench: setup failed: %d\n", ret);
		return 1;
	}
	for (i = 0; i < OPS; i++) {
		map_ops[i] = (struct drm_gmmu_vm_bind_op) {
			.op = DRM_GMMU_VM_BIND_OP_MAP, .handle = bo,
			.bo_offset = (uint64_t)i * 4096,
			.va = VA + (uint64_t)i * 8192, .range = 4096 };
		unmap_ops[i] = (struct drm_gmmu_vm_bind_op) {
			.op = DRM_GMMU_VM_BIND_OP_UNMAP,
			.va = VA + (uint64_t)i * 8192, .range = 4096 };
	}
	/* The BO's pages and level-1 mapping, and warm paths, first. */
	ret = run_array(fd, vm, &a) ?: run_single(fd, vm, &s);
	for (i = 0; i < ROUNDS && !ret; i++)
		ret = run_array(fd, vm, &array[i]) ?:
		      run_single(fd, vm, &single[i]);
	if (ret) {
		fprintf(stderr, "swgpu_bind_bench: VM_BIND failed: %d\n", ret);
		return 1;
	}
	a = bench_median(array, ROUNDS);
	s = bench_median(single, ROUNDS);
	printf("bench bind_array_1000_us %.0f us\n", a);
	printf("bench bind_single_1000_us %.0f us\n", s);
	printf("ratio bind_array_vs_single %.2f\n", s / a);
	return 0;
}
