// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_exec_bench: the round trip of a NOP batch (NOP + END) on the first
 * GPU: DRM_IOCTL_SWGPU_EXEC with an out-fence, a poll() until it signals,
 * its status read and the sync_file closed. Two references from the same
 * boot: DRM_IOCTL_VERSION on the same fd (the cost of any ioctl), and
 * vgem's fence attach + signal with a wait on the BO's dma-buf (the
 * cheapest fence a DRM driver can make signal). Each figure is the median
 * (and for exec the 99th percentile) of ITERS round trips after WARMUP.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include <drm_mode.h>

#include "swgpu.h"
#include "bench_stats.h"
#include "vgem.h"

#define WARMUP		200
#define ITERS		3000
#define BATCH_VA	0x100000ull

static double samples[ITERS];

/* Sorts samples[]: the value below which @pct percent of them lie. */
static double percentile(double pct)
{
	return bench_percentile(samples, ITERS, pct);
}

static int version(int fd)
{
	struct drm_version v;

	memset(&v, 0, sizeof(v));
	return ioctl(fd, DRM_IOCTL_VERSION, &v) ? -errno : 0;
}

static int bench_exec(int fd, double *median, double *p99, double *ver)
{
	struct swgpu_batch b;
	uint32_t vm, bo;
	void *map;
	int i, ret;

	ret = swgpu_vm_create(fd, &vm) ?:
	      swgpu_bo_create(fd, 4096, &bo) ?:
	      swgpu_bo_mmap(fd, bo, 4096, &map) ?:
	      swgpu_vm_bind(fd, vm, bo, 0, BATCH_VA, 4096, 0);
	if (ret)
		return ret;
	swgpu_batch_init(&b, map, BATCH_VA, 4096);
	swgpu_batch_nop(&b);
	ret = swgpu_batch_end(&b);
	for (i = 0; !ret && i < WARMUP; i++)
		ret = swgpu_exec_wait(fd, vm, BATCH_VA, 60000, NULL);
	for (i = 0; !ret && i < ITERS; i++) {
		double t0 = bench_now_us();

		ret = swgpu_exec_wait(fd, vm, BATCH_VA, 60000, NULL);
		samples[i] = bench_now_us() - t0;
	}
	if (ret)
		return ret;
	*p99 = percentile(99);
	*median = percentile(50);

	for (i = 0; !ret && i < WARMUP; i++)
		ret = version(fd);
	for (i = 0; !ret && i < ITERS; i++) {
		double t0 = bench_now_us();

		ret = version(fd);
		samples[i] = bench_now_us() - t0;
	}
	if (ret)
		return ret;
	*ver = percentile(50);
	return 0;
}

static int vgem_fence_once(int fd, uint32_t handle, int dmabuf)
{
	struct vgem_fence_attach attach = {
		.handle = handle, .flags = VGEM_FENCE_WRITE,
	};
	struct vgem_fence_signal sig = { 0 };
	struct pollfd p = { .fd = dmabuf, .events = POLLOUT };

	if (ioctl(fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach))
		return -errno;
	sig.fence = attach.out_fence;
	if (ioctl(fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig))
		return -errno;
	/* A write fence: POLLOUT on the dma-buf waits for it to signal. */
	if (poll(&p, 1, 10000) != 1 || !(p.revents & POLLOUT))
		return -ETIME;
	return 0;
}

static int bench_vgem(double *median)
{
	struct drm_mode_create_dumb dumb = {
		.width = 64, .height = 64, .bpp = 32,
	};
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC | DRM_RDWR };
	int fd, i, ret = 0;

	fd = vgem_open();
	if (fd < 0)
		return -ENODEV;
	if (ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb)) {
		ret = -errno;
		goto out;
	}
	prime.handle = dumb.handle;
	if (ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime)) {
		ret = -errno;
		goto out;
	}
	for (i = 0; !ret && i < WARMUP; i++)
		ret = vgem_fence_once(fd, dumb.handle, prime.fd);
	for (i = 0; !ret && i < ITERS; i++) {
		double t0 = bench_now_us();

		ret = vgem_fence_once(fd, dumb.handle, prime.fd);
		samples[i] = bench_now_us() - t0;
	}
	if (!ret)
		*median = percentile(50);
	close(prime.fd);
out:
	close(fd);
	return ret;
}

int main(void)
{
	double median = 0, p99 = 0, ver = 0, vgem = 0;
	int fd, ret;

	fd = swgpu_open(0, SWGPU_OPEN_RENDER);
	if (fd < 0) {
		fprintf(stderr, "swgpu_exec_bench: no swgpu GPU\n");
		return 1;
	}
	ret = bench_exec(fd, &median, &p99, &ver);
	close(fd);
	if (ret) {
		fprintf(stderr, "swgpu_exec_bench: exec: error %d\n", ret);
		return 1;
	}
	printf("bench exec_roundtrip_median_us %.1f us\n", median);
	printf("bench exec_roundtrip_p99_us %.1f us\n", p99);
	printf("bench drm_version_roundtrip_median_us %.1f us\n", ver);

	ret = bench_vgem(&vgem);
	if (ret) {
		fprintf(stderr, "swgpu_exec_bench: vgem: error %d\n", ret);
		return 1;
	}
	printf("bench vgem_fence_roundtrip_median_us %.1f us\n", vgem);
	return 0;
}
