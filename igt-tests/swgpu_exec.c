// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * DRM_IOCTL_SWGPU_EXEC and the command stream: every command on every GPU
 * with the bytes checked through mmap, odd sizes and alignments, copies
 * across many pages, out-fences and sequence numbers, in-order execution,
 * -EPROTO for bad commands, GPU page faults and their record, isolation of
 * VMs (one file and two files, and after a fault), and bad ioctl input.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_igt.h"

#define SRC_VA		TVM_DATA_VA
#define DST_VA		(TVM_DATA_VA + 0x1000000)	/* +16 MiB */

/* A test VM with a source and a destination BO mapped. */
struct xctx {
	struct gpu *g;
	struct tvm v;
	struct buf src;
	struct buf dst;
};

static void xctx_init(struct xctx *x, struct gpu *g, uint64_t size)
{
	x->g = g;
	tvm_init(&x->v, g->fd);
	buf_create(g->fd, size, &x->src);
	buf_create(g->fd, size, &x->dst);
	igt_assert_eq(swgpu_vm_bind(g->fd, x->v.id, x->src.handle, 0, SRC_VA, size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, x->v.id, x->dst.handle, 0, DST_VA, size, 0), 0);
}

static void xctx_fini(struct xctx *x)
{
	tvm_fini(&x->v);
	buf_destroy(&x->src);
	buf_destroy(&x->dst);
}

static void test_batch_builder(void)
{
	uint32_t mem[16];
	struct swgpu_batch b;

	memset(mem, 0xee, sizeof(mem));
	swgpu_batch_init(&b, mem, 0x100000, 15 * 4);
	igt_assert_eq(b.va, 0x100000);
	igt_assert_eq(swgpu_batch_nop(&b), 0);
	igt_assert_eq(swgpu_batch_store_dword(&b, 0x123456789abcull, 0xcafe), 0);
	igt_assert_eq(swgpu_batch_fill(&b, 0x1000, 0x200000004ull, 0x5a5a5a5a), 0);
	igt_assert_eq(swgpu_batch_end(&b), 0);
	igt_assert_eq(swgpu_batch_bytes(&b), 12 * 4);
	igt_assert_eq_u32(mem[0], 0x00000001);
	igt_assert_eq_u32(mem[1], 0x02000004);
	igt_assert_eq_u32(mem[2], 0x56789abc);
	igt_assert_eq_u32(mem[3], 0x1234);
	igt_assert_eq_u32(mem[4], 0xcafe);
	igt_assert_eq_u32(mem[5], 0x03000006);
	igt_assert_eq_u32(mem[6], 0x1000);
	igt_assert_eq_u32(mem[7], 0);
	igt_assert_eq_u32(mem[8], 4);
	igt_assert_eq_u32(mem[9], 2);
	igt_assert_eq_u32(mem[10], 0x5a5a5a5a);
	igt_assert_eq_u32(mem[11], 0x01000001);
	/* 3 dwords left: COPY (7) does not fit, and nothing is written. */
	igt_assert_eq(swgpu_batch_copy(&b, 1, 2, 3), -ENOSPC);
	igt_assert_eq_u32(mem[12], 0xeeeeeeee);
	igt_assert_eq(b.error, -ENOSPC);
	/* The error is sticky: a NOP that would fit fails too. */
	igt_assert_eq(swgpu_batch_nop(&b), -ENOSPC);
	igt_assert_eq_u32(mem[12], 0xeeeeeeee);
	igt_assert_eq_u32(mem[15], 0xeeeeeeee);

	swgpu_batch_init(&b, mem, 0, sizeof(mem));
	igt_assert_eq(swgpu_batch_nop(&b), 0);
	igt_assert_eq(swgpu_batch_copy(&b, 0x1111222233334444ull, 0x5555666677778888ull, 0x9), 0);
	igt_assert_eq_u32(mem[1], 0x04000007);
	igt_assert_eq_u32(mem[2], 0x33334444);
	igt_assert_eq_u32(mem[3], 0x11112222);
	igt_assert_eq_u32(mem[4], 0x77778888);
	igt_assert_eq_u32(mem[5], 0x55556666);
	igt_assert_eq_u32(mem[6], 9);
	igt_assert_eq_u32(mem[7], 0);
	/* Exactly full is fine. */
	for (int i = 0; i < 8; i++)
		igt_assert_eq(swgpu_batch_nop(&b), 0);
	igt_assert_eq(swgpu_batch_nop(&b), -ENOSPC);
}

static void test_store_dword(struct gpu *g)
{
	const uint64_t size = 64 * 1024;
	struct swgpu_batch *b;
	struct xctx x;
	uint64_t off;

	xctx_init(&x, g, size);
	memset(x.dst.map, 0xff, size);
	b = tvm_batch(&x.v);
	/* One dword in each page, at a different place in each. */
	for (off = 0; off < size; off += 4096 + 4)
		swgpu_batch_store_dword(b, DST_VA + off, 0x5000000 + (uint32_t)off);
	swgpu_batch_store_dword(b, DST_VA + size - 4, 0xe0d);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	for (uint64_t i = 0; i < size; i += 4) {
		uint32_t want = 0xffffffff;

		if (i % (4096 + 4) == 0)
			want = 0x5000000 + (uint32_t)i;
		if (i == size - 4)
			want = 0xe0d;
		igt_assert_f(buf_dword(&x.dst, i) == want, "%s: dword at %#llx: %#x, expected %#x\n",
			     g->name, (unsigned long long)i, buf_dword(&x.dst, i), want);
	}
	/* Later stores to the same address win. */
	b = tvm_batch(&x.v);
	swgpu_batch_store_dword(b, DST_VA + 8, 1);
	swgpu_batch_store_dword(b, DST_VA + 8, 2);
	swgpu_batch_store_dword(b, DST_VA + 8, 3);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&x.dst, 8), 3);
	xctx_fini(&x);
}

/* FILL [off, off + len) of a BO filled with 0xee; check it and around it. */
static void fill_case(struct xctx *x, uint64_t size, uint64_t off, uint64_t len,
		      uint32_t pattern)
{
	igt_debug("fill %#llx + %#llx\n", (unsigned long long)off, (unsigned long long)len);
	memset(x->dst.map, 0xee, size);
	swgpu_batch_fill(tvm_batch(&x->v), DST_VA + off, len, pattern);
	igt_assert_eq(tvm_run(&x->v, NULL), 0);
	igt_assert_bytes(x->dst.map, off, 0xee);
	for (uint64_t i = off; i < off + len; i += 4)
		igt_assert_f(buf_dword(&x->dst, i) == pattern,
			     "%s: fill %#llx+%#llx: dword at %#llx is %#x\n", x->g->name,
			     (unsigned long long)off, (unsigned long long)len,
			     (unsigned long long)i, buf_dword(&x->dst, i));
	igt_assert_bytes(x->dst.map + off + len, size - off - len, 0xee);
}

static void test_fill(struct gpu *g)
{
	static const uint64_t cases[][2] = {
		{ 0, 4 }, { 4, 8 }, { 4092, 8 }, { 12, 4096 }, { 4096, 4096 },
		{ 100, 3 * 4096 + 60 }, { 8188, 4 }, { 0, 64 * 1024 },
		{ 64 * 1024 - 4, 4 }, { 2048, 60 * 1024 },
	};
	const uint64_t size = 64 * 1024;
	struct xctx x;

	xctx_init(&x, g, size);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		fill_case(&x, size, cases[i][0], cases[i][1], 0x01020304 * (i + 1));
	/* A zero pattern, and several fills in one batch. */
	memset(x.dst.map, 0xee, size);
	swgpu_batch_fill(tvm_batch(&x.v), DST_VA, 8192, 0);
	swgpu_batch_fill(&x.v.b, DST_VA + 4, 4, 0x11223344);
	swgpu_batch_fill(&x.v.b, DST_VA + 8192, 4, 0x55667788);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&x.dst, 0), 0);
	igt_assert_eq_u32(buf_dword(&x.dst, 4), 0x11223344);
	igt_assert_bytes(x.dst.map + 8, 8184, 0);
	igt_assert_eq_u32(buf_dword(&x.dst, 8192), 0x55667788);
	igt_assert_bytes(x.dst.map + 8196, size - 8196, 0xee);
	xctx_fini(&x);
}

static void test_fill_large(struct gpu *g)
{
	const uint64_t size = 6 << 20, off = 4092, len = (5 << 20) + 4;
	struct xctx x;

	xctx_init(&x, g, size);
	fill_case(&x, size, off, len, 0x3c3c3c3c);
	xctx_fini(&x);
}

/* COPY src[soff, soff + len) to dst[doff, ...); check it and around it. */
static void copy_case(struct xctx *x, uint64_t size, uint64_t doff, uint64_t soff,
		      uint64_t len, uint32_t seed)
{
	igt_debug("copy %#llx <- %#llx, %#llx bytes\n", (unsigned long long)doff,
		  (unsigned long long)soff, (unsigned long long)len);
	pattern_fill(x->src.map, size, seed);
	memset(x->dst.map, 0xee, size);
	swgpu_batch_copy(tvm_batch(&x->v), DST_VA + doff, SRC_VA + soff, len);
	igt_assert_eq(tvm_run(&x->v, NULL), 0);
	igt_assert_bytes(x->dst.map, doff, 0xee);
	igt_assert_pattern(x->dst.map + doff, len, seed, soff);
	igt_assert_bytes(x->dst.map + doff + len, size - doff - len, 0xee);
	/* The source is unchanged. */
	igt_assert_pattern(x->src.map, size, seed, 0);
}

static void test_copy_odd(struct gpu *g)
{
	static const uint64_t cases[][3] = {	/* dst, src, size */
		{ 0, 0, 1 }, { 1, 0, 1 }, { 0, 3, 2 }, { 3, 1, 7 }, { 5, 5, 3 },
		{ 4095, 0, 2 }, { 0, 4095, 2 }, { 4093, 4091, 4099 },
		{ 1, 2, 3 * 4096 }, { 2, 4097, 8191 }, { 0, 0, 4096 },
		{ 7, 12345, 20000 }, { 60000, 1, 5535 }, { 0, 1, 65535 },
	};
	const uint64_t size = 64 * 1024;
	struct xctx x;

	xctx_init(&x, g, size);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		copy_case(&x, size, cases[i][0], cases[i][1], cases[i][2], i + 1);
	/* Copies within one BO, not overlapping, both directions. */
	pattern_fill(x.dst.map, size, 99);
	swgpu_batch_copy(tvm_batch(&x.v), DST_VA + 3, DST_VA + 8192 + 1, 4096);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	igt_assert_pattern(x.dst.map + 3, 4096, 99, 8193);
	igt_assert_pattern(x.dst.map + 4099, size - 4099, 99, 4099);
	igt_assert_pattern(x.dst.map, 3, 99, 0);
	pattern_fill(x.dst.map, size, 98);
	swgpu_batch_copy(tvm_batch(&x.v), DST_VA + 20001, DST_VA + 1, 20000);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	igt_assert_pattern(x.dst.map + 20001, 20000, 98, 1);
	igt_assert_pattern(x.dst.map, 20001, 98, 0);
	igt_assert_pattern(x.dst.map + 40001, size - 40001, 98, 40001);
	xctx_fini(&x);
}

static void test_copy_large(struct gpu *g)
{
	const uint64_t size = 6 << 20, len = (5 << 20) + 3;
	struct xctx x;

	xctx_init(&x, g, size);
	copy_case(&x, size, 4093, 1, len, 0x77);
	copy_case(&x, size, 0, 4096 * 3, len, 0x78);
	xctx_fini(&x);
}

static void test_nop(struct gpu *g)
{
	struct swgpu_batch *b;
	struct tvm v;

	tvm_init(&v, g->fd);
	b = tvm_batch(&v);
	for (int i = 0; i < 2000; i++)
		swgpu_batch_nop(b);
	swgpu_batch_store_dword(b, TVM_SCRATCH_VA + 16, 0x4e4f50);
	for (int i = 0; i < 100; i++)
		swgpu_batch_nop(b);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 16), 0x4e4f50);
	/* An empty batch, only END. */
	tvm_batch(&v);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	tvm_fini(&v);
}

static void test_end_stops(struct gpu *g)
{
	struct swgpu_batch *b;
	struct tvm v;

	tvm_init(&v, g->fd);
	b = tvm_batch(&v);
	swgpu_batch_store_dword(b, TVM_SCRATCH_VA, 1);
	swgpu_batch_end(b);
	/* Never executed: after END. */
	swgpu_batch_store_dword(b, TVM_SCRATCH_VA + 4, 2);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 1);
	igt_assert_eq_u32(buf_dword(&v.scratch, 4), 0);
	tvm_fini(&v);
}

static void test_batch_crosses_pages(struct gpu *g)
{
	struct buf b1, b2;
	struct swgpu_batch b;
	struct tvm v;

	tvm_init(&v, g->fd);
	/* Inside one BO: commands straddle a page boundary. */
	tvm_batch_at(&v, 4096 - 8);
	swgpu_batch_store_dword(&v.b, TVM_SCRATCH_VA + 0x100, 0xaaaa);
	swgpu_batch_fill(&v.b, TVM_SCRATCH_VA + 0x200, 8, 0xbbbb);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0x100), 0xaaaa);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0x204), 0xbbbb);
	/* Across two BOs mapped next to each other, a command split in two. */
	buf_create(g->fd, 4096, &b1);
	buf_create(g->fd, 4096, &b2);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, b1.handle, 0, TVM_DATA_VA, 4096, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, b2.handle, 0, TVM_DATA_VA + 4096, 4096, 0), 0);
	{
		uint32_t cmds[64];

		swgpu_batch_init(&b, cmds, 0, sizeof(cmds));
		swgpu_batch_nop(&b);
		swgpu_batch_copy(&b, TVM_SCRATCH_VA + 0x300, TVM_SCRATCH_VA + 0x100, 4);
		swgpu_batch_store_dword(&b, TVM_SCRATCH_VA + 0x400, 0xcccc);
		swgpu_batch_end(&b);
		/* The COPY starts 12 bytes before the end of b1. */
		memcpy(b1.map + 4096 - 16, cmds, 16);
		memcpy(b2.map, (uint8_t *)cmds + 16, swgpu_batch_bytes(&b) - 16);
	}
	igt_assert_eq(swgpu_exec(g->fd, v.id, TVM_DATA_VA + 4096 - 16, NULL, NULL), 0);
	tvm_assert_works(&v);	/* in order: the job above is done */
	igt_assert_eq_u32(buf_dword(&v.scratch, 0x300), 0xaaaa);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0x400), 0xcccc);
	tvm_fini(&v);
	buf_destroy(&b1);
	buf_destroy(&b2);
}

static void test_seqno_fences(struct gpu *g)
{
	uint64_t seqno[4], s2;
	struct tvm v, w;
	int fence[4], fd;

	tvm_init(&v, g->fd);
	tvm_init(&w, g->fd);
	/* From 1 on each VM's queue, one step per job. */
	for (int i = 0; i < 4; i++) {
		swgpu_batch_store_dword(tvm_batch_at(&v, i * 1024), TVM_SCRATCH_VA + i * 4,
					0x100 + i);
		fence[i] = tvm_submit(&v, &seqno[i]);
		igt_assert_eq(seqno[i], i + 1);
	}
	tvm_batch(&w);
	igt_assert_eq(tvm_run(&w, &s2), 0);
	igt_assert_eq(s2, 1);
	/* In order on one queue: the last done means all done. */
	igt_assert_eq(fence_status(fence[3]), 0);
	for (int i = 0; i < 3; i++) {
		igt_assert(fence_signalled(fence[i]));
		igt_assert_eq(fence_status(fence[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		igt_assert_eq_u32(buf_dword(&v.scratch, i * 4), 0x100 + i);
	/* The out-fence is close-on-exec. */
	tvm_batch(&v);
	fd = tvm_submit(&v, &seqno[0]);
	igt_assert_eq(seqno[0], 5);
	igt_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	igt_assert_eq(fence_status(fd), 0);
	tvm_fini(&v);
	tvm_fini(&w);
}

static void test_in_order(struct gpu *g)
{
	const uint64_t size = 1 << 20;
	struct buf c;
	struct xctx x;
	int f[3];

	xctx_init(&x, g, size);
	buf_create(g->fd, size, &c);
	igt_assert_eq(swgpu_vm_bind(g->fd, x.v.id, c.handle, 0, DST_VA + size, size, 0), 0);
	/* fill src, copy src -> dst, copy dst -> c: each job needs the last. */
	swgpu_batch_fill(tvm_batch_at(&x.v, 0), SRC_VA, size, 0x31415926);
	f[0] = tvm_submit(&x.v, NULL);
	swgpu_batch_copy(tvm_batch_at(&x.v, 1024), DST_VA + 1, SRC_VA, size - 1);
	f[1] = tvm_submit(&x.v, NULL);
	swgpu_batch_copy(tvm_batch_at(&x.v, 2048), DST_VA + size, DST_VA, size);
	f[2] = tvm_submit(&x.v, NULL);
	for (int i = 2; i >= 0; i--)
		igt_assert_eq(fence_status(f[i]), 0);
	igt_assert_eq(c.map[0], 0);	/* dst byte 0 was never written */
	for (uint64_t i = 1; i < size; i++)
		igt_assert_f(c.map[i] == ((0x31415926u >> (((i - 1) & 3) * 8)) & 0xff),
			     "%s: byte %llu is %#x\n", g->name, (unsigned long long)i, c.map[i]);
	xctx_fini(&x);
	buf_destroy(&c);
}

static void test_no_fence(struct gpu *g)
{
	struct drm_swgpu_exec e;
	struct tvm v;

	tvm_init(&v, g->fd);
	swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA + 32, 0xf00d);
	swgpu_batch_end(&v.b);
	memset(&e, 0, sizeof(e));
	e.submit.vm_id = v.id;
	e.batch_va = TVM_BATCH_VA;
	e.submit.out_fence_fd = 1234;
	do_ioctl(v.fd, DRM_IOCTL_SWGPU_EXEC, &e);
	igt_assert_eq(e.submit.out_fence_fd, -1);
	igt_assert_eq(e.submit.seqno, 1);
	/* The next job, with a fence, runs after it. */
	swgpu_batch_store_dword(tvm_batch_at(&v, 1024), TVM_SCRATCH_VA + 36, 0xf00e);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 32), 0xf00d);
	igt_assert_eq_u32(buf_dword(&v.scratch, 36), 0xf00e);
	tvm_fini(&v);
}

/* The raw dwords @dw, then END, fail with -EPROTO and record no fault. */
static void eproto(struct tvm *v, const uint32_t *dw, unsigned int n)
{
	struct swgpu_fault before, after;

	tvm_get_fault(v, &before);
	igt_assert_eq(swgpu_batch_dwords(tvm_batch(v), dw, n), 0);
	for (int i = 0; i < 8; i++)	/* room for a too-long command */
		swgpu_batch_end(&v->b);
	igt_assert_f(tvm_run(v, NULL) == -EPROTO, "header %#x: expected -EPROTO\n", dw[0]);
	tvm_get_fault(v, &after);
	igt_assert_eq(after.count, before.count);
}

static void test_bad_opcode(struct gpu *g)
{
	static const uint32_t ops[] = { 0x0a, 0x0b, 0x10, 0x7f, 0x80, 0xff };
	struct tvm v;

	tvm_init(&v, g->fd);
	for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		for (uint32_t len = 1; len <= 7; len += 3) {
			uint32_t dw[8] = { SWGPU_CMD_HEADER(ops[i], len) };

			eproto(&v, dw, len);
		}
		tvm_assert_works(&v);
	}
	tvm_fini(&v);
}

static void test_bad_length(struct gpu *g)
{
	static const uint32_t cmds[][2] = {
		{ SWGPU_CMD_NOP, SWGPU_CMD_NOP_LEN },
		{ SWGPU_CMD_END, SWGPU_CMD_END_LEN },
		{ SWGPU_CMD_STORE_DWORD, SWGPU_CMD_STORE_DWORD_LEN },
		{ SWGPU_CMD_FILL, SWGPU_CMD_FILL_LEN },
		{ SWGPU_CMD_COPY, SWGPU_CMD_COPY_LEN },
	};
	struct tvm v;

	tvm_init(&v, g->fd);
	for (unsigned int i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const uint32_t op = cmds[i][0], len = cmds[i][1];
		const uint32_t bad[] = { 0, len - 1, len + 1, 0xffff };

		for (unsigned int k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			/* Operands that would be valid: the scratch page. */
			uint32_t dw[8] = {
				SWGPU_CMD_HEADER(op, bad[k]),
				(uint32_t)TVM_SCRATCH_VA, 0, 4, 0, 4, 0,
			};

			if (bad[k] == len - 1 && len == 1)
				continue;	/* 0, already */
			eproto(&v, dw, bad[k] && bad[k] <= 8 ? bad[k] : 1);
		}
		/* Bits 23..16 are reserved: any one set is -EPROTO. */
		for (unsigned int bit = 16; bit < 24; bit++) {
			uint32_t dw[8] = {
				SWGPU_CMD_HEADER(op, len) | (1u << bit),
				(uint32_t)TVM_SCRATCH_VA, 0, 4, 0, 4, 0,
			};

			eproto(&v, dw, len);
		}
		tvm_assert_works(&v);
	}
	tvm_fini(&v);
}

static void test_misaligned(struct gpu *g)
{
	const uint32_t va = (uint32_t)TVM_SCRATCH_VA;
	struct tvm v;

	tvm_init(&v, g->fd);
	for (uint32_t a = 1; a < 4; a++) {
		uint32_t store[] = {
			SWGPU_CMD_HEADER(SWGPU_CMD_STORE_DWORD, SWGPU_CMD_STORE_DWORD_LEN),
			va + 64 + a, 0, 0xdeadbeef,
		};
		uint32_t fill_addr[] = {
			SWGPU_CMD_HEADER(SWGPU_CMD_FILL, SWGPU_CMD_FILL_LEN),
			va + 128 + a, 0, 16, 0, 0xdeadbeef,
		};
		uint32_t fill_size[] = {
			SWGPU_CMD_HEADER(SWGPU_CMD_FILL, SWGPU_CMD_FILL_LEN),
			va + 256, 0, 16 + a, 0, 0xdeadbeef,
		};

		eproto(&v, store, 4);
		eproto(&v, fill_addr, 6);
		eproto(&v, fill_size, 6);
	}
	/* Overlapping copies, any which way. */
	{
		static const uint32_t ov[][3] = {	/* dst, src, size (from va) */
			{ 0, 0, 4 }, { 1, 0, 2 }, { 0, 1, 2 }, { 0, 100, 101 },
			{ 100, 0, 101 }, { 4, 0, 3000 }, { 0, 2999, 3000 },
		};

		for (unsigned int i = 0; i < sizeof(ov) / sizeof(ov[0]); i++) {
			uint32_t copy[] = {
				SWGPU_CMD_HEADER(SWGPU_CMD_COPY, SWGPU_CMD_COPY_LEN),
				va + 1024 + ov[i][0], 0, va + 1024 + ov[i][1], 0, ov[i][2], 0,
			};

			eproto(&v, copy, 7);
		}
	}
	/* Nothing was written by any of them. */
	igt_assert_bytes(v.scratch.map, 4096, 0);
	tvm_assert_works(&v);
	tvm_fini(&v);
}

static void check_fault(struct tvm *v, uint32_t count, uint64_t va, uint32_t access,
			uint64_t seqno)
{
	struct swgpu_fault f;

	tvm_get_fault(v, &f);
	igt_assert_eq(f.count, count);
	igt_assert_f(f.va == va, "fault va %#llx, expected %#llx\n",
		     (unsigned long long)f.va, (unsigned long long)va);
	igt_assert_f(f.access == access, "fault access %#x, expected %#x\n", f.access, access);
	igt_assert_eq_u64(f.seqno, seqno);
}

static void test_faults(struct gpu *g)
{
	const uint64_t hole = TVM_DATA_VA + 0x100000;
	struct swgpu_fault f;
	uint64_t seqno;
	struct xctx x;
	int fence;

	xctx_init(&x, g, 8192);
	/* A write to nothing. */
	tvm_store_fault(&x.v, hole + 0x124, DRM_SWGPU_FAULT_WRITE);
	/* A FILL that runs off the end of its mapping, at the first byte past it. */
	swgpu_batch_fill(tvm_batch(&x.v), DST_VA + 4096, 8192, 0x12121212);
	igt_assert_eq(tvm_run(&x.v, &seqno), -EFAULT);
	check_fault(&x.v, 2, DST_VA + 8192, DRM_SWGPU_FAULT_WRITE, seqno);
	/* A read of nothing. */
	swgpu_batch_copy(tvm_batch(&x.v), DST_VA, hole + 0x10, 16);
	igt_assert_eq(tvm_run(&x.v, &seqno), -EFAULT);
	check_fault(&x.v, 3, hole + 0x10, DRM_SWGPU_FAULT_READ, seqno);
	/* A COPY whose source runs off its mapping. */
	swgpu_batch_copy(tvm_batch(&x.v), DST_VA, SRC_VA + 8190, 5);
	igt_assert_eq(tvm_run(&x.v, &seqno), -EFAULT);
	check_fault(&x.v, 4, SRC_VA + 8192, DRM_SWGPU_FAULT_READ, seqno);
	/* A batch that is not mapped: a fetch fault at its first dword. */
	igt_assert_eq(swgpu_exec(g->fd, x.v.id, hole + 0x40, &fence, &seqno), 0);
	igt_assert_eq(fence_status(fence), -EFAULT);
	check_fault(&x.v, 5, hole + 0x40, DRM_SWGPU_FAULT_FETCH, seqno);
	/* A batch that runs off the end of its mapping without END. */
	for (uint64_t i = 0; i < 4096; i += 4)
		*(uint32_t *)(x.src.map + 4096 + i) =
			SWGPU_CMD_HEADER(SWGPU_CMD_NOP, SWGPU_CMD_NOP_LEN);
	igt_assert_eq(swgpu_exec(g->fd, x.v.id, SRC_VA + 4096, &fence, &seqno), 0);
	igt_assert_eq(fence_status(fence), -EFAULT);
	check_fault(&x.v, 6, SRC_VA + 8192, DRM_SWGPU_FAULT_FETCH, seqno);
	/* The null page. */
	tvm_store_fault(&x.v, 0, DRM_SWGPU_FAULT_WRITE);
	/* The VM works on after faults, and the record stays as it was. */
	tvm_store_check(&x.v, DST_VA + 4, &x.dst, 4);
	tvm_get_fault(&x.v, &f);
	igt_assert_eq(f.count, 7);
	igt_assert_eq_u64(f.va, 0);
	xctx_fini(&x);
}

/* Two VMs, @fa and @fb maybe the same file, map different BOs at one va. */
static void isolation(struct gpu *g, int fa, int fb)
{
	const uint64_t size = 64 * 1024;
	struct buf a, b;
	struct tvm va, vb;

	tvm_init(&va, fa);
	tvm_init(&vb, fb);
	igt_assert_neq(va.fd == vb.fd ? va.id : 0, vb.id);
	buf_create(fa, size, &a);
	buf_create(fb, size, &b);
	memset(a.map, 0xaa, size);
	memset(b.map, 0xbb, size);
	igt_assert_eq(swgpu_vm_bind(fa, va.id, a.handle, 0, TVM_DATA_VA, size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(fb, vb.id, b.handle, 0, TVM_DATA_VA, size, 0), 0);
	/* Each fills the first half and copies it to the second, at the same va. */
	swgpu_batch_fill(tvm_batch(&va), TVM_DATA_VA, size / 2, 0x1a1a1a1a);
	swgpu_batch_copy(&va.b, TVM_DATA_VA + size / 2 + 4, TVM_DATA_VA, size / 2 - 4);
	swgpu_batch_fill(tvm_batch(&vb), TVM_DATA_VA, size / 2, 0x1b1b1b1b);
	swgpu_batch_copy(&vb.b, TVM_DATA_VA + size / 2 + 4, TVM_DATA_VA, size / 2 - 4);
	{
		int f1 = tvm_submit(&va, NULL), f2 = tvm_submit(&vb, NULL);

		igt_assert_eq(fence_status(f1), 0);
		igt_assert_eq(fence_status(f2), 0);
	}
	igt_assert_bytes(a.map, size / 2, 0x1a);
	igt_assert_bytes(a.map + size / 2, 4, 0xaa);
	igt_assert_bytes(a.map + size / 2 + 4, size / 2 - 4, 0x1a);
	igt_assert_bytes(b.map, size / 2, 0x1b);
	igt_assert_bytes(b.map + size / 2, 4, 0xbb);
	igt_assert_bytes(b.map + size / 2 + 4, size / 2 - 4, 0x1b);
	/* What one VM maps, the other does not, even at the same va. */
	igt_assert_eq(swgpu_vm_unbind(fb, vb.id, TVM_DATA_VA, size), 0);
	tvm_store_fault(&vb, TVM_DATA_VA + 8, DRM_SWGPU_FAULT_WRITE);
	tvm_store_check(&va, TVM_DATA_VA + 8, &a, 8);
	igt_assert_bytes(b.map + 8, 4, 0x1b);
	igt_info("%s: isolation %s: ok\n", g->name, fa == fb ? "one file" : "two files");
	tvm_fini(&va);
	tvm_fini(&vb);
	buf_destroy(&a);
	buf_destroy(&b);
}

static void test_fault_isolation(struct gpu *g)
{
	struct swgpu_fault f;
	struct tvm a, b;
	int fa, fb;

	tvm_init(&a, g->fd);
	tvm_init(&b, g->fd);
	/* A faults while B has work queued behind it on the engine. */
	swgpu_batch_store_dword(tvm_batch(&a), TVM_DATA_VA, 1);
	swgpu_batch_store_dword(tvm_batch(&b), TVM_SCRATCH_VA + 8, 0xb0b);
	fa = tvm_submit(&a, NULL);
	fb = tvm_submit(&b, NULL);
	igt_assert_eq(fence_status(fa), -EFAULT);
	igt_assert_eq(fence_status(fb), 0);
	igt_assert_eq_u32(buf_dword(&b.scratch, 8), 0xb0b);
	tvm_get_fault(&b, &f);
	igt_assert_eq(f.count, 0);
	tvm_get_fault(&a, &f);
	igt_assert_eq(f.count, 1);
	tvm_assert_works(&b);
	tvm_assert_works(&a);
	tvm_fini(&a);
	tvm_fini(&b);
}

/*
 * An EXEC that fails submitted nothing: with no file descriptor left for
 * the out-fence it is -EMFILE, and the job did not run, took no seqno and
 * signalled no out-syncobj. The sync_file is made before the point of no
 * return for the same reason.
 */
static void test_fence_out_no_fd(struct gpu *g)
{
	uint32_t out;
	struct drm_gmmu_sync osync;
	struct drm_swgpu_exec e;
	struct rlimit old, lim;
	struct tvm v;
	int hole;

	tvm_init(&v, g->fd);
	igt_assert_eq(drmSyncobjCreate(g->fd, 0, &out), 0);
	swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA, 0xf00d);
	swgpu_batch_end(&v.b);
	osync = (struct drm_gmmu_sync){ .handle = out };
	memset(&e, 0, sizeof(e));
	e.submit.vm_id = v.id;
	e.batch_va = TVM_BATCH_VA;
	e.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT;
	e.submit.out_syncs = (uintptr_t)&osync;
	e.submit.out_sync_count = 1;
	e.submit.sync_stride = sizeof(osync);
	e.submit.out_fence_fd = 55;
	e.submit.seqno = 77;

	/* Every descriptor below the limit taken: the lowest free one is it. */
	hole = dup(0);
	igt_assert(hole >= 0);
	close(hole);
	igt_assert_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	lim = old;
	lim.rlim_cur = hole;
	igt_assert_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_EXEC, &e, EMFILE);
	igt_assert_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	igt_assert_eq(e.submit.out_fence_fd, 55);
	igt_assert_eq(e.submit.seqno, 77);
	/* The out-syncobj never got a fence: there is nothing to wait for. */
	igt_assert_eq(drmSyncobjWait(g->fd, &out, 1, 0, 0, NULL), -EINVAL);
	usleep(100 * 1000);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0);

	/* The same EXEC with a descriptor to spare is the queue's first job. */
	igt_assert_eq(swgpu_exec_ioctl(g->fd, &e), 0);
	igt_assert_eq(e.submit.seqno, 1);
	igt_assert_eq(fence_status(e.submit.out_fence_fd), 0);
	igt_assert_eq(drmSyncobjWait(g->fd, &out, 1, 0, 0, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 0), 0xf00d);
	drmSyncobjDestroy(g->fd, out);
	tvm_fini(&v);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_subtest("batch-builder")
		test_batch_builder();

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("store-dword")
		for (int i = 0; i < n; i++)
			test_store_dword(&gpus[i]);

	igt_subtest("fill")
		for (int i = 0; i < n; i++)
			test_fill(&gpus[i]);

	igt_subtest("fill-large")
		for (int i = 0; i < n; i++)
			test_fill_large(&gpus[i]);

	igt_subtest("copy-odd")
		for (int i = 0; i < n; i++)
			test_copy_odd(&gpus[i]);

	igt_subtest("copy-large")
		for (int i = 0; i < n; i++)
			test_copy_large(&gpus[i]);

	igt_subtest("nop")
		for (int i = 0; i < n; i++)
			test_nop(&gpus[i]);

	igt_subtest("end-stops")
		for (int i = 0; i < n; i++)
			test_end_stops(&gpus[i]);

	igt_subtest("batch-crosses-pages")
		for (int i = 0; i < n; i++)
			test_batch_crosses_pages(&gpus[i]);

	igt_subtest("seqno-and-fences")
		for (int i = 0; i < n; i++)
			test_seqno_fences(&gpus[i]);

	igt_subtest("in-order")
		for (int i = 0; i < n; i++)
			test_in_order(&gpus[i]);

	igt_subtest("fence-out-no-fd")
		for (int i = 0; i < n; i++)
			test_fence_out_no_fd(&gpus[i]);

	igt_subtest("no-out-fence")
		for (int i = 0; i < n; i++)
			test_no_fence(&gpus[i]);

	igt_subtest("eproto-unknown-opcode")
		for (int i = 0; i < n; i++)
			test_bad_opcode(&gpus[i]);

	igt_subtest("eproto-wrong-length-reserved-bits")
		for (int i = 0; i < n; i++)
			test_bad_length(&gpus[i]);

	igt_subtest("eproto-misaligned")
		for (int i = 0; i < n; i++)
			test_misaligned(&gpus[i]);

	igt_subtest("fault-unmapped")
		for (int i = 0; i < n; i++)
			test_faults(&gpus[i]);

	igt_subtest("isolation-one-file")
		for (int i = 0; i < n; i++)
			isolation(&gpus[i], gpus[i].fd, gpus[i].fd);

	igt_subtest("isolation-two-files") {
		for (int i = 0; i < n; i++) {
			int f2 = swgpu_open(gpus[i].slot, SWGPU_OPEN_RENDER);

			igt_assert(f2 >= 0);
			isolation(&gpus[i], gpus[i].fd, f2);
			close(f2);
		}
	}

	igt_subtest("fault-isolation")
		for (int i = 0; i < n; i++)
			test_fault_isolation(&gpus[i]);

	igt_subtest("bad-vm") {
		for (int i = 0; i < n; i++) {
			struct drm_swgpu_exec e = { .submit.vm_id = 0, .batch_va = TVM_BATCH_VA };
			uint32_t id;

			e.submit.seqno = 77;
			do_ioctl_err(gpus[i].fd, DRM_IOCTL_SWGPU_EXEC, &e, ENOENT);
			e.submit.vm_id = 0x7fffffff;
			do_ioctl_err(gpus[i].fd, DRM_IOCTL_SWGPU_EXEC, &e, ENOENT);
			igt_assert_eq(swgpu_vm_create(gpus[i].fd, &id), 0);
			igt_assert_eq(swgpu_vm_destroy(gpus[i].fd, id), 0);
			e.submit.vm_id = id;
			e.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT;
			e.submit.out_fence_fd = 55;
			do_ioctl_err(gpus[i].fd, DRM_IOCTL_SWGPU_EXEC, &e, ENOENT);
			igt_assert_eq(e.submit.out_fence_fd, 55);
			igt_assert_eq(e.submit.seqno, 77);
		}
	}

	igt_subtest("bad-flags-pad-extension") {
		for (int i = 0; i < n; i++) {
			struct drm_gmmu_user_extension ext = { .name = 1 };
			struct drm_swgpu_exec e, init;
			uint64_t seqno;
			struct tvm v;

			tvm_init(&v, gpus[i].fd);
			swgpu_batch_store_dword(tvm_batch(&v), TVM_SCRATCH_VA + 0x400, 0x0bad);
			swgpu_batch_end(&v.b);
			memset(&init, 0, sizeof(init));
			init.submit.vm_id = v.id;
			init.batch_va = TVM_BATCH_VA;
			init.submit.out_fence_fd = 55;
			init.submit.seqno = 77;
			for (unsigned int bit = 0; bit < 32; bit++) {
				if ((1u << bit) & (DRM_GMMU_SUBMIT_FENCE_OUT |
						   DRM_GMMU_SUBMIT_IMPLICIT_SYNC))
					continue;
				e = init;
				e.submit.flags = 1u << bit;
				do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
				e.submit.flags |= DRM_GMMU_SUBMIT_FENCE_OUT;
				do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
				igt_assert_eq(e.submit.out_fence_fd, 55);
				igt_assert_eq(e.submit.seqno, 77);
			}
			e = init;
			e.submit.pad = 1;
			do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
			e.submit.pad = 0x40000000;
			do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
			for (uint64_t a = 1; a < 4; a++) {
				e = init;
				e.batch_va += a;
				do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
			}
			e = init;
			e.extensions = (uintptr_t)&ext;
			do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_EXEC, &e, EINVAL);
			e.extensions = 8;
			do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_EXEC, &e, EFAULT);
			igt_assert_eq(e.submit.out_fence_fd, 55);
			igt_assert_eq(e.submit.seqno, 77);
			/* None of them ran or took a sequence number. */
			igt_assert_eq_u32(buf_dword(&v.scratch, 0x400), 0);
			tvm_batch(&v);
			igt_assert_eq(tvm_run(&v, &seqno), 0);
			igt_assert_eq(seqno, 1);
			igt_assert_eq_u32(buf_dword(&v.scratch, 0x400), 0);
			tvm_fini(&v);
		}
	}

	igt_fixture
		gpus_close(gpus, n);
}
