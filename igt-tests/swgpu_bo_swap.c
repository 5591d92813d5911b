// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * BO backing storage leaves RAM and comes back, on both GPU models:
 * eviction on demand (debugfs gmmu_evict) pushes an unbound BO to swap on
 * zram and its content returns on the next access; a write through a user
 * mapping made before the eviction lands in the restored object (the PTEs
 * were shot down); an idle bound BO is evicted and its next job brings it
 * back; the shrinker evicts under drop_caches and under real memory
 * pressure (swgpu_evict puts bound BOs under it), and contents survive.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swgpu_dfs.h"
#include "swgpu_igt.h"
#include "swgpu_mem.h"

#define PAGE		4096ull
#define BO_SIZE		(1024 * PAGE)

static int swap_ready;

/* Evicts every unpinned BO of the GPU; returns the pages released. */
static long long evict_all(const struct gpu *g)
{
	struct dfs d;

	dfs_init(&d, g);
	return dfs_evict_all(&d);
}

static long long swap_free_kb(void)
{
	return file_value("/proc/meminfo", "SwapFree");
}

static void *map_again(const struct buf *b)
{
	void *p;

	igt_assert_eq(swgpu_bo_mmap(b->fd, b->handle, b->size, &p), 0);
	return p;
}

/* Written, evicted to swap, read back: counters and SwapFree move. */
static void test_swap_out_in(struct gpu *g)
{
	long long out0, in0, swap0, swapped, released;
	struct buf a;

	igt_require_f(swap_ready, "no swap\n");
	buf_create(g->fd, BO_SIZE, &a);
	pattern_fill(a.map, BO_SIZE, 71);
	out0 = gpu_backing(g, "pages_swapped_out");
	in0 = gpu_backing(g, "pages_restored");
	swap0 = swap_free_kb();

	released = evict_all(g);
	swapped = gpu_backing(g, "pages_swapped_out") - out0;
	igt_info("%s: evicted %lld pages, %lld to swap, SwapFree -%lld kB\n",
		 g->name, released, swapped, swap0 - swap_free_kb());
	igt_assert_eq(released, BO_SIZE / PAGE);
	igt_assert_eq(swapped, BO_SIZE / PAGE);
	/* Swap slots are allocated for every page, compressed or not. */
	igt_assert_lte(BO_SIZE / 1024, swap0 - swap_free_kb());

	igt_assert_pattern(a.map, BO_SIZE, 71, 0);
	igt_assert_eq(gpu_backing(g, "pages_restored") - in0, BO_SIZE / PAGE);
	buf_destroy(&a);
}

/*
 * A write through a mapping made before the eviction reaches the restored
 * object: seen through a second mapping, and by the GPU.
 */
static void test_write_after_evict(struct gpu *g)
{
	struct tvm v;
	struct buf a, b;
	uint8_t *again;

	tvm_init(&v, g->fd);
	buf_create(g->fd, BO_SIZE, &a);
	buf_create(g->fd, BO_SIZE, &b);
	pattern_fill(a.map, BO_SIZE, 5);
	igt_assert_lte(BO_SIZE / PAGE, evict_all(g));

	/* The same mapping, whose PTEs were shot down. */
	memset(a.map + 3 * PAGE, 0xa5, 2 * PAGE);
	again = map_again(&a);
	igt_assert_pattern(again, 3 * PAGE, 5, 0);
	igt_assert_bytes(again + 3 * PAGE, 2 * PAGE, 0xa5);
	igt_assert_pattern(again + 5 * PAGE, BO_SIZE - 5 * PAGE, 5, 5 * PAGE);
	munmap(again, BO_SIZE);

	/* Evicted again with the write in it; the GPU reads it back in. */
	igt_assert_lte(BO_SIZE / PAGE, evict_all(g));
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, TVM_DATA_VA,
				    BO_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, b.handle, 0,
				    TVM_DATA_VA + BO_SIZE, BO_SIZE, 0), 0);
	swgpu_batch_copy(tvm_batch(&v), TVM_DATA_VA + BO_SIZE, TVM_DATA_VA,
			 BO_SIZE);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(b.map, 3 * PAGE, 5, 0);
	igt_assert_bytes(b.map + 3 * PAGE, 2 * PAGE, 0xa5);
	igt_assert_pattern(b.map + 5 * PAGE, BO_SIZE - 5 * PAGE, 5, 5 * PAGE);

	tvm_fini(&v);
	buf_destroy(&a);
	buf_destroy(&b);
}

/*
 * An idle bound BO is evicted too, and the next job of its VM brings it
 * back: the GPU reads what the CPU wrote before the eviction.
 */
static void test_bound_evicted(struct gpu *g)
{
	long long in0, ev0;
	struct tvm v;
	struct buf a, b;

	tvm_init(&v, g->fd);
	buf_create(g->fd, BO_SIZE, &a);
	buf_create(g->fd, BO_SIZE, &b);
	pattern_fill(a.map, BO_SIZE, 9);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, TVM_DATA_VA,
				    BO_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, b.handle, 0,
				    TVM_DATA_VA + BO_SIZE, BO_SIZE, 0), 0);
	tvm_assert_works(&v);
	in0 = gpu_backing(g, "pages_restored");
	ev0 = gpu_backing(g, "bound_evictions");
	/* The batch, the scratch and both BOs are idle: all of them go. */
	igt_assert_lte(2 * BO_SIZE / PAGE, evict_all(g));
	igt_assert_lte(ev0 + 4, gpu_backing(g, "bound_evictions"));
	swgpu_batch_copy(tvm_batch(&v), TVM_DATA_VA + BO_SIZE, TVM_DATA_VA,
			 BO_SIZE);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(b.map, BO_SIZE, 9, 0);
	igt_assert_lte(in0 + 2 * BO_SIZE / PAGE, gpu_backing(g, "pages_restored"));
	tvm_fini(&v);
	buf_destroy(&a);
	buf_destroy(&b);
}

/* drop_caches runs every shrinker: ours evicts, without debugfs. */
static void test_shrinker_drop_caches(struct gpu *g)
{
	long long scans0, ev0;
	struct buf a;

	igt_require_f(swap_ready, "no swap: the shrinker has nothing to free\n");
	buf_create(g->fd, BO_SIZE, &a);
	pattern_fill(a.map, BO_SIZE, 13);
	scans0 = gpu_backing(g, "shrinker_scans");
	ev0 = gpu_backing(g, "pages_evicted");
	igt_assert_eq(sh("echo 2 > /proc/sys/vm/drop_caches"), 0);
	igt_info("%s: drop_caches: %lld scans, %lld pages evicted\n", g->name,
		 gpu_backing(g, "shrinker_scans") - scans0,
		 gpu_backing(g, "pages_evicted") - ev0);
	igt_assert_lt(scans0, gpu_backing(g, "shrinker_scans"));
	igt_assert_lte(BO_SIZE / PAGE, gpu_backing(g, "pages_evicted") - ev0);
	igt_assert_pattern(a.map, BO_SIZE, 13, 0);
	buf_destroy(&a);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture {
		n = gpus_open(g);
		dfs_require(&g[0], "gmmu_evict");
		swap_ready = zram_swap_on();
	}

	igt_subtest("swap-out-and-in")
		each_gpu(g, n, test_swap_out_in);
	igt_subtest("write-after-evict-lands")
		each_gpu(g, n, test_write_after_evict);
	igt_subtest("bound-bo-evicted-and-restored")
		each_gpu(g, n, test_bound_evicted);
	igt_subtest("shrinker-drop-caches")
		each_gpu(g, n, test_shrinker_drop_caches);
	igt_subtest("pressure")
		pressure(&g[0], NULL, 0);

	igt_fixture {
		gpus_close(g, n);
		/* A failed pressure subtest may have left memory reserved. */
		squeeze_release();
		zram_swap_off();
	}
}
