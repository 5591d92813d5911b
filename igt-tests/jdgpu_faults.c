// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * jdgpu's faults and isolation: a descriptor that reaches an unmapped
 * address or writes a read-only mapping ends its job with -EFAULT, and the
 * VM's fault record says where and what; what ran before the fault stays
 * written. Two contexts see only their own mappings at the same address;
 * an unbind takes effect for the next job (the slot's TLB is flushed).
 */
#include <unistd.h>

#include "jdgpu_igt.h"

#define SZ	0x4000ull

static void expect_fault(struct jctx *x, uint64_t va, uint32_t access,
			 uint64_t seqno)
{
	struct drm_gmmu_fault f;

	jctx_fault(x, &f);
	igt_assert_eq_u64(f.va, va);
	igt_assert_eq_u32(f.access, access);
	igt_assert_eq_u64(f.seqno, seqno);
}

static void test_unmapped(int fd)
{
	struct jctx x;
	struct buf b;

	jctx_init(&x, fd);
	jd_buf_create(fd, SZ, &b);
	memset(b.map, 0, SZ);
	jctx_bind(&x, &b, JCTX_DATA_VA, 0);

	/* A write one page past the BO: the first FILL lands, then the fault. */
	jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_FILL, JCTX_DATA_VA, 0, SZ, 0x5a5a5a5a);
	jdgpu_chain_op(&x.c, JDGPU_OP_FILL, JCTX_DATA_VA + SZ - 8, 0, 16, 1);
	jdgpu_chain_op(&x.c, JDGPU_OP_WRITE_VALUE, JCTX_DATA_VA, 0, 0, 7);
	igt_assert_eq(jctx_run(&x), -EFAULT);
	expect_fault(&x, JCTX_DATA_VA + SZ, DRM_GMMU_FAULT_WRITE, 1);
	igt_assert_bytes(b.map, SZ - 8, 0x5a);	/* the third never ran */
	igt_assert_eq_u64(*(uint64_t *)(b.map + SZ - 8), 0x0000000100000001ull);

	/* A read of an address never mapped. */
	jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_SUM32, JCTX_DATA_VA, 0x7000000000ull, 4, 0);
	igt_assert_eq(jctx_run(&x), -EFAULT);
	expect_fault(&x, 0x7000000000ull, DRM_GMMU_FAULT_READ, 2);

	/* A descriptor fetched from nowhere. */
	jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_NOP, 0, 0, 0, 0);
	x.c.map[0].next = 0x200000;
	igt_assert_eq(jctx_run(&x), -EFAULT);
	expect_fault(&x, 0x200000, DRM_GMMU_FAULT_FETCH, 3);

	/* The VM still works after its faults. */
	jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_WRITE_VALUE, JCTX_DATA_VA, 0, 0, 77);
	igt_assert_eq(jctx_run(&x), 0);
	igt_assert_eq_u64(*(uint64_t *)b.map, 77);
	jctx_fini(&x);
	jd_buf_destroy(&b);
}

static void test_readonly(int fd)
{
	struct jctx x;
	struct buf ro, rw;

	jctx_init(&x, fd);
	jd_buf_create(fd, SZ, &ro);
	jd_buf_create(fd, SZ, &rw);
	pattern_fill(ro.map, SZ, 5);
	jctx_bind(&x, &ro, JCTX_DATA_VA, DRM_GMMU_VM_BIND_MAP_READONLY);
	jctx_bind(&x, &rw, JCTX_DATA_VA + SZ, 0);

	/* Reading it works. */
	jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_COPY, JCTX_DATA_VA + SZ,
		       JCTX_DATA_VA, SZ, 0);
	igt_assert_eq(jctx_run(&x), 0);
	igt_assert_pattern(rw.map, SZ, 5, 0);

	/* Writing it faults, with the protection bit; nothing changes. */
	jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_WRITE_VALUE, JCTX_DATA_VA + 0x1008,
		       0, 0, 1);
	igt_assert_eq(jctx_run(&x), -EFAULT);
	expect_fault(&x, JCTX_DATA_VA + 0x1008,
		     DRM_GMMU_FAULT_WRITE | DRM_GMMU_FAULT_PROTECTION, 2);
	igt_assert_pattern(ro.map, SZ, 5, 0);

	/* The descriptor BO itself is read-only to the GPU. */
	jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_FILL, JCTX_DESC_VA, 0, 64, 0);
	igt_assert_eq(jctx_run(&x), -EFAULT);
	expect_fault(&x, JCTX_DESC_VA,
		     DRM_GMMU_FAULT_WRITE | DRM_GMMU_FAULT_PROTECTION, 3);
	igt_assert_eq_u32(x.c.map[0].opcode, JDGPU_OP_FILL);
	jctx_fini(&x);
	jd_buf_destroy(&ro);
	jd_buf_destroy(&rw);
}

/* Two contexts, one address, two BOs: each context sees its own. */
static void test_isolation(int fd)
{
	struct jctx a, b;
	struct buf ba, bb, out;
	uint64_t sa, sb;

	jctx_init(&a, fd);
	jctx_init(&b, fd);
	jd_buf_create(fd, SZ, &ba);
	jd_buf_create(fd, SZ, &bb);
	jd_buf_create(fd, SZ, &out);
	pattern_fill(ba.map, SZ, 1);
	pattern_fill(bb.map, SZ, 2);
	memset(out.map, 0, SZ);
	jctx_bind(&a, &ba, JCTX_DATA_VA, 0);
	jctx_bind(&b, &bb, JCTX_DATA_VA, 0);
	jctx_bind(&a, &out, JCTX_DATA_VA + SZ, 0);
	jctx_bind(&b, &out, JCTX_DATA_VA + SZ, 0);

	jdgpu_chain_op(jctx_chain(&a), JDGPU_OP_SUM32, JCTX_DATA_VA + SZ,
		       JCTX_DATA_VA, SZ, 0);
	jdgpu_chain_op(jctx_chain(&b), JDGPU_OP_SUM32, JCTX_DATA_VA + SZ + 8,
		       JCTX_DATA_VA, SZ, 0);
	igt_assert_eq(jctx_run(&a), 0);
	igt_assert_eq(jctx_run(&b), 0);
	sa = sb = 0;
	for (uint64_t i = 0; i < SZ; i += 4) {
		sa += *(uint32_t *)(ba.map + i);
		sb += *(uint32_t *)(bb.map + i);
	}
	igt_assert(sa != sb);
	igt_assert_eq_u64(*(uint64_t *)out.map, sa);
	igt_assert_eq_u64(*(uint64_t *)(out.map + 8), sb);

	/* A mapping only @a has: @b faults there and writes nothing. */
	jctx_bind(&a, &ba, JCTX_DATA_VA + 4 * SZ, 0);
	jdgpu_chain_op(jctx_chain(&b), JDGPU_OP_FILL, JCTX_DATA_VA + 4 * SZ, 0, 64, 0);
	igt_assert_eq(jctx_run(&b), -EFAULT);
	igt_assert_pattern(ba.map, SZ, 1, 0);

	/* An unbind holds for the very next job: no stale TLB entry. */
	jdgpu_chain_op(jctx_chain(&a), JDGPU_OP_FILL, JCTX_DATA_VA + 4 * SZ, 0, 4, 3);
	igt_assert_eq(jctx_run(&a), 0);
	igt_assert_eq_u32(*(uint32_t *)ba.map, 3);
	igt_assert_eq(gmmu_vm_unbind(JD, fd, a.vm, JCTX_DATA_VA + 4 * SZ, SZ), 0);
	jdgpu_chain_op(jctx_chain(&a), JDGPU_OP_FILL, JCTX_DATA_VA + 4 * SZ, 0, 4, 4);
	igt_assert_eq(jctx_run(&a), -EFAULT);
	igt_assert_eq_u32(*(uint32_t *)ba.map, 3);

	igt_assert_eq(jd_hw_counter(fd, "wrong"), 0);
	igt_assert_eq(jd_hw_counter(fd, "stale"), 0);
	jctx_fini(&a);
	jctx_fini(&b);
	jd_buf_destroy(&ba);
	jd_buf_destroy(&bb);
	jd_buf_destroy(&out);
}

/* Another file's VM id means nothing here. */
static void test_file_isolation(int fd)
{
	int other = jdgpu_open(-1, 0);
	struct jctx x;
	uint32_t q;

	igt_assert(other >= 0);
	jctx_init(&x, fd);
	igt_assert_eq(gmmu_queue_create(JD, other, x.vm, &q), -ENOENT);
	igt_assert_eq(jdgpu_run(other, x.vm, JCTX_DESC_VA, 1000), -ENOENT);
	jctx_fini(&x);
	close(other);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = jd_open();

	igt_subtest("unmapped")
		test_unmapped(fd);
	igt_subtest("read-only")
		test_readonly(fd);
	igt_subtest("isolation")
		test_isolation(fd);
	igt_subtest("file-isolation")
		test_file_isolation(fd);

	igt_fixture
		close(fd);
}
