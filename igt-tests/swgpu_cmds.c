// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The engine's command set beyond the data path of swgpu_exec: BLIT with
 * odd pitches, sizes and pixel sizes against a CPU reference; TIMESTAMP
 * against the CPU's CLOCK_MONOTONIC_RAW; CRC32 against a CPU CRC-32 of the
 * test's own; every command in one batch; -EPROTO for each bad operand with
 * nothing written; a GPU page fault inside each new command, recorded at
 * the right address. Every subtest runs on every GPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "swgpu_igt.h"

#define SRC_VA		TVM_DATA_VA
#define DST_VA		(TVM_DATA_VA + 0x1000000)	/* +16 MiB */
#define RO_VA		(TVM_DATA_VA + 0x2000000)	/* read-only view of dst */
#define HOLE_VA		(TVM_DATA_VA + 0x4000000)	/* never mapped */
#define BUF_SIZE	(2ull << 20)

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
	igt_assert_eq(swgpu_vm_bind(g->fd, x->v.id, x->dst.handle, 0, RO_VA, size,
				    DRM_GMMU_VM_BIND_MAP_READONLY), 0);
}

static void xctx_fini(struct xctx *x)
{
	tvm_fini(&x->v);
	buf_destroy(&x->src);
	buf_destroy(&x->dst);
}

/* ---- CPU references ---- */

static void cpu_blit(uint8_t *dst, uint32_t dpitch, const uint8_t *src,
		     uint32_t spitch, uint32_t width, uint32_t height, uint32_t bpp)
{
	for (uint32_t r = 0; r < height; r++)
		memcpy(dst + (uint64_t)r * dpitch, src + (uint64_t)r * spitch,
		       (uint64_t)width * bpp);
}

static uint64_t clock_raw_ns(void)
{
	struct timespec ts;

	igt_assert_eq(clock_gettime(CLOCK_MONOTONIC_RAW, &ts), 0);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t buf_qword(const struct buf *b, uint64_t off)
{
	return *(volatile const uint64_t *)(b->map + off);
}

/* Offset of the first byte where @a and @b differ, or -1. */
static int64_t first_diff(const uint8_t *a, const uint8_t *b, uint64_t n)
{
	if (!memcmp(a, b, n))
		return -1;
	for (uint64_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (int64_t)i;
	return -1;
}

/* The job of the current batch fails with -EPROTO and records no fault. */
static void run_eproto(struct tvm *v, const char *what)
{
	struct swgpu_fault before, after;
	int ret;

	tvm_get_fault(v, &before);
	ret = tvm_run(v, NULL);
	igt_assert_f(ret == -EPROTO, "%s: fence status %d, expected -EPROTO\n", what, ret);
	tvm_get_fault(v, &after);
	igt_assert_eq(after.count, before.count);
}

/* The job of the current batch faults once, at @va with @access. */
static void run_efault(struct tvm *v, uint64_t va, uint32_t access, const char *what)
{
	struct swgpu_fault before, after;
	uint64_t seqno;
	int ret;

	tvm_get_fault(v, &before);
	ret = tvm_run(v, &seqno);
	igt_assert_f(ret == -EFAULT, "%s: fence status %d, expected -EFAULT\n", what, ret);
	tvm_get_fault(v, &after);
	igt_assert_eq(after.count, before.count + 1);
	igt_assert_f(after.va == va, "%s: fault va %#llx, expected %#llx\n", what,
		     (unsigned long long)after.va, (unsigned long long)va);
	igt_assert_f(after.access == access, "%s: fault access %#x, expected %#x\n", what,
		     after.access, access);
	igt_assert_eq_u64(after.seqno, seqno);
}

/* ---- batch builder ---- */

static void test_builder(void)
{
	uint32_t mem[40];
	struct swgpu_batch b;
	static const uint32_t want[] = {
		0x0500000a, 0x89abcdef, 0x01234567, 0x00001001, 0x2, 4097, 5003, 7, 3, 16,
		0x06000008, 0x00001008, 0x1, 0x55667788, 0x11223344, 0xffffffff, 0, 5,
		0x07000005, 0x00002000, 0, 0xcafef00d, 0xdeadbeef,
		0x08000003, 0x00003008, 0x7,
		0x09000007, 0x00004004, 0, 0x00005001, 0x9, 0x100003, 0x1,
	};

	memset(mem, 0xee, sizeof(mem));
	swgpu_batch_init(&b, mem, 0x100000, sizeof(mem));
	igt_assert_eq(swgpu_batch_blit(&b, 0x0123456789abcdefull, 4097, 0x200001001ull, 5003,
				       7, 3, 16), 0);
	igt_assert_eq(swgpu_batch_sem_wait(&b, 0x100001008ull, 0x1122334455667788ull,
					   0xffffffffull, SWGPU_SEM_COMPARE_LTE), 0);
	igt_assert_eq(swgpu_batch_sem_signal(&b, 0x2000, 0xdeadbeefcafef00dull), 0);
	igt_assert_eq(swgpu_batch_timestamp(&b, 0x700003008ull), 0);
	igt_assert_eq(swgpu_batch_crc32(&b, 0x4004, 0x900005001ull, 0x100100003ull), 0);
	igt_assert_eq(swgpu_batch_bytes(&b), sizeof(want));
	for (unsigned int i = 0; i < sizeof(want) / 4; i++)
		igt_assert_f(mem[i] == want[i], "dword %u: %#x, expected %#x\n", i, mem[i],
			     want[i]);
	igt_assert_eq_u32(mem[sizeof(want) / 4], 0xeeeeeeee);
	/* 7 dwords left: BLIT (10) does not fit and writes nothing. */
	igt_assert_eq(swgpu_batch_blit(&b, 1, 1, 2, 1, 1, 1, 1), -ENOSPC);
	igt_assert_eq_u32(mem[sizeof(want) / 4], 0xeeeeeeee);
}

/* ---- BLIT ---- */

struct blit_case {
	uint64_t doff, soff;
	uint32_t dpitch, spitch, width, height, bpp;
};

static void blit_check(struct xctx *x, const struct blit_case *c, uint8_t *ref, uint32_t seed)
{
	int64_t d;
	int ret;

	pattern_fill(x->src.map, BUF_SIZE, seed);
	memset(x->dst.map, 0xee, BUF_SIZE);
	memset(ref, 0xee, BUF_SIZE);
	cpu_blit(ref + c->doff, c->dpitch, x->src.map + c->soff, c->spitch, c->width,
		 c->height, c->bpp);
	swgpu_batch_blit(tvm_batch(&x->v), DST_VA + c->doff, c->dpitch, SRC_VA + c->soff,
			 c->spitch, c->width, c->height, c->bpp);
	ret = tvm_run(&x->v, NULL);
	igt_assert_f(ret == 0, "%s: blit %ux%u bpp %u: fence status %d\n", x->g->name,
		     c->width, c->height, c->bpp, ret);
	d = first_diff(x->dst.map, ref, BUF_SIZE);
	igt_assert_f(d < 0, "%s: blit %ux%u bpp %u pitches %u/%u at +%llu/+%llu: "
		     "dst byte %lld is %#x, expected %#x\n", x->g->name, c->width, c->height,
		     c->bpp, c->dpitch, c->spitch, (unsigned long long)c->doff,
		     (unsigned long long)c->soff, (long long)d, d < 0 ? 0 : x->dst.map[d],
		     d < 0 ? 0 : ref[d]);
	igt_assert_pattern(x->src.map, BUF_SIZE, seed, 0);
}

static void test_blit(struct gpu *g)
{
	static const struct blit_case cases[] = {
		/* doff, soff, dpitch, spitch, width, height, bpp */
		{ 1, 3, 4097, 5003, 4097, 9, 1 },	/* rows cross pages */
		{ 4000, 3, 5003, 4097, 200, 9, 1 },	/* short rows, some cross */
		{ 0, 0, 5003, 4097, 3, 7, 1 },		/* 3x7 */
		{ 4095, 2, 13, 1999, 1, 1000, 1 },	/* 1xN */
		{ 7, 4093, 20000, 20000, 20000, 1, 1 },	/* Nx1 */
		{ 5, 9, 16 * 33 + 7, 16 * 40 + 1, 33, 19, 16 },
		{ 3, 7, 301, 255, 100, 11, 2 },
		{ 2, 1, 4099, 1025 * 4 + 3, 1024, 5, 4 },
		{ 0, 8189, 8 * 513, 8 * 600 + 5, 513, 6, 8 },
		{ 4096, 0, 4096, 4096, 1024, 40, 4 },	/* packed, page-aligned */
		{ 1, 1, 1, 1, 1, 1, 1 },
		{ 100, 200, 40000, 3, 3, 50, 1 },	/* pitches differ a lot */
	};
	uint8_t *ref = malloc(BUF_SIZE);
	struct xctx x;

	igt_assert(ref);
	xctx_init(&x, g, BUF_SIZE);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		blit_check(&x, &cases[i], ref, i + 1);
	/* Zero width or height: a no-op that succeeds. */
	memset(x.dst.map, 0xee, BUF_SIZE);
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 100, SRC_VA, 100, 0, 10, 4);
	swgpu_batch_blit(&x.v.b, DST_VA, 100, SRC_VA, 100, 10, 0, 4);
	swgpu_batch_blit(&x.v.b, DST_VA, 0, SRC_VA, 0, 0, 0, 16);
	/* Zero height skips the span checks too: the same address is fine. */
	swgpu_batch_blit(&x.v.b, DST_VA, 100, DST_VA, 100, 10, 0, 4);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	igt_assert_bytes(x.dst.map, BUF_SIZE, 0xee);
	/* Inside one BO, spans next to each other (not overlapping), two ways. */
	pattern_fill(x.dst.map, BUF_SIZE, 77);
	memcpy(ref, x.dst.map, BUF_SIZE);
	/* src span [0, 2*301+100) ends where dst starts. */
	cpu_blit(ref + 702, 301, ref, 301, 100, 3, 1);
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA + 702, 301, DST_VA, 301, 100, 3, 1);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	igt_assert_f(first_diff(x.dst.map, ref, BUF_SIZE) < 0, "%s: adjacent blit\n", g->name);
	cpu_blit(ref + 5000, 17, ref + 5000 + 16 * 17 + 4 * 4, 17, 4, 17, 4);
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA + 5000, 17, DST_VA + 5000 + 16 * 17 + 16, 17,
			 4, 17, 4);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	igt_assert_f(first_diff(x.dst.map, ref, BUF_SIZE) < 0, "%s: adjacent blit 2\n",
		     g->name);
	xctx_fini(&x);
	free(ref);
}

static void test_blit_reject(struct gpu *g)
{
	static const uint32_t bad_bpp[] = { 0, 3, 5, 6, 7, 12, 32, 0x101, 0x80000001 };
	struct xctx x;

	xctx_init(&x, g, BUF_SIZE);
	pattern_fill(x.src.map, BUF_SIZE, 5);
	memset(x.dst.map, 0xee, BUF_SIZE);
	for (unsigned int i = 0; i < sizeof(bad_bpp) / sizeof(bad_bpp[0]); i++) {
		swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 4096, SRC_VA, 4096, 4, 4, bad_bpp[i]);
		run_eproto(&x.v, "blit bad bpp");
	}
	/* A pitch one byte short of a row, on either side. */
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 4 * 10 - 1, SRC_VA, 40, 10, 3, 4);
	run_eproto(&x.v, "blit dst pitch < row");
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 40, SRC_VA, 4 * 10 - 1, 10, 3, 4);
	run_eproto(&x.v, "blit src pitch < row");
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 0, SRC_VA, 0, 1, 1, 1);
	run_eproto(&x.v, "blit zero pitch");
	/* Width * bpp above 32 bits cannot fit any pitch. */
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 0xffffffff, SRC_VA, 0xffffffff,
			 0x10000000, 1, 16);
	run_eproto(&x.v, "blit huge row");
	/* Overlapping spans: rows interleave, same rectangle, one byte shared. */
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA + 100, 4096, DST_VA, 4096, 10, 4, 1);
	run_eproto(&x.v, "blit interleaved");
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 64, DST_VA, 64, 16, 4, 4);
	run_eproto(&x.v, "blit same");
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA + 2 * 301 + 100 - 1, 301, DST_VA, 301, 100,
			 3, 1);
	run_eproto(&x.v, "blit last byte shared");
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 301, DST_VA + 2 * 301 + 100 - 1, 301, 100,
			 3, 1);
	run_eproto(&x.v, "blit first byte shared");
	/* A span that wraps around the address space. */
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 4096, ~0ull - 4096, 4096, 16, 3, 1);
	run_eproto(&x.v, "blit src wraps");
	swgpu_batch_blit(tvm_batch(&x.v), ~0ull - 10, 4096, SRC_VA, 4096, 16, 1, 1);
	run_eproto(&x.v, "blit dst wraps");
	/* A bad BLIT after a good one: the good one ran, the job still fails. */
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA + 8192, 8, SRC_VA, 8, 8, 2, 1);
	swgpu_batch_blit(&x.v.b, DST_VA, 4, SRC_VA, 8, 8, 2, 1);
	run_eproto(&x.v, "blit after blit");
	igt_assert_pattern(x.dst.map + 8192, 8, 5, 0);
	igt_assert_pattern(x.dst.map + 8200, 8, 5, 8);
	igt_assert_bytes(x.dst.map, 8192, 0xee);
	igt_assert_bytes(x.dst.map + 8208, BUF_SIZE - 8208, 0xee);
	igt_assert_pattern(x.src.map, BUF_SIZE, 5, 0);
	tvm_assert_works(&x.v);
	xctx_fini(&x);
}

/* ---- TIMESTAMP ---- */

static void test_timestamp(struct gpu *g)
{
	uint64_t t0, t1, t2, a, b, c;
	struct xctx x;
	int f1, f2;

	xctx_init(&x, g, BUF_SIZE);
	memset(x.dst.map, 0xee, BUF_SIZE);
	t0 = clock_raw_ns();
	swgpu_batch_timestamp(tvm_batch_at(&x.v, 0), DST_VA + 8);
	/* Work between the two: they must differ. */
	swgpu_batch_fill(&x.v.b, DST_VA + 4096, 1 << 20, 0x12345678);
	swgpu_batch_timestamp(&x.v.b, DST_VA + 16);
	f1 = tvm_submit(&x.v, NULL);
	swgpu_batch_timestamp(tvm_batch_at(&x.v, 4096), DST_VA + 4088);
	f2 = tvm_submit(&x.v, NULL);
	igt_assert_eq(fence_status(f1), 0);
	t1 = clock_raw_ns();
	igt_assert_eq(fence_status(f2), 0);
	t2 = clock_raw_ns();
	a = buf_qword(&x.dst, 8);
	b = buf_qword(&x.dst, 16);
	c = buf_qword(&x.dst, 4088);
	igt_info("%s: t0 %llu, ts %llu +%llu ns, next job +%llu ns, t2 +%llu ns\n", g->name,
		 (unsigned long long)t0, (unsigned long long)a,
		 (unsigned long long)(b - a), (unsigned long long)(c - b),
		 (unsigned long long)(t2 - c));
	igt_assert_f(t0 <= a && a < b && b <= t1, "%s: %llu <= %llu < %llu <= %llu is false\n",
		     g->name, (unsigned long long)t0, (unsigned long long)a,
		     (unsigned long long)b, (unsigned long long)t1);
	igt_assert_f(b <= c && c <= t2, "%s: %llu <= %llu <= %llu is false\n", g->name,
		     (unsigned long long)b, (unsigned long long)c, (unsigned long long)t2);
	/* 8 bytes each, nothing around them. */
	igt_assert_bytes(x.dst.map, 8, 0xee);
	igt_assert_bytes(x.dst.map + 24, 4096 - 24 - 8, 0xee);
	igt_assert_bytes(x.dst.map + 4096 + (1 << 20), BUF_SIZE - 4096 - (1 << 20), 0xee);
	/* Misaligned: -EPROTO, nothing written. */
	for (uint64_t off = 1; off < 8; off++) {
		swgpu_batch_timestamp(tvm_batch(&x.v), DST_VA + 64 + off);
		run_eproto(&x.v, "timestamp misaligned");
	}
	igt_assert_bytes(x.dst.map + 64, 16, 0xee);
	xctx_fini(&x);
}

/* ---- CRC32 ---- */

static void test_crc32(struct gpu *g)
{
	static const uint64_t cases[][2] = {	/* src offset, length */
		{ 0, 0 }, { 3, 0 }, { 0, 1 }, { 4095, 1 }, { 1, 4 }, { 1, 4095 },
		{ 4093, 4097 }, { 0, 4096 }, { 5, 1 << 20 }, { 4095, (1 << 20) + 3 },
		{ 1, BUF_SIZE - 1 },
	};
	const unsigned int n = sizeof(cases) / sizeof(cases[0]);
	static const char check[] = "123456789";
	struct xctx x;

	/* The reference itself: zlib's check value. */
	igt_assert_eq_u32(cpu_crc32((const uint8_t *)check, 9), 0xcbf43926);
	xctx_init(&x, g, BUF_SIZE);
	pattern_fill(x.src.map, BUF_SIZE, 31);
	memset(x.dst.map, 0xee, BUF_SIZE);
	tvm_batch(&x.v);
	for (unsigned int i = 0; i < n; i++)
		swgpu_batch_crc32(&x.v.b, DST_VA + 4 + 8 * i, SRC_VA + cases[i][0], cases[i][1]);
	/* The check string, placed by the CPU at an odd address. */
	memcpy(x.src.map + BUF_SIZE - 4096 + 7, check, 9);
	swgpu_batch_crc32(&x.v.b, DST_VA + 4092, SRC_VA + BUF_SIZE - 4096 + 7, 9);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	for (unsigned int i = 0; i < n; i++) {
		uint32_t want = cpu_crc32(x.src.map + cases[i][0], cases[i][1]);

		igt_assert_f(buf_dword(&x.dst, 4 + 8 * i) == want,
			     "%s: crc32 of %llu bytes at +%llu: %#x, expected %#x\n", g->name,
			     (unsigned long long)cases[i][1], (unsigned long long)cases[i][0],
			     buf_dword(&x.dst, 4 + 8 * i), want);
		igt_assert_bytes(x.dst.map + 8 * i, 4, 0xee);
	}
	igt_assert_eq_u32(buf_dword(&x.dst, 4092), 0xcbf43926);
	igt_assert_bytes(x.dst.map + 8 * n, 4092 - 8 * n, 0xee);
	igt_assert_bytes(x.dst.map + 4096, BUF_SIZE - 4096, 0xee);
	/* The GPU sees bytes the GPU wrote: CRC of a FILL in the same batch. */
	swgpu_batch_fill(tvm_batch(&x.v), SRC_VA + 8, 4096, 0);
	swgpu_batch_crc32(&x.v.b, DST_VA + 8192, SRC_VA + 8, 4096);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	igt_assert_bytes(x.src.map + 8, 4096, 0);
	igt_assert_eq_u32(buf_dword(&x.dst, 8192), cpu_crc32(x.src.map + 8, 4096));
	/* A misaligned destination: -EPROTO before reading anything. */
	for (uint64_t off = 1; off < 4; off++) {
		swgpu_batch_crc32(tvm_batch(&x.v), DST_VA + 8192 + 64 + off, SRC_VA, 16);
		run_eproto(&x.v, "crc32 misaligned");
	}
	igt_assert_bytes(x.dst.map + 8192 + 64, 8, 0xee);
	xctx_fini(&x);
}

/* ---- every command in one batch ---- */

static void test_every_command(struct gpu *g)
{
	uint64_t t0, t1, ts;
	uint8_t ref[64 * 64];
	struct swgpu_batch *b;
	struct xctx x;

	xctx_init(&x, g, BUF_SIZE);
	pattern_fill(x.src.map, BUF_SIZE, 9);
	memset(x.dst.map, 0xee, BUF_SIZE);
	b = tvm_batch(&x.v);
	swgpu_batch_nop(b);
	swgpu_batch_store_dword(b, DST_VA, 0x5707e);
	swgpu_batch_fill(b, DST_VA + 4096, 8192, 0xf1f1f1f1);
	swgpu_batch_copy(b, DST_VA + 16384 + 1, SRC_VA + 3, 5000);
	swgpu_batch_blit(b, DST_VA + 32768, 64, SRC_VA + 1, 100, 8, 64, 1);
	swgpu_batch_sem_signal(b, DST_VA + 40, 0x5e4a5e4a00000001ull);
	/* The signal just written satisfies it: the batch goes on. */
	swgpu_batch_sem_wait(b, DST_VA + 40, 1, 0xffffffff, SWGPU_SEM_COMPARE_EQ);
	swgpu_batch_timestamp(b, DST_VA + 48);
	/* CRC of the COPY's result: commands see the effects of earlier ones. */
	swgpu_batch_crc32(b, DST_VA + 56, DST_VA + 16384 + 1, 5000);
	swgpu_batch_nop(b);
	swgpu_batch_end(b);
	swgpu_batch_store_dword(b, DST_VA + 60, 0xdead);	/* after END */
	t0 = clock_raw_ns();
	igt_assert_eq(tvm_run(&x.v, NULL), 0);
	t1 = clock_raw_ns();

	igt_assert_eq_u32(buf_dword(&x.dst, 0), 0x5707e);
	igt_assert_bytes(x.dst.map + 4, 36, 0xee);
	igt_assert_eq_u64(buf_qword(&x.dst, 40), 0x5e4a5e4a00000001ull);
	ts = buf_qword(&x.dst, 48);
	igt_assert(t0 <= ts && ts <= t1);
	igt_assert_eq_u32(buf_dword(&x.dst, 56), cpu_crc32(x.src.map + 3, 5000));
	igt_assert_bytes(x.dst.map + 60, 4096 - 60, 0xee);
	for (uint64_t i = 4096; i < 4096 + 8192; i += 4)
		igt_assert_eq_u32(buf_dword(&x.dst, i), 0xf1f1f1f1);
	igt_assert_bytes(x.dst.map + 12288, 16384 + 1 - 12288, 0xee);
	igt_assert_pattern(x.dst.map + 16384 + 1, 5000, 9, 3);
	igt_assert_bytes(x.dst.map + 16384 + 5001, 32768 - 16384 - 5001, 0xee);
	memset(ref, 0xee, sizeof(ref));
	cpu_blit(ref, 64, x.src.map + 1, 100, 8, 64, 1);
	igt_assert(first_diff(x.dst.map + 32768, ref, sizeof(ref)) < 0);
	igt_assert_bytes(x.dst.map + 32768 + sizeof(ref), BUF_SIZE - 32768 - sizeof(ref), 0xee);
	xctx_fini(&x);
}

/* ---- malformed headers of the new commands ---- */

static void test_bad_headers(struct gpu *g)
{
	static const uint32_t cmds[][2] = {
		{ SWGPU_CMD_BLIT, SWGPU_CMD_BLIT_LEN },
		{ SWGPU_CMD_SEMAPHORE_WAIT, SWGPU_CMD_SEMAPHORE_WAIT_LEN },
		{ SWGPU_CMD_SEMAPHORE_SIGNAL, SWGPU_CMD_SEMAPHORE_SIGNAL_LEN },
		{ SWGPU_CMD_TIMESTAMP, SWGPU_CMD_TIMESTAMP_LEN },
		{ SWGPU_CMD_CRC32, SWGPU_CMD_CRC32_LEN },
	};
	struct tvm v;

	tvm_init(&v, g->fd);
	for (unsigned int i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const uint32_t op = cmds[i][0], len = cmds[i][1];
		const uint32_t bad[] = { 0, 1, len - 1, len + 1, 0xffff };
		/*
		 * Operands that are valid for every one of them: 8-byte
		 * aligned scratch addresses, a satisfied EQ wait on zero, a
		 * 4x4 BLIT of 1-byte pixels, a 16-byte CRC.
		 */
		uint32_t dw[16] = {
			0, (uint32_t)TVM_SCRATCH_VA, 0, (uint32_t)TVM_SCRATCH_VA + 64, 0,
			16, 16, 4, 4, 1, 0, 0, 0, 0, 0, 0,
		};

		if (op == SWGPU_CMD_SEMAPHORE_WAIT) {
			dw[3] = 0;	/* operand 0, mask 0xffffffff, EQ */
			dw[5] = 0xffffffff;
			dw[6] = 0;
			dw[7] = SWGPU_SEM_COMPARE_EQ;
		}
		if (op == SWGPU_CMD_CRC32) {
			dw[3] = (uint32_t)TVM_SCRATCH_VA + 64;
			dw[5] = 16;
			dw[6] = 0;
		}
		/* Well-formed, it runs. */
		dw[0] = SWGPU_CMD_HEADER(op, len);
		igt_assert_eq(swgpu_batch_dwords(tvm_batch(&v), dw, len), 0);
		igt_assert_f(tvm_run(&v, NULL) == 0, "op %#x: good command failed\n", op);
		for (unsigned int k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			if (bad[k] == len)
				continue;
			dw[0] = SWGPU_CMD_HEADER(op, bad[k]);
			igt_assert_eq(swgpu_batch_dwords(tvm_batch(&v), dw, 11), 0);
			run_eproto(&v, "wrong length");
		}
		for (unsigned int bit = 16; bit < 24; bit++) {
			dw[0] = SWGPU_CMD_HEADER(op, len) | (1u << bit);
			igt_assert_eq(swgpu_batch_dwords(tvm_batch(&v), dw, len), 0);
			run_eproto(&v, "reserved header bit");
		}
		tvm_assert_works(&v);
	}
	tvm_fini(&v);
}

/* ---- faults inside the new commands ---- */

static void test_faults(struct gpu *g)
{
	const uint32_t w = DRM_SWGPU_FAULT_WRITE, r = DRM_SWGPU_FAULT_READ;
	uint8_t *ref = malloc(BUF_SIZE);
	struct xctx x;
	int64_t d;

	igt_assert(ref);
	xctx_init(&x, g, BUF_SIZE);
	pattern_fill(x.src.map, BUF_SIZE, 3);
	memset(x.dst.map, 0xee, BUF_SIZE);

	swgpu_batch_blit(tvm_batch(&x.v), DST_VA, 64, HOLE_VA + 0x11, 64, 8, 2, 4);
	run_efault(&x.v, HOLE_VA + 0x11, r, "blit from a hole");
	swgpu_batch_blit(tvm_batch(&x.v), HOLE_VA + 0x1235, 64, SRC_VA, 64, 8, 2, 4);
	run_efault(&x.v, HOLE_VA + 0x1235, w, "blit to a hole");
	/*
	 * The third row of the destination starts past the end of its BO:
	 * rows 0 and 1 land, then the fault at the first byte of row 2.
	 */
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA + BUF_SIZE - 2 * 4096 + 5, 4096,
			 SRC_VA + 1, 4000, 10, 3, 1);
	run_efault(&x.v, DST_VA + BUF_SIZE + 5, w, "blit off the end");
	igt_assert_pattern(x.dst.map + BUF_SIZE - 2 * 4096 + 5, 10, 3, 1);
	igt_assert_pattern(x.dst.map + BUF_SIZE - 4096 + 5, 10, 3, 4001);
	/* A row that crosses into the hole: the fault at the first byte past. */
	swgpu_batch_blit(tvm_batch(&x.v), DST_VA + 100000, 4096, SRC_VA + BUF_SIZE - 3, 4096,
			 10, 1, 1);
	run_efault(&x.v, SRC_VA + BUF_SIZE, r, "blit row crosses the end");
	swgpu_batch_blit(tvm_batch(&x.v), RO_VA + 4096, 64, SRC_VA, 64, 8, 2, 4);
	run_efault(&x.v, RO_VA + 4096, w | DRM_SWGPU_FAULT_PROTECTION, "blit to read-only");

	swgpu_batch_timestamp(tvm_batch(&x.v), HOLE_VA + 0x2008);
	run_efault(&x.v, HOLE_VA + 0x2008, w, "timestamp to a hole");
	swgpu_batch_timestamp(tvm_batch(&x.v), RO_VA + 0x2008);
	run_efault(&x.v, RO_VA + 0x2008, w | DRM_SWGPU_FAULT_PROTECTION, "timestamp to read-only");

	swgpu_batch_crc32(tvm_batch(&x.v), DST_VA, HOLE_VA + 0x3003, 100);
	run_efault(&x.v, HOLE_VA + 0x3003, r, "crc32 of a hole");
	swgpu_batch_crc32(tvm_batch(&x.v), DST_VA, SRC_VA + BUF_SIZE - 4096 - 1, 8192);
	run_efault(&x.v, SRC_VA + BUF_SIZE, r, "crc32 off the end");
	swgpu_batch_crc32(tvm_batch(&x.v), HOLE_VA + 0x4004, SRC_VA + 1, 100);
	run_efault(&x.v, HOLE_VA + 0x4004, w, "crc32 to a hole");
	swgpu_batch_crc32(tvm_batch(&x.v), RO_VA + 0x4004, SRC_VA + 1, 100);
	run_efault(&x.v, RO_VA + 0x4004, w | DRM_SWGPU_FAULT_PROTECTION, "crc32 to read-only");

	swgpu_batch_sem_signal(tvm_batch(&x.v), HOLE_VA + 0x5008, 1);
	run_efault(&x.v, HOLE_VA + 0x5008, w, "signal to a hole");
	swgpu_batch_sem_signal(tvm_batch(&x.v), RO_VA + 0x5008, 1);
	run_efault(&x.v, RO_VA + 0x5008, w | DRM_SWGPU_FAULT_PROTECTION, "signal to read-only");
	swgpu_batch_sem_wait(tvm_batch(&x.v), HOLE_VA + 0x6010, 0, ~0ull, SWGPU_SEM_COMPARE_EQ);
	run_efault(&x.v, HOLE_VA + 0x6010, r, "wait on a hole");
	/* A read-only semaphore is fine to wait on. */
	swgpu_batch_sem_wait(tvm_batch(&x.v), RO_VA + 0x6010, 0xeeeeeeeeeeeeeeeeull, ~0ull,
			     SWGPU_SEM_COMPARE_EQ);
	igt_assert_eq(tvm_run(&x.v, NULL), 0);

	/*
	 * Only what came before each fault was written: two BLIT rows, and
	 * the first page's worth of the row that crossed into the hole.
	 */
	memset(ref, 0xee, BUF_SIZE);
	memcpy(ref + BUF_SIZE - 2 * 4096 + 5, x.src.map + 1, 10);
	memcpy(ref + BUF_SIZE - 4096 + 5, x.src.map + 4001, 10);
	memcpy(ref + 100000, x.src.map + BUF_SIZE - 3, 3);
	d = first_diff(x.dst.map, ref, BUF_SIZE);
	igt_assert_f(d < 0, "%s: dst byte %lld is %#x, expected %#x\n", g->name, (long long)d,
		     d < 0 ? 0 : x.dst.map[d], d < 0 ? 0 : ref[d]);
	free(ref);
	tvm_assert_works(&x.v);
	xctx_fini(&x);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_subtest("batch-builder")
		test_builder();

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("every-command")
		for (int i = 0; i < n; i++)
			test_every_command(&gpus[i]);

	igt_subtest("blit")
		for (int i = 0; i < n; i++)
			test_blit(&gpus[i]);

	igt_subtest("blit-reject")
		for (int i = 0; i < n; i++)
			test_blit_reject(&gpus[i]);

	igt_subtest("timestamp")
		for (int i = 0; i < n; i++)
			test_timestamp(&gpus[i]);

	igt_subtest("crc32")
		for (int i = 0; i < n; i++)
			test_crc32(&gpus[i]);

	igt_subtest("eproto-wrong-length-reserved-bits")
		for (int i = 0; i < n; i++)
			test_bad_headers(&gpus[i]);

	igt_subtest("faults")
		for (int i = 0; i < n; i++)
			test_faults(&gpus[i]);

	igt_fixture
		gpus_close(gpus, n);
}
