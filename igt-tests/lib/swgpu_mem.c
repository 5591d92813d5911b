// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "swgpu_dfs.h"
#include "swgpu_mem.h"

#define PAGE		4096ull
#define CHUNK		(16ull << 20)

static int zram_ours;

long long file_value(const char *file, const char *key)
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

int sh(const char *cmd)
{
	igt_debug("+ %s\n", cmd);
	return system(cmd);
}

int zram_swap_on(void)
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

void zram_swap_off(void)
{
	if (!zram_ours)
		return;
	sh("swapoff /dev/zram0");
	sh("echo 1 > /sys/block/zram0/reset");
	if (!access("/sys/module/zram/initstate", F_OK))
		sh("rmmod zram");
	zram_ours = 0;
}

long long squeeze_memory(long long leave_mb)
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

void squeeze_release(void)
{
	sh("echo 0 > /proc/sys/vm/nr_hugepages");
}

static uint64_t stamp(int i, uint64_t p)
{
	return ((uint64_t)i << 32) | p;
}

/*
 * A job of @v copies the stamp of one page of each of the @n BOs (bound
 * from TVM_DATA_VA on) to its scratch BO: a page further in each time.
 */
static void read_stamps(struct tvm *v, int n)
{
	struct swgpu_batch *b = tvm_batch(v);
	uint64_t *got = (uint64_t *)v->scratch.map;

	for (int i = 0; i < n; i++)
		swgpu_batch_copy(b, TVM_SCRATCH_VA + i * 8,
				 TVM_DATA_VA + i * CHUNK + (i * PAGE) % CHUNK, 8);
	igt_assert_eq(tvm_run(v, NULL), 0);
	for (int i = 0; i < n; i++)
		igt_assert_eq_u64(got[i], stamp(i, (i * PAGE) % CHUNK));
}

void pressure(struct gpu *g, struct tvm *vms, int nvms)
{
	long long ev0 = gpu_backing(g, "pages_evicted");
	long long scans0 = gpu_backing(g, "shrinker_scans");
	long long bound0 = gpu_backing(g, "bound_evictions");
	long long re0 = gpu_backing(g, "restores");
	long long taken, avail;
	struct buf *bufs;
	uint64_t p;
	int n, i, j;

	igt_require_f(file_value("/proc/meminfo", "SwapTotal") > 0, "no swap\n");
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
	n = (avail + 128) / (CHUNK >> 20) + 1;
	/* Every BO's stamp fits in the lower half of a VM's scratch BO. */
	igt_assert_lte(n, TVM_SCRATCH_SIZE / 2 / 8);
	bufs = calloc(n, sizeof(*bufs));
	igt_assert(bufs);
	for (i = 0; i < n; i++) {
		buf_create(g->fd, CHUNK, &bufs[i]);
		for (j = 0; j < nvms; j++)
			igt_assert_eq(swgpu_vm_bind(g->fd, vms[j].id,
						    bufs[i].handle, 0,
						    TVM_DATA_VA + i * CHUNK,
						    CHUNK, 0), 0);
		/* One stamp per page: zram keeps it small, RAM still fills. */
		for (p = 0; p < CHUNK; p += PAGE)
			*(uint64_t *)(bufs[i].map + p) = stamp(i, p);
	}
	if (nvms) {
		/* Room again for all of them: the jobs restore every one. */
		squeeze_release();
		igt_info("%s: %lld bound BOs evicted\n", g->name,
			 gpu_backing(g, "bound_evictions") - bound0);
		igt_assert_lt(bound0, gpu_backing(g, "bound_evictions"));
		for (j = 0; j < nvms; j++)
			read_stamps(&vms[j], n);
		igt_info("%s: %lld restores by %d VMs\n", g->name,
			 gpu_backing(g, "restores") - re0, nvms);
		igt_assert_lte(re0 + nvms, gpu_backing(g, "restores"));
	}
	for (i = 0; i < n; i++) {
		for (p = 0; p < CHUNK; p += PAGE)
			igt_assert_eq_u64(*(uint64_t *)(bufs[i].map + p),
					  stamp(i, p));
		buf_destroy(&bufs[i]);
	}
	free(bufs);
	squeeze_release();
	igt_info("%s: %lld MiB reserved, %d MiB of BOs over %lld MiB available: %lld pages evicted by %lld shrinker scans\n",
		 g->name, taken, n * (int)(CHUNK >> 20), avail,
		 gpu_backing(g, "pages_evicted") - ev0,
		 gpu_backing(g, "shrinker_scans") - scans0);
	igt_assert_lt(0, gpu_backing(g, "pages_evicted") - ev0);
	igt_assert_lt(scans0, gpu_backing(g, "shrinker_scans"));
}
