// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Dynamic dma-buf (drm_gmmu "Dynamic dma-buf"): a BO one swgpu GPU
 * exports and the other imports, in two VMs of two files, is evicted by
 * its exporter between and during the importer's jobs. Where the kernel
 * has CONFIG_DMABUF_MOVE_NOTIFY (the debug kernel) the exporter tells the
 * importer, which clears its tables in both VMs and maps the attachment
 * again before its next job: every CRC and copy is right, with new bytes
 * written between evictions, and the importer's rebuilds are counted.
 * Without it (Debian's kernel) the importer's mapping pins the exporter's
 * BO: eviction passes it over, counted, until the import goes. Either
 * way an eviction never takes the buffer from under an importer's running
 * job (it passes it over or waits), nor from under an asynchronous bind
 * of the import not settled yet. jdgpu, as importer, follows a swgpu
 * BO's moves too. The kernel's option is read from debugfs gmmu_dmabuf;
 * each subtest runs on the kernel it is about and skips on the other.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include <xf86drm.h>

#include "jdgpu_igt.h"
#include "swgpu_dfs.h"
#include "swgpu_igt.h"
#include "swgpu_mem.h"

#define PAGE		4096ull
#define BO_SIZE		(256 * PAGE)
#define BIG_SIZE	(8ull << 20)
#define SRC_VA		TVM_DATA_VA
#define DST_VA		(TVM_DATA_VA + 0x1000000ull)
#define ROUNDS		6
#define CRC_OFF		0x800ull

/*
 * What the running kernel was built with, from its config file where
 * there is one: 1 or 0, or -1 if none says.
 */
static int kernel_move_notify(void)
{
	char path[128], line[256];
	struct utsname u;
	int v = -1;
	FILE *f;

	igt_assert_eq(uname(&u), 0);
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strcmp(line, "CONFIG_DMABUF_MOVE_NOTIFY=y\n"))
			v = 1;
		else if (strstr(line, "CONFIG_DMABUF_MOVE_NOTIFY is not set"))
			v = 0;
	}
	fclose(f);
	return v < 0 ? 0 : v;
}

static long long evict_bo(const struct gpu *g, const struct buf *b, int wait)
{
	struct dfs d;

	dfs_init(&d, g);
	return dfs_evict_bo(&d, g->fd, b->handle, wait);
}

static void bind(int fd, uint32_t vm, uint32_t handle, uint64_t va,
		 uint64_t size)
{
	igt_assert_eq(swgpu_vm_bind(fd, vm, handle, 0, va, size, 0), 0);
}

/*
 * @exp's BO exported and imported by @imp's file @fd: false if @imp
 * refused it because it would bounce (32-bit DMA on dma-direct).
 */
static bool import(struct gpu *exp, const struct buf *b, struct gpu *imp,
		   int fd, uint32_t *h)
{
	int dmabuf;

	igt_assert_eq(drmPrimeHandleToFD(exp->fd, b->handle, DRM_CLOEXEC,
					 &dmabuf), 0);
	if (drmPrimeFDToHandle(fd, dmabuf, h)) {
		igt_assert_f(gpu_import_may_bounce(imp),
			     "%s refused %s's BO: %m\n", imp->name, exp->name);
		igt_info("%s refused %s's BO (it would bounce)\n", imp->name,
			 exp->name);
		close(dmabuf);
		return false;
	}
	close(dmabuf);
	return true;
}

/* One importing file: its VM reads the import, copies it to its own BO. */
struct reader {
	int fd;
	uint32_t h;
	struct tvm v;
	struct buf dst;
	int fence;
};

static bool reader_init(struct reader *r, struct gpu *exp,
			const struct buf *src, struct gpu *imp, int fd)
{
	r->fd = fd;
	if (!import(exp, src, imp, fd, &r->h))
		return false;
	tvm_init(&r->v, fd);
	buf_create(fd, BO_SIZE, &r->dst);
	bind(fd, r->v.id, r->h, SRC_VA, BO_SIZE);
	bind(fd, r->v.id, r->dst.handle, DST_VA, BO_SIZE);
	return true;
}

static void reader_fini(struct reader *r)
{
	tvm_fini(&r->v);
	buf_destroy(&r->dst);
	igt_assert_eq(swgpu_bo_close(r->fd, r->h), 0);
}

/* CRC32 of the import into the scratch BO, and a copy of it. */
static void reader_submit(struct reader *r)
{
	struct swgpu_batch *b = tvm_batch(&r->v);

	memset(r->dst.map, 0, BO_SIZE);
	swgpu_batch_crc32(b, TVM_SCRATCH_VA + CRC_OFF, SRC_VA, BO_SIZE);
	swgpu_batch_copy(b, DST_VA, SRC_VA, BO_SIZE);
	r->fence = tvm_submit(&r->v, NULL);
}

static void reader_check(struct reader *r, uint32_t seed, uint32_t crc)
{
	igt_assert_eq(fence_status(r->fence), 0);
	igt_assert_eq_u32(buf_dword(&r->v.scratch, CRC_OFF), crc);
	igt_assert_pattern(r->dst.map, BO_SIZE, seed, 0);
}

/*
 * Rounds of jobs on two files of @imp reading @exp's BO, which @exp
 * evicts each round: after the jobs (idle: it goes), or during them
 * (passed over, then waited for). The exporter writes new bytes
 * between rounds, so a stale translation would read the old ones, or
 * fault. Every eviction invalidates both imports; each one's next job
 * maps it again.
 */
static bool stream(struct gpu *exp, struct gpu *imp)
{
	long long inv0, reb0, mn0, released, evictions = 0;
	struct reader r[2];
	struct buf src;
	struct tvm ve;
	bool done = false;
	int fd2, i;

	fd2 = swgpu_open(imp->slot, SWGPU_OPEN_RENDER);
	igt_assert_lte(0, fd2);
	tvm_init(&ve, exp->fd);
	buf_create(exp->fd, BO_SIZE, &src);
	pattern_fill(src.map, BO_SIZE, 1);
	bind(exp->fd, ve.id, src.handle, SRC_VA, BO_SIZE);
	if (!reader_init(&r[0], exp, &src, imp, imp->fd))
		goto out;
	igt_assert(reader_init(&r[1], exp, &src, imp, fd2));
	inv0 = gmmu_dmabuf_stat(imp->fd, "import_invalidations");
	reb0 = gmmu_dmabuf_stat(imp->fd, "import_rebuilds");
	mn0 = gmmu_dmabuf_stat(exp->fd, "move_notifies");

	for (int round = 0; round < ROUNDS; round++) {
		uint32_t seed = 100 + round, crc;

		pattern_fill(src.map, BO_SIZE, seed);
		crc = cpu_crc32(src.map, BO_SIZE);
		for (i = 0; i < 2; i++)
			reader_submit(&r[i]);
		if (round & 1) {
			/* During the jobs: passed over, or they are done. */
			released = evict_bo(exp, &src, 0);
			igt_assert(released == 0 || released == BO_SIZE / PAGE);
			if (!released)
				released = evict_bo(exp, &src, 1);
			igt_assert_eq(released, BO_SIZE / PAGE);
			igt_assert(fence_signalled(r[0].fence) &&
				   fence_signalled(r[1].fence));
		}
		for (i = 0; i < 2; i++)
			reader_check(&r[i], seed, crc);
		if (!(round & 1))
			igt_assert_eq(evict_bo(exp, &src, 0), BO_SIZE / PAGE);
		evictions++;
		/* Both imports lost their mappings at once. */
		igt_assert_eq(gmmu_dmabuf_stat(imp->fd, "import_invalidations"),
			      inv0 + 2 * evictions);
		/* The exporter's own VM gets it back too. */
		if (round == 2) {
			swgpu_batch_crc32(tvm_batch(&ve), TVM_SCRATCH_VA + CRC_OFF,
					  SRC_VA, BO_SIZE);
			igt_assert_eq(tvm_run(&ve, NULL), 0);
			igt_assert_eq_u32(buf_dword(&ve.scratch, CRC_OFF), crc);
		}
	}
	/* The last eviction's rebuild, with the bytes still there. */
	for (i = 0; i < 2; i++)
		reader_submit(&r[i]);
	for (i = 0; i < 2; i++)
		reader_check(&r[i], 100 + ROUNDS - 1,
			     cpu_crc32(src.map, BO_SIZE));
	igt_assert_eq(gmmu_dmabuf_stat(imp->fd, "import_rebuilds"),
		      reb0 + 2 * evictions);
	igt_assert_eq(gmmu_dmabuf_stat(exp->fd, "move_notifies"), mn0 + evictions);
	igt_info("%s -> %s: %lld evictions, %lld rebuilds\n", exp->name,
		 imp->name, evictions,
		 gmmu_dmabuf_stat(imp->fd, "import_rebuilds") - reb0);
	for (i = 0; i < 2; i++)
		reader_fini(&r[i]);
	done = true;
out:
	tvm_fini(&ve);
	buf_destroy(&src);
	close(fd2);
	return done;
}

/* Both ways between the first two GPUs, where the import is possible. */
static void both_ways(struct gpu *g, int n,
		      bool (*fn)(struct gpu *exp, struct gpu *imp))
{
	int done;

	igt_require_f(n >= 2, "one GPU\n");
	done = fn(&g[0], &g[1]);
	done += fn(&g[1], &g[0]);
	igt_require_f(done, "neither GPU could import the other's BO\n");
}

/*
 * The importer's mapping pins the exporter's BO: eviction passes it over
 * (counted), the importer keeps reading its bytes; once the import is
 * closed the BO goes.
 */
static bool import_pins(struct gpu *exp, struct gpu *imp)
{
	long long pin0, sk0;
	struct reader r;
	struct buf src;

	buf_create(exp->fd, BO_SIZE, &src);
	pattern_fill(src.map, BO_SIZE, 17);
	if (!reader_init(&r, exp, &src, imp, imp->fd)) {
		buf_destroy(&src);
		return false;
	}
	pin0 = gmmu_dmabuf_stat(exp->fd, "skipped_importer_pin");
	sk0 = gpu_backing(exp, "skipped_pinned");
	igt_assert_eq(evict_bo(exp, &src, 0), 0);
	igt_assert_eq(evict_bo(exp, &src, 1), 0);
	igt_assert_eq(gmmu_dmabuf_stat(exp->fd, "skipped_importer_pin"), pin0 + 2);
	igt_assert_eq(gpu_backing(exp, "skipped_pinned"), sk0 + 2);
	reader_submit(&r);
	reader_check(&r, 17, cpu_crc32(src.map, BO_SIZE));
	reader_fini(&r);
	/* The import went, and its pin with it. */
	igt_assert_eq(evict_bo(exp, &src, 0), BO_SIZE / PAGE);
	igt_assert_eq(gmmu_dmabuf_stat(exp->fd, "skipped_importer_pin"), pin0 + 2);
	igt_assert_pattern(src.map, BO_SIZE, 17, 0);
	buf_destroy(&src);
	return true;
}

/*
 * A long job of the importer writes the exporter's BO: an eviction
 * without waiting passes it over (its fences are the import's), one that
 * waits returns after the job, and then evicts it (move_notify) or, on a
 * kernel without it, passes it over as pinned. The job's bytes all land,
 * and the importer's next job reads them.
 */
static bool busy_import(struct gpu *exp, struct gpu *imp)
{
	bool moves = dmabuf_move_notify(exp) || dmabuf_move_own();
	long long busy0, pin0, released;
	unsigned int n;
	uint64_t chunk;
	struct buf big;
	struct tvm v;
	uint32_t h;
	int fence;

	buf_create(exp->fd, BIG_SIZE, &big);
	memset(big.map, 0, BIG_SIZE);
	if (!import(exp, &big, imp, imp->fd, &h)) {
		buf_destroy(&big);
		return false;
	}
	tvm_init(&v, imp->fd);
	bind(imp->fd, v.id, h, SRC_VA, BIG_SIZE);
	tvm_fills_for_ms(&v, SRC_VA, BIG_SIZE, 1500, &chunk, &n);
	for (int wait = 0; wait < 2; wait++) {
		struct swgpu_batch *b = tvm_batch(&v);

		for (unsigned int i = 0; i < n; i++)
			swgpu_batch_fill(b, SRC_VA, chunk,
					 0x01010101u * (0x5a + wait));
		busy0 = gpu_backing(exp, "skipped_busy");
		pin0 = gmmu_dmabuf_stat(exp->fd, "skipped_importer_pin");
		fence = tvm_submit(&v, NULL);
		released = evict_bo(exp, &big, wait);
		if (!wait) {
			igt_require_f(!fence_signalled(fence),
				      "%s: the job was done before the eviction\n",
				      imp->name);
			igt_assert_eq(released, 0);
			igt_assert_eq(gpu_backing(exp, "skipped_busy"), busy0 + 1);
		} else {
			igt_assert(fence_signalled(fence));
			igt_assert_eq(released, moves ? BIG_SIZE / PAGE : 0);
			igt_assert_eq(gmmu_dmabuf_stat(exp->fd, "skipped_importer_pin"),
				      pin0 + !moves);
		}
		igt_assert_eq(fence_status(fence), 0);
		igt_assert_bytes(big.map, chunk, 0x5a + wait);
		igt_assert_bytes(big.map + chunk, BIG_SIZE - chunk, 0);
	}
	/* The importer reads what its jobs wrote, through a new mapping. */
	swgpu_batch_crc32(tvm_batch(&v), TVM_SCRATCH_VA + CRC_OFF, SRC_VA,
			  BIG_SIZE);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, CRC_OFF),
			  cpu_crc32(big.map, BIG_SIZE));
	tvm_fini(&v);
	igt_assert_eq(swgpu_bo_close(imp->fd, h), 0);
	buf_destroy(&big);
	return true;
}

/*
 * An asynchronous bind of the import, waiting for a long job of the
 * importer, holds the import's mapping: the exporter's move_notify finds
 * it held and leaves it (import_deferred), so the exporter passes its BO
 * over (skipped_import_mapped), and the bind, once run, maps the pages
 * that are still there. Once the array is settled the BO goes, and the
 * importer's next job maps it again and reads the exporter's bytes.
 */
static bool unsettled_bind(struct gpu *exp, struct gpu *imp)
{
	struct drm_gmmu_vm_bind_op op = {
		.op = DRM_GMMU_VM_BIND_OP_MAP,
		.va = SRC_VA,
		.range = BO_SIZE,
	};
	struct drm_gmmu_sync in = { .flags = DRM_GMMU_SYNC_SYNC_FILE };
	long long def0, map0, released = 0;
	struct swgpu_batch *b;
	struct buf src, big;
	struct tvm w, v;
	unsigned int n;
	uint64_t chunk;
	int fence;

	buf_create(exp->fd, BO_SIZE, &src);
	pattern_fill(src.map, BO_SIZE, 29);
	if (!import(exp, &src, imp, imp->fd, &op.handle)) {
		buf_destroy(&src);
		return false;
	}
	tvm_init(&w, imp->fd);
	tvm_init(&v, imp->fd);
	tvm_bind_unmapped(&w, BIG_SIZE, SRC_VA, &big);
	tvm_fills_for_ms(&w, SRC_VA, BIG_SIZE, 1500, &chunk, &n);
	b = tvm_batch(&w);
	for (unsigned int i = 0; i < n; i++)
		swgpu_batch_fill(b, SRC_VA, chunk, 0x11111111);
	fence = tvm_submit(&w, NULL);
	in.handle = dup(fence);
	igt_assert_eq(swgpu_vm_bind_async(imp->fd, v.id, &op, 1, &in, 1, NULL,
					  0), 0);
	close(in.handle);
	def0 = gmmu_dmabuf_stat(imp->fd, "import_deferred");
	map0 = gmmu_dmabuf_stat(exp->fd, "skipped_import_mapped");
	released = evict_bo(exp, &src, 0);
	igt_require_f(!fence_signalled(fence),
		      "%s: the long job was done before the eviction\n",
		      imp->name);
	igt_assert_eq(released, 0);
	igt_assert_eq(gmmu_dmabuf_stat(imp->fd, "import_deferred"), def0 + 1);
	igt_assert_eq(gmmu_dmabuf_stat(exp->fd, "skipped_import_mapped"), map0 + 1);
	igt_assert_eq(fence_status(fence), 0);

	/* Ordered after the bind: the mapping is whole. */
	swgpu_batch_crc32(tvm_batch(&v), TVM_SCRATCH_VA + CRC_OFF, SRC_VA,
			  BO_SIZE);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, CRC_OFF),
			  cpu_crc32(src.map, BO_SIZE));
	/* Settled by a worker after its job: then the BO goes. */
	for (int ms = 0; released == 0 && ms < FENCE_TIMEOUT_MS; ms += 10) {
		released = evict_bo(exp, &src, 1);
		if (!released)
			usleep(10000);
	}
	igt_assert_eq(released, BO_SIZE / PAGE);
	pattern_fill(src.map, BO_SIZE, 30);
	swgpu_batch_crc32(tvm_batch(&v), TVM_SCRATCH_VA + CRC_OFF, SRC_VA,
			  BO_SIZE);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, CRC_OFF),
			  cpu_crc32(src.map, BO_SIZE));
	tvm_fini(&v);
	tvm_fini(&w);
	buf_destroy(&big);
	igt_assert_eq(swgpu_bo_close(imp->fd, op.handle), 0);
	buf_destroy(&src);
	return true;
}

/*
 * jdgpu imports a swgpu BO and CRCs it, round after round, while swgpu
 * evicts it and writes new bytes: jdgpu's tables follow every move.
 */
static void jdgpu_follows(struct gpu *g, int jfd)
{
	long long inv0 = gmmu_dmabuf_stat(jfd, "import_invalidations");
	long long reb0 = gmmu_dmabuf_stat(jfd, "import_rebuilds");
	struct buf src, res;
	struct jctx x;
	uint32_t h;
	int dmabuf;

	buf_create(g->fd, BO_SIZE, &src);
	pattern_fill(src.map, BO_SIZE, 3);
	igt_assert_eq(drmPrimeHandleToFD(g->fd, src.handle, DRM_CLOEXEC,
					 &dmabuf), 0);
	igt_assert_eq(drmPrimeFDToHandle(jfd, dmabuf, &h), 0);
	close(dmabuf);
	jctx_init(&x, jfd);
	jd_buf_create(jfd, PAGE, &res);
	igt_assert_eq(gmmu_vm_bind(JD, jfd, x.vm, h, 0, JCTX_DATA_VA, BO_SIZE,
				   DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	jctx_bind(&x, &res, JCTX_DATA_VA + BO_SIZE, 0);
	for (int round = 0; round < 4; round++) {
		pattern_fill(src.map, BO_SIZE, 40 + round);
		memset(res.map, 0, PAGE);
		jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_CRC32,
			       JCTX_DATA_VA + BO_SIZE, JCTX_DATA_VA, BO_SIZE, 0);
		igt_assert_eq(jctx_run(&x), 0);
		igt_assert_eq_u32(*(uint32_t *)res.map,
				  cpu_crc32(src.map, BO_SIZE));
		igt_assert_eq(evict_bo(g, &src, 0), BO_SIZE / PAGE);
	}
	igt_assert_eq(gmmu_dmabuf_stat(jfd, "import_invalidations"), inv0 + 4);
	igt_assert_eq(gmmu_dmabuf_stat(jfd, "import_rebuilds"), reb0 + 3);
	jctx_fini(&x);
	jd_buf_destroy(&res);
	igt_assert_eq(gmmu_bo_close(jfd, h), 0);
	buf_destroy(&src);
}

/*
 * gmmu_dmabuf says 0 or 1, the same on every GPU, and what the running
 * kernel's config file says where it has one (Debian's kernels: /boot).
 */
static void test_reported(struct gpu *g, int n)
{
	long long v = gmmu_dmabuf_stat(g[0].fd, "move_notify");
	int k = kernel_move_notify();

	igt_assert(v == 0 || v == 1);
	for (int i = 1; i < n; i++)
		igt_assert_eq(gmmu_dmabuf_stat(g[i].fd, "move_notify"), v);
	if (k >= 0)
		igt_assert_eq(v, k);
	igt_info("CONFIG_DMABUF_MOVE_NOTIFY: %s (config file: %s)\n",
		 v ? "y" : "n", k < 0 ? "none" : k ? "y" : "n");
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture {
		n = gpus_open(g);
		dfs_require(&g[0], "gmmu_dmabuf");
	}

	igt_subtest("move-notify-reported")
		test_reported(g, n);
	igt_subtest("move-notify-mid-stream") {
		dmabuf_require_moves(&g[0]);
		both_ways(g, n, stream);
		dmabuf_move_own_set(false);
	}
	igt_subtest("import-pins-exporter") {
		igt_require_f(!dmabuf_move_notify(&g[0]),
			      "CONFIG_DMABUF_MOVE_NOTIFY is on: imports move\n");
		dmabuf_move_own_set(false);
		both_ways(g, n, import_pins);
	}
	/*
	 * Their long jobs are sized for 1.5 s from probes; a loaded host
	 * can slow them past the engine's 5 s watchdog afterwards.
	 */
	igt_subtest("move-notify-unsettled-bind-defers") {
		dmabuf_require_moves(&g[0]);
		watchdog_set(60000);
		both_ways(g, n, unsettled_bind);
		watchdog_restore();
		dmabuf_move_own_set(false);
	}
	igt_subtest("evict-during-importer-job") {
		dmabuf_require_moves(&g[0]);
		watchdog_set(60000);
		both_ways(g, n, busy_import);
		watchdog_restore();
		dmabuf_move_own_set(false);
	}
	igt_subtest("evict-during-importer-job-pinned") {
		igt_require_f(!dmabuf_move_notify(&g[0]),
			      "CONFIG_DMABUF_MOVE_NOTIFY is on: imports move\n");
		dmabuf_move_own_set(false);
		watchdog_set(60000);
		both_ways(g, n, busy_import);
		watchdog_restore();
	}
	igt_subtest("jdgpu-import-follows-moves") {
		int jfd;

		dmabuf_require_moves(&g[0]);
		jfd = jd_open();
		jdgpu_follows(&g[0], jfd);
		close(jfd);
		dmabuf_move_own_set(false);
	}

	igt_fixture {
		if (access(DMABUF_MOVE_OWN_PARAM, W_OK) == 0)
			dmabuf_move_own_set(false);
		gpus_close(g, n);
	}
}
