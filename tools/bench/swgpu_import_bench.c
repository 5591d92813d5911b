// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_import_bench: what binding another device's dma-buf costs next to
 * binding a BO of one's own. The importing GPU (the llc one if there is
 * one: its DMA reaches every page) binds, in turns, a 64 MiB BO of its
 * own whose pages are resident but not mapped for it (its first bind
 * makes the level-1 mapping, then the tables), and a 64 MiB BO of the
 * other GPU, exported once: each turn imports the dma-buf (the exporter
 * maps its pages for the importer's device) and binds it (the tables
 * only). Between turns, untimed, both are unbound and the import is
 * closed, so every turn starts from the same state. Turns alternate so
 * that the host's load weighs on both alike. A job of the importer then
 * CRCs the import and its CRC must be the CPU's, or the benchmark fails.
 * Medians:
 *
 *   bench native_bind_64m_ms VALUE ms
 *   bench import_bind_64m_ms VALUE ms       import + bind
 *   ratio import_bind_vs_native_bind VALUE  native / (import + bind)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>
#include <zlib.h>

#include "bench_stats.h"
#include "swgpu.h"

#define ROUNDS		9
#define BO_SIZE		(64ull << 20)
#define BATCH_VA	0x100000ull
#define DATA_VA		0x10000000ull

struct gpu {
	int fd;
	uint64_t profile;
};

/* The importer first: an llc GPU if there is one. */
static int open_two(struct gpu *g)
{
	int n = 0;

	for (int slot = 0; slot < 8 && n < 2; slot++) {
		int fd = swgpu_open(slot, SWGPU_OPEN_RENDER);

		if (fd < 0)
			continue;
		g[n].fd = fd;
		if (swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &g[n].profile))
			return -EIO;
		n++;
	}
	if (n < 2)
		return -ENODEV;
	if (g[1].profile == DRM_SWGPU_PROFILE_LLC) {
		struct gpu t = g[0];

		g[0] = g[1];
		g[1] = t;
	}
	return 0;
}

/* A BO of @size on @fd with every page written by the CPU. */
static int resident_bo(int fd, uint32_t *h, uint8_t **map)
{
	int ret = swgpu_bo_create(fd, BO_SIZE, h) ?:
		  swgpu_bo_mmap(fd, *h, BO_SIZE, (void **)map);

	if (ret)
		return ret;
	for (uint64_t p = 0; p < BO_SIZE; p += 4096)
		*(uint64_t *)(*map + p) = p * 0x9e3779b97f4a7c15ull + 1;
	return 0;
}

int main(void)
{
	static double native_ms[ROUNDS], import_ms[ROUNDS];
	uint32_t vm, own, src, batch_bo, h = 0;
	uint8_t *own_map, *src_map;
	struct swgpu_batch b;
	struct gpu g[2];
	uint32_t *batch;
	int dmabuf, i, ret;
	double n, m;

	ret = open_two(g);
	if (ret) {
		fprintf(stderr, "swgpu_import_bench: needs two swgpu GPUs: %d\n", ret);
		return 1;
	}
	ret = resident_bo(g[0].fd, &own, &own_map) ?:
	      resident_bo(g[1].fd, &src, &src_map) ?:
	      swgpu_bo_create(g[0].fd, 4096, &batch_bo) ?:
	      swgpu_bo_mmap(g[0].fd, batch_bo, 4096, (void **)&batch) ?:
	      swgpu_vm_create(g[0].fd, &vm) ?:
	      swgpu_vm_bind(g[0].fd, vm, batch_bo, 0, BATCH_VA, 4096, 0) ?:
	      drmPrimeHandleToFD(g[1].fd, src, DRM_CLOEXEC, &dmabuf);
	if (ret) {
		fprintf(stderr, "swgpu_import_bench: setup failed: %d\n", ret);
		return 1;
	}
	for (i = 0; i < ROUNDS && !ret; i++) {
		double t0 = bench_now_us();

		ret = swgpu_vm_bind(g[0].fd, vm, own, 0, DATA_VA, BO_SIZE, 0);
		native_ms[i] = (bench_now_us() - t0) / 1e3;
		/* The last unbind drops the level-1 mapping too. */
		ret = ret ?: swgpu_vm_unbind(g[0].fd, vm, DATA_VA, BO_SIZE);
		if (ret)
			break;

		t0 = bench_now_us();
		ret = drmPrimeFDToHandle(g[0].fd, dmabuf, &h) ?:
		      swgpu_vm_bind(g[0].fd, vm, h, 0, DATA_VA, BO_SIZE, 0);
		import_ms[i] = (bench_now_us() - t0) / 1e3;
		if (ret)
			break;
		if (i == ROUNDS - 1) {
			/* The import reads as the exporter's CPU wrote it. */
			swgpu_batch_init(&b, batch, BATCH_VA, 2048);
			swgpu_batch_crc32(&b, BATCH_VA + 2048, DATA_VA, BO_SIZE);
			swgpu_batch_end(&b);
			ret = swgpu_exec_wait(g[0].fd, vm, BATCH_VA, 60000, NULL);
			if (!ret && batch[512] != crc32(0, src_map, BO_SIZE))
				ret = -EILSEQ;
		}
		ret = ret ?: swgpu_vm_unbind(g[0].fd, vm, DATA_VA, BO_SIZE) ?:
		      swgpu_bo_close(g[0].fd, h);
	}
	if (ret) {
		fprintf(stderr, "swgpu_import_bench: bind, import or CRC failed: %d\n",
			ret);
		return 1;
	}
	n = bench_median(native_ms, ROUNDS);
	m = bench_median(import_ms, ROUNDS);
	printf("bench native_bind_64m_ms %.2f ms\n", n);
	printf("bench import_bind_64m_ms %.2f ms\n", m);
	printf("ratio import_bind_vs_native_bind %.2f\n", n / m);
	close(dmabuf);
	return 0;
}
