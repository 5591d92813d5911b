// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Importer constraints (drm_gmmu "Importer constraints"): a swgpu BO
 * exported to a GPU whose DMA is untranslated and 32-bit (the atom GPU on
 * the dma-direct lane) is placed for it. Attached before the BO has
 * pages, the importer shapes the allocation; attached later, it makes the
 * BO move below 4 GiB, after the exporter's running job, with every byte
 * kept and the exporter's own VM mapping rebuilt; attached while the BO
 * is pinned (a DMA_BUF_IOCTL_SYNC bracket), it is refused with -ERANGE,
 * and accepted once the bracket ends. jdgpu, importing the BO first,
 * is told to move (move_notify) and maps it again for its next job; where
 * its mapping pins the BO (Debian's kernel without move_own_imports) the
 * late attacher is refused. An importer that reaches every page
 * (behind VT-d, or a 64-bit mask) changes nothing. Every case checks the
 * bytes the importer's engine copies and the exporter's counters in
 * debugfs gmmu_dmabuf.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "jdgpu_igt.h"
#include "swgpu_dfs.h"
#include "swgpu_igt.h"
#include "swgpu_mem.h"

#define PAGE		4096ull
#define SIZE		(256 * PAGE)
#define SRC_VA		TVM_DATA_VA
#define DST_VA		(TVM_DATA_VA + 0x1000000ull)
#define CRC_OFF		0x800ull

static const char *const counters[] = {
	"place_shaped", "place_migrations", "place_pages_moved", "place_refused",
};

struct place_stats {
	long long v[4];
};

static void place_read(const struct gpu *g, struct place_stats *s)
{
	for (int i = 0; i < 4; i++)
		s->v[i] = gmmu_dmabuf_stat(g->fd, counters[i]);
}

/* Each counter of @g moved by exactly what @want says since @s. */
static void place_assert(const struct gpu *g, const struct place_stats *s,
			 long long shaped, long long migrations,
			 long long moved, long long refused)
{
	const long long want[4] = { shaped, migrations, moved, refused };
	struct place_stats now;

	place_read(g, &now);
	for (int i = 0; i < 4; i++)
		igt_assert_f(now.v[i] - s->v[i] == want[i],
			     "%s: %s moved by %lld, expected %lld\n", g->name,
			     counters[i], now.v[i] - s->v[i], want[i]);
}

/* Must @g's pages lie below 4 GiB (untranslated 32-bit DMA)? */
static bool needs_low(const struct gpu *g)
{
	return gpu_import_may_bounce(g);
}

/* A GPU that needs pages low, and one that does not; skips without. */
static void pick(struct gpu *g, int n, struct gpu **exp, struct gpu **imp)
{
	*exp = *imp = NULL;
	for (int i = 0; i < n; i++) {
		if (needs_low(&g[i]) && !*imp)
			*imp = &g[i];
		else if (!needs_low(&g[i]) && !*exp)
			*exp = &g[i];
	}
	igt_require_f(*exp && *imp,
		      "no pair of an untranslated 32-bit GPU and another\n");
}

static int export(const struct gpu *exp, const struct buf *b)
{
	int fd;

	igt_assert_eq(drmPrimeHandleToFD(exp->fd, b->handle, DRM_CLOEXEC, &fd),
		      0);
	return fd;
}

static void bind(int fd, uint32_t vm, uint32_t handle, uint64_t va)
{
	igt_assert_eq(swgpu_vm_bind(fd, vm, handle, 0, va, SIZE, 0), 0);
}

/* @imp's engine copies the import @h to a BO of its own: pattern @seed. */
static void importer_reads(struct gpu *imp, uint32_t h, uint32_t seed)
{
	struct buf dst;
	struct tvm v;

	tvm_init(&v, imp->fd);
	buf_create(imp->fd, SIZE, &dst);
	bind(imp->fd, v.id, h, SRC_VA);
	bind(imp->fd, v.id, dst.handle, DST_VA);
	swgpu_batch_copy(tvm_batch(&v), DST_VA, SRC_VA, SIZE);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(dst.map, SIZE, seed, 0);
	tvm_fini(&v);
	buf_destroy(&dst);
}

/* @v's engine computes the CRC32 of what it maps at SRC_VA: @crc. */
static void exporter_crc(struct tvm *v, uint32_t crc)
{
	swgpu_batch_crc32(tvm_batch(v), TVM_SCRATCH_VA + CRC_OFF, SRC_VA, SIZE);
	igt_assert_eq(tvm_run(v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v->scratch, CRC_OFF), crc);
}

static int dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags | DMA_BUF_SYNC_RW };

	return ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s) ? -errno : 0;
}

/*
 * The importer attaches before the BO has a page: the pages come from
 * below 4 GiB when the import maps them, and nothing moves.
 */
static void early(struct gpu *exp, struct gpu *imp)
{
	struct place_stats s;
	struct buf src;
	uint32_t h;
	int dmabuf;

	place_read(exp, &s);
	buf_create(exp->fd, SIZE, &src);
	dmabuf = export(exp, &src);
	igt_assert_eq(drmPrimeFDToHandle(imp->fd, dmabuf, &h), 0);
	place_assert(exp, &s, 1, 0, 0, 0);
	pattern_fill(src.map, SIZE, 7);
	importer_reads(imp, h, 7);
	igt_assert_eq(swgpu_bo_close(imp->fd, h), 0);
	close(dmabuf);
	buf_destroy(&src);
}

/*
 * The BO has every page, bound in the exporter's VM, a job reading it,
 * when the importer attaches: the attach waits for the job, the BO moves
 * (every page copied), and the exporter's next job, the importer's job
 * and the CPU all see the same bytes; the CPU's next ones reach both.
 */
static void late(struct gpu *exp, struct gpu *imp)
{
	struct place_stats s;
	struct buf src;
	struct tvm ve;
	uint32_t h, crc;
	int dmabuf, fence;

	buf_create(exp->fd, SIZE, &src);
	pattern_fill(src.map, SIZE, 9);
	crc = cpu_crc32(src.map, SIZE);
	tvm_init(&ve, exp->fd);
	bind(exp->fd, ve.id, src.handle, SRC_VA);
	exporter_crc(&ve, crc);

	place_read(exp, &s);
	swgpu_batch_crc32(tvm_batch(&ve), TVM_SCRATCH_VA + CRC_OFF, SRC_VA,
			  SIZE);
	fence = tvm_submit(&ve, NULL);
	igt_assert_lte(0, fence);
	dmabuf = export(exp, &src);
	igt_assert_eq(drmPrimeFDToHandle(imp->fd, dmabuf, &h), 0);
	/* The attach moved nothing from under the job. */
	igt_assert(fence_signalled(fence));
	igt_assert_eq(fence_status(fence), 0);
	igt_assert_eq_u32(buf_dword(&ve.scratch, CRC_OFF), crc);
	place_assert(exp, &s, 0, 1, SIZE / PAGE, 0);

	importer_reads(imp, h, 9);
	exporter_crc(&ve, crc);
	igt_assert_pattern(src.map, SIZE, 9, 0);
	pattern_fill(src.map, SIZE, 10);
	importer_reads(imp, h, 10);
	exporter_crc(&ve, cpu_crc32(src.map, SIZE));

	igt_assert_eq(swgpu_bo_close(imp->fd, h), 0);
	close(dmabuf);
	tvm_fini(&ve);
	buf_destroy(&src);
}

/*
 * A CPU-access bracket pins the BO where it is: the importer is refused
 * with -ERANGE while it lasts, and the BO moves for it afterwards.
 */
static void pinned(struct gpu *exp, struct gpu *imp)
{
	struct place_stats s;
	struct buf src;
	uint32_t h;
	int dmabuf;

	buf_create(exp->fd, SIZE, &src);
	pattern_fill(src.map, SIZE, 11);
	dmabuf = export(exp, &src);

	place_read(exp, &s);
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_START), 0);
	igt_assert_eq(drmPrimeFDToHandle(imp->fd, dmabuf, &h), -1);
	igt_assert_eq(errno, ERANGE);
	place_assert(exp, &s, 0, 0, 0, 1);
	igt_assert_eq(dmabuf_sync(dmabuf, DMA_BUF_SYNC_END), 0);

	igt_assert_eq(drmPrimeFDToHandle(imp->fd, dmabuf, &h), 0);
	place_assert(exp, &s, 0, 1, SIZE / PAGE, 1);
	importer_reads(imp, h, 11);
	igt_assert_pattern(src.map, SIZE, 11, 0);

	igt_assert_eq(swgpu_bo_close(imp->fd, h), 0);
	close(dmabuf);
	buf_destroy(&src);
}

/* jdgpu's engine computes the CRC32 of the BO it maps: @crc. */
static void jdgpu_crc(struct jctx *x, struct buf *res, uint32_t crc)
{
	memset(res->map, 0, PAGE);
	jdgpu_chain_op(jctx_chain(x), JDGPU_OP_CRC32, JCTX_DATA_VA + SIZE,
		       JCTX_DATA_VA, SIZE, 0);
	igt_assert_eq(jctx_run(x), 0);
	igt_assert_eq_u32(*(uint32_t *)res->map, crc);
}

/*
 * jdgpu (a dynamic importer that reaches every page) maps the BO when
 * the 32-bit GPU attaches: where imports move, jdgpu lets go, the BO
 * moves, and jdgpu's next job maps it again and reads the same bytes;
 * where jdgpu's mapping pins the BO, the attach is refused.
 */
static void other_importer(struct gpu *exp, struct gpu *imp, int jfd)
{
	long long inv0, reb0;
	struct place_stats s;
	struct buf res;
	struct buf src;
	struct jctx x;
	uint32_t hj, h, crc;
	int dmabuf;

	buf_create(exp->fd, SIZE, &src);
	pattern_fill(src.map, SIZE, 13);
	crc = cpu_crc32(src.map, SIZE);
	dmabuf = export(exp, &src);
	igt_assert_eq(drmPrimeFDToHandle(jfd, dmabuf, &hj), 0);
	jctx_init(&x, jfd);
	jd_buf_create(jfd, PAGE, &res);
	igt_assert_eq(gmmu_vm_bind(JD, jfd, x.vm, hj, 0, JCTX_DATA_VA, SIZE,
				   DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	jctx_bind(&x, &res, JCTX_DATA_VA + SIZE, 0);
	jdgpu_crc(&x, &res, crc);

	place_read(exp, &s);
	if (!dmabuf_move_notify(exp)) {
		dmabuf_move_own_set(false);
		igt_assert_eq(drmPrimeFDToHandle(imp->fd, dmabuf, &h), -1);
		igt_assert_eq(errno, ERANGE);
		place_assert(exp, &s, 0, 0, 0, 1);
		dmabuf_move_own_set(true);
		place_read(exp, &s);
	}
	inv0 = gmmu_dmabuf_stat(jfd, "import_invalidations");
	reb0 = gmmu_dmabuf_stat(jfd, "import_rebuilds");
	igt_assert_eq(drmPrimeFDToHandle(imp->fd, dmabuf, &h), 0);
	place_assert(exp, &s, 0, 1, SIZE / PAGE, 0);
	igt_assert_eq(gmmu_dmabuf_stat(jfd, "import_invalidations"), inv0 + 1);
	importer_reads(imp, h, 13);
	jdgpu_crc(&x, &res, crc);
	igt_assert_eq(gmmu_dmabuf_stat(jfd, "import_rebuilds"), reb0 + 1);

	igt_assert_eq(swgpu_bo_close(imp->fd, h), 0);
	jctx_fini(&x);
	jd_buf_destroy(&res);
	igt_assert_eq(gmmu_bo_close(jfd, hj), 0);
	close(dmabuf);
	buf_destroy(&src);
}

/*
 * Every pair whose importer reaches every page (behind VT-d, or a 64-bit
 * mask): an import of a BO with all its pages places nothing.
 */
static void reachable(struct gpu *g, int n)
{
	int pairs = 0;

	for (int e = 0; e < n; e++) {
		for (int i = 0; i < n; i++) {
			struct place_stats s;
			struct buf src;
			uint32_t h;
			int dmabuf;

			if (i == e || needs_low(&g[i]))
				continue;
			buf_create(g[e].fd, SIZE, &src);
			pattern_fill(src.map, SIZE, 12 + e);
			dmabuf = export(&g[e], &src);
			place_read(&g[e], &s);
			igt_assert_eq(drmPrimeFDToHandle(g[i].fd, dmabuf, &h), 0);
			place_assert(&g[e], &s, 0, 0, 0, 0);
			importer_reads(&g[i], h, 12 + e);
			igt_assert_eq(swgpu_bo_close(g[i].fd, h), 0);
			close(dmabuf);
			buf_destroy(&src);
			pairs++;
		}
	}
	igt_require_f(pairs, "no importer that reaches every page\n");
	igt_info("%d pairs\n", pairs);
}

igt_main
{
	struct gpu g[MAX_GPUS], *exp, *imp;
	int n = 0;

	igt_fixture {
		n = gpus_open(g);
		dfs_require(&g[0], "gmmu_dmabuf");
	}

	igt_subtest("early-attacher-shapes-allocation") {
		pick(g, n, &exp, &imp);
		early(exp, imp);
	}
	igt_subtest("late-attacher-migrates") {
		pick(g, n, &exp, &imp);
		late(exp, imp);
	}
	igt_subtest("late-attacher-to-pinned-bo-refused") {
		pick(g, n, &exp, &imp);
		pinned(exp, imp);
	}
	igt_subtest("late-attacher-moves-other-importers") {
		int jfd;

		pick(g, n, &exp, &imp);
		jfd = jd_open();
		other_importer(exp, imp, jfd);
		close(jfd);
		if (access(DMABUF_MOVE_OWN_PARAM, W_OK) == 0)
			dmabuf_move_own_set(false);
	}
	igt_subtest("reachable-importer-places-nothing")
		reachable(g, n);

	igt_fixture {
		if (access(DMABUF_MOVE_OWN_PARAM, W_OK) == 0)
			dmabuf_move_own_set(false);
		gpus_close(g, n);
	}
}
