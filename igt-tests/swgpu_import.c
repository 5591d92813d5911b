// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Import of another GPU's dma-buf: each swgpu GPU is its own DRM device,
 * so a BO one exports is foreign to the other, which imports it as a BO
 * without struct pages. The importer binds it and its GPU copies data in
 * and out, checked through the exporter's mmap of the dma-buf; importing
 * twice gives the same handle, re-export gives the same dma-buf, and every
 * path that needs pages (mmap, CPU-access brackets) is refused with its
 * errno. On dma-direct (lane novtd), a GPU whose DMA mask cannot reach
 * the exporter's pages refuses the import with -ERANGE rather than
 * keep a bounce buffer (or with -EIO when swiotlb cannot even bounce it); that pair is then checked for that and skipped.
 * Module unload at the end of the check job proves nothing leaks.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "swgpu_igt.h"

#define PAGE	4096ull
#define NPAGES	8

struct imp {
	struct gpu *exp, *imp;
	struct buf src;		/* on the exporter */
	struct buf local;	/* on the importer */
	struct tvm v;		/* on the importer */
	uint64_t size;
	int dmabuf;
	uint8_t *map;		/* exporter-side mmap of the dma-buf */
	uint32_t handle;	/* the import, on the importer */
};

static void dbsync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s), 0);
}

static int pairs_run;

static bool imp_init_size(struct imp *c, struct gpu *exp, struct gpu *imp,
			  uint64_t size)
{
	void *m;

	c->exp = exp;
	c->imp = imp;
	c->size = size;
	buf_create(exp->fd, c->size, &c->src);
	igt_assert_eq(drmPrimeHandleToFD(exp->fd, c->src.handle,
					 DRM_CLOEXEC | DRM_RDWR, &c->dmabuf), 0);
	m = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->dmabuf, 0);
	igt_assert(m != MAP_FAILED);
	c->map = m;
	if (drmPrimeFDToHandle(imp->fd, c->dmabuf, &c->handle)) {
		/* -EIO: too big for swiotlb to bounce at all. */
		igt_assert_f((errno == ERANGE || errno == EIO) &&
			     gpu_import_may_bounce(imp),
			     "%s -> %s: import failed: %s\n", exp->name,
			     imp->name, strerror(errno));
		munmap(c->map, c->size);
		close(c->dmabuf);
		buf_destroy(&c->src);
		return false;
	}
	tvm_init(&c->v, imp->fd);
	buf_create(imp->fd, c->size, &c->local);
	return true;
}

static bool imp_init(struct imp *c, struct gpu *exp, struct gpu *imp)
{
	return imp_init_size(c, exp, imp, NPAGES * PAGE);
}

static void imp_fini(struct imp *c)
{
	tvm_fini(&c->v);
	buf_destroy(&c->local);
	igt_assert_eq(swgpu_bo_close(c->imp->fd, c->handle), 0);
	munmap(c->map, c->size);
	close(c->dmabuf);
	buf_destroy(&c->src);
}

/* The import at TVM_DATA_VA of the importer's VM, its own BO right after. */
static void imp_bind(struct imp *c)
{
	igt_assert_eq(swgpu_vm_bind(c->imp->fd, c->v.id, c->handle, 0,
				    TVM_DATA_VA, c->size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(c->imp->fd, c->v.id, c->local.handle, 0,
				    TVM_DATA_VA + c->size, c->size, 0), 0);
}

/* The exporter's CPU writes pattern @seed, bracketed as it must be. */
static void exporter_fill(struct imp *c, uint32_t seed)
{
	dbsync(c->dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	pattern_fill(c->map, c->size, seed);
	dbsync(c->dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
}

/* The importer's GPU copies in and out of the exporter's pages. */
static void test_copy(struct gpu *exp, struct gpu *imp)
{
	struct imp c;

	if (!imp_init(&c, exp, imp))
		return;
	pairs_run++;
	imp_bind(&c);

	/* Exporter's CPU writes; importer's GPU reads them. */
	exporter_fill(&c, 21);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + c.size, TVM_DATA_VA,
			 c.size);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_pattern(c.local.map, c.size, 21, 0);

	/* Importer's GPU writes; exporter's CPU reads them. */
	pattern_fill(c.local.map, c.size, 22);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA, TVM_DATA_VA + c.size,
			 c.size);
	swgpu_batch_fill(&c.v.b, TVM_DATA_VA + 3 * PAGE, PAGE, 0x5a5a5a5a);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	dbsync(c.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_assert_pattern(c.map, 3 * PAGE, 22, 0);
	igt_assert_bytes(c.map + 3 * PAGE, PAGE, 0x5a);
	igt_assert_pattern(c.map + 4 * PAGE, c.size - 4 * PAGE, 22, 4 * PAGE);
	dbsync(c.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	imp_fini(&c);
}

/* Same dma-buf, same handle; re-export gives the original dma-buf back. */
static void test_same_handle(struct gpu *exp, struct gpu *imp)
{
	struct stat a, b;
	uint32_t h = 0;
	int fd = -1;
	struct imp c;

	if (!imp_init(&c, exp, imp))
		return;
	pairs_run++;
	igt_assert_eq(drmPrimeFDToHandle(imp->fd, c.dmabuf, &h), 0);
	igt_assert_eq(h, c.handle);
	igt_assert_eq(drmPrimeHandleToFD(imp->fd, c.handle, DRM_CLOEXEC, &fd), 0);
	igt_assert_eq(fstat(c.dmabuf, &a), 0);
	igt_assert_eq(fstat(fd, &b), 0);
	igt_assert(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	close(fd);
	imp_fini(&c);
}

/* What needs struct pages is refused on the import. */
static void test_refused(struct gpu *exp, struct gpu *imp)
{
	void *p = NULL;
	struct imp c;

	if (!imp_init(&c, exp, imp))
		return;
	pairs_run++;
	igt_assert_eq(swgpu_bo_mmap(imp->fd, c.handle, c.size, &p), -ENODEV);
	igt_assert_eq(swgpu_bo_cpu_access(imp->fd, c.handle,
					  DRM_GMMU_BO_CPU_ACCESS_START |
					  DRM_GMMU_BO_CPU_ACCESS_READ,
					  0, c.size), -EINVAL);
	igt_assert_eq(swgpu_bo_cpu_access(imp->fd, c.handle,
					  DRM_GMMU_BO_CPU_ACCESS_END |
					  DRM_GMMU_BO_CPU_ACCESS_WRITE,
					  0, PAGE), -EINVAL);
	/* The exporter's own BO is not affected by the import. */
	igt_assert_eq(swgpu_bo_cpu_access(exp->fd, c.src.handle,
					  DRM_GMMU_BO_CPU_ACCESS_START |
					  DRM_GMMU_BO_CPU_ACCESS_READ,
					  0, c.size), 0);
	igt_assert_eq(swgpu_bo_cpu_access(exp->fd, c.src.handle,
					  DRM_GMMU_BO_CPU_ACCESS_END |
					  DRM_GMMU_BO_CPU_ACCESS_READ,
					  0, c.size), 0);
	imp_fini(&c);
}

/* The import outlives the exporter's handle and mapping. */
static void test_outlives_exporter(struct gpu *exp, struct gpu *imp)
{
	struct imp c;

	if (!imp_init(&c, exp, imp))
		return;
	pairs_run++;
	imp_bind(&c);
	exporter_fill(&c, 23);
	munmap(c.map, c.size);
	close(c.dmabuf);
	buf_destroy(&c.src);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + c.size, TVM_DATA_VA,
			 c.size);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_pattern(c.local.map, c.size, 23, 0);
	tvm_fini(&c.v);
	buf_destroy(&c.local);
	igt_assert_eq(swgpu_bo_close(imp->fd, c.handle), 0);
}

/*
 * The import shares the dma-buf's reservation object: the exporter sees
 * the importer's job busy on its own BO, and its data once it is done.
 */
static void test_shared_fences(struct gpu *exp, struct gpu *imp)
{
	const uint64_t size = 8ull << 20;
	struct swgpu_batch *b;
	unsigned int fills;
	uint64_t chunk;
	struct imp c;
	int fence, ret;

	if (!imp_init_size(&c, exp, imp, size))
		return;
	pairs_run++;
	igt_assert_eq(swgpu_vm_bind(imp->fd, c.v.id, c.handle, 0, TVM_DATA_VA,
				    size, 0), 0);
	tvm_fills_for_ms(&c.v, TVM_DATA_VA, size, 1500, &chunk, &fills);
	b = tvm_batch(&c.v);
	for (unsigned int i = 0; i < fills; i++)
		swgpu_batch_fill(b, TVM_DATA_VA, chunk, 0x42424242);
	fence = tvm_submit(&c.v, NULL);
	ret = swgpu_wait_bo(exp->fd, c.src.handle, 0);
	igt_assert_f(ret == -EBUSY, "%s -> %s: exporter's WAIT_BO(0) during the importer's job: %d%s\n",
		     exp->name, imp->name, ret,
		     fence_signalled(fence) ? " (the job was already done)" : "");
	igt_assert_eq(swgpu_wait_bo(exp->fd, c.src.handle,
				    FENCE_TIMEOUT_MS * 1000000ll), 0);
	igt_assert_eq(fence_status(fence), 0);
	dbsync(c.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_assert_bytes(c.map, chunk, 0x42);
	dbsync(c.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	imp_fini(&c);
}

/*
 * The import holds the dma-buf: with its descriptor closed and the
 * exporter's handle gone before it was ever bound, it still binds, and
 * the GPU reaches the exporter's bytes through it.
 */
static void test_bind_after_close(struct gpu *exp, struct gpu *imp)
{
	struct imp c;

	if (!imp_init(&c, exp, imp))
		return;
	pairs_run++;
	exporter_fill(&c, 31);
	munmap(c.map, c.size);
	close(c.dmabuf);
	buf_destroy(&c.src);
	imp_bind(&c);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + c.size, TVM_DATA_VA,
			 c.size);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_pattern(c.local.map, c.size, 31, 0);
	tvm_fini(&c.v);
	buf_destroy(&c.local);
	igt_assert_eq(swgpu_bo_close(imp->fd, c.handle), 0);
}

/* Every ordered pair of distinct GPUs: llc -> atom and atom -> llc. */
static void each_pair(struct gpu *g, int n,
		      void (*fn)(struct gpu *exp, struct gpu *imp))
{
	igt_require_f(n >= 2, "needs two swgpu GPUs\n");
	pairs_run = 0;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (i != j)
				fn(&g[i], &g[j]);
	/* At least one direction imports on every lane. */
	igt_assert(pairs_run > 0);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("copy-in-and-out")
		each_pair(g, n, test_copy);
	igt_subtest("same-handle-and-reexport")
		each_pair(g, n, test_same_handle);
	igt_subtest("page-paths-refused")
		each_pair(g, n, test_refused);
	igt_subtest("shared-fences")
		each_pair(g, n, test_shared_fences);
	igt_subtest("outlives-exporter")
		each_pair(g, n, test_outlives_exporter);

	igt_subtest("binds-after-dmabuf-closed")
		each_pair(g, n, test_bind_after_close);

	igt_fixture
		gpus_close(g, n);
}
