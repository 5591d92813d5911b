// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * dma-buf export of swgpu BOs on both GPU models: DMA_BUF_IOCTL_SYNC
 * brackets around CPU access through an mmap of the dma-buf keep the data
 * right across GPU reads and writes with zero checker violations; writes
 * through that mmap are tracked like those through the DRM mmap (its PTEs
 * are shot down at submission); a flush skipped on purpose is caught by
 * the atom checker; and a VM-private BO cannot be exported.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "swgpu_dfs.h"

#define PAGE	4096ull

struct db {
	struct gpu *g;
	struct dfs d;
	struct tvm v;
	struct buf a, b;	/* a is exported */
	uint64_t size;
	int dmabuf;
	uint8_t *map;		/* mmap of the dma-buf */
};

static void db_init(struct db *c, struct gpu *g, unsigned int pages)
{
	void *m;

	c->g = g;
	c->size = pages * PAGE;
	dfs_init(&c->d, g);
	tvm_init(&c->v, g->fd);
	buf_create(g->fd, c->size, &c->a);
	buf_create(g->fd, c->size, &c->b);
	igt_assert_eq(swgpu_vm_bind(g->fd, c->v.id, c->a.handle, 0, TVM_DATA_VA,
				    c->size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, c->v.id, c->b.handle, 0,
				    TVM_DATA_VA + c->size, c->size, 0), 0);
	igt_assert_eq(drmPrimeHandleToFD(g->fd, c->a.handle, DRM_CLOEXEC | DRM_RDWR,
					 &c->dmabuf), 0);
	m = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->dmabuf, 0);
	igt_assert(m != MAP_FAILED);
	c->map = m;
	if (!g->coherent)
		dfs_write(&c->d, "swgpu_coherency", "0");
}

static void db_fini(struct db *c)
{
	if (!c->g->coherent)
		dfs_write(&c->d, "gmmu_inject", "none");
	munmap(c->map, c->size);
	close(c->dmabuf);
	tvm_fini(&c->v);
	buf_destroy(&c->a);
	buf_destroy(&c->b);
}

static int sync_raw(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	return ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s) ? -errno : 0;
}

static void dbsync(struct db *c, uint64_t flags)
{
	igt_assert_eq(sync_raw(c->dmabuf, flags), 0);
}

static void test_sync_roundtrip(struct gpu *g)
{
	long long inv0 = 0;
	struct db c;

	db_init(&c, g, 16);
	/* CPU writes through the dma-buf; the GPU copies a -> b, fills a. */
	dbsync(&c, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	pattern_fill(c.map, c.size, 9);
	dbsync(&c, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + c.size, TVM_DATA_VA, c.size);
	swgpu_batch_fill(&c.v.b, TVM_DATA_VA, c.size, 0x77777777);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_pattern(c.b.map, c.size, 9, 0);

	/* A READ sync invalidates the whole BO up front. */
	if (!g->coherent)
		inv0 = dfs_stat(&c.d, "pages_invalidated");
	dbsync(&c, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	if (!g->coherent)
		igt_assert_eq(dfs_stat(&c.d, "pages_invalidated"), inv0 + 16);
	igt_assert_bytes(c.map, c.size, 0x77);
	dbsync(&c, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);

	/* An unbalanced END and bad flags are refused. */
	igt_assert_eq(sync_raw(c.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ),
		      -EINVAL);
	igt_assert_eq(sync_raw(c.dmabuf, DMA_BUF_SYNC_START), -EINVAL);
	if (!g->coherent)
		igt_assert_eq(dfs_violations(&c.d), 0);
	db_fini(&c);
}

/* Submits the batch already in the batch BO again, without touching it. */
static int rerun(struct db *c)
{
	int fence = -1;

	igt_assert_eq(swgpu_exec(c->v.fd, c->v.id, TVM_BATCH_VA, &fence, NULL), 0);
	return fence_status(fence);
}

/* Writes through the dma-buf mmap, unbracketed, are flushed page by page. */
static void test_mmap_writes_tracked(struct gpu *g)
{
	long long before;
	struct db c;

	db_init(&c, g, 8);
	memset(c.map, 0x10, c.size);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + c.size, TVM_DATA_VA, c.size);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);

	for (int round = 0; round < 3; round++) {
		/* A PTE left writable by the submission would hide this write. */
		memset(c.map + 5 * PAGE, 0x20 + round, PAGE);
		before = dfs_stat(&c.d, "pages_flushed");
		igt_assert_eq(rerun(&c), 0);
		igt_assert_eq(dfs_stat(&c.d, "pages_flushed"), before + 1);
		igt_assert_bytes(c.b.map + 5 * PAGE, PAGE, 0x20 + round);
	}
	igt_assert_bytes(c.b.map, 5 * PAGE, 0x10);
	igt_assert_eq(dfs_violations(&c.d), 0);
	db_fini(&c);
}

static void test_skipped_flush(struct gpu *g)
{
	struct db c;

	db_init(&c, g, 1);
	dbsync(&c, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(c.map, 0x31, PAGE);
	dbsync(&c, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + PAGE, TVM_DATA_VA, PAGE);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_bytes(c.b.map, PAGE, 0x31);
	igt_assert_eq(dfs_violations(&c.d), 0);

	/* The same bracketed write with its flush skipped: caught, once. */
	dfs_write(&c.d, "gmmu_inject", "flush");
	dbsync(&c, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memset(c.map, 0x32, PAGE);
	dbsync(&c, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + PAGE, TVM_DATA_VA, PAGE);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_eq(dfs_violations(&c.d), 1);
	db_fini(&c);
}

static void test_private_not_exported(struct gpu *g)
{
	struct tvm v;
	struct buf p;
	int dfd = -1;

	tvm_init(&v, g->fd);
	buf_create_private(g->fd, v.id, PAGE, &p);
	igt_assert_eq(drmPrimeHandleToFD(g->fd, p.handle, DRM_CLOEXEC, &dfd), -1);
	igt_assert_eq(errno, EINVAL);
	igt_assert_eq(dfd, -1);
	buf_destroy(&p);
	tvm_fini(&v);
}

/* Importing our own export gives the same BO back. */
static void test_self_import(struct gpu *g)
{
	uint32_t h = 0;
	struct db c;

	db_init(&c, g, 1);
	igt_assert_eq(drmPrimeFDToHandle(g->fd, c.dmabuf, &h), 0);
	igt_assert_eq(h, c.a.handle);
	db_fini(&c);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("sync-roundtrip")
		each_gpu(g, n, test_sync_roundtrip);
	igt_subtest("mmap-writes-tracked")
		each_noncoherent_gpu(g, n, test_mmap_writes_tracked);
	igt_subtest("skipped-flush-is-caught")
		each_noncoherent_gpu(g, n, test_skipped_flush);
	igt_subtest("private-bo-not-exported")
		each_gpu(g, n, test_private_not_exported);
	igt_subtest("self-import")
		each_gpu(g, n, test_self_import);

	igt_fixture
		gpus_close(g, n);
}
