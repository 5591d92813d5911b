// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * DRM_IOCTL_SWGPU_BO_CPU_ACCESS on both GPU models: explicit brackets
 * around CPU access to a cached mmap keep the data right through CPU
 * write -> GPU read -> GPU write -> CPU read with zero checker violations;
 * a START invalidates exactly the pages of its range up front (atom);
 * brackets must balance; and every bad field is refused with nothing
 * changed.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "swgpu_dfs.h"

#define PAGE	4096ull
#define PAGES	16
#define SIZE	(PAGES * PAGE)

#define START	DRM_GMMU_BO_CPU_ACCESS_START
#define END	DRM_GMMU_BO_CPU_ACCESS_END
#define RD	DRM_GMMU_BO_CPU_ACCESS_READ
#define WR	DRM_GMMU_BO_CPU_ACCESS_WRITE

struct ca {
	struct gpu *g;
	struct dfs d;
	struct tvm v;
	struct buf a, b;
};

/* BOs a and b of SIZE, bound one after the other at TVM_DATA_VA. */
static void ca_init(struct ca *c, struct gpu *g)
{
	c->g = g;
	dfs_init(&c->d, g);
	tvm_init(&c->v, g->fd);
	buf_create(g->fd, SIZE, &c->a);
	buf_create(g->fd, SIZE, &c->b);
	igt_assert_eq(swgpu_vm_bind(g->fd, c->v.id, c->a.handle, 0, TVM_DATA_VA,
				    SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, c->v.id, c->b.handle, 0,
				    TVM_DATA_VA + SIZE, SIZE, 0), 0);
	if (!g->coherent)
		dfs_write(&c->d, "swgpu_coherency", "0");
}

static void ca_fini(struct ca *c)
{
	tvm_fini(&c->v);
	buf_destroy(&c->a);
	buf_destroy(&c->b);
}

static long long invalidated(const struct ca *c)
{
	return dfs_stat(&c->d, "pages_invalidated");
}

static int access_raw(int fd, struct drm_gmmu_bo_cpu_access_args *a)
{
	return ioctl(fd, DRM_IOCTL_SWGPU_BO_CPU_ACCESS, a) ? -errno : 0;
}

static int ca_access(struct ca *c, const struct buf *b, uint32_t flags,
		     uint64_t off, uint64_t size)
{
	return swgpu_bo_cpu_access(c->g->fd, b->handle, flags, off, size);
}

static void test_roundtrip(struct gpu *g)
{
	long long inv0;
	struct ca c;

	ca_init(&c, g);

	/* CPU writes a in a WRITE bracket; the GPU copies a -> b, fills a. */
	igt_assert_eq(ca_access(&c, &c.a, START | WR, 0, SIZE), 0);
	pattern_fill(c.a.map, SIZE, 7);
	igt_assert_eq(ca_access(&c, &c.a, END | WR, 0, SIZE), 0);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + SIZE, TVM_DATA_VA, SIZE);
	swgpu_batch_fill(&c.v.b, TVM_DATA_VA, SIZE, 0x3c3c3c3c);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);

	/* A READ START invalidates its pages up front, and only them. */
	inv0 = g->coherent ? 0 : invalidated(&c);
	igt_assert_eq(ca_access(&c, &c.b, START | RD, PAGE + 100, 2 * PAGE), 0);
	if (!g->coherent)
		igt_assert_eq(invalidated(&c), inv0 + 3);
	igt_assert_pattern(c.b.map + PAGE + 100, 2 * PAGE, 7, PAGE + 100);
	igt_assert_eq(ca_access(&c, &c.b, END | RD, PAGE + 100, 2 * PAGE), 0);
	igt_assert_eq(ca_access(&c, &c.b, START | RD, 0, SIZE), 0);
	igt_assert_pattern(c.b.map, SIZE, 7, 0);
	igt_assert_eq(ca_access(&c, &c.b, END | RD, 0, SIZE), 0);
	if (!g->coherent)
		igt_assert_eq(invalidated(&c), inv0 + PAGES);

	/* CPU reads the GPU's fill, then rewrites part of it for the GPU. */
	igt_assert_eq(ca_access(&c, &c.a, START | RD | WR, 10, SIZE - 20), 0);
	igt_assert_bytes(c.a.map + 10, SIZE - 20, 0x3c);
	memset(c.a.map + 10, 0xe1, 5000);
	igt_assert_eq(ca_access(&c, &c.a, END | RD | WR, 10, SIZE - 20), 0);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + SIZE, TVM_DATA_VA, SIZE);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_eq(ca_access(&c, &c.b, START | RD, 0, SIZE), 0);
	igt_assert_bytes(c.b.map, 10, 0x3c);
	igt_assert_bytes(c.b.map + 10, 5000, 0xe1);
	igt_assert_bytes(c.b.map + 5010, SIZE - 5010, 0x3c);
	igt_assert_eq(ca_access(&c, &c.b, END | RD, 0, SIZE), 0);

	if (!g->coherent)
		igt_assert_eq(dfs_violations(&c.d), 0);
	ca_fini(&c);
}

static void test_unbalanced(struct gpu *g)
{
	struct ca c;

	ca_init(&c, g);
	igt_assert_eq(ca_access(&c, &c.a, END | RD, 0, PAGE), -EINVAL);
	igt_assert_eq(ca_access(&c, &c.a, START | RD, 0, PAGE), 0);
	igt_assert_eq(ca_access(&c, &c.a, START | WR, PAGE, PAGE), 0);
	igt_assert_eq(ca_access(&c, &c.a, END | WR, PAGE, PAGE), 0);
	igt_assert_eq(ca_access(&c, &c.a, END | RD, 0, PAGE), 0);
	igt_assert_eq(ca_access(&c, &c.a, END | RD, 0, PAGE), -EINVAL);
	/* A bracket open on a does not balance an END on b. */
	igt_assert_eq(ca_access(&c, &c.a, START | RD, 0, PAGE), 0);
	igt_assert_eq(ca_access(&c, &c.b, END | RD, 0, PAGE), -EINVAL);
	igt_assert_eq(ca_access(&c, &c.a, END | RD, 0, PAGE), 0);
	ca_fini(&c);
}

/* A dma-buf SYNC END opened nothing: it fails, and closes no bracket of a file's. */
static int dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	return ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s) ? -errno : 0;
}

static void test_unbalanced_dmabuf(struct gpu *g)
{
	int dmabuf;
	struct ca c;

	ca_init(&c, g);
	igt_assert_eq(drmPrimeHandleToFD(g->fd, c.a.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert_eq(ca_access(&c, &c.a, START | RD, 0, SIZE), 0);
	/* Found by swgpu_fuzz_ioctl: this END used to take the file's pins. */
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ), -EINVAL);
	igt_assert_eq(ca_access(&c, &c.a, END | RD, 0, SIZE), 0);
	/* The dma-buf's own brackets pair among themselves. */
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW), 0);
	igt_assert_eq(ca_access(&c, &c.a, START | WR, 0, PAGE), 0);
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), -EINVAL);
	igt_assert_eq(ca_access(&c, &c.a, END | WR, 0, PAGE), 0);
	/* A bracket left open by the file is closed when it is closed. */
	igt_assert_eq(ca_access(&c, &c.a, START | RD, 0, SIZE), 0);
	close(dmabuf);
	ca_fini(&c);
}

static void test_bad_input(struct gpu *g)
{
	static const uint32_t bad_flags[] = {
		0, START, END, RD, WR, RD | WR, START | END | RD,
		START | RD | (1u << 4), END | WR | (1u << 31),
	};
	static const struct { uint64_t off, size; } bad_ranges[] = {
		{ 0, 0 }, { SIZE, 1 }, { SIZE - PAGE, 2 * PAGE },
		{ PAGE, UINT64_MAX }, { UINT64_MAX, 1 }, { 1, SIZE },
	};
	struct drm_gmmu_bo_cpu_access_args a;
	long long inv0 = 0;
	unsigned int i;
	struct ca c;

	ca_init(&c, g);
	/* The GPU writes a: a START that got through would invalidate. */
	swgpu_batch_fill(tvm_batch(&c.v), TVM_DATA_VA, SIZE, 0x11111111);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	if (!g->coherent)
		inv0 = invalidated(&c);

	for (i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		igt_assert_eq(ca_access(&c, &c.a, bad_flags[i], 0, PAGE), -EINVAL);
		/* Flags are checked before the handle. */
		igt_assert_eq(swgpu_bo_cpu_access(g->fd, 0xdead, bad_flags[i],
						  0, PAGE), -EINVAL);
	}
	for (i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]); i++) {
		igt_assert_eq(ca_access(&c, &c.a, START | RD, bad_ranges[i].off,
					bad_ranges[i].size), -EINVAL);
		igt_assert_eq(ca_access(&c, &c.a, END | RD, bad_ranges[i].off,
					bad_ranges[i].size), -EINVAL);
	}
	igt_assert_eq(swgpu_bo_cpu_access(g->fd, 0, START | RD, 0, PAGE), -ENOENT);
	igt_assert_eq(swgpu_bo_cpu_access(g->fd, 0xdead, START | RD, 0, PAGE),
		      -ENOENT);
	/* The handle of a closed BO is gone. */
	{
		struct buf t;
		uint32_t h;

		buf_create(g->fd, PAGE, &t);
		h = t.handle;
		buf_destroy(&t);
		igt_assert_eq(swgpu_bo_cpu_access(g->fd, h, START | RD, 0, PAGE),
			      -ENOENT);
	}

	memset(&a, 0, sizeof(a));
	a.handle = c.a.handle;
	a.flags = START | RD;
	a.size = PAGE;
	a.extensions = 8;	/* unmapped */
	igt_assert_eq(access_raw(g->fd, &a), -EFAULT);

	/* Nothing changed: no bracket opened, nothing invalidated. */
	if (!g->coherent)
		igt_assert_eq(invalidated(&c), inv0);
	igt_assert_eq(ca_access(&c, &c.a, END | RD, 0, PAGE), -EINVAL);
	/* And the right call still works and does its job. */
	igt_assert_eq(ca_access(&c, &c.a, START | RD, SIZE - 1, 1), 0);
	if (!g->coherent)
		igt_assert_eq(invalidated(&c), inv0 + 1);
	igt_assert_bytes(c.a.map + SIZE - 1, 1, 0x11);
	igt_assert_eq(ca_access(&c, &c.a, END | RD, SIZE - 1, 1), 0);
	if (!g->coherent)
		igt_assert_eq(dfs_violations(&c.d), 0);
	ca_fini(&c);
}

/*
 * A bracket belongs to the file that opened it: another file sharing the
 * BO cannot close it, and closing the file closes it, which unpins the
 * pages it held (they become evictable again).
 */
static void test_per_file(struct gpu *g)
{
	int a = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
	uint32_t ha, hb;
	struct dfs d;
	int dmabuf;

	igt_assert(a >= 0);
	dfs_init(&d, g);
	igt_assert_eq(swgpu_bo_create(a, SIZE, &ha), 0);
	igt_assert_eq(drmPrimeHandleToFD(a, ha, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert_eq(drmPrimeFDToHandle(g->fd, dmabuf, &hb), 0);
	close(dmabuf);

	igt_assert_eq(swgpu_bo_cpu_access(a, ha, START | RD, 0, PAGE), 0);
	/* The same BO, range and flags, from the other file: not its bracket. */
	igt_assert_eq(swgpu_bo_cpu_access(g->fd, hb, END | RD, 0, PAGE), -EINVAL);
	igt_assert_eq(swgpu_bo_cpu_access(a, ha, END | RD, 0, PAGE), 0);
	igt_assert_eq(swgpu_bo_cpu_access(a, ha, END | RD, 0, PAGE), -EINVAL);

	/* A bracket over the whole BO pins it; its file goes, so does the pin. */
	igt_assert_eq(swgpu_bo_cpu_access(a, ha, START | WR, 0, SIZE), 0);
	dfs_evict_all(&d);
	igt_assert_eq(dfs_evict_all(&d), 0);
	igt_assert_eq(swgpu_bo_cpu_access(g->fd, hb, END | WR, 0, SIZE), -EINVAL);
	close(a);
	igt_assert_eq(dfs_evict_all(&d), PAGES);
	/* The BO lives on in the other file, and brackets there work. */
	igt_assert_eq(swgpu_bo_cpu_access(g->fd, hb, START | RD, 0, SIZE), 0);
	igt_assert_eq(swgpu_bo_cpu_access(g->fd, hb, END | RD, 0, SIZE), 0);
	igt_assert_eq(swgpu_bo_close(g->fd, hb), 0);
}

/*
 * A file has at most DRM_GMMU_MAX_CPU_ACCESS_PER_FILE brackets open; the
 * next START is -ENOSPC and changes nothing, and closing one makes room.
 */
static void test_bracket_limit(struct gpu *g)
{
	int a = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
	uint32_t h;

	igt_assert(a >= 0);
	igt_assert_eq(swgpu_bo_create(a, PAGE, &h), 0);
	for (int i = 0; i < DRM_GMMU_MAX_CPU_ACCESS_PER_FILE; i++)
		igt_assert_eq(swgpu_bo_cpu_access(a, h, START | RD, 0, PAGE), 0);
	igt_assert_eq(swgpu_bo_cpu_access(a, h, START | RD, 0, PAGE), -ENOSPC);
	igt_assert_eq(swgpu_bo_cpu_access(a, h, END | RD, 0, PAGE), 0);
	igt_assert_eq(swgpu_bo_cpu_access(a, h, START | RD, 0, PAGE), 0);
	/* The rest are closed with the file. */
	close(a);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("bracketed-roundtrip")
		each_gpu(g, n, test_roundtrip);
	igt_subtest("unbalanced")
		each_gpu(g, n, test_unbalanced);
	igt_subtest("unbalanced-dmabuf")
		each_gpu(g, n, test_unbalanced_dmabuf);
	igt_subtest("per-file")
		each_gpu(g, n, test_per_file);
	igt_subtest("bracket-limit")
		each_gpu(g, n, test_bracket_limit);
	igt_subtest("bad-input")
		each_gpu(g, n, test_bad_input);

	igt_fixture
		gpus_close(g, n);
}
