// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Eviction of bound BOs and pins by purpose (drm_gmmu "Eviction", "Pins
 * by purpose"): a BO bound in two VMs is evicted between and during
 * streams of jobs on every GPU and each job still gets the right bytes;
 * an eviction never takes a BO from under a running job (it passes it
 * over, or waits), nor from under an asynchronous bind not settled yet;
 * the last unbind of a BO releases its level-1 mapping
 * and its pin, a failed bind leaves none; a file's pinned memory is
 * limited (-ENOSPC) (an import's pin on its exporter's BO is
 * swgpu_dmabuf_move's); under real memory pressure the shrinker
 * evicts BOs bound in two VMs and both VMs' jobs read them back; debugfs
 * gmmu_evict rejects what it does not understand.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_dfs.h"
#include "swgpu_igt.h"
#include "swgpu_mem.h"

#define PAGE		4096ull
#define BO_SIZE		(256 * PAGE)
#define SRC_VA		TVM_DATA_VA
#define DST_VA		(TVM_DATA_VA + 0x400000ull)
#define LIMIT_PARAM	"/sys/module/drm_gmmu/parameters/pin_limit_mb"

/* Level-1 mappings of the GPU that exist now. */
static long long level1_live(const struct gpu *g)
{
	struct dfs d;

	dfs_init(&d, g);
	return dfs_value(&d, "gmmu_vms", "level1_maps") -
	       dfs_value(&d, "gmmu_vms", "level1_unmaps");
}

static long long evict_bo(const struct gpu *g, const struct buf *b, int wait)
{
	struct dfs d;

	dfs_init(&d, g);
	return dfs_evict_bo(&d, g->fd, b->handle, wait);
}

static long long pinned(const struct gpu *g)
{
	struct dfs d;

	dfs_init(&d, g);
	return dfs_file_pinned(&d, g->fd);
}

static void bind(struct tvm *v, const struct buf *b, uint64_t va)
{
	igt_assert_eq(swgpu_vm_bind(v->fd, v->id, b->handle, 0, va, b->size, 0), 0);
}

/*
 * Two VMs copy one shared source BO into their own destinations, round
 * after round: the source and both destinations are evicted before some
 * rounds (idle: they go) and while others run (busy: passed over).
 * Every destination holds the source's bytes after every round, and the
 * source is intact at the end.
 */
static void test_stream(struct gpu *g)
{
	long long ev0 = gpu_backing(g, "bound_evictions");
	long long re0 = gpu_backing(g, "restores");
	long long busy0 = gpu_backing(g, "skipped_busy");
	struct buf src, dst[2];
	struct tvm v[2];
	int fence[2];

	buf_create(g->fd, BO_SIZE, &src);
	pattern_fill(src.map, BO_SIZE, 31);
	for (int i = 0; i < 2; i++) {
		tvm_init(&v[i], g->fd);
		buf_create(g->fd, BO_SIZE, &dst[i]);
		bind(&v[i], &src, SRC_VA);
		bind(&v[i], &dst[i], DST_VA);
	}
	for (int round = 0; round < 6; round++) {
		/* Even rounds: everything idle is evicted before the jobs. */
		if (!(round & 1)) {
			evict_bo(g, &src, 0);
			for (int i = 0; i < 2; i++)
				evict_bo(g, &dst[i], 0);
		}
		for (int i = 0; i < 2; i++) {
			memset(dst[i].map, 0, BO_SIZE);
			swgpu_batch_copy(tvm_batch(&v[i]), DST_VA, SRC_VA,
					 BO_SIZE);
			fence[i] = tvm_submit(&v[i], NULL);
		}
		/* Odd rounds: an eviction while the jobs may still run. */
		if (round & 1) {
			struct dfs d;

			dfs_init(&d, g);
			dfs_evict_all(&d);
		}
		for (int i = 0; i < 2; i++) {
			igt_assert_eq(fence_status(fence[i]), 0);
			igt_assert_pattern(dst[i].map, BO_SIZE, 31, 0);
		}
	}
	igt_assert_pattern(src.map, BO_SIZE, 31, 0);
	igt_info("%s: %lld bound evictions, %lld restores, %lld passed over busy\n",
		 g->name, gpu_backing(g, "bound_evictions") - ev0,
		 gpu_backing(g, "restores") - re0,
		 gpu_backing(g, "skipped_busy") - busy0);
	/* Three rounds evicted the source: both VMs restored it each time. */
	igt_assert_lte(ev0 + 3, gpu_backing(g, "bound_evictions"));
	igt_assert_lte(re0 + 6, gpu_backing(g, "restores"));
	for (int i = 0; i < 2; i++) {
		tvm_fini(&v[i]);
		buf_destroy(&dst[i]);
	}
	buf_destroy(&src);
}

/* A long job on a bound BO: eviction passes it over, or waits for it. */
static void test_busy(struct gpu *g)
{
	const uint64_t size = 8ull << 20;
	long long busy0, ev0, released;
	unsigned int n;
	uint64_t chunk;
	struct buf big;
	struct tvm v;
	int fence;

	tvm_init(&v, g->fd);
	buf_create(g->fd, size, &big);
	bind(&v, &big, SRC_VA);
	tvm_fills_for_ms(&v, SRC_VA, size, 1500, &chunk, &n);

	for (int wait = 0; wait < 2; wait++) {
		struct swgpu_batch *b = tvm_batch(&v);

		for (unsigned int i = 0; i < n; i++)
			swgpu_batch_fill(b, SRC_VA, chunk, 0x5a5a5a5a);
		busy0 = gpu_backing(g, "skipped_busy");
		ev0 = gpu_backing(g, "bound_evictions");
		fence = tvm_submit(&v, NULL);
		released = evict_bo(g, &big, wait);
		if (!wait) {
			igt_require_f(!fence_signalled(fence),
				      "%s: the job was done before the eviction\n",
				      g->name);
			/* Passed over: nothing went, the job finishes. */
			igt_assert_eq(released, 0);
			igt_assert_eq(gpu_backing(g, "skipped_busy"), busy0 + 1);
			igt_assert_eq(gpu_backing(g, "bound_evictions"), ev0);
		} else {
			/* Waited: the job is done, then the BO went. */
			igt_assert(fence_signalled(fence));
			igt_assert_eq(released, size / PAGE);
			igt_assert_eq(gpu_backing(g, "bound_evictions"), ev0 + 1);
		}
		igt_assert_eq(fence_status(fence), 0);
		igt_assert_bytes(big.map, chunk, 0x5a);
		igt_assert_bytes(big.map + chunk, size - chunk, 0);
		memset(big.map, 0, chunk);
	}
	tvm_fini(&v);
	buf_destroy(&big);
}

/*
 * An asynchronous bind waiting for a long job holds the BO it maps: an
 * eviction passes it over (skipped_busy), and the mapping the array
 * makes is whole when its job has run. Once the array is settled the
 * BO is idle and goes, and the VM's next job brings it back.
 */
static void test_bind_unsettled(struct gpu *g)
{
	const uint64_t size = 8ull << 20;
	struct drm_gmmu_vm_bind_op op = {
		.op = DRM_GMMU_VM_BIND_OP_MAP,
		.va = DST_VA,
		.range = BO_SIZE,
	};
	struct drm_gmmu_sync in = { .flags = DRM_GMMU_SYNC_SYNC_FILE };
	struct drm_gmmu_sync out = {};
	long long busy0, released = 0;
	struct swgpu_batch *b;
	struct buf big, a;
	struct tvm w, v;
	unsigned int n;
	uint64_t chunk;
	int fence;

	tvm_init(&w, g->fd);
	tvm_init(&v, g->fd);
	buf_create(g->fd, size, &big);
	buf_create(g->fd, BO_SIZE, &a);
	pattern_fill(a.map, BO_SIZE, 23);
	bind(&w, &big, SRC_VA);
	tvm_fills_for_ms(&w, SRC_VA, size, 1500, &chunk, &n);
	b = tvm_batch(&w);
	for (unsigned int i = 0; i < n; i++)
		swgpu_batch_fill(b, SRC_VA, chunk, 0x11111111);
	fence = tvm_submit(&w, NULL);
	in.handle = dup(fence);
	op.handle = a.handle;
	igt_assert_eq(drmSyncobjCreate(g->fd, 0, &out.handle), 0);
	igt_assert_eq(swgpu_vm_bind_async(g->fd, v.id, &op, 1, &in, 1, &out, 1), 0);
	close(in.handle);
	busy0 = gpu_backing(g, "skipped_busy");
	released = evict_bo(g, &a, 0);
	igt_require_f(!fence_signalled(fence),
		      "%s: the long job was done before the eviction\n", g->name);
	igt_assert_eq(released, 0);
	igt_assert_eq(gpu_backing(g, "skipped_busy"), busy0 + 1);
	igt_assert_eq(fence_status(fence), 0);

	/*
	 * After the bind's out-fence (an exec is not ordered after an
	 * asynchronous bind it does not wait for): the mapping is there,
	 * whole.
	 */
	igt_assert_eq(drmSyncobjWait(g->fd, &out.handle, 1, INT64_MAX, 0, NULL),
		      0);
	drmSyncobjDestroy(g->fd, out.handle);
	swgpu_batch_copy(tvm_batch(&v), TVM_SCRATCH_VA, DST_VA + BO_SIZE - 8, 8);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(v.scratch.map, 8, 23, BO_SIZE - 8);
	/* Settled by a worker after its job: then the BO goes. */
	for (int ms = 0; released == 0 && ms < FENCE_TIMEOUT_MS; ms += 10) {
		released = evict_bo(g, &a, 1);
		if (!released)
			usleep(10000);
	}
	igt_assert_eq(released, BO_SIZE / PAGE);
	swgpu_batch_copy(tvm_batch(&v), TVM_SCRATCH_VA, DST_VA, 8);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(v.scratch.map, 8, 23, 0);
	igt_assert_pattern(a.map, BO_SIZE, 23, 0);
	igt_assert_bytes(big.map, chunk, 0x11);

	tvm_fini(&v);
	tvm_fini(&w);
	buf_destroy(&a);
	buf_destroy(&big);
}

/*
 * The level-1 mapping lives while a VM maps the BO: the last unbind
 * releases it and its pin, and the BO's pages can go.
 */
static void test_last_unbind(struct gpu *g)
{
	long long l1, pin0;
	struct tvm v[2];
	struct buf a;

	tvm_init(&v[0], g->fd);
	tvm_init(&v[1], g->fd);
	buf_create(g->fd, BO_SIZE, &a);
	pattern_fill(a.map, BO_SIZE, 3);
	l1 = level1_live(g);
	pin0 = pinned(g);
	bind(&v[0], &a, SRC_VA);
	bind(&v[1], &a, SRC_VA);
	/* Mapped once for both VMs, counted once per VM. */
	igt_assert_eq(level1_live(g), l1 + 1);
	igt_assert_eq(pinned(g), pin0 + 2 * (long long)BO_SIZE);

	igt_assert_eq(swgpu_vm_unbind(g->fd, v[0].id, SRC_VA, BO_SIZE), 0);
	igt_assert_eq(level1_live(g), l1 + 1);
	igt_assert_eq(pinned(g), pin0 + (long long)BO_SIZE);
	/* Half an unbind is no last unbind. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v[1].id, SRC_VA, BO_SIZE / 2), 0);
	igt_assert_eq(level1_live(g), l1 + 1);
	igt_assert_eq(swgpu_vm_unbind(g->fd, v[1].id, SRC_VA + BO_SIZE / 2,
				      BO_SIZE / 2), 0);
	igt_assert_eq(level1_live(g), l1);
	igt_assert_eq(pinned(g), pin0);
	/* Nothing pins it: an eviction releases every page. */
	igt_assert_eq(evict_bo(g, &a, 0), BO_SIZE / PAGE);
	igt_assert_pattern(a.map, BO_SIZE, 3, 0);

	tvm_fini(&v[0]);
	tvm_fini(&v[1]);
	buf_destroy(&a);
}

static void set_limit_mb(long long mb)
{
	char s[32];
	FILE *f = fopen(LIMIT_PARAM, "w");

	igt_assert_f(f, "%s: %m\n", LIMIT_PARAM);
	snprintf(s, sizeof(s), "%lld", mb);
	igt_assert(fputs(s, f) >= 0);
	igt_assert_eq(fclose(f), 0);
}

/* Polls @what until it is @want, for up to FENCE_TIMEOUT_MS. */
static long long settle_to(const struct gpu *g, long long (*what)(const struct gpu *),
			   long long want)
{
	long long v = what(g);

	for (int ms = 0; v != want && ms < FENCE_TIMEOUT_MS; ms += 10) {
		usleep(10000);
		v = what(g);
	}
	return v;
}

/*
 * Binds that fail leave no pin: a synchronous array whose second MAP is
 * past the file's limit (refused after the first BO was level-1 mapped),
 * and an asynchronous array whose in-fence fails (undone once its job
 * has failed).
 */
static void test_failed_bind(struct gpu *g)
{
	struct drm_gmmu_vm_bind_op ops[2] = {};
	struct drm_gmmu_sync in = { .flags = DRM_GMMU_SYNC_SYNC_FILE };
	long long l1, pin0;
	struct tvm v, f;
	struct buf a, b;
	int status = 1;

	tvm_init(&v, g->fd);
	tvm_init(&f, g->fd);
	buf_create(g->fd, BO_SIZE, &a);
	buf_create(g->fd, 4 * BO_SIZE, &b);
	pattern_fill(a.map, BO_SIZE, 8);
	l1 = level1_live(g);
	pin0 = pinned(g);
	for (int i = 0; i < 2; i++) {
		ops[i].op = DRM_GMMU_VM_BIND_OP_MAP;
		ops[i].handle = i ? b.handle : a.handle;
		ops[i].va = i ? DST_VA : SRC_VA;
		ops[i].range = i ? b.size : a.size;
	}
	/* Room for a, not for b as well. */
	set_limit_mb(((pin0 + BO_SIZE) >> 20) + 1);
	igt_assert_eq(swgpu_vm_bind_ops(g->fd, v.id, ops, 2), -ENOSPC);
	set_limit_mb(0);
	igt_assert_eq(level1_live(g), l1);
	igt_assert_eq(pinned(g), pin0);

	/* A faulting job's fence fails with -EFAULT. */
	swgpu_batch_store_dword(tvm_batch(&f), DST_VA + 0x10000000ull, 1);
	in.handle = tvm_submit(&f, NULL);
	igt_assert_eq(swgpu_fence_wait(in.handle, FENCE_TIMEOUT_MS, &status), 0);
	igt_assert_eq(status, -EFAULT);
	igt_assert_eq(swgpu_vm_bind_async(g->fd, v.id, ops, 2, &in, 1, NULL, 0), 0);
	close(in.handle);
	igt_assert_eq(settle_to(g, level1_live, l1), l1);
	igt_assert_eq(settle_to(g, pinned, pin0), pin0);
	/* Nothing maps or pins a: its pages can go. */
	igt_assert_eq(evict_bo(g, &a, 0), BO_SIZE / PAGE);
	igt_assert_pattern(a.map, BO_SIZE, 8, 0);
	/* The VM is as it was. */
	tvm_store_fault(&v, SRC_VA, DRM_GMMU_FAULT_WRITE);

	tvm_fini(&f);
	tvm_fini(&v);
	buf_destroy(&a);
	buf_destroy(&b);
}

/*
 * Past the file's limit a bind fails with -ENOSPC and changes nothing; a
 * BO counts once per VM that maps it.
 */
static void test_limit(struct gpu *g)
{
	const uint64_t mb = 1ull << 20;
	long long pin0, limit;
	struct buf a[3];
	struct tvm v;
	uint32_t w;

	tvm_init(&v, g->fd);
	for (int i = 0; i < 3; i++)
		buf_create(g->fd, mb, &a[i]);
	pin0 = pinned(g);
	/* Two MiB more than is pinned, rounded up: less than three. */
	limit = (pin0 + 2 * mb + mb - 1) / mb;
	set_limit_mb(limit);
	bind(&v, &a[0], SRC_VA);
	bind(&v, &a[1], SRC_VA + mb);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a[2].handle, 0, SRC_VA + 2 * mb,
				    mb, 0), -ENOSPC);
	igt_assert_eq(pinned(g), pin0 + 2 * (long long)mb);
	tvm_store_fault(&v, SRC_VA + 2 * mb, DRM_GMMU_FAULT_WRITE);
	/* A BO the VM maps already costs nothing more. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a[0].handle, 0, DST_VA, mb, 0), 0);
	igt_assert_eq(pinned(g), pin0 + 2 * (long long)mb);
	/* In another VM it counts again. */
	igt_assert_eq(swgpu_vm_create(g->fd, &w), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, w, a[0].handle, 0, SRC_VA, mb, 0),
		      -ENOSPC);
	set_limit_mb(0);
	igt_assert_eq(swgpu_vm_bind(g->fd, w, a[0].handle, 0, SRC_VA, mb, 0), 0);
	igt_assert_eq(pinned(g), pin0 + 3 * (long long)mb);
	igt_assert_eq(swgpu_vm_destroy(g->fd, w), 0);
	igt_assert_eq(pinned(g), pin0 + 2 * (long long)mb);
	tvm_fini(&v);
	for (int i = 0; i < 3; i++)
		buf_destroy(&a[i]);
}

/*
 * Under memory pressure the shrinker (trylocking reservations only)
 * evicts idle BOs bound in two VMs; each VM's next job restores them and
 * reads every BO's bytes, the CPU reads every page (see pressure()).
 */
static void test_shrinker(struct gpu *g)
{
	struct tvm v[2];

	tvm_init(&v[0], g->fd);
	tvm_init(&v[1], g->fd);
	pressure(g, v, 2);
	tvm_fini(&v[0]);
	tvm_fini(&v[1]);
}

/* Writes @s to @g's gmmu_evict in one write(): 0 or -errno. */
static int evict_cmd(const struct gpu *g, const char *s)
{
	char path[PATH_MAX + 32];
	struct dfs d;
	int fd, ret = 0;

	dfs_init(&d, g);
	snprintf(path, sizeof(path), "%s/gmmu_evict", d.dir);
	fd = open(path, O_WRONLY);
	igt_assert_f(fd >= 0, "%s: %m\n", path);
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * gmmu_evict takes "all", "offset N" and "offset N wait" and nothing
 * else: the rest is -EINVAL, an offset no BO has -ENOENT, and none of it
 * evicts anything.
 */
static void test_bad_input(struct gpu *g)
{
	static const char *const bad[] = {
		"", " ", "al", "all now", "offset", "offset ", "offset x",
		"offset 0x1001", "offset -4096", "offset 99999999999999999999999",
		"offset 0x1000 wai", "offset 0x1000 wait now", "Offset 0x1000",
		"offset  0x1000", "offset 0x1000 0x2000",
		/* Longer than the 63 bytes the file reads. */
		"all                                                              ",
	};
	struct drm_gmmu_bo_mmap_offset_args m = {};
	long long ev0 = gpu_backing(g, "pages_evicted");
	long long bev0 = gpu_backing(g, "bound_evictions");
	char cmd[64];
	struct tvm v;
	struct buf a;

	tvm_init(&v, g->fd);
	buf_create(g->fd, BO_SIZE, &a);
	pattern_fill(a.map, BO_SIZE, 5);
	bind(&v, &a, SRC_VA);
	m.handle = a.handle;
	igt_assert_eq(drmIoctl(g->fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m), 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		igt_assert_f(evict_cmd(g, bad[i]) == -EINVAL,
			     "\"%s\" was not refused with -EINVAL\n", bad[i]);
	/* Right words, a BO's offset plus a page: no such BO. */
	snprintf(cmd, sizeof(cmd), "offset 0x%llx",
		 (unsigned long long)(m.offset + PAGE));
	igt_assert_eq(evict_cmd(g, cmd), -ENOENT);
	snprintf(cmd, sizeof(cmd), "offset %llu wait",
		 (unsigned long long)(m.offset + PAGE));
	igt_assert_eq(evict_cmd(g, cmd), -ENOENT);
	/* Nothing went: the bound BO kept its pages and its mappings. */
	igt_assert_eq(gpu_backing(g, "pages_evicted"), ev0);
	igt_assert_eq(gpu_backing(g, "bound_evictions"), bev0);
	swgpu_batch_copy(tvm_batch(&v), TVM_SCRATCH_VA, SRC_VA + 8 * PAGE, 8);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(v.scratch.map, 8, 5, 8 * PAGE);
	/* The same words, right: it goes. */
	snprintf(cmd, sizeof(cmd), "offset %llu wait",
		 (unsigned long long)m.offset);
	igt_assert_eq(evict_cmd(g, cmd), 0);
	igt_assert_eq(gpu_backing(g, "bound_evictions"), bev0 + 1);
	igt_assert_pattern(a.map, BO_SIZE, 5, 0);
	tvm_fini(&v);
	buf_destroy(&a);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture {
		n = gpus_open(g);
		dfs_require(&g[0], "gmmu_pins");
		igt_require_f(access(LIMIT_PARAM, W_OK) == 0,
			      "no %s\n", LIMIT_PARAM);
		zram_swap_on();
	}

	igt_subtest("evict-stream-two-vms")
		each_gpu(g, n, test_stream);
	/*
	 * Their long jobs are sized for 1.5 s from probes; a loaded host
	 * can slow them past the engine's 5 s watchdog afterwards.
	 */
	igt_subtest("evict-busy-skips-or-waits") {
		watchdog_set(60000);
		each_gpu(g, n, test_busy);
		watchdog_restore();
	}
	igt_subtest("evict-skips-unsettled-bind") {
		watchdog_set(60000);
		each_gpu(g, n, test_bind_unsettled);
		watchdog_restore();
	}
	igt_subtest("last-unbind-releases-pin")
		each_gpu(g, n, test_last_unbind);
	igt_subtest("failed-bind-leaves-no-pin")
		each_gpu(g, n, test_failed_bind);
	igt_subtest("pin-limit-enospc")
		each_gpu(g, n, test_limit);
	igt_subtest("shrinker-evicts-bound-two-vms")
		test_shrinker(&g[0]);
	igt_subtest("evict-debugfs-bad-input")
		each_gpu(g, n, test_bad_input);

	igt_fixture {
		set_limit_mb(0);
		gpus_close(g, n);
		/* A failed pressure subtest may have left memory reserved. */
		squeeze_release();
		zram_swap_off();
	}
}
