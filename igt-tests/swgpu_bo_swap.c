// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * BO backing storage leaves RAM and comes back, on both GPU models:
 * eviction on demand (debugfs gmmu_evict) pushes an unbound BO to swap on
 * zram and its content returns on the next access; a write through a user
 * mapping made before the eviction lands in the restored object (the PTEs
 * were shot down); an idle bound BO is evicted and its next job brings it
 * back; the shrinker evicts under
 * drop_caches and under real memory pressure, and contents survive.
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

#define PAGE		4096ull
#define BO_SIZE		(1024 * PAGE)

static int swap_ready;
static int zram_ours;

/* The value of "key: value" in @file, or the file's only number if !key. */
static long long file_value(const char *file, const char *key)
{
	size_t klen = key ? strlen(key) : 0;
	char line[256];
	long long v = -1;
	FILE *f;

	f = fopen(file, "r");
	igt_assert_f(f, "%s: %m\n", file);
	while (fgets(line, sizeof(line), f)) {
		if (!key)
			v = strtoll(line, NULL, 0);
		else if (!strncmp(line, key, klen) && line[klen] == ':')
			v = strtoll(line + klen + 1, NULL, 0);
	}
	fclose(f);
	igt_assert_f(v >= 0, "%s: no \"%s\"\n", file, key ? key : "value");
	return v;
}

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

static int sh(const char *cmd)
{
	igt_debug("+ %s\n", cmd);
	return system(cmd);
}

/*
 * Swap on zram, 1 GiB, unless swap is on already. The guest shares the
 * host's root, where zram's module and util-linux's mkswap/swapon are;
 * the debug kernel has zram built in.
 */
static int zram_swap_on(void)
{
	if (file_value("/proc/meminfo", "SwapTotal") > 0)
		return 1;
	/* Built in on the debug kernel, a module on Debian's. */
	if ((access("/sys/block/zram0", F_OK) &&
	     sh("modprobe zram num_devices=1")) ||
	    sh("echo 1G > /sys/block/zram0/disksize") ||
	    sh("mkswap /dev/zram0 >/dev/null") || sh("swapon /dev/zram0"))
		return 0;
	zram_ours = 1;
	return file_value("/proc/meminfo", "SwapTotal") > 0;
}

static void zram_swap_off(void)
{
	if (!zram_ours)
		return;
	sh("swapoff /dev/zram0");
	sh("echo 1 > /sys/block/zram0/reset");
	if (!access("/sys/module/zram/initstate", F_OK))
		sh("rmmod zram");
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

/*
 * Takes all but @leave_mb of the available memory away as reserved huge
 * pages (cheap: nothing is written), so that a few hundred MiB of BOs are
 * real memory pressure on any lane. Returns the MiB it took.
 */
static long long squeeze_memory(long long leave_mb)
{
	long long avail = file_value("/proc/meminfo", "MemAvailable") >> 10;
	long long hp_mb = file_value("/proc/meminfo", "Hugepagesize") >> 10;
	char cmd[96];

	if (avail <= leave_mb || !hp_mb)
		return 0;
	snprintf(cmd, sizeof(cmd), "echo %lld > /proc/sys/vm/nr_hugepages",
		 (avail - leave_mb) / hp_mb);
	igt_assert_eq(sh(cmd), 0);
	return file_value("/proc/meminfo", "HugePages_Total") * hp_mb;
}

/*
 * More BO memory than the guest has free: reclaim must call the shrinker,
 * which swaps the BOs not being touched out, and every one reads back
 * intact. With @v, every BO is bound in that VM too: the shrinker evicts
 * bound BOs, and a job of the VM afterwards brings them back.
 */
static void pressure(struct gpu *g, struct tvm *v)
{
	long long ev0 = gpu_backing(g, "pages_evicted");
	long long scans0 = gpu_backing(g, "shrinker_scans");
	long long bound0 = gpu_backing(g, "bound_evictions");
	long long re0 = gpu_backing(g, "restores");
	const uint64_t chunk = 16ull << 20;
	long long taken, avail;
	struct buf *bufs;
	uint64_t p;
	int n, i;

	igt_require_f(swap_ready, "no swap\n");
	/*
	 * kmemleak allocates its metadata without retrying; under this much
	 * pressure that fails, its small emergency pool runs dry and it
	 * switches itself off, which would blind the debug lane's leak check.
	 * There the debugfs and drop_caches subtests cover eviction instead.
	 */
	igt_require_f(access("/sys/kernel/debug/kmemleak", F_OK) != 0,
		      "kmemleak is on: real memory pressure would switch it off\n");
	taken = squeeze_memory(256);
	avail = file_value("/proc/meminfo", "MemAvailable") >> 10;
	n = (avail + 128) / 16 + 1;
	bufs = calloc(n, sizeof(*bufs));
	igt_assert(bufs);
	for (i = 0; i < n; i++) {
		buf_create(g->fd, chunk, &bufs[i]);
		if (v)
			igt_assert_eq(swgpu_vm_bind(g->fd, v->id, bufs[i].handle, 0,
						    TVM_DATA_VA + i * chunk,
						    chunk, 0), 0);
		/* One stamp per page: zram keeps it small, RAM still fills. */
		for (p = 0; p < chunk; p += PAGE)
			*(uint64_t *)(bufs[i].map + p) = ((uint64_t)i << 32) | p;
	}
	if (v) {
		/* Room again for all of them: the job restores every one. */
		sh("echo 0 > /proc/sys/vm/nr_hugepages");
		igt_info("%s: %lld bound BOs evicted\n", g->name,
			 gpu_backing(g, "bound_evictions") - bound0);
		igt_assert_lt(bound0, gpu_backing(g, "bound_evictions"));
		swgpu_batch_copy(tvm_batch(v), TVM_SCRATCH_VA,
				 TVM_DATA_VA + (n - 1) * chunk + PAGE, 8);
		igt_assert_eq(tvm_run(v, NULL), 0);
		igt_assert_eq_u64(*(uint64_t *)v->scratch.map,
				  ((uint64_t)(n - 1) << 32) | PAGE);
		igt_assert_lt(re0, gpu_backing(g, "restores"));
	}
	for (i = 0; i < n; i++) {
		for (p = 0; p < chunk; p += PAGE)
			igt_assert_eq_u64(*(uint64_t *)(bufs[i].map + p),
					  ((uint64_t)i << 32) | p);
		buf_destroy(&bufs[i]);
	}
	free(bufs);
	sh("echo 0 > /proc/sys/vm/nr_hugepages");
	igt_info("%s: %lld MiB reserved, %d MiB of BOs over %lld MiB available: %lld pages evicted by %lld shrinker scans\n",
		 g->name, taken, n * 16, avail, gpu_backing(g, "pages_evicted") - ev0,
		 gpu_backing(g, "shrinker_scans") - scans0);
	igt_assert_lt(0, gpu_backing(g, "pages_evicted") - ev0);
	igt_assert_lt(scans0, gpu_backing(g, "shrinker_scans"));
}

static void test_pressure(struct gpu *g)
{
	pressure(g, NULL);
}

static void test_pressure_bound(struct gpu *g)
{
	struct tvm v;

	tvm_init(&v, g->fd);
	pressure(g, &v);
	tvm_fini(&v);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	struct dfs d;
	int n = 0;

	igt_fixture {
		n = gpus_open(g);
		dfs_init(&d, &g[0]);
		igt_require_f(dfs_exists(&d, "gmmu_evict"),
			      "no %s/gmmu_evict\n", d.dir);
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
		test_pressure(&g[0]);
	igt_subtest("pressure-bound")
		test_pressure_bound(&g[0]);

	igt_fixture {
		gpus_close(g, n);
		/* A failed pressure subtest may have left memory reserved. */
		sh("echo 0 > /proc/sys/vm/nr_hugepages");
		zram_swap_off();
	}
}
