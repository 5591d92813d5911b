// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * A structure-aware ioctl fuzzer (Documentation/robustness.rst): for a
 * bounded time, random calls of every swgpu ioctl, of the generic DRM
 * ones (GEM close/flink/open, PRIME both ways and across the GPUs,
 * syncobj create/destroy/wait/signal/reset/query/transfer and their
 * timeline forms, syncobj <-> fd), of the dma-buf ioctls on exported
 * BOs, and mmap of BO offsets and dma-bufs. Arguments mix handles, ids
 * and fds the fuzzer holds with stale and made-up ones, and fields with
 * random values biased to edges (0, 1, all ones, sign bits, page
 * boundaries); pointers are valid arrays of such structures, NULL, or
 * unmapped. Batches are the fuzzer's own small programs or any address.
 *
 * Pass: the process survives every call (a call that blocks for more than
 * FUZZ_STALL_S seconds fails the test, naming it), the kernel logs no
 * oops or WARN (the harness checks dmesg), and once every file is closed
 * the devices are back where they were: VMs, page tables, GPU mappings,
 * level-1 mappings, evictable pages, and the process's descriptors.
 *
 * FUZZ_SEED (default 0x5eed) and FUZZ_TIME (seconds, default 20) in the
 * environment; `make fuzz-ioctl FUZZ_TIME=...` runs it alone for longer.
 * Every call is numbered: with the seed, a failure names the call to
 * reproduce it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include "swgpu_dfs.h"
#include "swgpu_igt.h"

#define FUZZ_STALL_S	60
#define POOL		32
/*
 * The arena the kernel reads arrays from and writes records to. A fault
 * read may rightly write a whole ring of records at the largest stride
 * from anywhere in the arena's first 512 bytes: the arena holds that, and
 * an inaccessible page on each side turns any write past it into -EFAULT
 * rather than a write into the fuzzer's own memory: the kernel does what
 * the arguments ask, and with the old 8 KiB arena a fuzzed stride of 4096
 * put records into whatever was mapped next to it.
 */
#define ARENA_SIZE	(DRM_GMMU_FAULT_RING_SIZE * DRM_GMMU_MAX_ARRAY_STRIDE + 8192)
#define GUARD		4096
#define FILES_PER_GPU	2
#define BATCH_VA	0x100000ull
#define SCRATCH_VA	0x200000ull

static uint64_t rng_state;
static unsigned long long ncalls;
static const char *last_call = "";

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int pct)
{
	return below(100) < pct;
}

/* A value biased to the edges a validator must get right. */
static uint64_t edge64(void)
{
	static const uint64_t e[] = {
		0, 1, 2, 3, 4, 7, 8, 0xff, 0xfff, 0x1000, 0x1001, 0xffff,
		0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
		0x1000000000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
		0xfffffffffffff000ull, ~0ull, ~0ull - 1, 0x200000, 0x40000000,
	};

	switch (below(4)) {
	case 0:
		return e[below(sizeof(e) / sizeof(e[0]))];
	case 1:
		return rnd();
	case 2:
		return (rnd() & 0xffff) << 12;
	default:
		return below(64);
	}
}

static uint32_t edge32(void)
{
	return chance(70) ? below(8) : (uint32_t)edge64();
}

/* One open file of a GPU and what the fuzzer made through it. */
struct ffile {
	int fd;
	int gpu;
	uint32_t bo[POOL];
	uint64_t bo_size[POOL];
	uint32_t vm[POOL];
	uint32_t syncobj[POOL];
	int dmabuf[POOL];
	int syncfile[POOL];
	uint32_t good_vm;		/* a VM with a batch and scratch bound */
	uint32_t batch_bo, scratch_bo;
	uint32_t *batch;
};

struct fuzz {
	struct gpu *gpus;
	int ngpus;
	struct ffile f[MAX_GPUS * FILES_PER_GPU];
	int nf;
	void *bad_ptr;
	uint8_t *arena;			/* user memory for arrays the kernel reads */
	uint8_t *arena_map;		/* the arena and its guard pages */
};

static sigjmp_buf stall_jmp;

static void on_alarm(int sig)
{
	(void)sig;
	siglongjmp(stall_jmp, 1);
}

/* A handle/id: one we hold, a stale or zero one, or garbage. */
static uint32_t pick32(const uint32_t *pool)
{
	if (chance(75)) {
		uint32_t v = pool[below(POOL)];

		if (v || chance(30))
			return v;
	}
	return edge32();
}

static int pick_fd(const int *pool)
{
	int fd = pool[below(POOL)];

	if (fd > 0 && chance(85))
		return fd;
	return chance(50) ? -1 : (int)below(64);
}

static void put32(uint32_t *pool, uint32_t v)
{
	pool[below(POOL)] = v;
}

static void put_fd(int *pool, int fd)
{
	int i = below(POOL);

	if (pool[i] > 0)
		close(pool[i]);
	pool[i] = fd;
}

static int xioctl(int fd, unsigned long req, void *arg, const char *name)
{
	int ret;

	last_call = name;
	ncalls++;
	ret = ioctl(fd, req, arg);
	return ret ? -errno : 0;
}

/* A user pointer for an array of @size bytes: filled arena, NULL or bad. */
static uint64_t user_ptr(struct fuzz *z, void **p, size_t size)
{
	*p = NULL;
	if (chance(5))
		return 0;
	if (chance(5))
		return (uintptr_t)z->bad_ptr;
	if (chance(3))
		return 0xffff800000000000ull;
	*p = z->arena + below(64) * 8;
	memset(*p, 0, size);
	return (uintptr_t)*p;
}

/* An extension chain: mostly none, else a made-up or known one. */
static uint64_t extensions(struct fuzz *z)
{
	struct drm_gmmu_user_extension *e;
	uint64_t u;

	if (chance(90))
		return 0;
	u = user_ptr(z, (void **)&e, 64);
	if (e) {
		e->name = chance(50) ? DRM_GMMU_BO_CREATE_EXT_PRIVATE : edge32();
		e->flags = chance(80) ? 0 : edge32();
		e->next_extension = chance(80) ? 0 : chance(50) ? u : edge64();
		((uint32_t *)(e + 1))[0] = edge32();
		((uint32_t *)(e + 1))[1] = chance(80) ? 0 : edge32();
	}
	return u;
}

static struct ffile *pick_file(struct fuzz *z)
{
	return &z->f[below(z->nf)];
}

static uint64_t va_value(void)
{
	if (chance(50))
		return (below(64) << 12) + (chance(50) ? BATCH_VA : 0x1000000);
	return chance(50) ? edge64() & ~0xfffull : edge64();
}

static uint64_t size_value(void)
{
	if (chance(70))
		return (1 + below(16)) << 12;
	return edge64();
}

static void f_bo_create(struct fuzz *z, struct ffile *f)
{
	struct drm_gmmu_bo_create_args a = {
		.extensions = extensions(z),
		.size = chance(85) ? (1 + below(64)) * 4096 - (chance(10) ? 1 : 0) :
			edge64(),
		.flags = chance(80) ? (chance(20) ? DRM_GMMU_BO_CREATE_WC : 0) : edge32(),
	};

	/* Never ask for more than a few MiB for real. */
	if (a.size > (8u << 20) && a.size < (1ull << 40))
		a.size = 4096;
	if (!xioctl(f->fd, DRM_IOCTL_SWGPU_BO_CREATE, &a, "BO_CREATE")) {
		int i = below(POOL);

		if (f->bo[i] && f->bo[i] != f->batch_bo && f->bo[i] != f->scratch_bo) {
			struct drm_gem_close c = { .handle = f->bo[i] };

			xioctl(f->fd, DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE(pool)");
		}
		f->bo[i] = a.handle;
		f->bo_size[i] = a.size;
	}
}

static void f_mmap(struct fuzz *z, struct ffile *f)
{
	struct drm_gmmu_bo_mmap_offset_args a = {
		.extensions = extensions(z),
		.handle = pick32(f->bo),
		.flags = chance(90) ? 0 : edge32(),
	};
	size_t len = chance(80) ? 4096 * (1 + below(4)) : (size_t)size_value();
	uint64_t off;
	void *p;

	(void)z;
	if (xioctl(f->fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &a, "BO_MMAP_OFFSET"))
		a.offset = edge64() & ~0xfffull;
	off = a.offset + (chance(80) ? 0 : (edge64() & ~0xfffull));
	if (len > (16u << 20))
		len = 4096;
	last_call = "mmap(bo)";
	ncalls++;
	p = mmap(NULL, len, PROT_READ | (chance(50) ? PROT_WRITE : 0),
		 MAP_SHARED, f->fd, off);
	if (p != MAP_FAILED) {
		/* Touch the first page only: the BO may be smaller than len. */
		volatile uint8_t *b = p;
		uint8_t v = b[0];

		(void)v;
		munmap(p, len);
	}
}

static void f_vm(struct fuzz *z, struct ffile *f)
{
	if (chance(60)) {
		struct drm_gmmu_vm_create_args a = {
			.extensions = extensions(z),
			.flags = chance(90) ? 0 : edge32(),
		};

		if (!xioctl(f->fd, DRM_IOCTL_SWGPU_VM_CREATE, &a, "VM_CREATE")) {
			int i = below(POOL);

			if (f->vm[i] && f->vm[i] != f->good_vm) {
				struct drm_gmmu_vm_destroy_args d = { .vm_id = f->vm[i] };

				xioctl(f->fd, DRM_IOCTL_SWGPU_VM_DESTROY, &d, "VM_DESTROY(pool)");
			}
			f->vm[i] = a.vm_id;
		}
	} else {
		struct drm_gmmu_vm_destroy_args d = {
			.extensions = extensions(z),
			.vm_id = pick32(f->vm),
			.flags = chance(90) ? 0 : edge32(),
		};

		/* The VM the batches run in stays. */
		if (d.vm_id != f->good_vm)
			xioctl(f->fd, DRM_IOCTL_SWGPU_VM_DESTROY, &d, "VM_DESTROY");
	}
}

static uint32_t some_vm(struct ffile *f)
{
	return chance(30) ? f->good_vm : pick32(f->vm);
}

static void f_bind(struct fuzz *z, struct ffile *f)
{
	struct drm_gmmu_vm_bind_args a = {
		.extensions = extensions(z),
		.vm_id = some_vm(f),
		.flags = chance(90) ? 0 : edge32(),
		.op_count = chance(90) ? 1 + below(4) : edge32(),
		.op_stride = chance(85) ? sizeof(struct drm_gmmu_vm_bind_op) :
			     chance(50) ? sizeof(struct drm_gmmu_vm_bind_op) + 8 : edge32(),
	};
	struct drm_gmmu_vm_bind_op *ops;
	uint32_t n, i;

	/* The batch and scratch mappings of the good VM stay. */
	if (a.vm_id == f->good_vm && chance(70))
		a.vm_id = pick32(f->vm);
	a.ops = user_ptr(z, (void **)&ops, 4096);
	n = a.op_count < 4 ? a.op_count : 4;
	for (i = 0; ops && i < n && a.op_stride == sizeof(*ops); i++) {
		int k = below(POOL);

		ops[i].op = chance(90) ? 1 + below(2) : edge32();
		ops[i].flags = chance(80) ? 0 : chance(50) ? DRM_GMMU_VM_BIND_MAP_READONLY : edge32();
		ops[i].handle = chance(85) ? f->bo[k] : edge32();
		ops[i].bo_offset = chance(80) ? 0 : chance(50) ? 4096 : edge64();
		ops[i].va = va_value();
		ops[i].range = chance(70) && f->bo_size[k] ? f->bo_size[k] & ~0xfffull : size_value();
		ops[i].pad = chance(95) ? 0 : edge32();
		if (ops[i].op == DRM_GMMU_VM_BIND_OP_UNMAP && chance(80)) {
			ops[i].handle = 0;
			ops[i].bo_offset = 0;
			ops[i].flags = 0;
		}
		if (a.vm_id == f->good_vm && ops[i].va < 0x400000)
			ops[i].va += 0x1000000;
	}
	xioctl(f->fd, DRM_IOCTL_SWGPU_VM_BIND, &a, "VM_BIND");
}

static void syncs(struct fuzz *z, struct ffile *f, __u64 *ptr, uint32_t *count,
		  uint32_t *stride)
{
	struct drm_gmmu_sync *s;
	uint32_t i;

	*count = chance(60) ? 0 : chance(90) ? 1 + below(3) : edge32();
	*stride = chance(90) ? sizeof(*s) : edge32();
	*ptr = *count ? user_ptr(z, (void **)&s, 4096) : (chance(90) ? 0 : edge64());
	for (i = 0; *count && s && i < *count && i < 3; i++) {
		if (chance(20)) {
			s[i].handle = pick_fd(f->syncfile);
			s[i].flags = DRM_GMMU_SYNC_SYNC_FILE;
		} else {
			s[i].handle = pick32(f->syncobj);
			s[i].flags = chance(95) ? 0 : edge32();
		}
		s[i].point = chance(60) ? 0 : chance(80) ? 1 + below(8) : edge64();
	}
}

static void f_exec(struct fuzz *z, struct ffile *f)
{
	struct drm_swgpu_exec e = {
		.extensions = extensions(z),
		.batch_va = BATCH_VA + 64 * below(4),
	};
	struct drm_gmmu_submit *s = &e.submit;

	if (chance(15))
		e.batch_va = chance(50) ? va_value() : edge64();
	s->vm_id = some_vm(f);
	s->queue_id = chance(80) ? 0 : chance(70) ? below(4) : edge32();
	s->flags = chance(80) ? (uint32_t)below(4) : edge32();
	s->out_fence_fd = chance(80) ? -1 : (int)edge32();
	s->seqno = chance(90) ? 0 : edge64();
	syncs(z, f, &s->in_syncs, &s->in_sync_count, &s->sync_stride);
	if (chance(50)) {
		uint32_t stride;

		syncs(z, f, &s->out_syncs, &s->out_sync_count, &stride);
		if (s->in_sync_count)
			stride = s->sync_stride;
		s->sync_stride = stride;
	}
	s->pad = chance(95) ? 0 : edge32();
	if (!xioctl(f->fd, DRM_IOCTL_SWGPU_EXEC, &e, "EXEC") &&
	    (s->flags & DRM_GMMU_SUBMIT_FENCE_OUT) && s->out_fence_fd >= 0)
		put_fd(f->syncfile, s->out_fence_fd);
}

static void f_queue(struct fuzz *z, struct ffile *f)
{
	if (chance(50)) {
		struct drm_gmmu_queue_create_args a = {
			.extensions = extensions(z),
			.vm_id = some_vm(f),
			.flags = chance(90) ? 0 : edge32(),
			.pad = chance(95) ? 0 : edge32(),
		};

		xioctl(f->fd, DRM_IOCTL_SWGPU_QUEUE_CREATE, &a, "QUEUE_CREATE");
	} else {
		struct drm_gmmu_queue_destroy_args a = {
			.extensions = extensions(z),
			.vm_id = some_vm(f),
			.queue_id = chance(80) ? below(4) : edge32(),
			.flags = chance(90) ? 0 : edge32(),
		};

		xioctl(f->fd, DRM_IOCTL_SWGPU_QUEUE_DESTROY, &a, "QUEUE_DESTROY");
	}
}

static void f_query(struct fuzz *z, struct ffile *f)
{
	switch (below(5)) {
	case 0: {
		struct drm_gmmu_get_param_args a = {
			.extensions = extensions(z),
			.param = chance(70) ? below(16) : chance(50) ?
				 DRM_GMMU_PARAM_DRIVER_BASE + below(4) : edge32(),
			.flags = chance(90) ? 0 : edge32(),
			.value = edge64(),
		};

		xioctl(f->fd, DRM_IOCTL_SWGPU_GET_PARAM, &a, "GET_PARAM");
		break;
	}
	case 1: {
		struct drm_gmmu_vm_get_fault_args a = {
			.extensions = extensions(z),
			.vm_id = some_vm(f),
			.flags = chance(90) ? 0 : edge32(),
		};

		xioctl(f->fd, DRM_IOCTL_SWGPU_VM_GET_FAULT, &a, "VM_GET_FAULT");
		break;
	}
	case 2: {
		struct drm_gmmu_vm_read_faults_args a = {
			.extensions = extensions(z),
			.vm_id = some_vm(f),
			.flags = chance(90) ? 0 : edge32(),
			.count = chance(80) ? below(20) : edge32(),
			.stride = chance(80) ? sizeof(struct drm_gmmu_fault) : edge32(),
			.pad = chance(95) ? 0 : edge64(),
		};
		void *p;

		a.faults = user_ptr(z, &p, 2048);
		xioctl(f->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &a, "VM_READ_FAULTS");
		break;
	}
	case 3: {
		struct drm_gmmu_vm_get_reset_stats_args a = {
			.extensions = extensions(z),
			.vm_id = some_vm(f),
			.flags = chance(90) ? 0 : edge32(),
		};

		xioctl(f->fd, DRM_IOCTL_SWGPU_VM_GET_RESET_STATS, &a, "VM_GET_RESET_STATS");
		break;
	}
	default: {
		struct drm_gmmu_bo_wait_args a = {
			.extensions = extensions(z),
			.handle = pick32(f->bo),
			.flags = chance(90) ? 0 : edge32(),
			/* Bounded: a real wait of at most 10 ms. */
			.timeout_ns = chance(80) ? (int64_t)below(10000000) :
				      chance(50) ? -1 : INT64_MIN,
		};

		xioctl(f->fd, DRM_IOCTL_SWGPU_WAIT_BO, &a, "WAIT_BO");
		break;
	}
	}
}

static void f_cpu_access(struct fuzz *z, struct ffile *f)
{
	int k = below(POOL);
	struct drm_gmmu_bo_cpu_access_args a = {
		.extensions = extensions(z),
		.handle = chance(85) ? f->bo[k] : edge32(),
		.flags = chance(85) ? (chance(50) ? DRM_GMMU_BO_CPU_ACCESS_START :
				       DRM_GMMU_BO_CPU_ACCESS_END) |
				      (1 + below(3)) << 2 : edge32(),
		.offset = chance(80) ? 0 : edge64(),
		.size = chance(70) && f->bo_size[k] ? f->bo_size[k] : size_value(),
	};

	xioctl(f->fd, DRM_IOCTL_SWGPU_BO_CPU_ACCESS, &a, "BO_CPU_ACCESS");
}

static void f_gem(struct fuzz *z, struct ffile *f)
{
	struct ffile *g = pick_file(z);

	switch (below(3)) {
	case 0: {
		struct drm_gem_close c = { .handle = pick32(f->bo), .pad = chance(95) ? 0 : edge32() };

		if (c.handle != f->batch_bo && c.handle != f->scratch_bo)
			xioctl(f->fd, DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE");
		break;
	}
	case 1: {
		struct drm_gem_flink fl = { .handle = pick32(f->bo) };
		struct drm_gem_open o = { 0 };

		if (!xioctl(f->fd, DRM_IOCTL_GEM_FLINK, &fl, "GEM_FLINK"))
			o.name = fl.name;
		else
			o.name = edge32();
		/* Render nodes refuse both; the card node is not opened. */
		if (!xioctl(g->fd, DRM_IOCTL_GEM_OPEN, &o, "GEM_OPEN"))
			put32(g->bo, o.handle);
		break;
	}
	default: {
		struct drm_prime_handle p = {
			.handle = pick32(f->bo),
			.flags = chance(85) ? (DRM_CLOEXEC | (chance(50) ? DRM_RDWR : 0)) : edge32(),
			.fd = -1,
		};

		if (!xioctl(f->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p, "PRIME_HANDLE_TO_FD"))
			put_fd(f->dmabuf, p.fd);
		p.fd = pick_fd(f->dmabuf);
		p.flags = chance(90) ? 0 : edge32();
		p.handle = edge32();
		/* Into a file of this GPU or of the other. */
		if (!xioctl(g->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p, "PRIME_FD_TO_HANDLE"))
			put32(g->bo, p.handle);
		break;
	}
	}
}

static void f_dmabuf(struct fuzz *z, struct ffile *f)
{
	int fd = pick_fd(f->dmabuf);
	void *p;

	switch (below(5)) {
	case 0: {
		struct dma_buf_sync s = {
			.flags = chance(80) ? (chance(50) ? DMA_BUF_SYNC_START : DMA_BUF_SYNC_END) |
				 (1 + below(3)) : edge64(),
		};

		xioctl(fd, DMA_BUF_IOCTL_SYNC, &s, "DMA_BUF_IOCTL_SYNC");
		break;
	}
	case 1: {
		char *name;
		uint64_t u = user_ptr(z, (void **)&name, 64);

		if (name)
			snprintf(name, 40, "fuzz-%llu", (unsigned long long)rnd());
		/* The argument is the name's address itself. */
		xioctl(fd, DMA_BUF_SET_NAME_B, (void *)(uintptr_t)u, "DMA_BUF_SET_NAME");
		break;
	}
	case 2: {
		struct dma_buf_export_sync_file e = {
			.flags = chance(80) ? 1 + below(3) : edge32(),
			.fd = -1,
		};

		if (!xioctl(fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &e, "DMA_BUF_EXPORT_SYNC_FILE"))
			put_fd(f->syncfile, e.fd);
		break;
	}
	case 3: {
		struct dma_buf_import_sync_file i = {
			.flags = chance(80) ? 1 + below(3) : edge32(),
			.fd = pick_fd(f->syncfile),
		};

		xioctl(fd, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &i, "DMA_BUF_IMPORT_SYNC_FILE");
		break;
	}
	default: {
		size_t len = 4096 * (1 + below(2));

		last_call = "mmap(dma-buf)";
		ncalls++;
		p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd,
			 chance(80) ? 0 : edge64() & ~0xfffull);
		if (p != MAP_FAILED) {
			volatile uint8_t *b = p;
			uint8_t v = b[0];

			(void)v;
			munmap(p, len);
		}
		break;
	}
	}
}

static void f_syncobj(struct fuzz *z, struct ffile *f)
{
	uint32_t h[4];
	unsigned int n = 1 + below(4), i;
	uint64_t points[4];
	struct timespec ts;
	int64_t now;

	/*
	 * Counts stay below 64Ki: the 6.12 DRM core allocates its handle
	 * arrays without __GFP_NOWARN, so a count of billions makes the page
	 * allocator WARN (upstream, not drm_gmmu's: drm_syncobj_array_find()).
	 */
	for (i = 0; i < 4; i++) {
		h[i] = pick32(f->syncobj);
		points[i] = chance(50) ? 0 : chance(80) ? 1 + below(8) : edge64();
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = ts.tv_sec * 1000000000ll + ts.tv_nsec;

	switch (below(10)) {
	case 0:
	case 1: {
		struct drm_syncobj_create c = {
			.flags = chance(80) ? (chance(50) ? DRM_SYNCOBJ_CREATE_SIGNALED : 0) : edge32(),
		};

		if (!xioctl(f->fd, DRM_IOCTL_SYNCOBJ_CREATE, &c, "SYNCOBJ_CREATE")) {
			int k = below(POOL);

			if (f->syncobj[k]) {
				struct drm_syncobj_destroy d = { .handle = f->syncobj[k] };

				xioctl(f->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d, "SYNCOBJ_DESTROY(pool)");
			}
			f->syncobj[k] = c.handle;
		}
		break;
	}
	case 2: {
		struct drm_syncobj_destroy d = { .handle = h[0], .pad = chance(95) ? 0 : edge32() };

		xioctl(f->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d, "SYNCOBJ_DESTROY");
		break;
	}
	case 3: {
		/* Bounded: an absolute timeout at most 5 ms away. */
		struct drm_syncobj_wait w = {
			.handles = chance(95) ? (uintptr_t)h : (uintptr_t)z->bad_ptr,
			.timeout_nsec = now + below(5000000),
			.count_handles = chance(95) ? n : edge32() & 0xffff,
			.flags = chance(85) ? below(8) : edge32(),
		};

		xioctl(f->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w, "SYNCOBJ_WAIT");
		break;
	}
	case 4: {
		struct drm_syncobj_timeline_wait w = {
			.handles = (uintptr_t)h,
			.points = chance(95) ? (uintptr_t)points : 0,
			.timeout_nsec = now + below(5000000),
			.count_handles = chance(95) ? n : edge32() & 0xffff,
			.flags = chance(85) ? below(8) : edge32(),
		};

		xioctl(f->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w, "SYNCOBJ_TIMELINE_WAIT");
		break;
	}
	case 5: {
		struct drm_syncobj_array a = {
			.handles = (uintptr_t)h,
			.count_handles = chance(95) ? n : edge32() & 0xffff,
			.pad = chance(95) ? 0 : edge32(),
		};

		if (chance(50))
			xioctl(f->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a, "SYNCOBJ_SIGNAL");
		else
			xioctl(f->fd, DRM_IOCTL_SYNCOBJ_RESET, &a, "SYNCOBJ_RESET");
		break;
	}
	case 6: {
		struct drm_syncobj_timeline_array a = {
			.handles = (uintptr_t)h,
			.points = (uintptr_t)points,
			.count_handles = chance(95) ? n : edge32() & 0xffff,
			.flags = chance(85) ? (chance(50) ? DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED : 0) :
				 edge32(),
		};

		if (chance(50))
			xioctl(f->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a, "SYNCOBJ_TIMELINE_SIGNAL");
		else
			xioctl(f->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a, "SYNCOBJ_QUERY");
		break;
	}
	case 7: {
		struct drm_syncobj_transfer t = {
			.src_handle = h[0],
			.dst_handle = h[1],
			.src_point = points[0],
			.dst_point = points[1],
			.flags = chance(85) ? (chance(50) ? DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT : 0) :
				 edge32(),
			.pad = chance(95) ? 0 : edge32(),
		};

		xioctl(f->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t, "SYNCOBJ_TRANSFER");
		break;
	}
	case 8: {
		struct drm_syncobj_handle a = {
			.handle = h[0],
			.flags = chance(85) ? (chance(50) ? DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE : 0) :
				 edge32(),
			.fd = -1,
		};

		if (!xioctl(f->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a, "SYNCOBJ_HANDLE_TO_FD"))
			put_fd(f->syncfile, a.fd);
		break;
	}
	default: {
		struct drm_syncobj_handle a = {
			.handle = chance(50) ? h[0] : 0,
			.flags = chance(85) ? (chance(50) ? DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE : 0) :
				 edge32(),
			.fd = pick_fd(f->syncfile),
		};

		if (!xioctl(f->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &a, "SYNCOBJ_FD_TO_HANDLE") &&
		    !(a.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE))
			put32(f->syncobj, a.handle);
		break;
	}
	}
}

/* A driver-range ioctl number the driver may not have, with garbage. */
static void f_raw(struct fuzz *z, struct ffile *f)
{
	unsigned int nr = DRM_COMMAND_BASE + below(0x20);
	unsigned int size = below(128);
	unsigned long req;
	uint8_t *p = z->arena + 2048;

	for (unsigned int i = 0; i < size; i++)
		p[i] = rnd();
	req = _IOC(below(4), DRM_IOCTL_BASE, nr, size);
	/* Keep the waits bounded: those two only with their own builders. */
	if (nr == DRM_COMMAND_BASE + DRM_SWGPU_WAIT_BO)
		return;
	xioctl(f->fd, req, chance(95) ? p : z->bad_ptr, "raw");
}

/* The fuzzer's own programs in each file's good VM: END, STOREs, a NOP run. */
static void file_init(struct fuzz *z, struct ffile *f, int gpu)
{
	struct swgpu_batch b;
	void *map;

	memset(f, 0, sizeof(*f));
	for (int i = 0; i < POOL; i++)
		f->dmabuf[i] = f->syncfile[i] = -1;
	f->gpu = gpu;
	f->fd = swgpu_open(z->gpus[gpu].slot, SWGPU_OPEN_RENDER);
	igt_assert(f->fd >= 0);
	igt_assert_eq(swgpu_vm_create(f->fd, &f->good_vm), 0);
	igt_assert_eq(swgpu_bo_create(f->fd, 4096, &f->batch_bo), 0);
	igt_assert_eq(swgpu_bo_create(f->fd, 4096, &f->scratch_bo), 0);
	igt_assert_eq(swgpu_vm_bind(f->fd, f->good_vm, f->batch_bo, 0, BATCH_VA, 4096, 0), 0);
	igt_assert_eq(swgpu_vm_bind(f->fd, f->good_vm, f->scratch_bo, 0, SCRATCH_VA, 4096, 0), 0);
	igt_assert_eq(swgpu_bo_mmap(f->fd, f->batch_bo, 4096, &map), 0);
	f->batch = map;
	for (int k = 0; k < 4; k++) {
		swgpu_batch_init(&b, (char *)map + 64 * k, BATCH_VA + 64 * k, 64);
		if (k == 1)
			swgpu_batch_store_dword(&b, SCRATCH_VA + 4 * below(64), rnd());
		if (k == 2)
			swgpu_batch_store_dword(&b, 0x7000000, 1);	/* a fault */
		if (k == 3)
			swgpu_batch_nop(&b);
		swgpu_batch_end(&b);
	}
	f->bo[0] = f->batch_bo;
	f->bo_size[0] = 4096;
	f->bo[1] = f->scratch_bo;
	f->bo_size[1] = 4096;
	f->vm[0] = f->good_vm;
	(void)z;
}

static void file_fini(struct ffile *f)
{
	munmap(f->batch, 4096);
	for (int i = 0; i < POOL; i++) {
		if (f->dmabuf[i] > 0)
			close(f->dmabuf[i]);
		if (f->syncfile[i] > 0)
			close(f->syncfile[i]);
	}
	close(f->fd);
}

static int count_fds(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/proc/self/fd");

	igt_assert(d);
	while ((de = readdir(d)))
		n++;
	closedir(d);
	return n;
}

/* What must come back once every file is closed. */
struct baseline {
	long long vms, tables, mapped, level1, evictable;
};

static void baseline_read(struct dfs *d, struct baseline *b)
{
	b->vms = dfs_value(d, "gmmu_vms", "vms");
	b->tables = dfs_value(d, "gmmu_vms", "tables");
	b->mapped = dfs_value(d, "gmmu_vms", "mapped_bytes");
	b->level1 = dfs_value(d, "gmmu_vms", "level1_maps") -
		    dfs_value(d, "gmmu_vms", "level1_unmaps");
	b->evictable = dfs_value(d, "gmmu_backing", "evictable");
}

static int baseline_same(const struct baseline *a, const struct baseline *b)
{
	return a->vms == b->vms && a->tables == b->tables && a->mapped == b->mapped &&
	       a->level1 == b->level1 && a->evictable == b->evictable;
}

static void test_fuzz(struct gpu *gpus, int ngpus)
{
	static void (*const ops[])(struct fuzz *, struct ffile *) = {
		f_bo_create, f_bo_create, f_mmap, f_vm, f_bind, f_bind, f_exec,
		f_exec, f_exec, f_queue, f_query, f_cpu_access, f_gem, f_gem,
		f_dmabuf, f_syncobj, f_syncobj, f_raw,
	};
	struct baseline before[MAX_GPUS], after;
	struct dfs dfs[MAX_GPUS];
	const char *s = getenv("FUZZ_SEED"), *t = getenv("FUZZ_TIME");
	uint64_t seed = s ? strtoull(s, NULL, 0) : 0x5eed;
	unsigned int secs = t ? atoi(t) : 20;
	struct fuzz *z = calloc(1, sizeof(*z));
	struct timespec t0, t1;
	int fds0, ok;

	igt_assert(z);
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	z->gpus = gpus;
	z->ngpus = ngpus;
	z->arena_map = mmap(NULL, ARENA_SIZE + 2 * GUARD, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	z->bad_ptr = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(z->arena_map != MAP_FAILED && z->bad_ptr != MAP_FAILED);
	z->arena = z->arena_map + GUARD;
	igt_assert_eq(mprotect(z->arena, ARENA_SIZE, PROT_READ | PROT_WRITE), 0);
	/* Garbage batches end soon: a SEMAPHORE_WAIT found in random bytes too. */
	watchdog_set(200);
	for (int i = 0; i < ngpus; i++) {
		dfs_init(&dfs[i], &gpus[i]);
		baseline_read(&dfs[i], &before[i]);
	}
	fds0 = count_fds();
	for (int i = 0; i < ngpus; i++)
		for (int k = 0; k < FILES_PER_GPU; k++)
			file_init(z, &z->f[z->nf++], i);

	signal(SIGALRM, on_alarm);
	if (sigsetjmp(stall_jmp, 1))
		igt_assert_f(0, "seed %#llx: call %llu (%s) blocked for %d s\n",
			     (unsigned long long)seed, ncalls, last_call, FUZZ_STALL_S);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 64; i++) {
			struct ffile *f = pick_file(z);

			alarm(FUZZ_STALL_S);
			ops[below(sizeof(ops) / sizeof(ops[0]))](z, f);
			alarm(0);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while (t1.tv_sec - t0.tv_sec < (time_t)secs);
	igt_info("seed %#llx: %llu calls in %u s on %d GPUs\n",
		 (unsigned long long)seed, ncalls, secs, ngpus);

	/* Everything goes: closing a file drains its VMs' queues. */
	alarm(FUZZ_STALL_S);
	for (int i = 0; i < z->nf; i++)
		file_fini(&z->f[i]);
	alarm(0);
	igt_assert_eq(count_fds(), fds0);
	for (int i = 0; i < ngpus; i++) {
		ok = 0;
		for (int tries = 0; tries < 100 && !ok; tries++) {
			baseline_read(&dfs[i], &after);
			ok = baseline_same(&before[i], &after);
			if (!ok)
				usleep(50000);
		}
		igt_assert_f(ok, "%s: vms %lld->%lld tables %lld->%lld mapped %lld->%lld "
			     "level1 %lld->%lld evictable %lld->%lld\n", gpus[i].name,
			     before[i].vms, after.vms, before[i].tables, after.tables,
			     before[i].mapped, after.mapped, before[i].level1, after.level1,
			     before[i].evictable, after.evictable);
	}
	watchdog_restore();
	munmap(z->arena_map, ARENA_SIZE + 2 * GUARD);
	munmap(z->bad_ptr, 4096);
	free(z);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("fuzz")
		test_fuzz(gpus, n);

	igt_fixture
		gpus_close(gpus, n);
}
