// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_bind_async_bench: how long an asynchronous bind takes to take
 * effect. On the first GPU, a one-page MAP and then its UNMAP are
 * submitted ROUNDS times each as asynchronous VM_BINDs with no fence to
 * wait for, each signalling a syncobj; the time from the ioctl's start to
 * the syncobj's fence signalling (DRM_IOCTL_SYNCOBJ_WAIT returning) is
 * measured, and the median printed:
 *
 *   bench bind_async_latency_us VALUE us
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <xf86drm.h>

#include "swgpu.h"
#include "bench_stats.h"

#define ROUNDS	201
#define VA	0x1000000ull

/* One asynchronous array, and the time until its syncobj signals. */
static int timed_bind(int fd, uint32_t vm, uint32_t syncobj,
		      const struct drm_gmmu_vm_bind_op *op, double *us)
{
	struct drm_gmmu_sync out = { .handle = syncobj };
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&syncobj,
		.count_handles = 1,
		.timeout_nsec = INT64_MAX,
	};
	double t = bench_now_us();
	int ret;

	ret = swgpu_vm_bind_async(fd, vm, op, 1, NULL, 0, &out, 1);
	if (ret)
		return ret;
	if (drmIoctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w))
		return -errno;
	*us = bench_now_us() - t;
	return 0;
}

int main(void)
{
	const struct drm_gmmu_vm_bind_op unmap = {
		.op = DRM_GMMU_VM_BIND_OP_UNMAP, .va = VA, .range = 4096 };
	struct drm_gmmu_vm_bind_op map = {
		.op = DRM_GMMU_VM_BIND_OP_MAP, .va = VA, .range = 4096 };
	struct drm_syncobj_create create = { 0 };
	static double us[2 * ROUNDS];
	uint32_t vm, bo;
	int fd, i, ret;

	fd = swgpu_open(-1, SWGPU_OPEN_RENDER);
	if (fd < 0) {
		fprintf(stderr, "swgpu_bind_async_bench: no swgpu GPU: %d\n", fd);
		return 1;
	}
	ret = swgpu_vm_create(fd, &vm) ?: swgpu_bo_create(fd, 4096, &bo);
	if (!ret && drmIoctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &create))
		ret = -errno;
	if (ret) {
		fprintf(stderr, "swgpu_bind_async_bench: setup failed: %d\n", ret);
		return 1;
	}
	map.handle = bo;
	/* The BO's pages, its level-1 mapping and the bind queue, first. */
	ret = timed_bind(fd, vm, create.handle, &map, &us[0]) ?:
	      timed_bind(fd, vm, create.handle, &unmap, &us[0]);
	for (i = 0; i < ROUNDS && !ret; i++)
		ret = timed_bind(fd, vm, create.handle, &map, &us[2 * i]) ?:
		      timed_bind(fd, vm, create.handle, &unmap, &us[2 * i + 1]);
	if (ret) {
		fprintf(stderr, "swgpu_bind_async_bench: VM_BIND failed: %d\n", ret);
		return 1;
	}
	qsort(us, 2 * ROUNDS, sizeof(*us), bench_cmp_double);
	printf("bench bind_async_latency_us %.1f us\n", us[ROUNDS]);
	return 0;
}
