// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Import of a dma-buf from another driver altogether: vgem, whose BOs are
 * plain shmem and whose fences userspace signals by hand. Each swgpu GPU
 * imports a vgem BO, binds it and moves data in and out, checked through
 * vgem's own mapping (coherent GPUs only: vgem does no cache maintenance
 * for its importers, and for a GPU that does not snoop that is the
 * exporter's job, see Documentation/bo.rst). Fences cross both ways:
 *  - a job made to wait, through a syncobj, for the sync_file of vgem's
 *    write fence (DMA_BUF_IOCTL_EXPORT_SYNC_FILE) does not run until
 *    userspace signals that fence, then runs;
 *  - a job writing the import puts its fence in the dma-buf's reservation
 *    object as a writer, so a reader's sync_file of the dma-buf waits for
 *    it.
 * On dma-direct (lane novtd) a 32-bit GPU may find vgem's pages out of
 * reach: the import is refused, as in swgpu_import, and that GPU skipped.
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

#include "swgpu_igt.h"
#include "vgem.h"

#define PAGE		4096ull
#define VBO_SIZE	(1ull << 20)

static void dbsync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s), 0);
}

/* A sync_file of the fences a @flags (READ or WRITE) access waits for. */
static int dmabuf_sync_file(int dmabuf, uint32_t flags)
{
	struct dma_buf_export_sync_file e = { .flags = flags, .fd = -1 };

	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &e), 0);
	return e.fd;
}

/*
 * @b imported into @g's file as *@h, bound at @va of @v; false if @g's
 * DMA mask cannot reach vgem's pages without bouncing, which the import
 * refuses (see swgpu_import).
 */
static bool vbo_import(struct gpu *g, struct tvm *v, struct vbo *b,
		       uint64_t va, uint32_t *h)
{
	if (drmPrimeFDToHandle(g->fd, b->dmabuf, h)) {
		igt_assert_f((errno == ERANGE || errno == EIO) &&
			     gpu_import_may_bounce(g),
			     "%s: import of a vgem BO failed: %s\n", g->name,
			     strerror(errno));
		igt_info("%s: vgem's pages are out of DMA reach\n", g->name);
		return false;
	}
	igt_assert_eq(swgpu_vm_bind(g->fd, v->id, *h, 0, va, b->size, 0), 0);
	return true;
}

static void bind(struct tvm *v, const struct buf *b, uint64_t va)
{
	igt_assert_eq(swgpu_vm_bind(v->fd, v->id, b->handle, 0, va, b->size, 0),
		      0);
}

/* GPUs that imported in the current subtest: at least one must. */
static int imported;

static void each_importer(struct gpu *g, int n, void (*fn)(struct gpu *g))
{
	imported = 0;
	each_gpu(g, n, fn);
	igt_assert(imported > 0);
}

/* The GPU copies vgem's bytes out, and its own bytes in. */
static void test_copy(struct gpu *g)
{
	const uint64_t vva = TVM_DATA_VA, lva = TVM_DATA_VA + VBO_SIZE;
	struct buf local;
	struct vbo vb;
	struct tvm v;
	uint32_t h;

	if (!g->coherent) {
		igt_info("%s: does not snoop, and vgem keeps no caches clean for it\n",
			 g->name);
		return;
	}
	vbo_create(&vb, VBO_SIZE);
	tvm_init(&v, g->fd);
	buf_create(g->fd, VBO_SIZE, &local);
	if (!vbo_import(g, &v, &vb, vva, &h))
		goto out;
	imported++;
	bind(&v, &local, lva);

	dbsync(vb.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	pattern_fill(vb.map, VBO_SIZE, 51);
	dbsync(vb.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	swgpu_batch_copy(tvm_batch(&v), lva, vva, VBO_SIZE);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(local.map, VBO_SIZE, 51, 0);

	pattern_fill(local.map, VBO_SIZE, 52);
	swgpu_batch_copy(tvm_batch(&v), vva, lva, VBO_SIZE);
	swgpu_batch_fill(&v.b, vva + 5 * PAGE, PAGE, 0xa5a5a5a5);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	dbsync(vb.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_assert_pattern(vb.map, 5 * PAGE, 52, 0);
	igt_assert_bytes(vb.map + 5 * PAGE, PAGE, 0xa5);
	igt_assert_pattern(vb.map + 6 * PAGE, VBO_SIZE - 6 * PAGE, 52,
			   6 * PAGE);
	dbsync(vb.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	igt_assert_eq(swgpu_bo_close(g->fd, h), 0);
out:
	tvm_fini(&v);
	buf_destroy(&local);
	vbo_destroy(&vb);
}

/*
 * A job waits for vgem's write fence, handed over as a sync_file in a
 * syncobj, and runs once userspace signals it.
 */
static void test_waits_for_vgem(struct gpu *g)
{
	struct vgem_fence_attach attach = { .flags = VGEM_FENCE_WRITE };
	struct vgem_fence_signal sig = { 0 };
	struct drm_gmmu_sync in = { 0 };
	struct drm_swgpu_exec e = { 0 };
	const uint32_t value = 0x5eed0000u | (uint32_t)g->slot;
	struct buf target;
	struct vbo vb;
	struct tvm v;
	int sf, fence;
	uint32_t h;

	vbo_create(&vb, VBO_SIZE);
	tvm_init(&v, g->fd);
	buf_create(g->fd, PAGE, &target);
	bind(&v, &target, TVM_DATA_VA + VBO_SIZE);
	if (!vbo_import(g, &v, &vb, TVM_DATA_VA, &h))
		goto out;
	imported++;

	attach.handle = vb.handle;
	igt_assert_eq(ioctl(vb.vfd, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach), 0);
	/* What a reader of the dma-buf waits for: vgem's writer. */
	sf = dmabuf_sync_file(vb.dmabuf, DMA_BUF_SYNC_READ);
	igt_assert_eq(fence_signalled(sf), 0);
	igt_assert_eq(drmSyncobjCreate(g->fd, 0, &in.handle), 0);
	igt_assert_eq(drmSyncobjImportSyncFile(g->fd, in.handle, sf), 0);
	close(sf);

	swgpu_batch_store_dword(tvm_batch(&v), TVM_DATA_VA + VBO_SIZE, value);
	igt_assert_eq(swgpu_batch_end(&v.b), 0);
	e.submit.vm_id = v.id;
	e.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT;
	e.batch_va = v.b.va;
	e.submit.in_syncs = (uintptr_t)&in;
	e.submit.in_sync_count = 1;
	e.submit.sync_stride = sizeof(in);
	igt_assert_eq(swgpu_exec_ioctl(g->fd, &e), 0);
	fence = e.submit.out_fence_fd;

	/*
	 * Held back for as long as vgem's fence is. (The target is not read
	 * meanwhile: on atom a CPU fault on a BO waits for its jobs.)
	 */
	usleep(200 * 1000);
	igt_assert_eq(fence_signalled(fence), 0);

	/* vgem expires its fences after 10 s: -ETIMEDOUT then. */
	sig.fence = attach.out_fence;
	igt_assert_eq(ioctl(vb.vfd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig), 0);
	igt_assert_eq(fence_status(fence), 0);
	igt_assert_eq(buf_dword(&target, 0), value);

	drmSyncobjDestroy(g->fd, in.handle);
	igt_assert_eq(swgpu_bo_close(g->fd, h), 0);
out:
	tvm_fini(&v);
	buf_destroy(&target);
	vbo_destroy(&vb);
}

/*
 * A job that writes the import is a writer of the dma-buf: a reader's
 * sync_file, taken while the job runs, signals only when the job is done.
 */
static void test_vgem_sees_job(struct gpu *g)
{
	const uint64_t size = 8ull << 20;
	struct swgpu_batch *b;
	unsigned int fills, i;
	int fence, sf;
	uint64_t chunk;
	struct vbo vb;
	struct tvm v;
	uint32_t h;

	vbo_create(&vb, size);
	tvm_init(&v, g->fd);
	if (!vbo_import(g, &v, &vb, TVM_DATA_VA, &h))
		goto out;
	imported++;
	tvm_fills_for_ms(&v, TVM_DATA_VA, size, 1500, &chunk, &fills);
	b = tvm_batch(&v);
	for (i = 0; i < fills; i++)
		swgpu_batch_fill(b, TVM_DATA_VA, chunk, 0x3c3c3c3c);
	fence = tvm_submit(&v, NULL);

	sf = dmabuf_sync_file(vb.dmabuf, DMA_BUF_SYNC_READ);
	igt_assert_f(!fence_signalled(sf), "%s: reader's sync_file signalled during the job%s\n",
		     g->name,
		     fence_signalled(fence) ? " (the job was already done)" : "");
	igt_assert_eq(fence_status(fence), 0);
	igt_assert_eq(fence_status(sf), 0);
	if (g->coherent) {
		dbsync(vb.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
		igt_assert_bytes(vb.map, chunk, 0x3c);
		dbsync(vb.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	}
	igt_assert_eq(swgpu_bo_close(g->fd, h), 0);
out:
	tvm_fini(&v);
	vbo_destroy(&vb);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("copy-in-and-out")
		each_importer(g, n, test_copy);
	igt_subtest("waits-for-vgem-fence")
		each_importer(g, n, test_waits_for_vgem);
	igt_subtest("vgem-reader-waits-for-job")
		each_importer(g, n, test_vgem_sees_job);

	igt_fixture
		gpus_close(g, n);
}
