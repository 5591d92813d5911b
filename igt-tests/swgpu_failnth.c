// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Every allocation of the main ioctls, failed one at a time
 * (Documentation/robustness.rst, "Allocation failures"). Each subtest
 * makes one call again and again, with its first, second, third, ...
 * allocation under the gmmu modules' code failed through the kernel's
 * fail-nth (igt-tests/lib/failnth.h), until the call allocates less and succeeds.
 * For each failure the call either fails with -ENOMEM (or an error its
 * uapi lists for it) or succeeds despite it; when it fails, nothing is
 * left half-done: no descriptor, VM, page table, level-1 mapping or BO
 * memory more than before, the syncobjs it was to signal have no fence,
 * the mappings it was to change translate as before, no job ran; and the
 * same call then works. Each round gives everything back, and the debug
 * lane's kmemleak scan after the suite sees what a failure path forgot
 * to free. Runs on the debug kernel (it has fault injection); skips
 * elsewhere.
 *
 * Random injection (lane debug-failinj) reaches a path as often as the
 * tests go through it: an error path between two allocations of one
 * call, taken only when the second fails, may never be reached there.
 * Here each is, on every run of the debug lane. What runs in the
 * scheduler's workers (a job's run, an asynchronous bind's commit) is not
 * the calling thread's and is not failed; drm-core prepares those so that
 * they cannot fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "failnth.h"
#include "jdgpu_igt.h"
#include "swgpu_igt.h"

#define SZ_4K		0x1000ull
#define SZ_16K		0x4000ull
#define SZ_64K		0x10000ull
/* Where the exec subtests build their batch: clear of tvm's own at 0. */
#define EXEC_BATCH_OFF	0x8000ull
/* The bind subtests' range, and where an import is bound. */
#define BIND_VA		TVM_DATA_VA
#define BIND_SPAN	0x100000ull
#define IMPORT_VA	(TVM_DATA_VA + 0x200000ull)
/* Where jdgpu's check builds its chain in the descriptor BO. */
#define JD_CHECK_OFF	0x8000ull

struct fx {
	struct gpu *g;
	int fd;
	int fd2;		/* another GPU's file, or -1 */
	struct tvm v;
	struct buf a, b;	/* data BOs: bind targets */
	bool sparse;		/* the GPU has sparse entries */
	/* One round's objects. */
	uint32_t handle, id;
	uint32_t syncobj[2];
	int dmabuf;
	struct buf other;	/* a BO of fd2 */
	struct drm_swgpu_exec exec;
	struct drm_gmmu_sync in, out;
	struct drm_gmmu_vm_bind_op ops[4];
	struct drm_gmmu_vm_bind_args bind;
	union {
		struct drm_gmmu_bo_create_args create;
		struct drm_gmmu_bo_mmap_offset_args mmap_offset;
		struct drm_gmmu_bo_cpu_access_args cpu_access;
		struct drm_gmmu_vm_create_args vm_create;
		struct drm_gmmu_vm_destroy_args vm_destroy;
		struct drm_gmmu_queue_create_args queue_create;
		struct drm_gmmu_vm_read_faults_args read_faults;
		struct drm_prime_handle prime;
		struct drm_mode_create_dumb dumb;
	} u;
	struct drm_gmmu_fault faults[DRM_GMMU_FAULT_RING_SIZE];
	uint32_t value;
};

static struct gpu gpus[MAX_GPUS];
static int ngpus;

static void bind_prepare(void *p);
static int bind_call(void *p);

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static void fx_init(struct fx *x, struct gpu *g)
{
	struct drm_gmmu_vm_bind_op op = {
		.op = DRM_GMMU_VM_BIND_OP_MAP_SPARSE,
		.va = BIND_VA, .range = SZ_64K,
	};
	int i;

	memset(x, 0, sizeof(*x));
	x->g = g;
	x->fd = g->fd;
	x->fd2 = -1;
	for (i = 0; i < ngpus; i++)
		if (gpus[i].fd != g->fd)
			x->fd2 = gpus[i].fd;
	tvm_init(&x->v, x->fd);
	buf_create(x->fd, SZ_64K, &x->a);
	buf_create(x->fd, SZ_64K, &x->b);
	x->sparse = swgpu_vm_bind_ops(x->fd, x->v.id, &op, 1) == 0;
	igt_assert_eq(swgpu_vm_unbind(x->fd, x->v.id, BIND_VA, BIND_SPAN), 0);
	/*
	 * A VM keeps the page tables an unmap empties until it goes: map
	 * what the rounds will map once, so that a round's tables are
	 * there before it and the counts compare.
	 */
	bind_prepare(x);
	igt_assert_eq(bind_call(x), 0);
	igt_assert_eq(swgpu_vm_unbind(x->fd, x->v.id, BIND_VA, BIND_SPAN), 0);
	igt_assert_eq(swgpu_vm_bind(x->fd, x->v.id, x->a.handle, 0, IMPORT_VA,
				    SZ_64K, 0), 0);
	igt_assert_eq(swgpu_vm_unbind(x->fd, x->v.id, IMPORT_VA, SZ_64K), 0);
}

static void fx_fini(struct fx *x)
{
	buf_destroy(&x->a);
	buf_destroy(&x->b);
	tvm_fini(&x->v);
}

/* A job of @vm_id on @queue stores a fresh value into tvm's scratch BO. */
static void store_works(struct fx *x, uint32_t vm_id, uint32_t queue)
{
	struct drm_swgpu_exec e = { .batch_va = TVM_BATCH_VA + EXEC_BATCH_OFF };
	struct swgpu_batch *b = tvm_batch_at(&x->v, EXEC_BATCH_OFF);
	uint32_t value = ++x->v.alive;
	int status = -1;

	swgpu_batch_store_dword(b, TVM_SCRATCH_VA + 1024, value);
	swgpu_batch_end(b);
	gmmu_submit_init(&e.submit, vm_id, queue, DRM_GMMU_SUBMIT_FENCE_OUT,
			 NULL, 0, NULL, 0);
	igt_assert_eq(swgpu_exec_ioctl(x->fd, &e), 0);
	igt_assert_eq(swgpu_fence_wait(e.submit.out_fence_fd, FENCE_TIMEOUT_MS,
				       &status), 0);
	close(e.submit.out_fence_fd);
	igt_assert_eq(status, 0);
	igt_assert_eq_u32(buf_dword(&x->v.scratch, 1024), value);
}

/* Binds tvm's batch and scratch BOs in another VM, as tvm_init() does. */
static void vm_bind_tvm_bos(struct fx *x, uint32_t vm_id)
{
	igt_assert_eq(swgpu_vm_bind(x->fd, vm_id, x->v.batch.handle, 0,
				    TVM_BATCH_VA, TVM_BATCH_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(x->fd, vm_id, x->v.scratch.handle, 0,
				    TVM_SCRATCH_VA, TVM_SCRATCH_SIZE, 0), 0);
}

static bool syncobj_has_fence(int fd, uint32_t h)
{
	/* Without WAIT_FOR_SUBMIT a syncobj with no fence is -EINVAL. */
	return drmSyncobjWait(fd, &h, 1, 0, 0, NULL) != -EINVAL;
}

/* ---- BOs ---- */

static int bo_create_call(void *p)
{
	struct fx *x = p;

	x->u.create = (struct drm_gmmu_bo_create_args){ .size = SZ_64K };
	return xioctl(x->fd, DRM_IOCTL_SWGPU_BO_CREATE, &x->u.create);
}

static void bo_create_check(void *p, int ret)
{
	struct fx *x = p;
	struct buf b = { .fd = x->fd, .size = SZ_64K };

	if (ret)
		return;
	b.handle = x->u.create.handle;
	igt_assert_eq(swgpu_bo_mmap(x->fd, b.handle, b.size, (void **)&b.map), 0);
	igt_assert_eq_u32(buf_dword(&b, 0x8000), 0);
	memset(b.map, 0x5a, b.size);
	igt_assert_eq_u32(buf_dword(&b, 0x8000), 0x5a5a5a5a);
	buf_destroy(&b);
}

static void bo_prepare(void *p)
{
	struct fx *x = p;

	igt_assert_eq(swgpu_bo_create(x->fd, SZ_64K, &x->handle), 0);
}

static int mmap_offset_call(void *p)
{
	struct fx *x = p;

	x->u.mmap_offset = (struct drm_gmmu_bo_mmap_offset_args){
		.handle = x->handle,
	};
	return xioctl(x->fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &x->u.mmap_offset);
}

static void mmap_offset_check(void *p, int ret)
{
	struct fx *x = p;
	uint32_t *m;

	if (!ret) {
		m = mmap(NULL, SZ_64K, PROT_READ | PROT_WRITE, MAP_SHARED, x->fd,
			 x->u.mmap_offset.offset);
		igt_assert(m != MAP_FAILED);
		m[100] = 0xc0ffee;
		igt_assert_eq_u32(m[100], 0xc0ffee);
		munmap(m, SZ_64K);
	}
	igt_assert_eq(swgpu_bo_close(x->fd, x->handle), 0);
}

static int cpu_access_call(void *p)
{
	struct fx *x = p;

	x->u.cpu_access = (struct drm_gmmu_bo_cpu_access_args){
		.handle = x->handle, .size = SZ_64K,
		.flags = DRM_GMMU_BO_CPU_ACCESS_START | DRM_GMMU_BO_CPU_ACCESS_WRITE,
	};
	return xioctl(x->fd, DRM_IOCTL_SWGPU_BO_CPU_ACCESS, &x->u.cpu_access);
}

static void cpu_access_check(void *p, int ret)
{
	struct fx *x = p;
	uint32_t flags = DRM_GMMU_BO_CPU_ACCESS_END | DRM_GMMU_BO_CPU_ACCESS_WRITE;

	/* An END closes the bracket the START opened; none if it failed. */
	igt_assert_eq(swgpu_bo_cpu_access(x->fd, x->handle, flags, 0, SZ_64K),
		      ret ? -EINVAL : 0);
	igt_assert_eq(swgpu_bo_close(x->fd, x->handle), 0);
}

static int dumb_call(void *p)
{
	struct fx *x = p;

	x->u.dumb = (struct drm_mode_create_dumb){
		.width = 64, .height = 64, .bpp = 32,
	};
	return xioctl(x->fd2, DRM_IOCTL_MODE_CREATE_DUMB, &x->u.dumb);
}

static void dumb_check(void *p, int ret)
{
	struct fx *x = p;
	struct drm_mode_map_dumb m = { .handle = x->u.dumb.handle };
	struct drm_mode_destroy_dumb d = { .handle = x->u.dumb.handle };
	uint32_t *v;

	if (ret)
		return;
	igt_assert_eq(xioctl(x->fd2, DRM_IOCTL_MODE_MAP_DUMB, &m), 0);
	v = mmap(NULL, x->u.dumb.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 x->fd2, m.offset);
	igt_assert(v != MAP_FAILED);
	v[0] = 0xd00b;
	igt_assert_eq_u32(v[0], 0xd00b);
	munmap(v, x->u.dumb.size);
	igt_assert_eq(xioctl(x->fd2, DRM_IOCTL_MODE_DESTROY_DUMB, &d), 0);
}

/* ---- VMs and queues ---- */

static int vm_create_call(void *p)
{
	struct fx *x = p;

	x->u.vm_create = (struct drm_gmmu_vm_create_args){ 0 };
	return xioctl(x->fd, DRM_IOCTL_SWGPU_VM_CREATE, &x->u.vm_create);
}

static void vm_create_check(void *p, int ret)
{
	struct fx *x = p;
	uint32_t id = x->u.vm_create.vm_id;

	if (ret)
		return;
	vm_bind_tvm_bos(x, id);
	store_works(x, id, 0);
	igt_assert_eq(swgpu_vm_destroy(x->fd, id), 0);
}

static void vm_destroy_prepare(void *p)
{
	struct fx *x = p;

	igt_assert_eq(swgpu_vm_create(x->fd, &x->id), 0);
	vm_bind_tvm_bos(x, x->id);
	igt_assert_eq(swgpu_vm_bind(x->fd, x->id, x->a.handle, 0, BIND_VA,
				    SZ_64K, 0), 0);
	store_works(x, x->id, 0);
}

static int vm_destroy_call(void *p)
{
	struct fx *x = p;

	x->u.vm_destroy = (struct drm_gmmu_vm_destroy_args){ .vm_id = x->id };
	return xioctl(x->fd, DRM_IOCTL_SWGPU_VM_DESTROY, &x->u.vm_destroy);
}

static void vm_destroy_check(void *p, int ret)
{
	struct fx *x = p;

	if (!ret) {
		igt_assert_eq(swgpu_vm_destroy(x->fd, x->id), -ENOENT);
		return;
	}
	store_works(x, x->id, 0);
	igt_assert_eq(swgpu_vm_destroy(x->fd, x->id), 0);
}

static int queue_create_call(void *p)
{
	struct fx *x = p;

	x->u.queue_create = (struct drm_gmmu_queue_create_args){
		.vm_id = x->v.id,
	};
	return xioctl(x->fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &x->u.queue_create);
}

static void queue_create_check(void *p, int ret)
{
	struct fx *x = p;
	uint32_t q = x->u.queue_create.queue_id;

	if (ret)
		return;
	igt_assert_neq(q, 0);
	store_works(x, x->v.id, q);
	igt_assert_eq(swgpu_queue_destroy(x->fd, x->v.id, q), 0);
}

/* ---- binds ---- */

/*
 * Before each bind round: A over [BIND_VA, BIND_VA + 64 KiB), nothing
 * else in the bind range. The array then maps B over A's middle, unmaps a
 * range that straddles A's end, maps a sparse range and a read-only page.
 */
static void bind_prepare(void *p)
{
	struct fx *x = p;
	int n = 0;

	igt_assert_eq(swgpu_vm_bind(x->fd, x->v.id, x->a.handle, 0, BIND_VA,
				    SZ_64K, 0), 0);
	memset(x->ops, 0, sizeof(x->ops));
	x->ops[n++] = (struct drm_gmmu_vm_bind_op){
		.op = DRM_GMMU_VM_BIND_OP_MAP, .handle = x->b.handle,
		.bo_offset = SZ_16K, .va = BIND_VA + SZ_16K, .range = SZ_16K,
	};
	x->ops[n++] = (struct drm_gmmu_vm_bind_op){
		.op = DRM_GMMU_VM_BIND_OP_UNMAP,
		.va = BIND_VA + 0xc000, .range = 0x8000,
	};
	x->ops[n++] = (struct drm_gmmu_vm_bind_op){
		.op = DRM_GMMU_VM_BIND_OP_MAP, .handle = x->b.handle,
		.flags = DRM_GMMU_VM_BIND_MAP_READONLY,
		.va = BIND_VA + 0x80000, .range = SZ_4K,
	};
	if (x->sparse)
		x->ops[n++] = (struct drm_gmmu_vm_bind_op){
			.op = DRM_GMMU_VM_BIND_OP_MAP_SPARSE,
			.va = BIND_VA + 0x40000, .range = SZ_64K,
		};
	x->bind = (struct drm_gmmu_vm_bind_args){
		.vm_id = x->v.id, .ops = (uintptr_t)x->ops, .op_count = n,
		.op_stride = sizeof(x->ops[0]),
	};
}

static int bind_call(void *p)
{
	struct fx *x = p;

	return xioctl(x->fd, DRM_IOCTL_SWGPU_VM_BIND, &x->bind);
}

/* Where one job's STORE_DWORD goes, and where it must land. */
struct store {
	uint64_t va;
	const struct buf *bo;
	uint64_t off;
};

/* One job stores a fresh value at each @va; each lands where it must. */
static void stores_check(struct fx *x, const struct store *st, int n)
{
	struct swgpu_batch *b = tvm_batch(&x->v);
	uint32_t first = x->v.alive + 1;
	int i, ret;

	for (i = 0; i < n; i++)
		swgpu_batch_store_dword(b, st[i].va, ++x->v.alive);
	ret = tvm_run(&x->v, NULL);
	igt_assert_f(ret == 0, "stores: fence status %d (%s)\n", ret,
		     strerror(-ret));
	for (i = 0; i < n; i++)
		igt_assert_f(buf_dword(st[i].bo, st[i].off) == first + i,
			     "STORE_DWORD to %#llx: BO offset %#llx holds %#x, expected %#x\n",
			     (unsigned long long)st[i].va,
			     (unsigned long long)st[i].off,
			     buf_dword(st[i].bo, st[i].off), first + i);
}

/* The bind range translates as the array left it, or as before it. */
static void bind_assert_mappings(struct fx *x, bool done)
{
	const struct store before[] = {
		{ BIND_VA, &x->a, 0 },
		{ BIND_VA + SZ_16K + 8, &x->a, SZ_16K + 8 },
		{ BIND_VA + 0xc000, &x->a, 0xc000 },
	};
	const struct store after[] = {
		{ BIND_VA, &x->a, 0 },
		{ BIND_VA + SZ_16K + 8, &x->b, SZ_16K + 8 },
		{ BIND_VA + 0xbffc, &x->a, 0xbffc },
	};

	if (done)
		stores_check(x, after, 3);
	else
		stores_check(x, before, 3);
}

static void bind_check(void *p, int ret)
{
	struct fx *x = p;

	bind_assert_mappings(x, !ret);
	if (ret)
		igt_assert_eq(bind_call(x), 0);
	igt_assert_eq(swgpu_vm_unbind(x->fd, x->v.id, BIND_VA, BIND_SPAN), 0);
}

static void bind_async_prepare(void *p)
{
	struct fx *x = p;

	bind_prepare(x);
	igt_assert_eq(drmSyncobjCreate(x->fd, DRM_SYNCOBJ_CREATE_SIGNALED,
				       &x->syncobj[0]), 0);
	igt_assert_eq(drmSyncobjCreate(x->fd, 0, &x->syncobj[1]), 0);
	x->in = (struct drm_gmmu_sync){ .handle = x->syncobj[0] };
	x->out = (struct drm_gmmu_sync){ .handle = x->syncobj[1] };
	x->bind.flags = DRM_GMMU_VM_BIND_ASYNC;
	x->bind.in_syncs = (uintptr_t)&x->in;
	x->bind.in_sync_count = 1;
	x->bind.out_syncs = (uintptr_t)&x->out;
	x->bind.out_sync_count = 1;
	x->bind.sync_stride = sizeof(x->in);
}

static void bind_async_check(void *p, int ret)
{
	struct fx *x = p;
	uint32_t h = x->syncobj[1];

	if (ret) {
		igt_assert_f(!syncobj_has_fence(x->fd, h),
			     "a failed async bind left a fence in its out-syncobj\n");
		bind_assert_mappings(x, false);
		igt_assert_eq(bind_call(x), 0);
	}
	igt_assert_eq(drmSyncobjWait(x->fd, &h, 1, INT64_MAX, 0, NULL), 0);
	bind_assert_mappings(x, true);
	igt_assert_eq(swgpu_vm_unbind(x->fd, x->v.id, BIND_VA, BIND_SPAN), 0);
	drmSyncobjDestroy(x->fd, x->syncobj[0]);
	drmSyncobjDestroy(x->fd, x->syncobj[1]);
}

/* ---- submission ---- */

/*
 * A STORE_DWORD of a fresh value to the scratch BO, with an out-fence and
 * an out-syncobj; with @deps also an in-syncobj, so that the job goes
 * through the scheduler rather than straight to the engine.
 */
static void exec_prepare_deps(struct fx *x, bool deps)
{
	struct swgpu_batch *b = tvm_batch_at(&x->v, EXEC_BATCH_OFF);

	x->value = ++x->v.alive;
	((uint32_t *)x->v.scratch.map)[0] = 0;
	swgpu_batch_store_dword(b, TVM_SCRATCH_VA, x->value);
	swgpu_batch_end(b);
	igt_assert_eq(drmSyncobjCreate(x->fd, DRM_SYNCOBJ_CREATE_SIGNALED,
				       &x->syncobj[0]), 0);
	igt_assert_eq(drmSyncobjCreate(x->fd, 0, &x->syncobj[1]), 0);
	x->in = (struct drm_gmmu_sync){ .handle = x->syncobj[0] };
	x->out = (struct drm_gmmu_sync){ .handle = x->syncobj[1] };
	x->exec = (struct drm_swgpu_exec){ .batch_va = b->va };
	gmmu_submit_init(&x->exec.submit, x->v.id, 0, DRM_GMMU_SUBMIT_FENCE_OUT,
			 deps ? &x->in : NULL, deps, &x->out, 1);
}

static void exec_prepare(void *p)
{
	exec_prepare_deps(p, false);
}

static void exec_deps_prepare(void *p)
{
	exec_prepare_deps(p, true);
}

static int exec_call(void *p)
{
	struct fx *x = p;

	return xioctl(x->fd, DRM_IOCTL_SWGPU_EXEC, &x->exec);
}

static void exec_check(void *p, int ret)
{
	struct fx *x = p;
	uint32_t h = x->syncobj[1];
	int status = -1;

	if (ret) {
		igt_assert_f(!syncobj_has_fence(x->fd, h),
			     "a failed exec left a fence in its out-syncobj\n");
		/* Jobs of a queue run in order: had it run, this one shows it. */
		tvm_assert_works(&x->v);
		igt_assert_f(buf_dword(&x->v.scratch, 0) == 0,
			     "a failed exec ran its job\n");
		igt_assert_eq(exec_call(x), 0);
	}
	igt_assert(x->exec.submit.out_fence_fd >= 0);
	igt_assert_eq(swgpu_fence_wait(x->exec.submit.out_fence_fd,
				       FENCE_TIMEOUT_MS, &status), 0);
	close(x->exec.submit.out_fence_fd);
	igt_assert_eq(status, 0);
	igt_assert_eq_u32(buf_dword(&x->v.scratch, 0), x->value);
	igt_assert_eq(drmSyncobjWait(x->fd, &h, 1, INT64_MAX, 0, NULL), 0);
	drmSyncobjDestroy(x->fd, x->syncobj[0]);
	drmSyncobjDestroy(x->fd, x->syncobj[1]);
}

/* A fault in the VM's ring, for VM_READ_FAULTS to copy out. */
static void read_faults_prepare(void *p)
{
	struct fx *x = p;

	tvm_store_fault(&x->v, BIND_VA + 0x90000, DRM_GMMU_FAULT_WRITE);
}

static int read_faults_call(void *p)
{
	struct fx *x = p;

	x->u.read_faults = (struct drm_gmmu_vm_read_faults_args){
		.vm_id = x->v.id, .faults = (uintptr_t)x->faults,
		.count = DRM_GMMU_FAULT_RING_SIZE, .stride = sizeof(x->faults[0]),
	};
	return xioctl(x->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &x->u.read_faults);
}

static void read_faults_check(void *p, int ret)
{
	struct fx *x = p;

	/* A failed read leaves the record in the ring for the next one. */
	if (ret)
		igt_assert_eq(read_faults_call(x), 0);
	igt_assert_eq(x->u.read_faults.count, 1);
	igt_assert_eq_u64(x->faults[0].va, BIND_VA + 0x90000);
}

/* ---- PRIME ---- */

static int export_call(void *p)
{
	struct fx *x = p;

	x->u.prime = (struct drm_prime_handle){
		.handle = x->handle, .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1,
	};
	return xioctl(x->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &x->u.prime);
}

static void export_check(void *p, int ret)
{
	struct fx *x = p;
	uint32_t *m;

	if (!ret) {
		m = mmap(NULL, SZ_64K, PROT_READ | PROT_WRITE, MAP_SHARED,
			 x->u.prime.fd, 0);
		igt_assert(m != MAP_FAILED);
		m[7] = 0xe4;
		igt_assert_eq_u32(m[7], 0xe4);
		munmap(m, SZ_64K);
		close(x->u.prime.fd);
	}
	igt_assert_eq(swgpu_bo_close(x->fd, x->handle), 0);
}

/* A BO of the other GPU, exported. */
static void import_prepare(void *p)
{
	struct fx *x = p;

	buf_create(x->fd2, SZ_64K, &x->other);
	igt_assert_eq(drmPrimeHandleToFD(x->fd2, x->other.handle,
					 DRM_CLOEXEC | DRM_RDWR, &x->dmabuf), 0);
}

static int import_call(void *p)
{
	struct fx *x = p;

	x->u.prime = (struct drm_prime_handle){ .fd = x->dmabuf };
	return xioctl(x->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &x->u.prime);
}

/* The imported BO, bound, takes a job's store; the exporter sees it. */
static void import_assert_works(struct fx *x, uint32_t handle)
{
	igt_assert_eq(swgpu_vm_bind(x->fd, x->v.id, handle, 0, IMPORT_VA,
				    SZ_64K, 0), 0);
	tvm_store_check(&x->v, IMPORT_VA + 0x2000, &x->other, 0x2000);
	igt_assert_eq(swgpu_vm_unbind(x->fd, x->v.id, IMPORT_VA, SZ_64K), 0);
}

static void import_check(void *p, int ret)
{
	struct fx *x = p;

	if (ret)
		igt_assert_eq(import_call(x), 0);
	import_assert_works(x, x->u.prime.handle);
	igt_assert_eq(swgpu_bo_close(x->fd, x->u.prime.handle), 0);
	close(x->dmabuf);
	buf_destroy(&x->other);
}

/* The other GPU's BO, imported, bound: its first bind maps it. */
static void bind_import_prepare(void *p)
{
	struct fx *x = p;

	import_prepare(x);
	igt_assert_eq(drmPrimeFDToHandle(x->fd, x->dmabuf, &x->handle), 0);
	x->ops[0] = (struct drm_gmmu_vm_bind_op){
		.op = DRM_GMMU_VM_BIND_OP_MAP, .handle = x->handle,
		.va = IMPORT_VA, .range = SZ_64K,
	};
	x->bind = (struct drm_gmmu_vm_bind_args){
		.vm_id = x->v.id, .ops = (uintptr_t)x->ops, .op_count = 1,
		.op_stride = sizeof(x->ops[0]),
	};
}

static void bind_import_check(void *p, int ret)
{
	struct fx *x = p;

	if (ret)
		igt_assert_eq(bind_call(x), 0);
	tvm_store_check(&x->v, IMPORT_VA + 0x3000, &x->other, 0x3000);
	igt_assert_eq(swgpu_vm_unbind(x->fd, x->v.id, IMPORT_VA, SZ_64K), 0);
	igt_assert_eq(swgpu_bo_close(x->fd, x->handle), 0);
	close(x->dmabuf);
	buf_destroy(&x->other);
}

/* ---- jdgpu: the same core under another driver ---- */

struct jfx {
	struct jctx x;
	struct buf data;
	struct drm_jdgpu_submit s;
	struct drm_gmmu_vm_create_args vm_create;
	uint64_t value;
};

static void jd_prepare(void *p)
{
	struct jfx *j = p;
	struct jdgpu_chain *c = jctx_chain(&j->x);

	j->value++;
	memset(j->data.map, 0, 64);
	jdgpu_chain_op(c, JDGPU_OP_WRITE_VALUE, JCTX_DATA_VA, 0, 0, j->value);
	igt_assert_eq(c->error, 0);
	j->s = (struct drm_jdgpu_submit){ .desc_va = c->va };
	gmmu_submit_init(&j->s.submit, j->x.vm, 0, DRM_GMMU_SUBMIT_FENCE_OUT,
			 NULL, 0, NULL, 0);
}

static int jd_submit_call(void *p)
{
	struct jfx *j = p;

	return xioctl(j->x.fd, DRM_IOCTL_JDGPU_SUBMIT, &j->s);
}

/*
 * After a failed SUBMIT: a later job of the same queue, run to its end,
 * shows whether the failed one ran (jobs of a queue run in order).
 */
static void jd_assert_not_run(struct jfx *j)
{
	uint64_t *data = (uint64_t *)j->data.map;
	struct jdgpu_chain c;

	jdgpu_chain_init(&c, j->x.desc.map + JD_CHECK_OFF,
			 JCTX_DESC_VA + JD_CHECK_OFF, JCTX_DESC_SIZE - JD_CHECK_OFF);
	jdgpu_chain_op(&c, JDGPU_OP_WRITE_VALUE, JCTX_DATA_VA + 8, 0, 0,
		       ~j->value);
	igt_assert_eq(c.error, 0);
	igt_assert_eq(jdgpu_run(j->x.fd, j->x.vm, c.va, FENCE_TIMEOUT_MS), 0);
	igt_assert_eq_u64(data[1], ~j->value);
	igt_assert_f(data[0] == 0, "a failed SUBMIT ran its job\n");
}

static void jd_submit_check(void *p, int ret)
{
	struct jfx *j = p;
	int status = -1;

	if (ret) {
		jd_assert_not_run(j);
		igt_assert_eq(jd_submit_call(j), 0);
	}
	igt_assert_eq(gmmu_fence_wait(j->s.submit.out_fence_fd, FENCE_TIMEOUT_MS,
				      &status), 0);
	close(j->s.submit.out_fence_fd);
	igt_assert_eq(status, 0);
	igt_assert_eq_u64(*(uint64_t *)j->data.map, j->value);
}

static int jd_vm_create_call(void *p)
{
	struct jfx *j = p;

	j->vm_create = (struct drm_gmmu_vm_create_args){ 0 };
	return xioctl(j->x.fd, DRM_IOCTL_JDGPU_VM_CREATE, &j->vm_create);
}

static void jd_vm_create_check(void *p, int ret)
{
	struct jfx *j = p;

	if (!ret)
		igt_assert_eq(gmmu_vm_destroy(JD, j->x.fd, j->vm_create.vm_id), 0);
}

/* ---- subtests ---- */

/* Runs @fn on the first @n GPUs. */
static void on_gpus(void (*fn)(struct fx *x), int n)
{
	struct fx x;
	int i;

	for (i = 0; i < n && i < ngpus; i++) {
		igt_info("GPU %d (%s)\n", gpus[i].slot, gpus[i].name);
		fx_init(&x, &gpus[i]);
		fn(&x);
		fx_fini(&x);
	}
}

/*
 * struct fcase - one call of a subtest
 * @name: for the log
 * @prepare, @call, @check: as &struct failnth_op's
 * @files: whose state is compared: the GPU's render node, with the
 *	other GPU's (the exporter of an import), or the GPU's card node
 *	(dumb buffers; the calls find it in &fx.fd2)
 * @may_not_allocate: the call may make no allocation at all
 * @first_gpu_only: in a subtest run on every GPU, only on the first: its
 *	extra paths are drm-core's alone (the scheduler, async binds)
 */
struct fcase {
	const char *name;
	void (*prepare)(void *ctx);
	int (*call)(void *ctx);
	void (*check)(void *ctx, int ret);
	enum { RENDER, RENDER_AND_OTHER, CARD } files;
	bool may_not_allocate;
	bool first_gpu_only;
};

static const struct fcase bo_cases[] = {
	{ .name = "BO_CREATE",
	  .call = bo_create_call, .check = bo_create_check },
	/* Its offset node was made with the BO. */
	{ .name = "BO_MMAP_OFFSET", .prepare = bo_prepare,
	  .call = mmap_offset_call, .check = mmap_offset_check,
	  .may_not_allocate = true },
	{ .name = "BO_CPU_ACCESS", .prepare = bo_prepare,
	  .call = cpu_access_call, .check = cpu_access_check },
	{ .name = "MODE_CREATE_DUMB",
	  .call = dumb_call, .check = dumb_check, .files = CARD },
};

static const struct fcase vm_cases[] = {
	{ .name = "VM_CREATE",
	  .call = vm_create_call, .check = vm_create_check },
	{ .name = "VM_DESTROY", .prepare = vm_destroy_prepare,
	  .call = vm_destroy_call, .check = vm_destroy_check,
	  .may_not_allocate = true },
	{ .name = "QUEUE_CREATE",
	  .call = queue_create_call, .check = queue_create_check },
};

static const struct fcase bind_cases[] = {
	{ .name = "VM_BIND", .prepare = bind_prepare,
	  .call = bind_call, .check = bind_check },
	{ .name = "VM_BIND async", .prepare = bind_async_prepare,
	  .call = bind_call, .check = bind_async_check,
	  .first_gpu_only = true },
};

static const struct fcase exec_cases[] = {
	{ .name = "EXEC", .prepare = exec_prepare,
	  .call = exec_call, .check = exec_check },
	{ .name = "EXEC with an in-syncobj", .prepare = exec_deps_prepare,
	  .call = exec_call, .check = exec_check, .first_gpu_only = true },
	{ .name = "VM_READ_FAULTS", .prepare = read_faults_prepare,
	  .call = read_faults_call, .check = read_faults_check,
	  .may_not_allocate = true, .first_gpu_only = true },
};

static const struct fcase prime_cases[] = {
	{ .name = "PRIME_HANDLE_TO_FD", .prepare = bo_prepare,
	  .call = export_call, .check = export_check },
	{ .name = "PRIME_FD_TO_HANDLE", .prepare = import_prepare,
	  .call = import_call, .check = import_check,
	  .files = RENDER_AND_OTHER },
	{ .name = "VM_BIND of an import", .prepare = bind_import_prepare,
	  .call = bind_call, .check = bind_import_check,
	  .files = RENDER_AND_OTHER },
};

static void run_cases(struct fx *x, const struct fcase *c, int n)
{
	struct failnth_result r;
	int i, card = -1, other = x->fd2;

	for (i = 0; i < n; i++, c++) {
		struct failnth_op op = {
			.name = c->name, .prepare = c->prepare, .call = c->call,
			.check = c->check, .fd = x->fd, .fd2 = -1,
		};

		if (c->first_gpu_only && x->g != &gpus[0])
			continue;

		if (c->files == RENDER_AND_OTHER) {
			igt_require_f(other >= 0, "one GPU: nothing to import from\n");
			op.fd2 = other;
		} else if (c->files == CARD) {
			card = swgpu_open(x->g->slot, SWGPU_OPEN_PRIMARY);
			igt_assert(card >= 0);
			op.fd = x->fd2 = card;
		}
		failnth_run(&op, x, &r);
		igt_assert_f(r.points > 0 || c->may_not_allocate,
			     "%s: no allocation was failed\n", c->name);
		if (card >= 0) {
			close(card);
			card = -1;
			x->fd2 = other;
		}
	}
}

#define RUN_CASES(cases) \
	static void test_##cases(struct fx *x) \
	{ \
		run_cases(x, cases, sizeof(cases) / sizeof(cases[0])); \
	}

RUN_CASES(bo_cases)
RUN_CASES(vm_cases)
RUN_CASES(bind_cases)
RUN_CASES(exec_cases)
RUN_CASES(prime_cases)

static void test_jdgpu(void)
{
	struct failnth_op op = { .fd2 = -1 };
	struct jfx j = { 0 };
	struct failnth_result r;

	j.x.fd = -1;
	jctx_init(&j.x, jd_open());
	jd_buf_create(j.x.fd, SZ_64K, &j.data);
	jctx_bind(&j.x, &j.data, JCTX_DATA_VA, 0);
	op.fd = j.x.fd;

	op.name = "jdgpu VM_CREATE";
	op.call = jd_vm_create_call;
	op.check = jd_vm_create_check;
	failnth_run(&op, &j, &r);
	igt_assert(r.points > 0);

	op.name = "jdgpu SUBMIT";
	op.prepare = jd_prepare;
	op.call = jd_submit_call;
	op.check = jd_submit_check;
	failnth_run(&op, &j, &r);
	igt_assert(r.points > 0);

	jd_buf_destroy(&j.data);
	jctx_fini(&j.x);
	close(j.x.fd);
}

igt_main
{
	igt_fixture {
		ngpus = gpus_open(gpus);
		failnth_init();
	}

	/*
	 * Binds and submissions take other paths on a GPU that does not
	 * snoop (cache maintenance of pages and tables): on every GPU. The
	 * rest on the first, to keep the debug lane short.
	 */
	igt_subtest("bo")
		on_gpus(test_bo_cases, 1);
	igt_subtest("vm")
		on_gpus(test_vm_cases, 1);
	igt_subtest("vm-bind")
		on_gpus(test_bind_cases, ngpus);
	igt_subtest("exec")
		on_gpus(test_exec_cases, ngpus);
	igt_subtest("prime")
		on_gpus(test_prime_cases, 1);
	igt_subtest("jdgpu")
		test_jdgpu();

	igt_fixture
		gpus_close(gpus, ngpus);
}
