// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_evict_bench: what evicting a bound BO costs once a job needs it
 * again. On the first GPU a 64 MiB BO is bound in four VMs; each round
 * evicts it (debugfs gmmu_evict "offset N": its table entries in the four
 * VMs, its level-1 mapping and its pages go) and runs a job of the first
 * VM that CRCs all of it, which restores the backing and both levels
 * first; jobs of the other VMs then restore their tables, untimed. The
 * median round, eviction to the job's fence, is printed, and for scale
 * the median of the same job with nothing evicted; a wrong CRC or an
 * eviction that released nothing fails the benchmark:
 *
 *   bench evict_restore_64m_ms VALUE ms
 *   bench evict_restore_64m_job_only_ms VALUE ms
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>

#include "bench_stats.h"
#include "gmmu.h"
#include "swgpu.h"

#define ROUNDS		7
#define NVMS		4
#define BO_SIZE		(64ull << 20)
#define BATCH_VA	0x100000ull
#define DATA_VA		0x1000000ull

/* Evicts the BO at mmap offset @offset; returns the pages it released. */
static long long evict(int fd, uint64_t offset)
{
	char path[PATH_MAX + 32];
	long long pages = -1;
	int ret;
	FILE *f;

	ret = gmmu_debugfs_dir(fd, path, PATH_MAX);
	if (ret)
		return ret;
	strcat(path, "/gmmu_evict");
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "offset 0x%llx", (unsigned long long)offset);
	if (fclose(f))
		return -errno;
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lld", &pages) != 1)
		pages = -EIO;
	if (f)
		fclose(f);
	return pages;
}

int main(void)
{
	struct drm_gmmu_bo_mmap_offset_args off = { 0 };
	uint32_t vm[NVMS], bo, batch_bo;
	static double ms[ROUNDS], job_ms[ROUNDS];
	struct swgpu_batch b;
	uint32_t *batch, want = 0;
	uint8_t *data;
	int fd, i, ret;

	fd = swgpu_open(-1, SWGPU_OPEN_RENDER);
	if (fd < 0) {
		fprintf(stderr, "swgpu_evict_bench: no swgpu GPU: %d\n", fd);
		return 1;
	}
	ret = swgpu_bo_create(fd, BO_SIZE, &bo) ?:
	      swgpu_bo_mmap(fd, bo, BO_SIZE, (void **)&data) ?:
	      swgpu_bo_create(fd, 4096, &batch_bo) ?:
	      swgpu_bo_mmap(fd, batch_bo, 4096, (void **)&batch);
	for (i = 0; i < NVMS && !ret; i++)
		ret = swgpu_vm_create(fd, &vm[i]) ?:
		      swgpu_vm_bind(fd, vm[i], bo, 0, DATA_VA, BO_SIZE, 0) ?:
		      swgpu_vm_bind(fd, vm[i], batch_bo, 0, BATCH_VA, 4096, 0);
	off.handle = bo;
	if (!ret && drmIoctl(fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &off))
		ret = -errno;
	if (ret) {
		fprintf(stderr, "swgpu_evict_bench: setup failed: %d\n", ret);
		return 1;
	}
	for (uint64_t p = 0; p < BO_SIZE; p += 4096)
		*(uint64_t *)(data + p) = p * 0x9e3779b97f4a7c15ull;
	swgpu_batch_init(&b, batch, BATCH_VA, 2048);
	swgpu_batch_crc32(&b, BATCH_VA + 2048, DATA_VA, BO_SIZE);
	swgpu_batch_end(&b);
	/* The reference CRC, with every VM's tables in place. */
	for (i = 0; i < NVMS && !ret; i++) {
		ret = swgpu_exec_wait(fd, vm[i], BATCH_VA, 60000, NULL);
		if (!i)
			want = batch[512];
		else if (batch[512] != want)
			ret = -EILSEQ;
	}
	/* The job alone, its tables and pages in place. */
	for (i = 0; i < ROUNDS && !ret; i++) {
		double t0 = bench_now_us() / 1e3;

		batch[512] = ~want;
		ret = swgpu_exec_wait(fd, vm[0], BATCH_VA, 60000, NULL);
		job_ms[i] = bench_now_us() / 1e3 - t0;
		if (!ret && batch[512] != want)
			ret = -EILSEQ;
	}
	for (i = 0; i < ROUNDS && !ret; i++) {
		double t0 = bench_now_us() / 1e3;
		long long pages = evict(fd, off.offset);

		if (pages != BO_SIZE / 4096) {
			fprintf(stderr, "swgpu_evict_bench: eviction released %lld pages\n",
				pages);
			return 1;
		}
		batch[512] = ~want;
		ret = swgpu_exec_wait(fd, vm[0], BATCH_VA, 60000, NULL);
		ms[i] = bench_now_us() / 1e3 - t0;
		if (!ret && batch[512] != want)
			ret = -EILSEQ;
		/* Untimed: the other VMs map it again, for the next eviction. */
		for (int j = 1; j < NVMS && !ret; j++)
			ret = swgpu_exec_wait(fd, vm[j], BATCH_VA, 60000, NULL);
	}
	if (ret) {
		fprintf(stderr, "swgpu_evict_bench: job failed or wrong CRC: %d\n", ret);
		return 1;
	}
	printf("bench evict_restore_64m_ms %.1f ms\n", bench_median(ms, ROUNDS));
	printf("bench evict_restore_64m_job_only_ms %.1f ms\n",
	       bench_median(job_ms, ROUNDS));
	return 0;
}
