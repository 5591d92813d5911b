// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Cache coherency on both GPU models: data survives CPU write -> GPU read
 * -> GPU write -> CPU read through mmap; only the pages the CPU dirtied are
 * flushed at submission; and the atom model's coherency checker reports
 * zero violations when drm_gmmu follows the rules and exactly one when a
 * flush or an invalidation is skipped on purpose (drm_gmmu's fault
 * injection in debugfs). The same for the level-2 page tables the atom
 * model's walker reads: a table sync skipped by iommu-ctx's fault
 * injection is caught when the walker loads the stale entry. On the
 * coherent llc model nothing is flushed and there is no checker.
 *
 * Across devices: a BO of a snooping GPU, exported and imported by a
 * non-snooping one, written by the CPU through the exporter's mmap or
 * through an mmap of the dma-buf under DMA_BUF_IOCTL_SYNC, is read right
 * by the importer's job: the importer's submission flushed exactly the
 * pages the CPU dirtied, whoever's mapping it went through, and its
 * checker, which learns CPU writes per page wherever they are made, saw
 * no missing flush; with that flush skipped by fault injection it reports
 * one. Every subtest also asserts that the checker never had to drop
 * tracking (``dropped``).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "swgpu_dfs.h"

#define PAGE		4096ull
#define DATA_PAGES	64

struct coh {
	struct gpu *g;
	struct dfs d;
	struct tvm v;
	struct buf a, b;
};

static long long violations(const struct coh *c)
{
	return dfs_violations(&c->d);
}

/* State the checker had to drop (no memory, a page reused while tracked). */
static long long dropped(const struct dfs *d)
{
	return dfs_value(d, "swgpu_coherency", "dropped");
}

static long long stat_of(const struct coh *c, const char *key)
{
	return dfs_stat(&c->d, key);
}

/* A VM with BOs a and b of @pages pages each, bound one after the other. */
static void coh_init(struct coh *c, struct gpu *g, unsigned int pages)
{
	c->g = g;
	dfs_init(&c->d, g);
	tvm_init(&c->v, g->fd);
	buf_create(g->fd, pages * PAGE, &c->a);
	buf_create(g->fd, pages * PAGE, &c->b);
	igt_assert_eq(swgpu_vm_bind(g->fd, c->v.id, c->a.handle, 0, TVM_DATA_VA,
				    pages * PAGE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, c->v.id, c->b.handle, 0,
				    TVM_DATA_VA + pages * PAGE, pages * PAGE, 0), 0);
	if (!g->coherent)
		dfs_write(&c->d, "swgpu_coherency", "0");
}

static void coh_fini(struct coh *c)
{
	if (!c->g->coherent) {
		igt_assert_eq(dropped(&c->d), 0);
		dfs_write(&c->d, "gmmu_inject", "none");
	}
	tvm_fini(&c->v);
	buf_destroy(&c->a);
	buf_destroy(&c->b);
}

/* Submits the batch already in the batch BO again, without touching it. */
static int rerun(struct coh *c)
{
	int fence = -1;

	igt_assert_eq(swgpu_exec(c->v.fd, c->v.id, TVM_BATCH_VA, &fence, NULL), 0);
	return fence_status(fence);
}

static void test_roundtrip(struct gpu *g)
{
	const uint64_t size = 16 * PAGE;
	long long flushes0;
	struct coh c;

	coh_init(&c, g, 16);
	flushes0 = stat_of(&c, "flush_calls");

	/* CPU writes, GPU reads (COPY a -> b), CPU reads. */
	pattern_fill(c.a.map, size, 1);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + size, TVM_DATA_VA, size);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_pattern(c.b.map, size, 1, 0);

	/* Again through mappings the submission re-armed. */
	pattern_fill(c.a.map, size, 2);
	igt_assert_eq(rerun(&c), 0);
	igt_assert_pattern(c.b.map, size, 2, 0);

	/* GPU writes over what the CPU read, CPU reads. */
	swgpu_batch_fill(tvm_batch(&c.v), TVM_DATA_VA + size, size, 0x5a5a5a5a);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_bytes(c.b.map, size, 0x5a);

	if (g->coherent) {
		igt_assert_eq(stat_of(&c, "flush_calls"), flushes0);
		igt_assert(!dfs_exists(&c.d, "swgpu_coherency"));
	} else {
		igt_assert(stat_of(&c, "pages_flushed") > 0);
		igt_assert(stat_of(&c, "pages_invalidated") > 0);
		igt_assert_eq(violations(&c), 0);
	}
	coh_fini(&c);
}

static void test_flush_dirtied_only(struct gpu *g)
{
	static const unsigned int dirty[] = { 1, 17, 50 };
	const uint64_t size = DATA_PAGES * PAGE;
	long long before, after;
	struct coh c;

	coh_init(&c, g, DATA_PAGES);
	pattern_fill(c.a.map, size, 3);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + size, TVM_DATA_VA, size);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_pattern(c.b.map, size, 3, 0);

	for (unsigned int i = 0; i < 3; i++)
		memset(c.a.map + dirty[i] * PAGE, 0xc0 + i, PAGE);
	before = stat_of(&c, "pages_flushed");
	igt_assert_eq(rerun(&c), 0);
	after = stat_of(&c, "pages_flushed");
	igt_assert_f(after - before == (g->coherent ? 0 : 3),
		     "%s: %lld pages flushed for 3 dirtied\n", g->name,
		     after - before);

	for (unsigned int p = 0, i = 0; p < DATA_PAGES; p++) {
		if (i < 3 && p == dirty[i]) {
			igt_assert_bytes(c.b.map + p * PAGE, PAGE, 0xc0 + i);
			i++;
		} else {
			igt_assert_pattern(c.b.map + p * PAGE, PAGE, 3, p * PAGE);
		}
	}
	/* Zero violations also proves the 3 flushed were the 3 dirtied. */
	if (!g->coherent)
		igt_assert_eq(violations(&c), 0);
	coh_fini(&c);
}

static void test_skipped_flush(struct gpu *g)
{
	long long skipped;
	struct coh c;

	coh_init(&c, g, 1);
	swgpu_batch_copy(tvm_batch(&c.v), TVM_DATA_VA + PAGE, TVM_DATA_VA, PAGE);
	memset(c.a.map, 0x11, PAGE);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_bytes(c.b.map, PAGE, 0x11);
	igt_assert_eq(violations(&c), 0);

	/* The same CPU write with the flush skipped: caught, once. */
	skipped = stat_of(&c, "skipped");
	dfs_write(&c.d, "gmmu_inject", "flush");
	memset(c.a.map, 0x22, PAGE);
	igt_assert_eq(rerun(&c), 0);
	igt_assert_eq(stat_of(&c, "skipped"), skipped + 1);
	igt_assert_eq(violations(&c), 1);

	/* Injection is one-shot: the next round is clean again. */
	memset(c.a.map, 0x33, PAGE);
	igt_assert_eq(rerun(&c), 0);
	igt_assert_bytes(c.b.map, PAGE, 0x33);
	igt_assert_eq(violations(&c), 1);
	coh_fini(&c);
}

static void test_skipped_invalidate(struct gpu *g)
{
	long long skipped;
	struct coh c;

	coh_init(&c, g, 1);
	swgpu_batch_fill(tvm_batch(&c.v), TVM_DATA_VA, PAGE, 0x44444444);
	igt_assert_eq(tvm_run(&c.v, NULL), 0);
	igt_assert_bytes(c.a.map, PAGE, 0x44);
	igt_assert_eq(violations(&c), 0);

	/* GPU writes again; the CPU reads with the invalidation skipped. */
	skipped = stat_of(&c, "skipped");
	dfs_write(&c.d, "gmmu_inject", "invalidate");
	igt_assert_eq(rerun(&c), 0);
	igt_assert_bytes(c.a.map, PAGE, 0x44);
	igt_assert_eq(stat_of(&c, "skipped"), skipped + 1);
	igt_assert_eq(violations(&c), 1);
	coh_fini(&c);
}

#define SKIP_SYNCS	"/sys/kernel/debug/iommu_ctx/skip_table_syncs"

static void skip_table_syncs(const char *n)
{
	int fd = open(SKIP_SYNCS, O_WRONLY);

	igt_assert_f(fd >= 0, "%s: %m\n", SKIP_SYNCS);
	igt_assert_eq((int)write(fd, n, strlen(n)), (int)strlen(n));
	close(fd);
}

static long long table_syncs_to_skip(void)
{
	long long n = -1;
	FILE *f = fopen(SKIP_SYNCS, "r");

	igt_assert_f(f, "%s: %m\n", SKIP_SYNCS);
	igt_assert_eq(fscanf(f, "%lld", &n), 1);
	fclose(f);
	return n;
}

/*
 * Bind one page where the VM has no last-level table yet, and copy it
 * with the GPU: the walker loads the new directory and leaf entries.
 */
static void bind_and_read(struct coh *c, struct buf *src, uint64_t va,
			  uint8_t byte)
{
	igt_assert_eq(swgpu_vm_bind(c->g->fd, c->v.id, src->handle, 0, va,
				    PAGE, 0), 0);
	memset(src->map, byte, PAGE);
	swgpu_batch_copy(tvm_batch(&c->v), TVM_DATA_VA, va, PAGE);
	igt_assert_eq(tvm_run(&c->v, NULL), 0);
	igt_assert_bytes(c->a.map, PAGE, byte);
}

static void test_skipped_table_sync(struct gpu *g)
{
	/* 4 MiB apart: a last-level table of its own in every format. */
	const uint64_t va = TVM_DATA_VA + (16ull << 20);
	struct buf x, y;
	struct coh c;

	coh_init(&c, g, 1);
	buf_create(g->fd, PAGE, &x);
	buf_create(g->fd, PAGE, &y);

	/* Every table store synced: the walker never loads a stale entry. */
	bind_and_read(&c, &x, va, 0x55);
	igt_assert_eq(dfs_value(&c.d, "swgpu_coherency", "walk_violations"), 0);
	igt_assert_eq(violations(&c), 0);

	/* One sync skipped in the next bind: caught when the walk loads it. */
	skip_table_syncs("1");
	bind_and_read(&c, &y, va + (4ull << 20), 0x66);
	igt_assert_eq(table_syncs_to_skip(), 0);
	igt_assert_eq(dfs_value(&c.d, "swgpu_coherency", "walk_violations"), 1);
	igt_assert_eq(violations(&c), 1);

	skip_table_syncs("0");
	buf_destroy(&x);
	buf_destroy(&y);
	coh_fini(&c);
}


#define XPAGES	8

/* A BO of a snooping GPU, exported, imported and read by a non-snooping one. */
struct xdev {
	struct gpu *exp;	/* snoops: no cache maintenance of its own */
	struct gpu *imp;	/* does not snoop; has the checker */
	struct dfs d;		/* the importer's */
	struct buf src;		/* on the exporter, mapped through its mmap */
	int dmabuf;
	uint32_t handle;	/* the import */
	struct tvm v;		/* on the importer: import, then dst */
	struct buf dst;
	uint64_t size;
};

static int xpairs_run;

/*
 * Exports a fresh BO of @exp, imports it into @imp and binds it there with
 * a BO of @imp after it; the batch copies the import into that BO and has
 * run once, so nothing but what the test writes next is CPU-dirty. False
 * if the importer cannot reach the exporter's pages without bouncing.
 */
static bool xdev_init(struct xdev *x, struct gpu *exp, struct gpu *imp)
{
	x->exp = exp;
	x->imp = imp;
	x->size = XPAGES * PAGE;
	buf_create(exp->fd, x->size, &x->src);
	igt_assert_eq(drmPrimeHandleToFD(exp->fd, x->src.handle,
					 DRM_CLOEXEC | DRM_RDWR, &x->dmabuf), 0);
	if (drmPrimeFDToHandle(imp->fd, x->dmabuf, &x->handle)) {
		igt_assert_f((errno == ERANGE || errno == EIO) &&
			     gpu_import_may_bounce(imp),
			     "%s -> %s: import failed: %s\n", exp->name,
			     imp->name, strerror(errno));
		close(x->dmabuf);
		buf_destroy(&x->src);
		return false;
	}
	xpairs_run++;
	dfs_init(&x->d, imp);
	tvm_init(&x->v, imp->fd);
	buf_create(imp->fd, x->size, &x->dst);
	igt_assert_eq(swgpu_vm_bind(imp->fd, x->v.id, x->handle, 0,
				    TVM_DATA_VA, x->size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(imp->fd, x->v.id, x->dst.handle, 0,
				    TVM_DATA_VA + x->size, x->size, 0), 0);
	swgpu_batch_copy(tvm_batch(&x->v), TVM_DATA_VA + x->size, TVM_DATA_VA,
			 x->size);
	igt_assert_eq(tvm_run(&x->v, NULL), 0);
	dfs_write(&x->d, "swgpu_coherency", "0");
	return true;
}

static void xdev_fini(struct xdev *x)
{
	igt_assert_eq(dropped(&x->d), 0);
	dfs_write(&x->d, "gmmu_inject", "none");
	tvm_fini(&x->v);
	buf_destroy(&x->dst);
	igt_assert_eq(swgpu_bo_close(x->imp->fd, x->handle), 0);
	close(x->dmabuf);
	buf_destroy(&x->src);
}

/* Runs the copy again; returns the importer's pages flushed meanwhile. */
static long long xdev_copy(struct xdev *x)
{
	long long before = dfs_stat(&x->d, "pages_flushed");
	int fence = -1;

	igt_assert_eq(swgpu_exec(x->v.fd, x->v.id, TVM_BATCH_VA, &fence, NULL), 0);
	igt_assert_eq(fence_status(fence), 0);
	return dfs_stat(&x->d, "pages_flushed") - before;
}

static void each_xpair(struct gpu *g, int n,
		       void (*fn)(struct gpu *, struct gpu *))
{
	int pairs = 0;

	xpairs_run = 0;
	for (int e = 0; e < n; e++)
		for (int i = 0; i < n; i++)
			if (g[e].coherent && !g[i].coherent) {
				fn(&g[e], &g[i]);
				pairs++;
			}
	igt_require_f(pairs, "no snooping GPU next to a non-snooping one\n");
	igt_require_f(xpairs_run, "no pair could import without bouncing\n");
}

static const unsigned int xdirty[] = { 1, 4, 6 };

/* The CPU writes 3 pages through the exporter's own mmap of its BO. */
static void test_x_exporter_mmap(struct gpu *exp, struct gpu *imp)
{
	long long flushed;
	struct xdev x;

	if (!xdev_init(&x, exp, imp))
		return;
	for (unsigned int i = 0; i < 3; i++)
		memset(x.src.map + xdirty[i] * PAGE, 0x70 + i, PAGE);
	flushed = xdev_copy(&x);
	igt_assert_f(flushed == 3, "%s -> %s: %lld pages flushed for 3 dirtied\n",
		     exp->name, imp->name, flushed);
	for (unsigned int p = 0, i = 0; p < XPAGES; p++) {
		if (i < 3 && p == xdirty[i]) {
			igt_assert_bytes(x.dst.map + p * PAGE, PAGE, 0x70 + i);
			i++;
		} else {
			igt_assert_bytes(x.dst.map + p * PAGE, PAGE, 0);
		}
	}
	igt_assert_eq(dfs_violations(&x.d), 0);
	xdev_fini(&x);
}

/*
 * Another process's way in: an mmap of the dma-buf, written inside
 * DMA_BUF_IOCTL_SYNC. The bracket covers the whole BO, so every page is
 * flushed.
 */
static void test_x_dmabuf_mmap(struct gpu *exp, struct gpu *imp)
{
	struct dma_buf_sync sync = {
		.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE,
	};
	long long flushed;
	struct xdev x;
	uint8_t *m;

	if (!xdev_init(&x, exp, imp))
		return;
	m = mmap(NULL, x.size, PROT_READ | PROT_WRITE, MAP_SHARED, x.dmabuf, 0);
	igt_assert(m != MAP_FAILED);
	igt_assert_eq(ioctl(x.dmabuf, DMA_BUF_IOCTL_SYNC, &sync), 0);
	pattern_fill(m, x.size, 31);
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE;
	igt_assert_eq(ioctl(x.dmabuf, DMA_BUF_IOCTL_SYNC, &sync), 0);
	munmap(m, x.size);
	flushed = xdev_copy(&x);
	igt_assert_f(flushed == XPAGES, "%s -> %s: %lld pages flushed for %d\n",
		     exp->name, imp->name, flushed, XPAGES);
	igt_assert_pattern(x.dst.map, x.size, 31, 0);
	igt_assert_eq(dfs_violations(&x.d), 0);
	xdev_fini(&x);
}

/* The importer's flush of an exporter's dirty page, skipped: caught. */
static void test_x_skipped_flush(struct gpu *exp, struct gpu *imp)
{
	long long skipped;
	struct xdev x;

	if (!xdev_init(&x, exp, imp))
		return;
	igt_assert_eq(dfs_violations(&x.d), 0);
	skipped = dfs_stat(&x.d, "skipped");
	dfs_write(&x.d, "gmmu_inject", "flush");
	for (unsigned int i = 0; i < 3; i++)
		memset(x.src.map + xdirty[i] * PAGE, 0x90 + i, PAGE);
	igt_assert_eq(xdev_copy(&x), 2);
	igt_assert_eq(dfs_stat(&x.d, "skipped"), skipped + 1);
	igt_assert_eq(dfs_violations(&x.d), 1);
	igt_assert_eq(dfs_value(&x.d, "swgpu_coherency", "walk_violations"), 0);

	/* One-shot: the next round is clean again. */
	memset(x.src.map + xdirty[0] * PAGE, 0x99, PAGE);
	igt_assert_eq(xdev_copy(&x), 1);
	igt_assert_bytes(x.dst.map + xdirty[0] * PAGE, PAGE, 0x99);
	igt_assert_eq(dfs_violations(&x.d), 1);
	xdev_fini(&x);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("roundtrip")
		each_gpu(g, n, test_roundtrip);
	igt_subtest("flush-dirtied-pages-only")
		each_gpu(g, n, test_flush_dirtied_only);
	igt_subtest("skipped-flush-is-caught")
		each_noncoherent_gpu(g, n, test_skipped_flush);
	igt_subtest("skipped-invalidate-is-caught")
		each_noncoherent_gpu(g, n, test_skipped_invalidate);
	igt_subtest("skipped-table-sync-is-caught")
		each_noncoherent_gpu(g, n, test_skipped_table_sync);
	igt_subtest("cross-device-exporter-mmap")
		each_xpair(g, n, test_x_exporter_mmap);
	igt_subtest("cross-device-dmabuf-mmap")
		each_xpair(g, n, test_x_dmabuf_mmap);
	igt_subtest("cross-device-skipped-flush-is-caught")
		each_xpair(g, n, test_x_skipped_flush);

	igt_fixture
		gpus_close(g, n);
}
