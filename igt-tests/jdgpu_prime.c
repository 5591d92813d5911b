// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * A pipeline across the two drivers through dma-bufs, both ways: swgpu's
 * atom GPU (not snooping) fills a BO of its own in a long job; jdgpu
 * imports it, sums it and CRCs it into a BO of its own; swgpu imports
 * that one and copies the results to a BO the CPU checks. The three jobs
 * are all submitted before the first is done, ordered only by
 * synchronisation: implicit (each job waits for the fences on the
 * reservation objects of the BOs it binds, DRM_GMMU_SUBMIT_IMPLICIT_SYNC)
 * or explicit (syncobjs, passed between the devices as sync_files). On
 * dma-direct (lane novtd) jdgpu's BO is placed below 4 GiB for the atom
 * GPU's 32-bit DMA when it imports it (drm_gmmu "Importer constraints").
 *
 * Eviction across the pair, the other way from swgpu_dmabuf_move's
 * jdgpu-import-follows-moves: jdgpu evicts a BO of its own that the atom
 * GPU imports, round after round with new bytes written through jdgpu's
 * mmap; the import is told to move and maps it again for its next job.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <xf86drm.h>
#include <zlib.h>

#include "jdgpu_igt.h"
#include "swgpu_dfs.h"

#define SZ	(4ull << 20)
#define RES	0x1000ull
#define VALUE	0x3c5a7e01u
#define TAG	0x7a6b5c4d3e2f1a0bull

struct pipe {
	struct gpu *sw, *rd;	/* the writer (atom), the reader */
	int jfd;
	struct buf a;		/* on sw: the data */
	int a_dmabuf;
	uint32_t a_j;		/* jdgpu's import of a */
	struct buf r;		/* on jdgpu: the results */
	int r_dmabuf;
	uint32_t r_rd;		/* rd's import of r */
	struct buf l;		/* on rd: the results, copied */
	struct tvm sv, rv;
	struct jctx jx;
};

static struct gpu *find(struct gpu *g, int n, uint64_t profile)
{
	for (int i = 0; i < n; i++)
		if (g[i].profile == profile)
			return &g[i];
	return NULL;
}

static void pipe_init(struct pipe *p, struct gpu *g, int n, int jfd)
{
	p->sw = find(g, n, DRM_SWGPU_PROFILE_ATOM);
	igt_require_f(p->sw, "no atom swgpu\n");
	p->jfd = jfd;

	buf_create(p->sw->fd, SZ, &p->a);
	igt_assert_eq(drmPrimeHandleToFD(p->sw->fd, p->a.handle, DRM_CLOEXEC,
					 &p->a_dmabuf), 0);
	igt_assert_eq(drmPrimeFDToHandle(jfd, p->a_dmabuf, &p->a_j), 0);

	jd_buf_create(jfd, RES, &p->r);
	memset(p->r.map, 0, RES);
	igt_assert_eq(drmPrimeHandleToFD(jfd, p->r.handle, DRM_CLOEXEC,
					 &p->r_dmabuf), 0);
	p->rd = p->sw;
	igt_assert_eq(drmPrimeFDToHandle(p->rd->fd, p->r_dmabuf, &p->r_rd), 0);
	buf_create(p->rd->fd, RES, &p->l);
	memset(p->l.map, 0, RES);

	tvm_init(&p->sv, p->sw->fd);
	igt_assert_eq(swgpu_vm_bind(p->sw->fd, p->sv.id, p->a.handle, 0,
				    TVM_DATA_VA, SZ, 0), 0);
	tvm_init(&p->rv, p->rd->fd);
	igt_assert_eq(swgpu_vm_bind(p->rd->fd, p->rv.id, p->r_rd, 0,
				    TVM_DATA_VA, RES,
				    DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	igt_assert_eq(swgpu_vm_bind(p->rd->fd, p->rv.id, p->l.handle, 0,
				    TVM_DATA_VA + RES, RES, 0), 0);

	jctx_init(&p->jx, jfd);
	igt_assert_eq(gmmu_vm_bind(JD, jfd, p->jx.vm, p->a_j, 0, JCTX_DATA_VA,
				   SZ, DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	jctx_bind(&p->jx, &p->r, JCTX_DATA_VA + SZ, 0);
}

static void pipe_fini(struct pipe *p)
{
	jctx_fini(&p->jx);
	tvm_fini(&p->rv);
	tvm_fini(&p->sv);
	buf_destroy(&p->l);
	igt_assert_eq(swgpu_bo_close(p->rd->fd, p->r_rd), 0);
	close(p->r_dmabuf);
	jd_buf_destroy(&p->r);
	igt_assert_eq(gmmu_bo_close(p->jfd, p->a_j), 0);
	close(p->a_dmabuf);
	buf_destroy(&p->a);
}

static int sw_submit(struct tvm *v, uint32_t flags,
		     const struct drm_gmmu_sync *in, uint32_t in_count,
		     const struct drm_gmmu_sync *out, uint32_t out_count)
{
	struct drm_swgpu_exec e = { .batch_va = v->b.va };

	gmmu_submit_init(&e.submit, v->id, 0, flags | DRM_GMMU_SUBMIT_FENCE_OUT,
			 in, in_count, out, out_count);
	swgpu_batch_end(&v->b);
	igt_assert(!v->b.error);
	igt_assert_eq(swgpu_exec_ioctl(v->fd, &e), 0);
	return e.submit.out_fence_fd;
}

/* A sync_file of the fence a syncobj holds now, as an in-sync. */
static struct drm_gmmu_sync as_sync_file(int fd, uint32_t syncobj)
{
	struct drm_gmmu_sync s = { .flags = DRM_GMMU_SYNC_SYNC_FILE };
	int sf = -1;

	igt_assert_eq(drmSyncobjExportSyncFile(fd, syncobj, &sf), 0);
	s.handle = sf;
	return s;
}

static void run(struct pipe *p, bool explicit)
{
	uint32_t implicit = explicit ? 0 : DRM_GMMU_SUBMIT_IMPLICIT_SYNC;
	struct drm_gmmu_sync sw_out = { 0 }, jd_out = { 0 }, jd_in = { 0 }, rd_in = { 0 };
	int f_sw, f_jd, f_rd, busy;
	uint64_t chunk, sum, crc;
	unsigned int fills;
	uint8_t *ref;

	/* The writer: a long job, whose last FILL writes VALUE everywhere. */
	memset(p->a.map, 0, SZ);
	tvm_fills_for_ms(&p->sv, TVM_DATA_VA, SZ, 1500, &chunk, &fills);
	tvm_batch(&p->sv);
	for (unsigned int i = 0; i < fills; i++)
		swgpu_batch_fill(&p->sv.b, TVM_DATA_VA, chunk, 0x01010101 * i);
	swgpu_batch_fill(&p->sv.b, TVM_DATA_VA, SZ, VALUE);
	if (explicit) {
		igt_assert_eq(drmSyncobjCreate(p->sw->fd, 0, &sw_out.handle), 0);
		igt_assert_eq(drmSyncobjCreate(p->jfd, 0, &jd_out.handle), 0);
	}
	f_sw = sw_submit(&p->sv, implicit, NULL, 0, &sw_out, explicit);

	/* jdgpu: sum and CRC of the writer's BO, then a tag. */
	jdgpu_chain_op(jctx_chain(&p->jx), JDGPU_OP_SUM32, JCTX_DATA_VA + SZ,
		       JCTX_DATA_VA, SZ, 0);
	jdgpu_chain_op(&p->jx.c, JDGPU_OP_CRC32, JCTX_DATA_VA + SZ + 8,
		       JCTX_DATA_VA, SZ, 0);
	jdgpu_chain_op(&p->jx.c, JDGPU_OP_WRITE_VALUE, JCTX_DATA_VA + SZ + 16,
		       0, 0, TAG);
	if (explicit)
		jd_in = as_sync_file(p->sw->fd, sw_out.handle);
	f_jd = jctx_submit(&p->jx, 0, implicit, &jd_in, explicit, &jd_out,
			   explicit);

	/* The reader: the three results into its own BO. */
	swgpu_batch_copy(tvm_batch(&p->rv), TVM_DATA_VA + RES, TVM_DATA_VA, 24);
	if (explicit)
		rd_in = as_sync_file(p->jfd, jd_out.handle);
	f_rd = sw_submit(&p->rv, implicit, &rd_in, explicit, NULL, 0);
	/* Only the synchronisation held the later jobs back. */
	busy = !fence_signalled(f_sw);

	igt_assert_eq(fence_status(f_rd), 0);
	igt_assert_eq(fence_status(f_jd), 0);
	igt_assert_eq(fence_status(f_sw), 0);
	igt_assert_f(busy, "the writer was done before the others were submitted\n");

	ref = malloc(SZ);
	igt_assert(ref);
	for (uint64_t i = 0; i < SZ; i += 4)
		memcpy(ref + i, &(uint32_t){ VALUE }, 4);
	sum = (uint64_t)VALUE * (SZ / 4);
	crc = crc32(0, ref, SZ);
	free(ref);
	igt_assert_eq_u64(*(uint64_t *)p->r.map, sum);
	igt_assert_eq_u64(*(uint32_t *)(p->r.map + 8), crc);
	igt_assert_eq_u64(*(uint64_t *)p->l.map, sum);
	igt_assert_eq_u64(*(uint32_t *)(p->l.map + 8), crc);
	igt_assert_eq_u64(*(uint64_t *)(p->l.map + 16), TAG);
	if (explicit) {
		close(jd_in.handle);
		close(rd_in.handle);
		drmSyncobjDestroy(p->sw->fd, sw_out.handle);
		drmSyncobjDestroy(p->jfd, jd_out.handle);
	}
}

#define MV	(256 * 4096ull)

static void jdgpu_export_moves(struct gpu *g, int n, int jfd)
{
	struct gpu *sw = find(g, n, DRM_SWGPU_PROFILE_ATOM);
	long long inv0, reb0;
	struct buf src;
	struct tvm v;
	struct dfs d;
	uint64_t off;
	uint32_t h;
	int dmabuf;

	igt_require_f(sw, "no atom swgpu\n");
	dmabuf_require_moves(sw);
	jd_buf_create(jfd, MV, &src);
	pattern_fill(src.map, MV, 50);
	igt_assert_eq(drmPrimeHandleToFD(jfd, src.handle, DRM_CLOEXEC,
					 &dmabuf), 0);
	igt_assert_eq(drmPrimeFDToHandle(sw->fd, dmabuf, &h), 0);
	close(dmabuf);
	tvm_init(&v, sw->fd);
	igt_assert_eq(swgpu_vm_bind(sw->fd, v.id, h, 0, TVM_DATA_VA, MV,
				    DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	dfs_init_fd(&d, jfd);
	igt_assert_eq(gmmu_bo_mmap_offset(JD, jfd, src.handle, &off), 0);
	inv0 = gmmu_dmabuf_stat(sw->fd, "import_invalidations");
	reb0 = gmmu_dmabuf_stat(sw->fd, "import_rebuilds");
	for (int round = 0; round < 4; round++) {
		pattern_fill(src.map, MV, 60 + round);
		swgpu_batch_crc32(tvm_batch(&v), TVM_SCRATCH_VA + 0x800,
				  TVM_DATA_VA, MV);
		igt_assert_eq(tvm_run(&v, NULL), 0);
		igt_assert_eq_u32(buf_dword(&v.scratch, 0x800),
				  crc32(0, src.map, MV));
		igt_assert_eq(dfs_evict_offset(&d, off, 0), MV / 4096);
	}
	igt_assert_eq(gmmu_dmabuf_stat(sw->fd, "import_invalidations"),
		      inv0 + 4);
	igt_assert_eq(gmmu_dmabuf_stat(sw->fd, "import_rebuilds"), reb0 + 3);
	tvm_fini(&v);
	igt_assert_eq(swgpu_bo_close(sw->fd, h), 0);
	jd_buf_destroy(&src);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	struct pipe p;
	int n = 0, jfd = -1;

	igt_fixture {
		jfd = jd_open();
		n = gpus_open(g);
	}

	igt_subtest("implicit-sync") {
		pipe_init(&p, g, n, jfd);
		run(&p, false);
		pipe_fini(&p);
	}
	igt_subtest("explicit-sync") {
		pipe_init(&p, g, n, jfd);
		run(&p, true);
		pipe_fini(&p);
	}
	igt_subtest("jdgpu-export-moves-for-swgpu") {
		jdgpu_export_moves(g, n, jfd);
		if (access(DMABUF_MOVE_OWN_PARAM, W_OK) == 0)
			dmabuf_move_own_set(false);
	}

	igt_fixture {
		if (access(DMABUF_MOVE_OWN_PARAM, W_OK) == 0)
			dmabuf_move_own_set(false);
		gpus_close(g, n);
		close(jfd);
	}
}
