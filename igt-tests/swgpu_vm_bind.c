// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * DRM_IOCTL_SWGPU_VM_BIND: MAP, MAP_SPARSE and UNMAP on every GPU, checked by running
 * batches and reading the bytes through mmap; mappings replaced, split and
 * read-only; and every kind of bad input, each followed by proof that
 * nothing changed and that the GPU still runs jobs.
 */
#include <stdio.h>
#include <unistd.h>

#include "swgpu_dfs.h"
#include "swgpu_igt.h"

#define DATA_SIZE	0x10000ull		/* 64 KiB */
#define BIG_VA		0x40000000ull		/* 1 GiB: 2 MiB- and 1 GiB-aligned */
#define BIG_SIZE	(4ull << 20)

/*
 * A test VM with a data BO mapped at TVM_DATA_VA and a second, unmapped
 * BO "other" of the same size: bad MAP requests name "other" at
 * TVM_DATA_VA, so a request that wrongly succeeded would show.
 */
struct bctx {
	struct gpu *g;
	struct tvm v;
	struct buf data;
	struct buf other;
	uint64_t n;
};

static void bctx_init(struct bctx *c, struct gpu *g)
{
	c->g = g;
	c->n = 0;
	tvm_init(&c->v, g->fd);
	buf_create(g->fd, DATA_SIZE, &c->data);
	buf_create(g->fd, DATA_SIZE, &c->other);
	igt_assert_eq(swgpu_vm_bind(g->fd, c->v.id, c->data.handle, 0, TVM_DATA_VA,
				    DATA_SIZE, 0), 0);
}

static void bctx_fini(struct bctx *c)
{
	tvm_fini(&c->v);
	buf_destroy(&c->data);
	buf_destroy(&c->other);
}

/* The data mapping is intact over its whole range, "other" never mapped. */
static void bctx_check(struct bctx *c)
{
	uint64_t off = (c->n++ * 4096 + 8) % DATA_SIZE;

	tvm_store_check(&c->v, TVM_DATA_VA + off, &c->data, off);
	tvm_store_check(&c->v, TVM_DATA_VA + DATA_SIZE - 4, &c->data, DATA_SIZE - 4);
	igt_assert_bytes(c->other.map, DATA_SIZE, 0);
}

static struct drm_gmmu_vm_bind_op bad_map(struct bctx *c)
{
	struct drm_gmmu_vm_bind_op b = {
		.op = DRM_GMMU_VM_BIND_OP_MAP,
		.handle = c->other.handle,
		.va = TVM_DATA_VA,
		.range = DATA_SIZE,
	};

	return b;
}

static struct drm_gmmu_vm_bind_op bad_unmap(void)
{
	struct drm_gmmu_vm_bind_op b = {
		.op = DRM_GMMU_VM_BIND_OP_UNMAP,
		.va = TVM_DATA_VA,
		.range = DATA_SIZE,
	};

	return b;
}

/* The argument of VM_BIND for @count operations at @ops in @c's VM. */
static struct drm_gmmu_vm_bind_args bind_args(struct bctx *c,
					      struct drm_gmmu_vm_bind_op *ops,
					      uint32_t count)
{
	struct drm_gmmu_vm_bind_args a = {
		.vm_id = c->v.id,
		.ops = (uintptr_t)ops,
		.op_count = count,
		.op_stride = sizeof(*ops),
	};

	return a;
}

/* VM_BIND with @a fails with @err, changes nothing, and the GPU still works. */
#define bind_args_err(c, a, err) do { \
	struct drm_gmmu_vm_bind_args __a = (a); \
	do_ioctl_err((c)->v.fd, DRM_IOCTL_SWGPU_VM_BIND, &__a, err); \
	bctx_check(c); \
} while (0)

/* The operation @b alone fails with @err, as bind_args_err(). */
#define bind_err(c, b, err) do { \
	struct drm_gmmu_vm_bind_op __o = (b); \
	igt_debug("bind op %u va %#llx range %#llx off %#llx flags %#x handle %u\n", \
		  __o.op, (unsigned long long)__o.va, (unsigned long long)__o.range, \
		  (unsigned long long)__o.bo_offset, __o.flags, __o.handle); \
	bind_args_err(c, bind_args(c, &__o, 1), err); \
} while (0)

#define for_each_bctx(c, gpus, n) \
	for (int __i = 0; __i < (n) && (bctx_init(&(c), &(gpus)[__i]), 1); \
	     bctx_fini(&(c)), __i++)

static void test_basic(struct gpu *g)
{
	struct buf src, dst;
	struct swgpu_batch *b;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, DATA_SIZE, &src);
	buf_create(g->fd, DATA_SIZE, &dst);
	pattern_fill(src.map, DATA_SIZE, 0x1234);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, src.handle, 0, TVM_DATA_VA, DATA_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, dst.handle, 0, TVM_DATA_VA + DATA_SIZE,
				    DATA_SIZE, 0), 0);
	/* The GPU reads what the CPU wrote and writes what the CPU reads. */
	b = tvm_batch(&v);
	swgpu_batch_copy(b, TVM_DATA_VA + DATA_SIZE, TVM_DATA_VA, DATA_SIZE);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(dst.map, DATA_SIZE, 0x1234, 0);
	tvm_store_check(&v, TVM_DATA_VA + 0x2004, &src, 0x2004);

	/* Unmapped: faults; the neighbour stays. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, TVM_DATA_VA, DATA_SIZE), 0);
	tvm_store_fault(&v, TVM_DATA_VA + 0x2004, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, TVM_DATA_VA, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, TVM_DATA_VA + DATA_SIZE - 4, DRM_SWGPU_FAULT_WRITE);
	tvm_store_check(&v, TVM_DATA_VA + DATA_SIZE, &dst, 0);
	/* Mapped again, it works again. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, src.handle, 0, TVM_DATA_VA, DATA_SIZE, 0), 0);
	tvm_store_check(&v, TVM_DATA_VA + 0x3000, &src, 0x3000);

	tvm_fini(&v);
	buf_destroy(&src);
	buf_destroy(&dst);
}

static void test_bo_offset(struct gpu *g)
{
	struct buf bo;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, 4 * 4096, &bo);
	/* Pages 2 and 3 of the BO at DATA_VA, page 0 at DATA_VA + 64K. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bo.handle, 2 * 4096, TVM_DATA_VA, 8192, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bo.handle, 0, TVM_DATA_VA + 0x10000, 4096, 0), 0);
	tvm_store_check(&v, TVM_DATA_VA, &bo, 2 * 4096);
	tvm_store_check(&v, TVM_DATA_VA + 4096 + 0xffc, &bo, 3 * 4096 + 0xffc);
	tvm_store_check(&v, TVM_DATA_VA + 0x10000 + 0x10, &bo, 0x10);
	tvm_store_fault(&v, TVM_DATA_VA + 8192, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, TVM_DATA_VA + 0x10000 + 4096, DRM_SWGPU_FAULT_WRITE);
	/* Page 1 was never mapped anywhere. */
	igt_assert_bytes(bo.map + 4096, 4096, 0);
	tvm_fini(&v);
	buf_destroy(&bo);
}

static void test_alias(struct gpu *g)
{
	struct buf bo, dst;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, 8192, &bo);
	buf_create(g->fd, 8192, &dst);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bo.handle, 0, TVM_DATA_VA, 8192, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bo.handle, 0, TVM_DATA_VA + 0x100000, 8192, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, dst.handle, 0, TVM_DATA_VA + 0x200000, 8192, 0), 0);
	/* Written through one alias, read back through the other by the GPU. */
	swgpu_batch_fill(tvm_batch(&v), TVM_DATA_VA + 4096, 4096, 0x77777777);
	swgpu_batch_copy(&v.b, TVM_DATA_VA + 0x200000, TVM_DATA_VA + 0x100000 + 4096, 4096);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_bytes(bo.map + 4096, 4096, 0x77);
	igt_assert_bytes(dst.map, 4096, 0x77);
	igt_assert_bytes(bo.map, 4096, 0);
	tvm_fini(&v);
	buf_destroy(&bo);
	buf_destroy(&dst);
}

static void test_replace(struct gpu *g, uint64_t va, uint64_t size)
{
	struct buf a, b;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, size, &a);
	buf_create(g->fd, 8192, &b);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, va, size, 0), 0);
	tvm_store_check(&v, va + size / 2, &a, size / 2);
	/* b's first page replaces the page at the middle of a's mapping. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, b.handle, 0, va + size / 2, 4096, 0), 0);
	tvm_store_check(&v, va + size / 2 + 8, &b, 8);
	tvm_store_check(&v, va + size / 2 - 4, &a, size / 2 - 4);
	tvm_store_check(&v, va + size / 2 + 4096, &a, size / 2 + 4096);
	tvm_store_check(&v, va, &a, 0);
	tvm_store_check(&v, va + size - 4, &a, size - 4);
	/* a's bytes under the replaced page did not change. */
	igt_assert_eq_u32(buf_dword(&a, size / 2 + 8), 0);
	/* b's two pages replace a's first two; the rest stays a's. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, b.handle, 0, va, 8192, 0), 0);
	tvm_store_check(&v, va + 4096 + 12, &b, 4096 + 12);
	tvm_store_check(&v, va + 8192, &a, 8192);
	tvm_fini(&v);
	buf_destroy(&a);
	buf_destroy(&b);
}

/* Replacing a BO's mapping by another mapping of the same BO. */
static void test_replace_same_bo(struct gpu *g)
{
	const uint64_t size = 16 * 4096, va = TVM_DATA_VA;
	struct buf a;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, size, &a);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, va, size, 0), 0);
	/* The very same MAP again. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, va, size, 0), 0);
	tvm_store_check(&v, va + 16, &a, 16);
	/* The same pages, read-only now: writes fault. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, va, size,
				    DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	tvm_store_fault(&v, va + 20, DRM_SWGPU_FAULT_WRITE | DRM_SWGPU_FAULT_PROTECTION);
	/* And writable again. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, va, size, 0), 0);
	tvm_store_check(&v, va + 20, &a, 20);
	/* Other pages of the same BO over the middle of its own mapping. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, va + 4 * 4096, 2 * 4096, 0), 0);
	tvm_store_check(&v, va + 4 * 4096 + 4096 + 8, &a, 4096 + 8);
	tvm_store_check(&v, va + 6 * 4096, &a, 6 * 4096);
	tvm_store_check(&v, va + 3 * 4096, &a, 3 * 4096);
	tvm_fini(&v);
	buf_destroy(&a);
}

/* One UNMAP over several mappings of the same BO, and over holes. */
static void test_unmap_pieces(struct gpu *g)
{
	const uint64_t size = 16 * 4096, va = TVM_DATA_VA;
	struct buf a;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, size, &a);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, va, size, 0), 0);
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, va + 4 * 4096, 4096), 0);
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, va + 8 * 4096, 4096), 0);
	/* Three pieces of a now; take the middle one and parts of the others. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, va + 3 * 4096, 7 * 4096), 0);
	tvm_store_check(&v, va + 3 * 4096 - 4, &a, 3 * 4096 - 4);
	for (uint64_t p = 3; p < 10; p++)
		tvm_store_fault(&v, va + p * 4096 + 4, DRM_SWGPU_FAULT_WRITE);
	tvm_store_check(&v, va + 10 * 4096, &a, 10 * 4096);
	/* Everything, holes and all. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, va, size), 0);
	tvm_store_fault(&v, va, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, va + size - 4, DRM_SWGPU_FAULT_WRITE);
	/* Unmapping nothing is not an error. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, va, size), 0);
	tvm_fini(&v);
	buf_destroy(&a);
}

static void test_split(struct gpu *g, uint64_t va, uint64_t size)
{
	uint64_t hole = size / 2 - 4096;
	struct buf a;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, size, &a);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, va, size, 0), 0);
	tvm_store_check(&v, va + hole, &a, hole);
	/* A one-page hole splits the mapping in two. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, va + hole, 4096), 0);
	tvm_store_fault(&v, va + hole, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, va + hole + 4092, DRM_SWGPU_FAULT_WRITE);
	tvm_store_check(&v, va + hole - 4, &a, hole - 4);
	tvm_store_check(&v, va + hole + 4096, &a, hole + 4096);
	tvm_store_check(&v, va, &a, 0);
	tvm_store_check(&v, va + size - 4, &a, size - 4);
	/* Trim both ends: the first and last pages go. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, va, 4096), 0);
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, va + size - 4096, 4096), 0);
	tvm_store_fault(&v, va, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, va + size - 4, DRM_SWGPU_FAULT_WRITE);
	tvm_store_check(&v, va + 4096, &a, 4096);
	tvm_store_check(&v, va + size - 4100, &a, size - 4100);
	tvm_fini(&v);
	buf_destroy(&a);
}

/*
 * One array of UNMAPs that punch holes into both 2 MiB halves of a large
 * mapping, each no further than 2 MiB from the next: drm_gmmu reserves
 * table memory for them as one run, and every block they cut must be
 * split from it. Each hole faults; every page around each hole is intact.
 */
static void test_unmap_run_splits(struct gpu *g)
{
	static const uint64_t holes[] = {
		0x1000, 0x7000, 0x100000, 0x1ff000,	/* first 2 MiB */
		0x201000, 0x233000, 0x3fe000,		/* second 2 MiB */
	};
	const unsigned int n = sizeof(holes) / sizeof(holes[0]);
	struct drm_gmmu_vm_bind_op ops[sizeof(holes) / sizeof(holes[0])];
	struct buf a;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, BIG_SIZE, &a);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, BIG_VA, BIG_SIZE, 0), 0);
	tvm_store_check(&v, BIG_VA + 0x300000, &a, 0x300000);
	for (unsigned int i = 0; i < n; i++)
		ops[i] = (struct drm_gmmu_vm_bind_op) {
			.op = DRM_GMMU_VM_BIND_OP_UNMAP,
			.va = BIG_VA + holes[i], .range = 4096 };
	igt_assert_eq(swgpu_vm_bind_ops(g->fd, v.id, ops, n), 0);
	for (unsigned int i = 0; i < n; i++) {
		tvm_store_fault(&v, BIG_VA + holes[i] + 8, DRM_SWGPU_FAULT_WRITE);
		tvm_store_check(&v, BIG_VA + holes[i] - 4, &a, holes[i] - 4);
		if (holes[i] + 4096 < BIG_SIZE)
			tvm_store_check(&v, BIG_VA + holes[i] + 4096, &a,
					holes[i] + 4096);
	}
	tvm_store_check(&v, BIG_VA, &a, 0);
	tvm_store_check(&v, BIG_VA + BIG_SIZE - 4, &a, BIG_SIZE - 4);
	tvm_fini(&v);
	buf_destroy(&a);
}

static void test_unmap_straddle(struct gpu *g)
{
	struct buf a, b;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, 16384, &a);
	buf_create(g->fd, 16384, &b);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, TVM_DATA_VA, 16384, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, b.handle, 0, TVM_DATA_VA + 16384, 16384, 0), 0);
	/* The end of a and the start of b. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, TVM_DATA_VA + 8192, 16384), 0);
	tvm_store_check(&v, TVM_DATA_VA + 8188, &a, 8188);
	tvm_store_fault(&v, TVM_DATA_VA + 8192, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, TVM_DATA_VA + 16384 + 8188, DRM_SWGPU_FAULT_WRITE);
	tvm_store_check(&v, TVM_DATA_VA + 16384 + 8192, &b, 8192);
	tvm_fini(&v);
	buf_destroy(&a);
	buf_destroy(&b);
}

static void test_readonly(struct gpu *g)
{
	struct swgpu_fault f;
	struct buf ro, dst;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, 8192, &ro);
	buf_create(g->fd, 8192, &dst);
	pattern_fill(ro.map, 8192, 0xabcd);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, ro.handle, 0, TVM_DATA_VA, 8192,
				    DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, dst.handle, 0, TVM_DATA_VA + 0x10000, 8192, 0), 0);
	/* Reads work. */
	swgpu_batch_copy(tvm_batch(&v), TVM_DATA_VA + 0x10000, TVM_DATA_VA, 8192);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(dst.map, 8192, 0xabcd, 0);
	/* Writes fault as protection faults and change nothing. */
	tvm_store_fault(&v, TVM_DATA_VA + 4096 + 0x40,
			DRM_SWGPU_FAULT_WRITE | DRM_SWGPU_FAULT_PROTECTION);
	igt_assert_pattern(ro.map, 8192, 0xabcd, 0);
	swgpu_batch_fill(tvm_batch(&v), TVM_DATA_VA + 8, 64, 0);
	igt_assert_eq(tvm_run(&v, NULL), -EFAULT);
	tvm_get_fault(&v, &f);
	igt_assert_eq(f.count, 2);
	igt_assert_eq_u32(f.access, DRM_SWGPU_FAULT_WRITE | DRM_SWGPU_FAULT_PROTECTION);
	igt_assert_eq_u64(f.va, TVM_DATA_VA + 8);
	swgpu_batch_copy(tvm_batch(&v), TVM_DATA_VA + 100, TVM_DATA_VA + 0x10000, 3);
	igt_assert_eq(tvm_run(&v, NULL), -EFAULT);
	tvm_get_fault(&v, &f);
	igt_assert_eq(f.count, 3);
	igt_assert_eq_u32(f.access, DRM_SWGPU_FAULT_WRITE | DRM_SWGPU_FAULT_PROTECTION);
	igt_assert_eq_u64(f.va, TVM_DATA_VA + 100);
	igt_assert_pattern(ro.map, 8192, 0xabcd, 0);
	/* The same BO mapped writable elsewhere takes writes. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, ro.handle, 0, TVM_DATA_VA + 0x20000, 8192, 0), 0);
	tvm_store_check(&v, TVM_DATA_VA + 0x20000 + 4096 + 0x40, &ro, 4096 + 0x40);
	tvm_store_fault(&v, TVM_DATA_VA + 4096 + 0x44,
			DRM_SWGPU_FAULT_WRITE | DRM_SWGPU_FAULT_PROTECTION);
	tvm_fini(&v);
	buf_destroy(&ro);
	buf_destroy(&dst);
}

static void test_readonly_batch(struct gpu *g)
{
	struct swgpu_batch b;
	struct buf bb;
	struct tvm v;
	int fence;

	tvm_init(&v, g->fd);
	buf_create(g->fd, 4096, &bb);
	swgpu_batch_init(&b, bb.map, TVM_DATA_VA, 4096);
	swgpu_batch_store_dword(&b, TVM_SCRATCH_VA + 0x10, 0x40);
	swgpu_batch_end(&b);
	/* Command fetch is a read: a read-only batch runs. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bb.handle, 0, TVM_DATA_VA, 4096,
				    DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	igt_assert_eq(swgpu_exec(g->fd, v.id, TVM_DATA_VA, &fence, NULL), 0);
	igt_assert_eq(fence_status(fence), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0x10), 0x40);
	tvm_fini(&v);
	buf_destroy(&bb);
}

static void test_va_edges(struct gpu *g)
{
	uint64_t end = gpu_va_end(g);
	struct buf bo;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, 8192, &bo);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bo.handle, 0, DRM_SWGPU_VM_VA_START, 4096, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bo.handle, 4096, end - 4096, 4096, 0), 0);
	tvm_store_check(&v, DRM_SWGPU_VM_VA_START, &bo, 0);
	tvm_store_check(&v, end - 4, &bo, 8188);
	/* Below the first usable page: never mapped, a null pointer faults. */
	tvm_store_fault(&v, DRM_SWGPU_VM_VA_START - 4, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, 0, DRM_SWGPU_FAULT_WRITE);
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, end - 4096, 4096), 0);
	tvm_store_fault(&v, end - 4, DRM_SWGPU_FAULT_WRITE);
	tvm_fini(&v);
	buf_destroy(&bo);
}

static void test_private_other_vm(struct gpu *g)
{
	struct buf priv;
	struct bctx c;

	bctx_init(&c, g);
	{
		struct tvm w;
		struct drm_gmmu_vm_bind_op b = bad_map(&c);

		tvm_init(&w, g->fd);
		buf_create_private(g->fd, w.id, 8192, &priv);
		b.handle = priv.handle;
		bind_err(&c, b, EINVAL);
		/* In its own VM it binds and works. */
		igt_assert_eq(swgpu_vm_bind(g->fd, w.id, priv.handle, 0, TVM_DATA_VA, 8192, 0), 0);
		tvm_store_check(&w, TVM_DATA_VA + 4096, &priv, 4096);
		/* Its VM gone, it binds nowhere. */
		tvm_fini(&w);
		bind_err(&c, b, EINVAL);
		buf_destroy(&priv);
	}
	bctx_fini(&c);
}

static int bind_sparse(int fd, uint32_t vm, uint64_t va, uint64_t range)
{
	const struct drm_gmmu_vm_bind_op op = {
		.op = DRM_GMMU_VM_BIND_OP_MAP_SPARSE, .va = va, .range = range };

	return swgpu_vm_bind_ops(fd, vm, &op, 1);
}

/*
 * @va reads as zeros and takes writes without a fault: a STORE_DWORD
 * there, then a COPY of the page into @dst (pattern first) must leave
 * zeros, and the VM's fault count must not move.
 */
static void sparse_check(struct tvm *v, uint64_t va, struct buf *dst,
			 uint64_t dst_va)
{
	struct swgpu_fault before, after;
	struct swgpu_batch *b;

	pattern_fill(dst->map, 4096, 0x5a5a);
	tvm_get_fault(v, &before);
	b = tvm_batch(v);
	swgpu_batch_store_dword(b, va + 0x10, 0xdeadbeef);
	swgpu_batch_copy(b, dst_va, va & ~4095ull, 4096);
	igt_assert_eq(tvm_run(v, NULL), 0);
	igt_assert_bytes(dst->map, 4096, 0);
	tvm_get_fault(v, &after);
	igt_assert_eq(after.count, before.count);
}

static void test_sparse(struct gpu *g)
{
	const uint64_t sva = TVM_DATA_VA, size = 16 * 4096;
	const uint64_t dva = TVM_DATA_VA + 0x100000;
	struct buf dst, bo;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create(g->fd, 4096, &dst);
	buf_create(g->fd, 4096, &bo);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, dst.handle, 0, dva, 4096, 0), 0);

	/* Unmapped, a store faults; sparse, it vanishes and reads are 0. */
	tvm_store_fault(&v, sva + 0x3000, DRM_SWGPU_FAULT_WRITE);
	igt_assert_eq(bind_sparse(g->fd, v.id, sva, size), 0);
	sparse_check(&v, sva, &dst, dva);
	sparse_check(&v, sva + 0x3000, &dst, dva);
	sparse_check(&v, sva + size - 4096, &dst, dva);

	/* A real page in the middle; its neighbours stay sparse. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bo.handle, 0, sva + 0x3000, 4096, 0), 0);
	tvm_store_check(&v, sva + 0x3008, &bo, 8);
	sparse_check(&v, sva + 0x2000, &dst, dva);
	sparse_check(&v, sva + 0x4000, &dst, dva);
	/* And back to sparse: the BO no longer sees the GPU's stores. */
	igt_assert_eq(bind_sparse(g->fd, v.id, sva + 0x3000, 4096), 0);
	memset(bo.map, 0x77, 4096);
	sparse_check(&v, sva + 0x3000, &dst, dva);
	igt_assert_bytes(bo.map, 4096, 0x77);

	/* Unmapping part of it splits it: faults there, zeros around. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, sva + 0x5000, 0x2000), 0);
	tvm_store_fault(&v, sva + 0x6000, DRM_SWGPU_FAULT_WRITE);
	sparse_check(&v, sva + 0x4000, &dst, dva);
	sparse_check(&v, sva + 0x7000, &dst, dva);

	/* A large sparse range takes blocks; part of it replaced by a BO. */
	igt_assert_eq(bind_sparse(g->fd, v.id, BIG_VA, BIG_SIZE), 0);
	sparse_check(&v, BIG_VA + (3ull << 20), &dst, dva);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, bo.handle, 0,
				    BIG_VA + (1ull << 20), 4096, 0), 0);
	tvm_store_check(&v, BIG_VA + (1ull << 20) + 4, &bo, 4);
	sparse_check(&v, BIG_VA + (1ull << 20) + 4096, &dst, dva);
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, BIG_VA, BIG_SIZE), 0);
	tvm_store_fault(&v, BIG_VA + (3ull << 20), DRM_SWGPU_FAULT_WRITE);

	tvm_fini(&v);
	buf_destroy(&dst);
	buf_destroy(&bo);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	struct bctx c;
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("map-unmap-basic")
		for (int i = 0; i < n; i++)
			test_basic(&gpus[i]);

	igt_subtest("map-sparse")
		for (int i = 0; i < n; i++)
			test_sparse(&gpus[i]);

	igt_subtest("map-sparse-bad-fields") {
		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_vm_bind_op b = {
				.op = DRM_GMMU_VM_BIND_OP_MAP_SPARSE,
				.va = TVM_DATA_VA, .range = 4096 };

			b.handle = c.other.handle;
			bind_err(&c, b, EINVAL);
			b.handle = 0;
			b.flags = DRM_GMMU_VM_BIND_MAP_READONLY;
			bind_err(&c, b, EINVAL);
			b.flags = 0;
			b.bo_offset = 4096;
			bind_err(&c, b, EINVAL);
			b.bo_offset = 0;
			b.va = TVM_DATA_VA + 4;
			bind_err(&c, b, EINVAL);
			b.va = TVM_DATA_VA;
			b.pad = 1;
			bind_err(&c, b, EINVAL);
		}
	}

	igt_subtest("map-bo-offset")
		for (int i = 0; i < n; i++)
			test_bo_offset(&gpus[i]);

	igt_subtest("map-alias")
		for (int i = 0; i < n; i++)
			test_alias(&gpus[i]);

	igt_subtest("map-replaces")
		for (int i = 0; i < n; i++)
			test_replace(&gpus[i], TVM_DATA_VA, 16 * 4096);

	igt_subtest("map-replaces-large")
		for (int i = 0; i < n; i++)
			test_replace(&gpus[i], BIG_VA, BIG_SIZE);

	igt_subtest("map-replaces-same-bo")
		for (int i = 0; i < n; i++)
			test_replace_same_bo(&gpus[i]);

	igt_subtest("unmap-pieces-of-one-bo")
		for (int i = 0; i < n; i++)
			test_unmap_pieces(&gpus[i]);

	igt_subtest("unmap-partial-splits")
		for (int i = 0; i < n; i++)
			test_split(&gpus[i], TVM_DATA_VA, 16 * 4096);

	igt_subtest("unmap-partial-splits-large")
		for (int i = 0; i < n; i++)
			test_split(&gpus[i], BIG_VA, BIG_SIZE);

	igt_subtest("array-unmap-run-splits-blocks")
		for (int i = 0; i < n; i++)
			test_unmap_run_splits(&gpus[i]);

	igt_subtest("unmap-straddles-two")
		for (int i = 0; i < n; i++)
			test_unmap_straddle(&gpus[i]);

	igt_subtest("readonly")
		for (int i = 0; i < n; i++)
			test_readonly(&gpus[i]);

	igt_subtest("readonly-batch")
		for (int i = 0; i < n; i++)
			test_readonly_batch(&gpus[i]);

	igt_subtest("va-space-edges")
		for (int i = 0; i < n; i++)
			test_va_edges(&gpus[i]);

	igt_subtest("bad-handle") {
		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_vm_bind_op b = bad_map(&c);
			uint32_t h;

			b.handle = 0;
			bind_err(&c, b, ENOENT);
			b.handle = 0x7fffffff;
			bind_err(&c, b, ENOENT);
			igt_assert_eq(swgpu_bo_create(c.g->fd, DATA_SIZE, &h), 0);
			igt_assert_eq(swgpu_bo_close(c.g->fd, h), 0);
			b.handle = h;
			bind_err(&c, b, ENOENT);
		}
	}

	igt_subtest("bad-op") {
		static const uint32_t ops[] = { 0, 4, 5, 0x100, 0x80000000, ~0u };

		for_each_bctx(c, gpus, n) {
			for (unsigned int k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
				struct drm_gmmu_vm_bind_op b = bad_map(&c);

				b.op = ops[k];
				bind_err(&c, b, EINVAL);
				b = bad_unmap();
				b.op = ops[k];
				bind_err(&c, b, EINVAL);
			}
		}
	}

	igt_subtest("bad-flags") {
		for_each_bctx(c, gpus, n) {
			for (unsigned int bit = 0; bit < 32; bit++) {
				struct drm_gmmu_vm_bind_op b = bad_map(&c);

				if ((1u << bit) == DRM_GMMU_VM_BIND_MAP_READONLY)
					continue;
				b.flags = 1u << bit;
				bind_err(&c, b, EINVAL);
				b.flags |= DRM_GMMU_VM_BIND_MAP_READONLY;
				bind_err(&c, b, EINVAL);
			}
		}
	}

	igt_subtest("bad-extension") {
		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_user_extension ext = { .name = 1 };
			struct drm_gmmu_vm_bind_op b = bad_map(&c);
			struct drm_gmmu_vm_bind_args a = bind_args(&c, &b, 1);

			a.extensions = (uintptr_t)&ext;
			bind_args_err(&c, a, EINVAL);
			a.extensions = 8;
			bind_args_err(&c, a, EFAULT);
			b = bad_unmap();
			a.extensions = (uintptr_t)&ext;
			bind_args_err(&c, a, EINVAL);
		}
	}

	igt_subtest("unaligned") {
		static const uint64_t bad[] = { 1, 4, 0x800, 0xffc, 0x1001 };

		for_each_bctx(c, gpus, n) {
			for (unsigned int k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
				struct drm_gmmu_vm_bind_op b = bad_map(&c);

				b.va += bad[k];
				bind_err(&c, b, EINVAL);
				b = bad_map(&c);
				b.range -= 4096 - bad[k] % 4096;
				bind_err(&c, b, EINVAL);
				b = bad_map(&c);
				b.range = 4096;
				b.bo_offset = bad[k];
				bind_err(&c, b, EINVAL);
				b = bad_unmap();
				b.va += bad[k];
				bind_err(&c, b, EINVAL);
				b = bad_unmap();
				b.range = bad[k];
				bind_err(&c, b, EINVAL);
			}
		}
	}

	igt_subtest("range-zero") {
		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_vm_bind_op b = bad_map(&c);

			b.range = 0;
			bind_err(&c, b, EINVAL);
			b = bad_unmap();
			b.range = 0;
			bind_err(&c, b, EINVAL);
		}
	}

	igt_subtest("range-overflow") {
		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_vm_bind_op b = bad_map(&c);

			/* va + range wraps around to inside the VM. */
			b.va = ~0ull & ~4095ull;
			b.range = TVM_DATA_VA + 4096 - b.va;
			bind_err(&c, b, EINVAL);
			b.va = TVM_DATA_VA;
			b.range = ~0ull & ~4095ull;
			bind_err(&c, b, EINVAL);
			b.range = 1ull << 63;
			bind_err(&c, b, EINVAL);
			/* bo_offset + range wraps around to inside the BO. */
			b = bad_map(&c);
			b.bo_offset = ~0ull & ~4095ull;
			b.range = 8192;
			bind_err(&c, b, EINVAL);
			b = bad_unmap();
			b.va = ~0ull & ~4095ull;
			b.range = TVM_DATA_VA + 4096 - b.va;
			bind_err(&c, b, EINVAL);
		}
	}

	igt_subtest("outside-va-space") {
		for_each_bctx(c, gpus, n) {
			uint64_t end = gpu_va_end(c.g);
			struct drm_gmmu_vm_bind_op b = bad_map(&c);

			b.range = 4096;
			b.va = end;
			bind_err(&c, b, EINVAL);
			b.va = end - 4096;
			b.range = 8192;
			bind_err(&c, b, EINVAL);
			b.va = 1ull << 63;
			b.range = 4096;
			bind_err(&c, b, EINVAL);
			b.va = end - 4096;
			b.range = end;
			bind_err(&c, b, EINVAL);
			b = bad_unmap();
			b.va = end;
			b.range = 4096;
			bind_err(&c, b, EINVAL);
			b.va = end - 4096;
			b.range = 8192;
			bind_err(&c, b, EINVAL);
		}
	}

	igt_subtest("below-va-start") {
		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_vm_bind_op b = bad_map(&c);

			b.range = 4096;
			b.va = 0;
			bind_err(&c, b, EINVAL);
			b.va = DRM_SWGPU_VM_VA_START - 4096;
			bind_err(&c, b, EINVAL);
			b.range = 8192;
			bind_err(&c, b, EINVAL);
			b.va = 0;
			b.range = DRM_SWGPU_VM_VA_START + 4096;
			bind_err(&c, b, EINVAL);
			b = bad_unmap();
			b.va = 0;
			b.range = 4096;
			bind_err(&c, b, EINVAL);
			b.va = DRM_SWGPU_VM_VA_START - 4096;
			b.range = 8192;
			bind_err(&c, b, EINVAL);
		}
	}

	igt_subtest("beyond-bo") {
		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_vm_bind_op b = bad_map(&c);

			b.range = DATA_SIZE + 4096;
			bind_err(&c, b, EINVAL);
			b.range = DATA_SIZE;
			b.bo_offset = 4096;
			bind_err(&c, b, EINVAL);
			b.range = 4096;
			b.bo_offset = DATA_SIZE;
			bind_err(&c, b, EINVAL);
			b.bo_offset = 1ull << 40;
			bind_err(&c, b, EINVAL);
			/* The last page exactly is fine. */
			b.bo_offset = DATA_SIZE - 4096;
			b.va = TVM_DATA_VA + DATA_SIZE;
			igt_assert_eq(swgpu_vm_bind_ops(c.v.fd, c.v.id, &b, 1), 0);
			tvm_store_check(&c.v, TVM_DATA_VA + DATA_SIZE + 4, &c.other, DATA_SIZE - 4096 + 4);
			igt_assert_eq(swgpu_vm_unbind(c.g->fd, c.v.id, TVM_DATA_VA + DATA_SIZE, 4096), 0);
			memset(c.other.map, 0, DATA_SIZE);
			bctx_check(&c);
		}
	}

	igt_subtest("unmap-nonzero-fields") {
		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_vm_bind_op b = bad_unmap();

			b.handle = c.data.handle;
			bind_err(&c, b, EINVAL);
			b = bad_unmap();
			b.bo_offset = 4096;
			bind_err(&c, b, EINVAL);
			for (unsigned int bit = 0; bit < 32; bit++) {
				b = bad_unmap();
				b.flags = 1u << bit;
				bind_err(&c, b, EINVAL);
			}
		}
	}

	igt_subtest("private-bo-of-another-vm")
		for (int i = 0; i < n; i++)
			test_private_other_vm(&gpus[i]);

	igt_subtest("array-header") {
		static const uint32_t strides[] = { 0, 8, 32, 36, 44, 4096 + 8 };

		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_vm_bind_op ops[2] = { bad_map(&c), bad_map(&c) };
			struct drm_gmmu_vm_bind_args a;

			/* No operation: nothing happens, whatever the rest says. */
			a = bind_args(&c, NULL, 0);
			a.op_stride = 3;
			do_ioctl(c.v.fd, DRM_IOCTL_SWGPU_VM_BIND, &a);
			bctx_check(&c);
			a = bind_args(&c, ops, 1);
			a.flags = ~DRM_GMMU_VM_BIND_ASYNC;
			bind_args_err(&c, a, EINVAL);
			a = bind_args(&c, ops, 1);
			a.pad = 1;
			bind_args_err(&c, a, EINVAL);
			/* Sync fields without DRM_GMMU_VM_BIND_ASYNC. */
			a = bind_args(&c, ops, 1);
			a.sync_stride = sizeof(struct drm_gmmu_sync);
			bind_args_err(&c, a, EINVAL);
			a = bind_args(&c, ops, 1);
			a.in_sync_count = 1;
			bind_args_err(&c, a, EINVAL);
			a = bind_args(&c, ops, DRM_GMMU_VM_BIND_MAX_OPS + 1);
			bind_args_err(&c, a, EINVAL);
			a.op_count = ~0u;
			bind_args_err(&c, a, EINVAL);
			for (unsigned int k = 0; k < sizeof(strides) / sizeof(strides[0]); k++) {
				a = bind_args(&c, ops, 1);
				a.op_stride = strides[k];
				bind_args_err(&c, a, EINVAL);
			}
			a = bind_args(&c, ops, 1);
			a.ops = 8;
			bind_args_err(&c, a, EFAULT);
			a = bind_args(&c, ops, 1);
			a.vm_id = 0;
			bind_args_err(&c, a, ENOENT);
			ops[0].pad = 1;
			bind_args_err(&c, bind_args(&c, ops, 1), EINVAL);
		}
	}

	igt_subtest("array-all-or-nothing") {
		for_each_bctx(c, gpus, n) {
			const uint64_t free_va = TVM_DATA_VA + DATA_SIZE;
			struct drm_gmmu_vm_bind_op ops[3] = {
				{ .op = DRM_GMMU_VM_BIND_OP_MAP, .handle = c.other.handle,
				  .va = free_va, .range = 4096 },
				{ .op = DRM_GMMU_VM_BIND_OP_UNMAP, .va = TVM_DATA_VA,
				  .range = DATA_SIZE },
				bad_map(&c),
			};

			/* The last one is bad in each way: the first two never happen. */
			ops[2].op = 7;
			bind_args_err(&c, bind_args(&c, ops, 3), EINVAL);
			ops[2] = bad_map(&c);
			ops[2].va = free_va + 4096;
			ops[2].handle = 0;
			bind_args_err(&c, bind_args(&c, ops, 3), ENOENT);
			ops[2].handle = c.other.handle;
			ops[2].bo_offset = DATA_SIZE;
			bind_args_err(&c, bind_args(&c, ops, 3), EINVAL);
			tvm_store_fault(&c.v, free_va, DRM_SWGPU_FAULT_WRITE);
			/* Good, they all happen, in one call. */
			ops[2].bo_offset = 0;
			ops[2].range = 4096;
			igt_assert_eq(swgpu_vm_bind_ops(c.v.fd, c.v.id, ops, 3), 0);
			tvm_store_check(&c.v, free_va + 4, &c.other, 4);
			tvm_store_fault(&c.v, TVM_DATA_VA, DRM_SWGPU_FAULT_WRITE);
			memset(c.other.map, 0, DATA_SIZE);
			igt_assert_eq(swgpu_vm_unbind(c.v.fd, c.v.id, free_va, 8192), 0);
			igt_assert_eq(swgpu_vm_bind(c.v.fd, c.v.id, c.data.handle, 0,
						    TVM_DATA_VA, DATA_SIZE, 0), 0);
			bctx_check(&c);
		}
	}

	igt_subtest("array-overlap") {
		for_each_bctx(c, gpus, n) {
			const uint64_t free_va = TVM_DATA_VA + DATA_SIZE;
			struct drm_gmmu_vm_bind_op ops[2] = {
				{ .op = DRM_GMMU_VM_BIND_OP_MAP, .handle = c.other.handle,
				  .va = free_va, .range = 8192 },
				{ .op = DRM_GMMU_VM_BIND_OP_UNMAP, .va = free_va + 4096,
				  .range = 4096 },
			};

			bind_args_err(&c, bind_args(&c, ops, 2), EINVAL);
			/* Overlapping, in the other order, or wholly inside. */
			ops[1].va = free_va - 4096;
			ops[1].range = 8192;
			bind_args_err(&c, bind_args(&c, ops, 2), EINVAL);
			ops[1] = ops[0];
			bind_args_err(&c, bind_args(&c, ops, 2), EINVAL);
			tvm_store_fault(&c.v, free_va, DRM_SWGPU_FAULT_WRITE);
			/* Adjacent is not overlapping. */
			ops[1].op = DRM_GMMU_VM_BIND_OP_UNMAP;
			ops[1].handle = 0;
			ops[1].va = free_va + 8192;
			ops[1].range = 4096;
			igt_assert_eq(swgpu_vm_bind_ops(c.v.fd, c.v.id, ops, 2), 0);
			tvm_store_check(&c.v, free_va + 4096, &c.other, 4096);
			memset(c.other.map, 0, DATA_SIZE);
			igt_assert_eq(swgpu_vm_unbind(c.v.fd, c.v.id, free_va, 8192), 0);
			bctx_check(&c);
		}
	}

	igt_subtest("array-split-remap") {
		for_each_bctx(c, gpus, n) {
			const uint64_t p = 4096, va = TVM_DATA_VA;
			/*
			 * Every operation cuts what the one before left of the
			 * data mapping: holes at pages 1 and 3, "other" page 2
			 * read-only at page 5, "other" page 0 at page 7.
			 */
			struct drm_gmmu_vm_bind_op ops[4] = {
				{ .op = DRM_GMMU_VM_BIND_OP_UNMAP, .va = va + 1 * p, .range = p },
				{ .op = DRM_GMMU_VM_BIND_OP_UNMAP, .va = va + 3 * p, .range = p },
				{ .op = DRM_GMMU_VM_BIND_OP_MAP, .handle = c.other.handle,
				  .bo_offset = 2 * p, .va = va + 5 * p, .range = p,
				  .flags = DRM_GMMU_VM_BIND_MAP_READONLY },
				{ .op = DRM_GMMU_VM_BIND_OP_MAP, .handle = c.other.handle,
				  .va = va + 7 * p, .range = p },
			};
			struct swgpu_batch *b;

			igt_assert_eq(swgpu_vm_bind_ops(c.v.fd, c.v.id, ops, 4), 0);
			tvm_store_check(&c.v, va + 4, &c.data, 4);
			tvm_store_fault(&c.v, va + 1 * p, DRM_SWGPU_FAULT_WRITE);
			tvm_store_check(&c.v, va + 2 * p + 8, &c.data, 2 * p + 8);
			tvm_store_fault(&c.v, va + 3 * p + 4, DRM_SWGPU_FAULT_WRITE);
			tvm_store_check(&c.v, va + 4 * p, &c.data, 4 * p);
			tvm_store_fault(&c.v, va + 5 * p,
					DRM_SWGPU_FAULT_WRITE | DRM_SWGPU_FAULT_PROTECTION);
			tvm_store_check(&c.v, va + 6 * p + 12, &c.data, 6 * p + 12);
			tvm_store_check(&c.v, va + 7 * p + 16, &c.other, 16);
			tvm_store_check(&c.v, va + DATA_SIZE - 4, &c.data, DATA_SIZE - 4);
			/* Page 5 reads "other" page 2: copy it into page 7. */
			pattern_fill(c.other.map + 2 * p, p, 0x55);
			b = tvm_batch(&c.v);
			swgpu_batch_copy(b, va + 7 * p, va + 5 * p, p);
			igt_assert_eq(tvm_run(&c.v, NULL), 0);
			igt_assert_pattern(c.other.map, p, 0x55, 0);
			memset(c.other.map, 0, DATA_SIZE);
			igt_assert_eq(swgpu_vm_bind(c.v.fd, c.v.id, c.data.handle, 0,
						    TVM_DATA_VA, DATA_SIZE, 0), 0);
			bctx_check(&c);
		}
	}

	igt_subtest("array-one-tlb-invalidation") {
		for_each_bctx(c, gpus, n) {
			struct drm_gmmu_vm_bind_op ops[8];
			long long before, one, array, singles;
			struct dfs d;

			dfs_init(&d, c.g);
			for (unsigned int k = 0; k < 8; k++)
				ops[k] = (struct drm_gmmu_vm_bind_op) {
					.op = DRM_GMMU_VM_BIND_OP_UNMAP,
					.va = TVM_DATA_VA + 2 * k * 4096, .range = 4096 };
			before = dfs_value(&d, "swgpu_mmu", "invalidations");
			igt_assert_eq(swgpu_vm_bind_ops(c.v.fd, c.v.id, ops, 1), 0);
			one = dfs_value(&d, "swgpu_mmu", "invalidations") - before;
			before += one;
			igt_assert_eq(swgpu_vm_bind_ops(c.v.fd, c.v.id, ops + 1, 7), 0);
			array = dfs_value(&d, "swgpu_mmu", "invalidations") - before;
			igt_assert_eq(swgpu_vm_bind(c.v.fd, c.v.id, c.data.handle, 0,
						    TVM_DATA_VA, DATA_SIZE, 0), 0);
			before = dfs_value(&d, "swgpu_mmu", "invalidations");
			for (unsigned int k = 1; k < 8; k++)
				igt_assert_eq(swgpu_vm_bind_ops(c.v.fd, c.v.id, ops + k, 1), 0);
			singles = dfs_value(&d, "swgpu_mmu", "invalidations") - before;
			igt_info("TLB invalidations: %lld for one unmap, %lld for 7 in one array, %lld for 7 alone\n",
				 one, array, singles);
			igt_assert(one >= 1);
			igt_assert_eq(array, one);
			igt_assert_eq(singles, 7 * one);
			igt_assert_eq(swgpu_vm_bind(c.v.fd, c.v.id, c.data.handle, 0,
						    TVM_DATA_VA, DATA_SIZE, 0), 0);
			bctx_check(&c);
		}
	}

	igt_subtest("bo-close-while-bound") {
		for (int i = 0; i < n; i++) {
			struct buf bo;
			struct tvm v;

			tvm_init(&v, gpus[i].fd);
			buf_create(v.fd, 8192, &bo);
			igt_assert_eq(swgpu_vm_bind(v.fd, v.id, bo.handle, 0, TVM_DATA_VA, 8192, 0), 0);
			/* The mapping keeps the BO; the CPU mapping sees the GPU's writes. */
			igt_assert_eq(swgpu_bo_close(v.fd, bo.handle), 0);
			bo.handle = 0;
			tvm_store_check(&v, TVM_DATA_VA + 4100, &bo, 4100);
			igt_assert_eq(swgpu_vm_unbind(v.fd, v.id, TVM_DATA_VA, 8192), 0);
			tvm_store_fault(&v, TVM_DATA_VA + 4100, DRM_SWGPU_FAULT_WRITE);
			tvm_fini(&v);
			buf_destroy(&bo);
		}
	}

	igt_fixture
		gpus_close(gpus, n);
}
