// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * How swgpu jobs meet other users of shared BOs (drm_gmmu's submit
 * policies, see drm-core/drm_gmmu_submit.c and Documentation/lifetime.rst):
 *
 * - publish, the default: a job's fence goes on every shared BO of its
 *   VM, as a writer where the VM maps the BO writable and as a reader
 *   where it maps it read-only only, so that an implicit-sync consumer (a
 *   vgem reader of the dma-buf) waits for it; the job itself waits only
 *   for what it is given, e.g. vgem's write fence as a sync_file in-fence;
 * - implicit (DRM_GMMU_SUBMIT_IMPLICIT_SYNC): the job also waits for the
 *   fences already on those BOs, with dma-resv's rules: a job whose VM
 *   maps a BO writable waits for its readers and writers, a read-only one
 *   for its writers only. So it waits for vgem's writer, for a fence
 *   imported into a swgpu BO's dma-buf, for earlier readers if it may
 *   write; and two read-only jobs run side by side;
 * - sync_file in-fences (DRM_GMMU_SYNC_SYNC_FILE) and the bad input they
 *   can come with.
 *
 * Jobs are held running by a SEMAPHORE_WAIT on their own scratch BO that
 * a job of another VM (the releaser) signals: GPU memory written by the
 * GPU, so no CPU cache maintenance is involved and every GPU takes part.
 * Fence checks need no data and run on both GPUs; data written through
 * vgem's mapping would need cache maintenance vgem does not do, so only
 * coherent GPUs check data that crosses vgem. vgem signals a fence by
 * itself after about 10 s: every wait for one here is far shorter.
 */
#include <errno.h>
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
/* The shared BO, in every VM that maps it. */
#define SHARED_VA	TVM_DATA_VA
#define SHARED_SIZE	(64ull * 1024)
/* A second mapping of it, where a test needs one. */
#define SHARED2_VA	(TVM_DATA_VA + 0x100000)
/* In the releaser VM: holder i's scratch BO. */
#define REL_VA(i)	(TVM_DATA_VA + 0x1000000 + (uint64_t)(i) * 0x10000)
/* In a holder's scratch: the semaphore its held job waits for. */
#define SEM_OFF		0x100
/* Where jobs leave what they read. */
#define OUT_OFF		0x200
/*
 * How long a job that must wait is given to (wrongly) complete. A job
 * that does not wait completes in a few milliseconds here.
 */
#define WAIT_MS		200
#define MAX_HOLDERS	4

/* ---- Jobs held running ---- */

struct releaser {
	struct tvm v;
	int n;
};

static void releaser_init(struct releaser *r, int fd)
{
	tvm_init(&r->v, fd);
	r->n = 0;
}

/* @h's jobs can be held; returns its index for release(). */
static int releaser_add(struct releaser *r, struct tvm *h)
{
	igt_assert(r->n < MAX_HOLDERS);
	igt_assert_eq(swgpu_vm_bind(r->v.fd, r->v.id, h->scratch.handle, 0,
				    REL_VA(r->n), TVM_SCRATCH_SIZE, 0), 0);
	return r->n++;
}

/* Starts @h's batch with a wait that only release() ends. */
static struct swgpu_batch *held_batch(struct tvm *h)
{
	struct swgpu_batch *b = tvm_batch(h);

	swgpu_batch_sem_wait(b, TVM_SCRATCH_VA + SEM_OFF, 1, ~0ull, SWGPU_SEM_COMPARE_EQ);
	return b;
}

/*
 * The releaser's job writes holder @i's semaphore. It is not given
 * IMPLICIT_SYNC: it waits for nothing, held jobs included.
 */
static void release(struct releaser *r, int i)
{
	swgpu_batch_sem_signal(tvm_batch(&r->v), REL_VA(i) + SEM_OFF, 1);
	igt_assert_eq(tvm_run(&r->v, NULL), 0);
}

static void releaser_fini(struct releaser *r)
{
	tvm_fini(&r->v);
}

/* ---- Submission ---- */

/* Ends @v's batch, submits it with @flags and @n_in in-syncs; its fence. */
static int exec_job(struct tvm *v, uint32_t flags, const struct drm_gmmu_sync *in,
		    uint32_t n_in)
{
	struct drm_swgpu_exec e = {
		.submit.vm_id = v->id,
		.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT | flags,
		.batch_va = v->b.va,
		.submit.out_fence_fd = -1,
		.submit.in_syncs = (uintptr_t)in,
		.submit.in_sync_count = n_in,
		.submit.sync_stride = sizeof(*in),
	};

	igt_assert_eq(swgpu_batch_end(&v->b), 0);
	igt_assert_eq(swgpu_exec_ioctl(v->fd, &e), 0);
	igt_assert(e.submit.out_fence_fd >= 0);
	return e.submit.out_fence_fd;
}

/* @fence does not signal within WAIT_MS. */
static void assert_waits(int fence, const char *what)
{
	usleep(WAIT_MS * 1000);
	igt_assert_f(!fence_signalled(fence), "%s did not wait\n", what);
}

/*
 * @job completes, successfully, within @ms while @other (a fence it must
 * not wait for) is still pending. @ms stays below what ends @other by
 * itself: the watchdog for a held job, vgem's timeout for vgem's fence.
 */
static void assert_done_before(int job, int other, int ms, const char *what)
{
	int status = 1, ret = swgpu_fence_wait(job, ms, &status);

	igt_assert_f(ret == 0, "%s waits (not done within %d ms)\n", what, ms);
	igt_assert_f(status == 0, "%s failed: %d\n", what, status);
	close(job);
	igt_assert_f(!fence_signalled(other), "%s: what it must not wait for is over too\n",
		     what);
}

/* Below the engine's 5 s watchdog (a held job), and vgem's 10 s fence timeout. */
#define NO_WAIT_MS	4000

/* ---- dma-bufs and vgem ---- */

/* The fences a @flags (DMA_BUF_SYNC_READ or _WRITE) access must wait for. */
static int export_sync_file(int dmabuf, uint32_t flags)
{
	struct dma_buf_export_sync_file e = { .flags = flags, .fd = -1 };

	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &e), 0);
	igt_assert(e.fd >= 0);
	return e.fd;
}

/* Adds @sync_file's fence to @dmabuf as a @flags access. */
static void import_sync_file(int dmabuf, uint32_t flags, int sync_file)
{
	struct dma_buf_import_sync_file i = { .flags = flags, .fd = sync_file };

	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &i), 0);
}

static int bo_export(int fd, uint32_t handle)
{
	int dmabuf = -1;

	igt_assert_eq(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	return dmabuf;
}

/*
 * The CPU writes a dword through vgem's mapping, bracketed as a writer
 * (the bracket waits for every fence on the BO: before any is attached).
 */
static void vbo_write(struct vbo *b, uint64_t off, uint32_t value)
{
	struct dma_buf_sync s = { .flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE };

	igt_assert_eq(ioctl(b->dmabuf, DMA_BUF_IOCTL_SYNC, &s), 0);
	*(volatile uint32_t *)(b->map + off) = value;
	s.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE;
	igt_assert_eq(ioctl(b->dmabuf, DMA_BUF_IOCTL_SYNC, &s), 0);
}

/* An unsignalled vgem fence on @b, as a writer or a reader; its id. */
static uint32_t vgem_fence(struct vbo *b, bool write)
{
	struct vgem_fence_attach a = {
		.handle = b->handle,
		.flags = write ? VGEM_FENCE_WRITE : 0,
	};

	igt_assert_eq(ioctl(b->vfd, DRM_IOCTL_VGEM_FENCE_ATTACH, &a), 0);
	return a.out_fence;
}

static void vgem_signal(struct vbo *b, uint32_t fence)
{
	struct vgem_fence_signal s = { .fence = fence };

	igt_assert_eq(ioctl(b->vfd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &s), 0);
}

/*
 * @b imported into @g and bound at @va of @v with @flags; false if @g's
 * DMA mask cannot reach vgem's pages without bouncing, which the import
 * refuses (see swgpu_import_vgem).
 */
static bool vbo_import(struct gpu *g, struct tvm *v, struct vbo *b, uint64_t va,
		       uint32_t flags, uint32_t *h)
{
	if (drmPrimeFDToHandle(g->fd, b->dmabuf, h)) {
		igt_assert_f((errno == ERANGE || errno == EIO) && gpu_import_may_bounce(g),
			     "%s: import of a vgem BO failed: %s\n", g->name, strerror(errno));
		igt_info("%s: vgem's pages are out of DMA reach\n", g->name);
		return false;
	}
	igt_assert_eq(swgpu_vm_bind(g->fd, v->id, *h, 0, va, b->size, flags), 0);
	return true;
}

/* GPUs that imported in the current subtest: at least one must. */
static int imported;

static void each_importer(struct gpu *g, int n, void (*fn)(struct gpu *g))
{
	imported = 0;
	each_gpu(g, n, fn);
	igt_assert(imported > 0);
}

static void bind(struct tvm *v, const struct buf *b, uint64_t va, uint32_t flags)
{
	igt_assert_eq(swgpu_vm_bind(v->fd, v->id, b->handle, 0, va, b->size, flags), 0);
}

/* ---- publish ---- */

/*
 * A held job of a VM that maps the exported BO writable is a writer of
 * the dma-buf: readers and writers of it (vgem's sync_files for either
 * access) wait for the job, and are free once it is done.
 */
static void test_publish_write(struct gpu *g)
{
	struct releaser r;
	struct buf shared;
	struct tvm h;
	int dmabuf, job, rd, wr, i;

	releaser_init(&r, g->fd);
	tvm_init(&h, g->fd);
	i = releaser_add(&r, &h);
	buf_create(g->fd, SHARED_SIZE, &shared);
	bind(&h, &shared, SHARED_VA, 0);
	dmabuf = bo_export(g->fd, shared.handle);

	/* Nobody uses it yet: both accesses are free. */
	igt_assert_eq(fence_status(export_sync_file(dmabuf, DMA_BUF_SYNC_READ)), 0);
	igt_assert_eq(fence_status(export_sync_file(dmabuf, DMA_BUF_SYNC_WRITE)), 0);

	swgpu_batch_store_dword(held_batch(&h), SHARED_VA + 0x40, 0x57a7e);
	job = exec_job(&h, 0, NULL, 0);
	rd = export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	wr = export_sync_file(dmabuf, DMA_BUF_SYNC_WRITE);
	usleep(WAIT_MS * 1000);
	igt_assert_f(!fence_signalled(rd), "%s: a reader's sync_file is free while the writer runs\n",
		     g->name);
	igt_assert(!fence_signalled(wr));
	igt_assert(!fence_signalled(job));

	release(&r, i);
	igt_assert_eq(fence_status(job), 0);
	igt_assert_eq(fence_status(rd), 0);
	igt_assert_eq(fence_status(wr), 0);
	igt_assert_eq_u32(buf_dword(&shared, 0x40), 0x57a7e);

	close(dmabuf);
	buf_destroy(&shared);
	tvm_fini(&h);
	releaser_fini(&r);
}

/*
 * A held job of a VM that maps the exported BO read-only is a reader: a
 * reader's sync_file is free at once, a writer's waits for the job. A VM
 * that maps the same BO both ways is a writer again.
 */
static void test_publish_read_only(struct gpu *g)
{
	struct releaser r;
	struct buf shared;
	struct tvm h, m;
	int dmabuf, job, rd, wr, i, k;

	releaser_init(&r, g->fd);
	tvm_init(&h, g->fd);
	tvm_init(&m, g->fd);
	i = releaser_add(&r, &h);
	k = releaser_add(&r, &m);
	buf_create(g->fd, SHARED_SIZE, &shared);
	*(volatile uint32_t *)(shared.map + 0x40) = 0x4ead;
	bind(&h, &shared, SHARED_VA, DRM_GMMU_VM_BIND_MAP_READONLY);
	dmabuf = bo_export(g->fd, shared.handle);

	/* Held, then it reads the BO. */
	swgpu_batch_copy(held_batch(&h), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA + 0x40, 4);
	job = exec_job(&h, 0, NULL, 0);
	rd = export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	wr = export_sync_file(dmabuf, DMA_BUF_SYNC_WRITE);
	igt_assert_f(fence_signalled(rd), "%s: a read-only job holds up another reader\n",
		     g->name);
	close(rd);
	usleep(WAIT_MS * 1000);
	igt_assert_f(!fence_signalled(wr), "%s: a writer's sync_file is free while a reader runs\n",
		     g->name);
	igt_assert(!fence_signalled(job));
	release(&r, i);
	igt_assert_eq(fence_status(job), 0);
	igt_assert_eq(fence_status(wr), 0);
	igt_assert_eq_u32(buf_dword(&h.scratch, OUT_OFF), 0x4ead);

	/* Read-only at one address, writable at another: a writer. */
	bind(&m, &shared, SHARED_VA, DRM_GMMU_VM_BIND_MAP_READONLY);
	igt_assert_eq(swgpu_vm_bind(g->fd, m.id, shared.handle, 0, SHARED2_VA, PAGE, 0), 0);
	swgpu_batch_copy(held_batch(&m), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA + 0x40, 4);
	job = exec_job(&m, 0, NULL, 0);
	rd = export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	usleep(WAIT_MS * 1000);
	igt_assert_f(!fence_signalled(rd),
		     "%s: a job whose VM maps the BO writable too did not publish a writer\n",
		     g->name);
	release(&r, k);
	igt_assert_eq(fence_status(job), 0);
	igt_assert_eq(fence_status(rd), 0);

	close(dmabuf);
	buf_destroy(&shared);
	tvm_fini(&h);
	tvm_fini(&m);
	releaser_fini(&r);
}

/*
 * A job that reads a BO imported from vgem, given vgem's write fence as a
 * sync_file in-fence, does not run before vgem signals it; without it
 * (and without IMPLICIT_SYNC) the same job does not wait: it is done
 * while vgem's next write fence is still unsignalled.
 */
static void test_in_fence_sync_file(struct gpu *g)
{
	struct drm_gmmu_sync in = { .flags = DRM_GMMU_SYNC_SYNC_FILE };
	struct vbo vb;
	struct tvm v;
	uint32_t h, vf;
	int job, sf;

	vbo_create(&vb, SHARED_SIZE);
	tvm_init(&v, g->fd);
	if (!vbo_import(g, &v, &vb, SHARED_VA, DRM_GMMU_VM_BIND_MAP_READONLY, &h))
		goto out;
	imported++;

	/* What vgem's writer wrote, as the job should see it once it may. */
	if (g->coherent)
		vbo_write(&vb, 0x80, 0x76e30001);
	vf = vgem_fence(&vb, true);
	sf = export_sync_file(vb.dmabuf, DMA_BUF_SYNC_READ);
	igt_assert(!fence_signalled(sf));
	in.handle = sf;
	swgpu_batch_copy(tvm_batch(&v), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA + 0x80, 4);
	job = exec_job(&v, 0, &in, 1);
	close(sf);
	assert_waits(job, "a job given vgem's write fence");
	vgem_signal(&vb, vf);
	igt_assert_eq(fence_status(job), 0);
	if (g->coherent)
		igt_assert_eq_u32(buf_dword(&v.scratch, OUT_OFF), 0x76e30001);

	/* No in-fence, no implicit sync: vgem's writer is not waited for. */
	vf = vgem_fence(&vb, true);
	sf = export_sync_file(vb.dmabuf, DMA_BUF_SYNC_READ);
	swgpu_batch_copy(tvm_batch(&v), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA + 0x80, 4);
	job = exec_job(&v, 0, NULL, 0);
	assert_done_before(job, sf, NO_WAIT_MS, "a job given no fence, vgem writing");
	vgem_signal(&vb, vf);
	igt_assert_eq(fence_status(sf), 0);

	igt_assert_eq(swgpu_bo_close(g->fd, h), 0);
out:
	tvm_fini(&v);
	vbo_destroy(&vb);
}

/* ---- implicit ---- */

/*
 * IMPLICIT_SYNC, on a BO imported from vgem: a job whose VM maps it
 * read-only waits for vgem's writer without being given its fence, and
 * not for vgem's reader; a job whose VM maps it writable waits for
 * vgem's reader as well.
 */
static void test_implicit_vgem(struct gpu *g)
{
	struct vbo vb;
	struct tvm ro, rw;
	uint32_t h, vf;
	int job, job2, sf;

	vbo_create(&vb, SHARED_SIZE);
	tvm_init(&ro, g->fd);
	tvm_init(&rw, g->fd);
	if (!vbo_import(g, &ro, &vb, SHARED_VA, DRM_GMMU_VM_BIND_MAP_READONLY, &h))
		goto out;
	imported++;
	igt_assert_eq(swgpu_vm_bind(g->fd, rw.id, h, 0, SHARED_VA, vb.size, 0), 0);

	/* vgem's writer holds up a reader. */
	if (g->coherent)
		vbo_write(&vb, 0x80, 0x1b9c17);
	vf = vgem_fence(&vb, true);
	swgpu_batch_copy(tvm_batch(&ro), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA + 0x80, 4);
	job = exec_job(&ro, DRM_GMMU_SUBMIT_IMPLICIT_SYNC, NULL, 0);
	assert_waits(job, "an implicit reader, vgem writing");
	vgem_signal(&vb, vf);
	igt_assert_eq(fence_status(job), 0);
	if (g->coherent)
		igt_assert_eq_u32(buf_dword(&ro.scratch, OUT_OFF), 0x1b9c17);

	/* vgem's reader: another reader goes ahead, a writer waits. */
	vf = vgem_fence(&vb, false);
	sf = export_sync_file(vb.dmabuf, DMA_BUF_SYNC_WRITE);
	swgpu_batch_copy(tvm_batch(&ro), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA + 0x80, 4);
	job = exec_job(&ro, DRM_GMMU_SUBMIT_IMPLICIT_SYNC, NULL, 0);
	assert_done_before(job, sf, NO_WAIT_MS, "an implicit reader, vgem reading");
	swgpu_batch_store_dword(tvm_batch(&rw), SHARED_VA + 0xc0, 0x3717e);
	job2 = exec_job(&rw, DRM_GMMU_SUBMIT_IMPLICIT_SYNC, NULL, 0);
	assert_waits(job2, "an implicit writer, vgem reading");
	vgem_signal(&vb, vf);
	igt_assert_eq(fence_status(job2), 0);
	igt_assert_eq(fence_status(sf), 0);

	igt_assert_eq(swgpu_bo_close(g->fd, h), 0);
out:
	tvm_fini(&ro);
	tvm_fini(&rw);
	vbo_destroy(&vb);
}

/*
 * IMPLICIT_SYNC, on a swgpu BO whose dma-buf was given a foreign fence
 * with DMA_BUF_IOCTL_IMPORT_SYNC_FILE: as a writer's, it holds up an
 * implicit read-only job (and not a job without the flag); as a
 * reader's, it holds up only a job whose VM maps the BO writable.
 */
static void test_implicit_imported_fence(struct gpu *g)
{
	struct buf shared;
	struct tvm ro, rw;
	struct vbo vb;
	int dmabuf, sf, job, job2;
	uint32_t vf;

	vbo_create(&vb, PAGE);
	tvm_init(&ro, g->fd);
	tvm_init(&rw, g->fd);
	buf_create(g->fd, SHARED_SIZE, &shared);
	bind(&ro, &shared, SHARED_VA, DRM_GMMU_VM_BIND_MAP_READONLY);
	bind(&rw, &shared, SHARED_VA, 0);
	dmabuf = bo_export(g->fd, shared.handle);

	/* As a writer. */
	vf = vgem_fence(&vb, true);
	sf = export_sync_file(vb.dmabuf, DMA_BUF_SYNC_READ);
	import_sync_file(dmabuf, DMA_BUF_SYNC_WRITE, sf);
	/* Without the flag: not held up. */
	swgpu_batch_copy(tvm_batch(&ro), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA, 4);
	job = exec_job(&ro, 0, NULL, 0);
	assert_done_before(job, sf, NO_WAIT_MS, "a job without IMPLICIT_SYNC");
	close(sf);
	/* With it: held up until the imported fence signals. */
	swgpu_batch_copy(tvm_batch(&ro), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA, 4);
	job = exec_job(&ro, DRM_GMMU_SUBMIT_IMPLICIT_SYNC, NULL, 0);
	assert_waits(job, "an implicit reader, an imported write fence pending");
	vgem_signal(&vb, vf);
	igt_assert_eq(fence_status(job), 0);

	/* As a reader. */
	vf = vgem_fence(&vb, false);
	sf = export_sync_file(vb.dmabuf, DMA_BUF_SYNC_WRITE);
	import_sync_file(dmabuf, DMA_BUF_SYNC_READ, sf);
	swgpu_batch_copy(tvm_batch(&ro), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA, 4);
	job = exec_job(&ro, DRM_GMMU_SUBMIT_IMPLICIT_SYNC, NULL, 0);
	assert_done_before(job, sf, NO_WAIT_MS, "an implicit reader, an imported read fence pending");
	close(sf);
	swgpu_batch_store_dword(tvm_batch(&rw), SHARED_VA + 0x40, 0x1e7);
	job2 = exec_job(&rw, DRM_GMMU_SUBMIT_IMPLICIT_SYNC, NULL, 0);
	assert_waits(job2, "an implicit writer, an imported read fence pending");
	vgem_signal(&vb, vf);
	igt_assert_eq(fence_status(job2), 0);
	igt_assert_eq_u32(buf_dword(&shared, 0x40), 0x1e7);

	close(dmabuf);
	buf_destroy(&shared);
	tvm_fini(&ro);
	tvm_fini(&rw);
	vbo_destroy(&vb);
}

/*
 * Readers A and B of a shared BO (VMs that map it read-only) submitted
 * with IMPLICIT_SYNC, A held running: B does not wait for A. A writer C
 * (its VM maps the BO writable) with IMPLICIT_SYNC waits for both: it is
 * still waiting after A is released, runs only after B is too, and both
 * readers read the value from before C's write.
 */
static void readers_and_writer(struct gpu *g, bool writer)
{
	struct releaser r;
	struct buf shared;
	struct tvm a, b, c;
	int ja, jb, jc, ia, ib;

	releaser_init(&r, g->fd);
	tvm_init(&a, g->fd);
	tvm_init(&b, g->fd);
	tvm_init(&c, g->fd);
	ia = releaser_add(&r, &a);
	ib = releaser_add(&r, &b);
	buf_create(g->fd, SHARED_SIZE, &shared);
	*(volatile uint32_t *)(shared.map + 0x40) = 0x01d;
	bind(&a, &shared, SHARED_VA, DRM_GMMU_VM_BIND_MAP_READONLY);
	bind(&b, &shared, SHARED_VA, DRM_GMMU_VM_BIND_MAP_READONLY);
	bind(&c, &shared, SHARED_VA, 0);

	swgpu_batch_copy(held_batch(&a), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA + 0x40, 4);
	ja = exec_job(&a, DRM_GMMU_SUBMIT_IMPLICIT_SYNC, NULL, 0);
	if (writer)
		swgpu_batch_copy(held_batch(&b), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA + 0x40, 4);
	else
		swgpu_batch_copy(tvm_batch(&b), TVM_SCRATCH_VA + OUT_OFF, SHARED_VA + 0x40, 4);
	jb = exec_job(&b, DRM_GMMU_SUBMIT_IMPLICIT_SYNC, NULL, 0);

	if (!writer) {
		/* B ran to its end while A is still held. */
		assert_done_before(jb, ja, NO_WAIT_MS, "reader B, reader A running");
		igt_assert_eq_u32(buf_dword(&b.scratch, OUT_OFF), 0x01d);
		release(&r, ia);
		igt_assert_eq(fence_status(ja), 0);
		igt_assert_eq_u32(buf_dword(&a.scratch, OUT_OFF), 0x01d);
		goto out;
	}

	swgpu_batch_store_dword(tvm_batch(&c), SHARED_VA + 0x40, 0x2ed);
	jc = exec_job(&c, DRM_GMMU_SUBMIT_IMPLICIT_SYNC, NULL, 0);
	assert_waits(jc, "a writer, two readers running");
	release(&r, ia);
	igt_assert_eq(fence_status(ja), 0);
	assert_waits(jc, "a writer, one reader still running");
	release(&r, ib);
	igt_assert_eq(fence_status(jb), 0);
	igt_assert_eq(fence_status(jc), 0);
	/* The readers read before the writer wrote. */
	igt_assert_eq_u32(buf_dword(&a.scratch, OUT_OFF), 0x01d);
	igt_assert_eq_u32(buf_dword(&b.scratch, OUT_OFF), 0x01d);
	igt_assert_eq_u32(buf_dword(&shared, 0x40), 0x2ed);
out:
	buf_destroy(&shared);
	tvm_fini(&a);
	tvm_fini(&b);
	tvm_fini(&c);
	releaser_fini(&r);
}

static void test_readers_concurrent(struct gpu *g)
{
	readers_and_writer(g, false);
}

static void test_writer_waits_for_readers(struct gpu *g)
{
	readers_and_writer(g, true);
}

/* ---- sync_file in-fences: bad input ---- */

/* EXEC of @v's prepared batch with these syncs fails with @err. */
static void exec_err(struct tvm *v, const struct drm_gmmu_sync *in, uint32_t n_in,
		     const struct drm_gmmu_sync *out, uint32_t n_out, int err,
		     const char *what)
{
	struct drm_swgpu_exec e = {
		.submit.vm_id = v->id,
		.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT,
		.batch_va = TVM_BATCH_VA,
		.submit.out_fence_fd = 55,
		.submit.seqno = 77,
		.submit.in_syncs = (uintptr_t)in,
		.submit.in_sync_count = n_in,
		.submit.out_syncs = (uintptr_t)out,
		.submit.out_sync_count = n_out,
		.submit.sync_stride = sizeof(struct drm_gmmu_sync),
	};
	int ret = igt_ioctl(v->fd, DRM_IOCTL_SWGPU_EXEC, &e);

	igt_assert_f(ret == -1 && errno == err, "%s: ret %d errno %d (%s), expected %s\n",
		     what, ret, errno, strerror(errno), strerror(err));
	igt_assert_eq(e.submit.out_fence_fd, 55);
	igt_assert_eq(e.submit.seqno, 77);
}

/*
 * A sync_file in-sync that is not one (another kind of file, a closed
 * descriptor), that has a point, that is to be signalled, and unknown
 * sync flags: -EINVAL, and nothing ran, no seqno was taken and the
 * out-syncobj got no fence. A good sync_file in-fence (another VM's held
 * job) is then waited for.
 */
static void test_bad_sync_file(struct gpu *g)
{
	const uint32_t SF = DRM_GMMU_SYNC_SYNC_FILE;
	struct drm_gmmu_sync in[2], out;
	struct drm_swgpu_exec e;
	struct releaser r;
	struct tvm v, h;
	int held, closed_fd, dmabuf, sf, job, i;
	uint32_t syncobj;

	releaser_init(&r, g->fd);
	tvm_init(&v, g->fd);
	tvm_init(&h, g->fd);
	i = releaser_add(&r, &h);
	/* A good sync_file: the out-fence of another VM's job, held running. */
	swgpu_batch_nop(held_batch(&h));
	held = exec_job(&h, 0, NULL, 0);
	closed_fd = dup(held);
	igt_assert(closed_fd >= 0);
	close(closed_fd);
	dmabuf = bo_export(g->fd, v.scratch.handle);
	igt_assert_eq(drmSyncobjCreate(g->fd, 0, &syncobj), 0);

	/* v's job leaves a mark if it runs. */
	swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA + OUT_OFF, 0x5f11e);
	igt_assert_eq(swgpu_batch_end(&v.b), 0);

	/* Descriptors that are not sync_files. */
	in[0] = (struct drm_gmmu_sync){ .handle = g->fd, .flags = SF };
	exec_err(&v, in, 1, NULL, 0, EINVAL, "a DRM file as a sync_file");
	in[0].handle = dmabuf;
	exec_err(&v, in, 1, NULL, 0, EINVAL, "a dma-buf as a sync_file");
	in[0].handle = closed_fd;
	exec_err(&v, in, 1, NULL, 0, EINVAL, "a closed descriptor as a sync_file");
	in[0].handle = ~0u;
	exec_err(&v, in, 1, NULL, 0, EINVAL, "descriptor -1 as a sync_file");
	/* ...also behind a good one. */
	in[0] = (struct drm_gmmu_sync){ .handle = held, .flags = SF };
	in[1] = (struct drm_gmmu_sync){ .handle = g->fd, .flags = SF };
	exec_err(&v, in, 2, NULL, 0, EINVAL, "a good sync_file, then a DRM file");
	/* A sync_file has no point. */
	in[0] = (struct drm_gmmu_sync){ .handle = held, .flags = SF, .point = 1 };
	exec_err(&v, in, 1, NULL, 0, EINVAL, "a sync_file with point 1");
	in[0].point = 1ull << 63;
	exec_err(&v, in, 1, NULL, 0, EINVAL, "a sync_file with point 2^63");
	/* Unknown flags, alone or with SYNC_FILE. */
	for (unsigned int bit = 1; bit < 32; bit++) {
		in[0] = (struct drm_gmmu_sync){ .handle = held, .flags = 1u << bit };
		exec_err(&v, in, 1, NULL, 0, EINVAL, "an in-sync with an unknown flag");
		in[0].flags |= SF;
		exec_err(&v, in, 1, NULL, 0, EINVAL, "a sync_file with an unknown flag");
	}
	/* A job signals no sync_file through its syncs. */
	out = (struct drm_gmmu_sync){ .handle = syncobj, .flags = SF };
	exec_err(&v, NULL, 0, &out, 1, EINVAL, "SYNC_FILE in an out-sync (a syncobj)");
	out.handle = held;
	exec_err(&v, NULL, 0, &out, 1, EINVAL, "SYNC_FILE in an out-sync (a sync_file)");
	for (unsigned int bit = 1; bit < 32; bit++) {
		out = (struct drm_gmmu_sync){ .handle = syncobj, .flags = 1u << bit };
		exec_err(&v, NULL, 0, &out, 1, EINVAL, "an out-sync with an unknown flag");
	}
	/* Good in-syncs do not make a bad out-sync pass. */
	in[0] = (struct drm_gmmu_sync){ .handle = held, .flags = SF };
	out = (struct drm_gmmu_sync){ .handle = syncobj, .flags = SF };
	exec_err(&v, in, 1, &out, 1, EINVAL, "a good sync_file, SYNC_FILE in an out-sync");

	/* Nothing ran, and the syncobj still has no fence. */
	igt_assert_eq_u32(buf_dword(&v.scratch, OUT_OFF), 0);
	sf = -1;
	igt_assert_f(drmSyncobjExportSyncFile(g->fd, syncobj, &sf) && errno == EINVAL,
		     "the out-syncobj of a refused EXEC has a fence\n");
	igt_assert(!fence_signalled(held));

	/* The good sync_file is waited for; this is the queue's first job. */
	in[0] = (struct drm_gmmu_sync){ .handle = held, .flags = SF };
	out = (struct drm_gmmu_sync){ .handle = syncobj };
	memset(&e, 0, sizeof(e));
	e.submit.vm_id = v.id;
	e.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT;
	e.batch_va = TVM_BATCH_VA;
	e.submit.in_syncs = (uintptr_t)in;
	e.submit.in_sync_count = 1;
	e.submit.out_syncs = (uintptr_t)&out;
	e.submit.out_sync_count = 1;
	e.submit.sync_stride = sizeof(in[0]);
	igt_assert_eq(swgpu_exec_ioctl(g->fd, &e), 0);
	igt_assert_eq(e.submit.seqno, 1);
	job = e.submit.out_fence_fd;
	assert_waits(job, "a job given another job's sync_file");
	igt_assert_eq(drmSyncobjExportSyncFile(g->fd, syncobj, &sf), 0);
	igt_assert(!fence_signalled(sf));
	release(&r, i);
	igt_assert_eq(fence_status(held), 0);
	igt_assert_eq(fence_status(job), 0);
	igt_assert_eq(fence_status(sf), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, OUT_OFF), 0x5f11e);

	drmSyncobjDestroy(g->fd, syncobj);
	close(dmabuf);
	tvm_fini(&v);
	tvm_fini(&h);
	releaser_fini(&r);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("publish-writer")
		each_gpu(g, n, test_publish_write);
	igt_subtest("publish-read-only")
		each_gpu(g, n, test_publish_read_only);
	igt_subtest("in-fence-sync-file-from-vgem")
		each_importer(g, n, test_in_fence_sync_file);
	igt_subtest("implicit-vgem-fences")
		each_importer(g, n, test_implicit_vgem);
	igt_subtest("implicit-imported-sync-file")
		each_gpu(g, n, test_implicit_imported_fence);
	igt_subtest("implicit-readers-concurrent")
		each_gpu(g, n, test_readers_concurrent);
	igt_subtest("implicit-writer-waits-for-readers")
		each_gpu(g, n, test_writer_waits_for_readers);
	igt_subtest("bad-sync-file")
		each_gpu(g, n, test_bad_sync_file);

	igt_fixture
		gpus_close(g, n);
}
