// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_flush_bench: how much drm_gmmu flushes for a GPU that does not
 * snoop, against what the CPU dirtied. On the atom GPU, a seeded random
 * trace alternates epochs of CPU writes (random offsets and lengths,
 * through a cached mmap of a 64 MiB BO) with a GPU job COPYing a random
 * range of that BO into a second one. drm_gmmu's debugfs counters give
 * what was flushed at GPU-domain entry.
 *
 * Definitions (all over the trace only, after a warm-up submission that
 * flushes the zeroing of the new BOs):
 *
 * - flush_bytes_dirtied: for each epoch, the number of distinct 4 KiB
 *   pages the epoch's writes touched, times 4096, summed over epochs. A
 *   page written twice in one epoch counts once: it is dirty once.
 * - flush_bytes_dirtied_exact: the sum of the writes' lengths.
 * - flush_bytes_flushed: drm_gmmu's pages_flushed (pages flushed on
 *   GPU-domain entry) times 4096.
 * - flush_bytes_invalidated: pages_invalidated times 4096 (the CPU's first
 *   access to a page after a job, which the GPU may have written).
 * - flush_bytes_whole_object: 64 MiB for every GPU-domain entry of the BO
 *   with CPU writes behind it, i.e. flushing the whole BO instead.
 *
 * The dst BO is compared with a shadow copy at the end, and the atom
 * checker must count 0 violations over the whole run (the final read of
 * dst included), or the benchmark fails.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "swgpu.h"

#define SIZE		(64ull << 20)
#define PAGE		4096ull
#define NPAGES		(SIZE / PAGE)
#define JOBS		128
#define MAX_WRITES	8	/* per epoch */
#define MAX_WRITE	(32u << 10)
#define MAX_COPY	(256u << 10)
#define SEED		0x5eed5eedull
#define SRC_VA		0x10000000ull
#define DST_VA		0x20000000ull
#define BATCH_VA	0x10000ull	/* one page per job, then the warm-up */

static uint64_t rng = SEED;

/* xorshift64: the same trace on every run. */
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct copy {
	uint64_t off, len;
};

static char dfs_dir[PATH_MAX];

static int find_debugfs(int fd)
{
	return gmmu_debugfs_dir(fd, dfs_dir, sizeof(dfs_dir));
}

/* "key: value" of a debugfs file, or -1. */
static long long dfs_value(const char *file, const char *key)
{
	long long v;

	return gmmu_debugfs_value(dfs_dir, file, key, &v) ? -1 : v;
}

static int dfs_write(const char *file, const char *s)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dfs_dir, file);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(s, f);
	return fclose(f) ? -errno : 0;
}

static int find_atom(void)
{
	int n = swgpu_count(), i, fd;
	uint64_t profile;

	for (i = 0; i < n; i++) {
		fd = swgpu_open(i, SWGPU_OPEN_RENDER);
		if (fd < 0)
			continue;
		if (!swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile) &&
		    profile == DRM_SWGPU_PROFILE_ATOM)
			return fd;
		close(fd);
	}
	return -ENODEV;
}

int main(void)
{
	static unsigned char touched[NPAGES / 8];
	uint64_t dirtied = 0, exact = 0, entries = 0, p;
	long long flushed0, inval0, bytes0, flushed, inval, bytes, viol;
	unsigned char *src, *dst, *shadow_src, *shadow_dst;
	uint32_t vm, hsrc, hdst, hbatch;
	struct copy copies[JOBS];
	void *srcm, *dstm, *bmap;
	struct swgpu_batch b;
	int fd, ret, j, w;

	fd = find_atom();
	if (fd < 0) {
		fprintf(stderr, "swgpu_flush_bench: no atom GPU\n");
		return 1;
	}
	ret = find_debugfs(fd);
	if (ret || dfs_value("gmmu_coherency", "pages_flushed") < 0 ||
	    dfs_write("swgpu_coherency", "0")) {
		fprintf(stderr, "swgpu_flush_bench: no debugfs in %s\n", dfs_dir);
		return 1;
	}
	shadow_src = calloc(1, SIZE);
	shadow_dst = calloc(1, SIZE);
	if (!shadow_src || !shadow_dst)
		return 1;

	ret = swgpu_vm_create(fd, &vm) ?:
	      swgpu_bo_create(fd, SIZE, &hsrc) ?:
	      swgpu_bo_create(fd, SIZE, &hdst) ?:
	      swgpu_bo_create(fd, (JOBS + 1) * PAGE, &hbatch) ?:
	      swgpu_bo_mmap(fd, hsrc, SIZE, &srcm) ?:
	      swgpu_bo_mmap(fd, hdst, SIZE, &dstm) ?:
	      swgpu_bo_mmap(fd, hbatch, (JOBS + 1) * PAGE, &bmap) ?:
	      swgpu_vm_bind(fd, vm, hsrc, 0, SRC_VA, SIZE, 0) ?:
	      swgpu_vm_bind(fd, vm, hdst, 0, DST_VA, SIZE, 0) ?:
	      swgpu_vm_bind(fd, vm, hbatch, 0, BATCH_VA, (JOBS + 1) * PAGE, 0);
	if (ret)
		goto out;
	src = srcm;
	dst = dstm;

	/* Every batch is written before the trace: only src is dirtied in it. */
	for (j = 0; j < JOBS; j++) {
		copies[j].len = 1 + rnd() % MAX_COPY;
		copies[j].off = rnd() % (SIZE - copies[j].len + 1);
		swgpu_batch_init(&b, (char *)bmap + j * PAGE, BATCH_VA + j * PAGE, PAGE);
		ret = swgpu_batch_copy(&b, DST_VA + copies[j].off,
				       SRC_VA + copies[j].off, copies[j].len) ?:
		      swgpu_batch_end(&b);
		if (ret)
			goto out;
	}
	swgpu_batch_init(&b, (char *)bmap + JOBS * PAGE, BATCH_VA + JOBS * PAGE, PAGE);
	ret = swgpu_batch_end(&b) ?:
	      swgpu_exec_wait(fd, vm, BATCH_VA + JOBS * PAGE, 60000, NULL);
	if (ret)
		goto out;

	flushed0 = dfs_value("gmmu_coherency", "pages_flushed");
	inval0 = dfs_value("gmmu_coherency", "pages_invalidated");
	bytes0 = dfs_value("gmmu_coherency", "flush_bytes");
	for (j = 0; j < JOBS; j++) {
		int writes = 1 + rnd() % MAX_WRITES;

		memset(touched, 0, sizeof(touched));
		for (w = 0; w < writes; w++) {
			uint64_t len = 1 + rnd() % MAX_WRITE;
			uint64_t off = rnd() % (SIZE - len + 1);
			unsigned char v = rnd();

			memset(src + off, v, len);
			memset(shadow_src + off, v, len);
			exact += len;
			for (p = off / PAGE; p <= (off + len - 1) / PAGE; p++)
				touched[p / 8] |= 1u << (p % 8);
		}
		for (p = 0; p < NPAGES; p++)
			dirtied += (touched[p / 8] >> (p % 8)) & 1;
		ret = swgpu_exec_wait(fd, vm, BATCH_VA + j * PAGE, 60000,
				      NULL);
		if (ret)
			goto out;
		entries++;
		memcpy(shadow_dst + copies[j].off, shadow_src + copies[j].off,
		       copies[j].len);
	}
	flushed = dfs_value("gmmu_coherency", "pages_flushed") - flushed0;
	inval = dfs_value("gmmu_coherency", "pages_invalidated") - inval0;
	bytes = dfs_value("gmmu_coherency", "flush_bytes") - bytes0;

	if (memcmp(dst, shadow_dst, SIZE)) {
		fprintf(stderr, "swgpu_flush_bench: dst differs from its shadow\n");
		ret = -1;
	}
	viol = dfs_value("swgpu_coherency", "violations");
	dirtied *= PAGE;
	printf("bench flush_bytes_dirtied %llu bytes\n", (unsigned long long)dirtied);
	printf("bench flush_bytes_dirtied_exact %llu bytes\n", (unsigned long long)exact);
	printf("bench flush_bytes_flushed %llu bytes\n", flushed * PAGE);
	printf("bench flush_bytes_invalidated %llu bytes\n", inval * PAGE);
	printf("bench flush_bytes_total %lld bytes\n", bytes);
	printf("bench flush_bytes_whole_object %llu bytes\n",
	       (unsigned long long)(entries * SIZE));
	if (flushed > 0) {
		printf("ratio flush_dirtied_vs_flushed %.3f\n",
		       (double)dirtied / (flushed * PAGE));
		printf("ratio flush_dirtied_exact_vs_flushed %.3f\n",
		       (double)exact / (flushed * PAGE));
	}
	printf("ratio flush_dirtied_vs_whole_object %.4f\n",
	       (double)dirtied / (entries * SIZE));
	printf("bench coherency_violations %lld count\n", viol);
	if (viol)
		ret = -1;
out:
	if (ret)
		fprintf(stderr, "swgpu_flush_bench: error %d\n", ret);
	close(fd);
	return ret ? 1 : 0;
}
