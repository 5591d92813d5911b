// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Write-combined BOs (DRM_GMMU_BO_CREATE_WC): accepted by the GPU that
 * does not snoop, refused by the coherent one; data survives CPU write
 * (WC mmap) -> GPU read -> GPU write -> CPU read with nothing flushed or
 * invalidated and zero checker violations; and the checker still catches
 * a skipped flush of a cached BO next to WC ones.
 */
#include <string.h>

#include "swgpu_dfs.h"

#define PAGE	4096ull
#define PAGES	16

static void test_create(struct gpu *g)
{
	uint64_t flags = ~0ull;
	uint32_t h = 0;
	int ret;

	/* What the GPU says it accepts is what it accepts. */
	igt_assert_eq(swgpu_get_param(g->fd, DRM_GMMU_PARAM_BO_CREATE_FLAGS, &flags), 0);
	igt_assert_eq_u64(flags, g->coherent ? 0 : DRM_GMMU_BO_CREATE_WC);
	ret = swgpu_bo_create_flags(g->fd, PAGE, DRM_GMMU_BO_CREATE_WC, &h);
	igt_assert_f(ret == (g->coherent ? -EINVAL : 0),
		     "%s: WC create gave %d\n", g->name, ret);
	if (!ret)
		igt_assert_eq(swgpu_bo_close(g->fd, h), 0);
}

static void test_bad_flags(struct gpu *g)
{
	struct drm_gmmu_bo_create_args c;

	for (unsigned int bit = 1; bit < 32; bit++) {
		memset(&c, 0, sizeof(c));
		c.size = PAGE;
		c.flags = DRM_GMMU_BO_CREATE_WC | 1u << bit;
		c.handle = 0xdead;
		do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_BO_CREATE, &c, EINVAL);
		igt_assert_eq_u32(c.handle, 0xdead);
	}
}

/*
 * BO a (@a_flags) and WC BO b bound one after the other, a batch copying
 * a to b run once, so that the cached batch's own flush is behind us.
 */
struct wc {
	struct dfs d;
	struct tvm v;
	struct buf a, b;
};

static void wc_init(struct wc *w, struct gpu *g, uint32_t a_flags)
{
	const uint64_t size = PAGES * PAGE;

	dfs_init(&w->d, g);
	tvm_init(&w->v, g->fd);
	buf_create_flags(g->fd, size, a_flags, &w->a);
	buf_create_flags(g->fd, size, DRM_GMMU_BO_CREATE_WC, &w->b);
	igt_assert_eq(swgpu_vm_bind(g->fd, w->v.id, w->a.handle, 0, TVM_DATA_VA,
				    size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, w->v.id, w->b.handle, 0,
				    TVM_DATA_VA + size, size, 0), 0);
	dfs_write(&w->d, "swgpu_coherency", "0");
	swgpu_batch_copy(tvm_batch(&w->v), TVM_DATA_VA + size, TVM_DATA_VA, size);
	igt_assert_eq(tvm_run(&w->v, NULL), 0);
}

static void wc_fini(struct wc *w)
{
	dfs_write(&w->d, "gmmu_inject", "none");
	tvm_fini(&w->v);
	buf_destroy(&w->a);
	buf_destroy(&w->b);
}

/* Submits the batch in the batch BO again, without touching it. */
static void rerun(struct wc *w)
{
	int fence = -1;

	igt_assert_eq(swgpu_exec(w->v.fd, w->v.id, TVM_BATCH_VA, &fence, NULL), 0);
	igt_assert_eq(fence_status(fence), 0);
}

static void test_roundtrip(struct gpu *g)
{
	const uint64_t size = PAGES * PAGE;
	long long flushed, invalidated, flushes;
	struct wc w;

	wc_init(&w, g, DRM_GMMU_BO_CREATE_WC);
	flushed = dfs_stat(&w.d, "pages_flushed");
	invalidated = dfs_stat(&w.d, "pages_invalidated");
	flushes = dfs_stat(&w.d, "flush_calls");

	for (int round = 1; round <= 3; round++) {
		/* CPU writes a through WC, the GPU reads a and writes b. */
		pattern_fill(w.a.map, size, round);
		rerun(&w);
		/* The CPU reads what the GPU wrote, through WC. */
		igt_assert_pattern(w.b.map, size, round, 0);
	}

	igt_assert_eq(dfs_stat(&w.d, "pages_flushed"), flushed);
	igt_assert_eq(dfs_stat(&w.d, "pages_invalidated"), invalidated);
	igt_assert_eq(dfs_stat(&w.d, "flush_calls"), flushes);
	igt_assert_eq(dfs_violations(&w.d), 0);
	wc_fini(&w);
}

/* A cached source next to a WC destination: its skipped flush is caught. */
static void test_cached_skipped_flush(struct gpu *g)
{
	const uint64_t size = PAGES * PAGE;
	long long flushed;
	struct wc w;

	wc_init(&w, g, 0);
	memset(w.a.map, 0x11, PAGE);
	flushed = dfs_stat(&w.d, "pages_flushed");
	rerun(&w);
	igt_assert_bytes(w.b.map, PAGE, 0x11);
	/* The cached page the CPU dirtied, and nothing of the WC BO. */
	igt_assert_eq(dfs_stat(&w.d, "pages_flushed"), flushed + 1);
	igt_assert_eq(dfs_violations(&w.d), 0);

	dfs_write(&w.d, "gmmu_inject", "flush");
	memset(w.a.map, 0x22, PAGE);
	rerun(&w);
	igt_assert_eq(dfs_violations(&w.d), 1);
	/* The pages the CPU did not write were copied as zero. */
	igt_assert_bytes(w.b.map + PAGE, size - PAGE, 0);
	wc_fini(&w);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("create-per-profile")
		each_gpu(g, n, test_create);
	igt_subtest("create-bad-flags")
		each_gpu(g, n, test_bad_flags);
	igt_subtest("roundtrip-nothing-flushed")
		each_noncoherent_gpu(g, n, test_roundtrip);
	igt_subtest("cached-skipped-flush-still-caught")
		each_noncoherent_gpu(g, n, test_cached_skipped_flush);

	igt_fixture
		gpus_close(g, n);
}
