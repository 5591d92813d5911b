// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * SEMAPHORE_WAIT and SEMAPHORE_SIGNAL: a wait already satisfied; every
 * compare op true and false, masks and unsigned extremes; a wait satisfied
 * by another queue whose work was submitted first, whose data the waiter
 * then reads; a wait that never comes true, ended by the watchdog while
 * other queues keep working; -EPROTO and faults. Every subtest runs on
 * every GPU. Waits only ever depend on work already submitted (dma-buf
 * rules forbid future fences), or on nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "swgpu_dfs.h"

#define SHARED_VA	TVM_DATA_VA
#define SHARED_SIZE	(1ull << 20)
#define BIG_VA		(TVM_DATA_VA + 0x1000000)	/* +16 MiB */
#define BIG_SIZE	(16ull << 20)
#define OUT_VA		(TVM_DATA_VA + 0x2000000)	/* +32 MiB */
#define HOLE_VA		(TVM_DATA_VA + 0x4000000)
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t buf_qword(const struct buf *b, uint64_t off)
{
	return *(volatile const uint64_t *)(b->map + off);
}

static void buf_set_qword(struct buf *b, uint64_t off, uint64_t v)
{
	*(volatile uint64_t *)(b->map + off) = v;
}

struct sem_case {
	uint64_t mem, operand, mask;
	uint32_t op;
	bool holds;
};

static const struct sem_case sem_cases[] = {
	{ 5, 5, ~0ull, SWGPU_SEM_COMPARE_EQ, true },
	{ 5, 6, ~0ull, SWGPU_SEM_COMPARE_EQ, false },
	{ 0x100000005ull, 5, ~0ull, SWGPU_SEM_COMPARE_EQ, false },	/* high dword counts */
	{ 0x100000005ull, 5, 0xffffffff, SWGPU_SEM_COMPARE_EQ, true },	/* unless masked */
	{ 0xab00000000000007ull, 0xcd00000000000007ull, 0xff, SWGPU_SEM_COMPARE_EQ, true },
	{ 5, 6, ~0ull, SWGPU_SEM_COMPARE_NE, true },
	{ 5, 5, ~0ull, SWGPU_SEM_COMPARE_NE, false },
	{ 0x100, 0x1ff, 0xff, SWGPU_SEM_COMPARE_NE, true },
	{ 0x100, 0x200, 0xff, SWGPU_SEM_COMPARE_NE, false },
	{ 7, 6, ~0ull, SWGPU_SEM_COMPARE_GT, true },
	{ 6, 6, ~0ull, SWGPU_SEM_COMPARE_GT, false },
	{ 5, 6, ~0ull, SWGPU_SEM_COMPARE_GT, false },
	{ 1ull << 63, 1, ~0ull, SWGPU_SEM_COMPARE_GT, true },		/* unsigned */
	{ 6, 6, ~0ull, SWGPU_SEM_COMPARE_GTE, true },
	{ ~0ull, 0, ~0ull, SWGPU_SEM_COMPARE_GTE, true },
	{ 5, 6, ~0ull, SWGPU_SEM_COMPARE_GTE, false },
	{ 1, ~0ull, ~0ull, SWGPU_SEM_COMPARE_GTE, false },
	{ 5, 6, ~0ull, SWGPU_SEM_COMPARE_LT, true },
	{ 1, 1ull << 63, ~0ull, SWGPU_SEM_COMPARE_LT, true },		/* unsigned */
	{ 6, 6, ~0ull, SWGPU_SEM_COMPARE_LT, false },
	{ 7, 6, ~0ull, SWGPU_SEM_COMPARE_LT, false },
	{ 6, 6, ~0ull, SWGPU_SEM_COMPARE_LTE, true },
	{ 0, ~0ull, ~0ull, SWGPU_SEM_COMPARE_LTE, true },
	{ 7, 6, ~0ull, SWGPU_SEM_COMPARE_LTE, false },
	{ ~0ull, ~0ull - 1, ~0ull, SWGPU_SEM_COMPARE_LTE, false },
	/* A zero mask compares 0 with 0. */
	{ 1, 2, 0, SWGPU_SEM_COMPARE_EQ, true },
	{ 1, 2, 0, SWGPU_SEM_COMPARE_LT, false },
};

#define N_SEM_CASES	(sizeof(sem_cases) / sizeof(sem_cases[0]))

static void test_already_satisfied(struct gpu *g)
{
	struct swgpu_batch *b;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_set_qword(&v.scratch, 8, 42);
	b = tvm_batch(&v);
	swgpu_batch_sem_wait(b, TVM_SCRATCH_VA + 8, 42, ~0ull, SWGPU_SEM_COMPARE_EQ);
	swgpu_batch_store_dword(b, TVM_SCRATCH_VA + 16, 0x5a7);
	/* A SIGNAL then a WAIT on it in the same batch. */
	swgpu_batch_sem_signal(b, TVM_SCRATCH_VA + 24, 0x123456789abcdef0ull);
	swgpu_batch_sem_wait(b, TVM_SCRATCH_VA + 24, 0x123456789abcdef0ull, ~0ull,
			     SWGPU_SEM_COMPARE_EQ);
	swgpu_batch_store_dword(b, TVM_SCRATCH_VA + 32, 0x5a8);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v.scratch, 16), 0x5a7);
	igt_assert_eq_u64(buf_qword(&v.scratch, 24), 0x123456789abcdef0ull);
	igt_assert_eq_u32(buf_dword(&v.scratch, 32), 0x5a8);
	igt_assert_eq_u64(buf_qword(&v.scratch, 8), 42);
	igt_assert_bytes(v.scratch.map + 36, 2048 - 36, 0);
	tvm_fini(&v);
}

/* Every case that holds, in one batch: the job must finish. */
static void test_compare_true(struct gpu *g)
{
	struct swgpu_batch *b;
	unsigned int i;
	struct tvm v;

	tvm_init(&v, g->fd);
	b = tvm_batch(&v);
	for (i = 0; i < N_SEM_CASES; i++) {
		if (!sem_cases[i].holds)
			continue;
		buf_set_qword(&v.scratch, 8 * i, sem_cases[i].mem);
		swgpu_batch_sem_wait(b, TVM_SCRATCH_VA + 8 * i, sem_cases[i].operand,
				     sem_cases[i].mask, sem_cases[i].op);
		swgpu_batch_store_dword(b, TVM_SCRATCH_VA + 2048 + 4 * i, 0x700 + i);
	}
	igt_assert_eq(tvm_run(&v, NULL), 0);
	for (i = 0; i < N_SEM_CASES; i++)
		igt_assert_eq_u32(buf_dword(&v.scratch, 2048 + 4 * i),
				  sem_cases[i].holds ? 0x700 + i : 0);
	tvm_fini(&v);
}

/*
 * Every case that does not hold, each on its own queue, all at once: each
 * waits until the watchdog, and the store behind the wait never happens.
 */
static void test_compare_false(struct gpu *g)
{
	const int watchdog = 500;
	struct tvm v[N_SEM_CASES];
	int fence[N_SEM_CASES];
	unsigned int i, n = 0;
	uint64_t t0, t;

	watchdog_set(watchdog);
	for (i = 0; i < N_SEM_CASES; i++) {
		if (sem_cases[i].holds)
			continue;
		tvm_init(&v[i], g->fd);
		buf_set_qword(&v[i].scratch, 8, sem_cases[i].mem);
		swgpu_batch_sem_wait(tvm_batch(&v[i]), TVM_SCRATCH_VA + 8, sem_cases[i].operand,
				     sem_cases[i].mask, sem_cases[i].op);
		swgpu_batch_store_dword(&v[i].b, TVM_SCRATCH_VA + 16, 0xbad);
	}
	t0 = now_ms();
	for (i = 0; i < N_SEM_CASES; i++)
		if (!sem_cases[i].holds) {
			fence[i] = tvm_submit(&v[i], NULL);
			n++;
		}
	for (i = 0; i < N_SEM_CASES; i++) {
		int ret;

		if (sem_cases[i].holds)
			continue;
		ret = fence_status(fence[i]);
		igt_assert_f(ret == -ETIMEDOUT, "%s: case %u (op %u, %#llx vs %#llx mask %#llx): "
			     "fence status %d, expected -ETIMEDOUT\n", g->name, i,
			     sem_cases[i].op, (unsigned long long)sem_cases[i].mem,
			     (unsigned long long)sem_cases[i].operand,
			     (unsigned long long)sem_cases[i].mask, ret);
		igt_assert_eq_u32(buf_dword(&v[i].scratch, 16), 0);
		igt_assert_eq_u64(buf_qword(&v[i].scratch, 8), sem_cases[i].mem);
	}
	t = now_ms() - t0;
	igt_info("%s: %u false waits on as many queues timed out together in %llu ms\n",
		 g->name, n, (unsigned long long)t);
	igt_assert_f(t >= (uint64_t)watchdog - 20, "timed out after %llu ms, watchdog %d ms\n",
		     (unsigned long long)t, watchdog);
	watchdog_restore();
	for (i = 0; i < N_SEM_CASES; i++) {
		if (sem_cases[i].holds)
			continue;
		tvm_assert_works(&v[i]);
		tvm_fini(&v[i]);
	}
}

/*
 * Queue B, submitted first, fills a big buffer (so it is still busy when A
 * starts), writes a payload into a BO both VMs map, stamps the time and
 * signals. Queue A, submitted second, stamps the time, waits for the
 * signal, stamps again and copies the payload. A must read B's payload
 * (the signal releases it), and A's wait must have ended after B's signal.
 * Returns whether A really waited: it started before B signalled.
 */
static bool cross_queue_once(struct gpu *g, struct tvm *a, struct tvm *b,
			     struct buf *shared, struct buf *out, uint8_t *want,
			     uint32_t round)
{
	const uint64_t sem = SHARED_VA, ts = SHARED_VA + 64, payload = SHARED_VA + 4096;
	const uint64_t payload_size = 64 * 1024 + 3;
	uint64_t a_start, a_woke, b_signal;
	int64_t d;
	int fa, fb;

	memset(shared->map, 0, SHARED_SIZE);
	memset(out->map, 0xee, SHARED_SIZE);
	/* B: busy, then the payload (a FILL and a BLIT), then the signal. */
	swgpu_batch_fill(tvm_batch(b), BIG_VA, BIG_SIZE, round * 0x01010101u);
	swgpu_batch_fill(&b->b, payload, 32 * 1024, 0xb0b00000 + round);
	swgpu_batch_blit(&b->b, payload + 32 * 1024, 1001, BIG_VA, 4097, 1000, 32, 1);
	swgpu_batch_timestamp(&b->b, ts);
	swgpu_batch_sem_signal(&b->b, sem, round);
	/* A: waits for exactly this round's value, then reads the payload. */
	swgpu_batch_timestamp(tvm_batch(a), ts + 8);
	swgpu_batch_sem_wait(&a->b, sem, round, ~0ull, SWGPU_SEM_COMPARE_GTE);
	swgpu_batch_timestamp(&a->b, ts + 16);
	swgpu_batch_copy(&a->b, OUT_VA + 1, payload, payload_size);
	fb = tvm_submit(b, NULL);
	fa = tvm_submit(a, NULL);
	igt_assert_eq(fence_status(fa), 0);
	igt_assert_eq(fence_status(fb), 0);

	b_signal = buf_qword(shared, 64);
	a_start = buf_qword(shared, 72);
	a_woke = buf_qword(shared, 80);
	igt_assert_eq_u64(buf_qword(shared, 0), round);
	igt_assert_f(a_woke >= b_signal, "%s: A woke at %llu, before B signalled at %llu\n",
		     g->name, (unsigned long long)a_woke, (unsigned long long)b_signal);
	/* What B wrote before signalling, as A read it after its wait. */
	memset(want, 0, payload_size);
	for (uint64_t i = 0; i < 32 * 1024; i += 4) {
		uint32_t p = 0xb0b00000 + round;

		memcpy(want + i, &p, 4);
	}
	for (uint64_t r = 0; r < 32; r++)
		memset(want + 32 * 1024 + r * 1001, round & 0xff, 1000);
	d = -1;
	for (uint64_t i = 0; i < payload_size && d < 0; i++)
		if (out->map[1 + i] != want[i])
			d = (int64_t)i;
	igt_assert_f(d < 0, "%s: payload byte %lld read by A is %#x, B wrote %#x\n", g->name,
		     (long long)d, d < 0 ? 0 : out->map[1 + d], d < 0 ? 0 : want[d]);
	igt_assert_bytes(out->map, 1, 0xee);
	igt_assert_bytes(out->map + 1 + payload_size, SHARED_SIZE - 1 - payload_size, 0xee);
	igt_info("%s: round %u: A started %lld us before B signalled, woke %llu us after\n",
		 g->name, round, ((long long)b_signal - (long long)a_start) / 1000,
		 (unsigned long long)(a_woke - b_signal) / 1000);
	return a_start < b_signal;
}

static void test_cross_queue(struct gpu *g)
{
	uint8_t *want = malloc(SHARED_SIZE);
	struct buf shared, big, out;
	bool waited = false;
	struct tvm a, b;

	igt_assert(want);

	tvm_init(&a, g->fd);
	tvm_init(&b, g->fd);
	buf_create(g->fd, SHARED_SIZE, &shared);
	buf_create(g->fd, BIG_SIZE, &big);
	buf_create(g->fd, SHARED_SIZE, &out);
	igt_assert_eq(swgpu_vm_bind(g->fd, a.id, shared.handle, 0, SHARED_VA, SHARED_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, b.id, shared.handle, 0, SHARED_VA, SHARED_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, b.id, big.handle, 0, BIG_VA, BIG_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, a.id, out.handle, 0, OUT_VA, SHARED_SIZE, 0), 0);
	/*
	 * On a loaded host A's queue might only start once B is done; the
	 * data must be right every time, and A must have waited at least once.
	 * Not on a GPU with one address-space slot: B's VM holds it while
	 * B's job runs, so A starts only after B's signal.
	 */
	for (uint32_t round = 1; round <= 3 && !waited; round++)
		waited = cross_queue_once(g, &a, &b, &shared, &out, want, round);
	if (!waited && gpu_slots(g) == 1)
		igt_info("%s: one slot: A started after B's signal, as it must\n", g->name);
	else
		igt_assert_f(waited, "%s: A never started before B signalled\n", g->name);
	tvm_fini(&a);
	tvm_fini(&b);
	buf_destroy(&shared);
	buf_destroy(&big);
	buf_destroy(&out);
	free(want);
}

/*
 * A waits for a value nothing will write. While it waits, B on another
 * queue runs jobs to completion; A ends with -ETIMEDOUT at the watchdog.
 */
static void test_timeout_others_progress(struct gpu *g)
{
	const int watchdog = 2000;
	uint64_t t0, t_b, t_a;
	struct tvm a, b;
	int fa, fb[4];

	watchdog_set(watchdog);
	tvm_init(&a, g->fd);
	tvm_init(&b, g->fd);
	swgpu_batch_sem_wait(tvm_batch(&a), TVM_SCRATCH_VA + 8, 1, ~0ull, SWGPU_SEM_COMPARE_EQ);
	swgpu_batch_store_dword(&a.b, TVM_SCRATCH_VA + 16, 0xbad);
	t0 = now_ms();
	fa = tvm_submit(&a, NULL);
	/* Let A's queue start waiting. */
	usleep(50 * 1000);
	for (int i = 0; i < 4; i++) {
		swgpu_batch_fill(tvm_batch_at(&b, i * 1024), TVM_SCRATCH_VA + 64 * i, 64,
				 0xb0000000 + i);
		fb[i] = tvm_submit(&b, NULL);
	}
	for (int i = 0; i < 4; i++)
		igt_assert_eq(fence_status(fb[i]), 0);
	t_b = now_ms() - t0;
	igt_assert_f(!fence_signalled(fa), "%s: A ended before B's jobs (%llu ms)\n", g->name,
		     (unsigned long long)t_b);
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 64; k += 4)
			igt_assert_eq_u32(buf_dword(&b.scratch, 64 * i + k), 0xb0000000 + i);
	igt_assert_eq(fence_status(fa), -ETIMEDOUT);
	t_a = now_ms() - t0;
	igt_info("%s: B's 4 jobs done after %llu ms, A timed out after %llu ms (watchdog %d)\n",
		 g->name, (unsigned long long)t_b, (unsigned long long)t_a, watchdog);
	igt_assert(t_a >= (uint64_t)watchdog - 20);
	igt_assert_eq_u32(buf_dword(&a.scratch, 16), 0);
	watchdog_restore();
	/* Both queues work on. */
	tvm_assert_works(&a);
	tvm_assert_works(&b);
	tvm_fini(&a);
	tvm_fini(&b);
}

static void test_signal(struct gpu *g)
{
	struct tvm v;

	tvm_init(&v, g->fd);
	memset(v.scratch.map, 0xee, 2048);
	swgpu_batch_sem_signal(tvm_batch(&v), TVM_SCRATCH_VA + 8, 0x0102030405060708ull);
	swgpu_batch_sem_signal(&v.b, TVM_SCRATCH_VA + 4088 - 2048, ~0ull);
	swgpu_batch_sem_signal(&v.b, TVM_SCRATCH_VA + 32, 0);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_eq_u64(buf_qword(&v.scratch, 8), 0x0102030405060708ull);
	igt_assert_eq_u64(buf_qword(&v.scratch, 2040), ~0ull);
	igt_assert_eq_u64(buf_qword(&v.scratch, 32), 0);
	igt_assert_bytes(v.scratch.map, 8, 0xee);
	igt_assert_bytes(v.scratch.map + 16, 16, 0xee);
	igt_assert_bytes(v.scratch.map + 40, 2000, 0xee);
	tvm_fini(&v);
}

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

static void test_eproto(struct gpu *g)
{
	static const uint32_t bad_ops[] = { 6, 7, 0x100, 0x80000000, 0xffffffff };
	struct tvm v;

	tvm_init(&v, g->fd);
	for (unsigned int i = 0; i < sizeof(bad_ops) / sizeof(bad_ops[0]); i++) {
		/* Would hold for any op: 0 against 0 with a zero mask. */
		swgpu_batch_sem_wait(tvm_batch(&v), TVM_SCRATCH_VA, 0, 0, bad_ops[i]);
		run_eproto(&v, "unknown compare op");
	}
	for (uint64_t off = 1; off < 8; off++) {
		swgpu_batch_sem_wait(tvm_batch(&v), TVM_SCRATCH_VA + 8 + off, 0, ~0ull,
				     SWGPU_SEM_COMPARE_EQ);
		run_eproto(&v, "misaligned wait");
		swgpu_batch_sem_signal(tvm_batch(&v), TVM_SCRATCH_VA + 64 + off, ~0ull);
		run_eproto(&v, "misaligned signal");
	}
	igt_assert_bytes(v.scratch.map, 4096, 0);
	tvm_assert_works(&v);
	tvm_fini(&v);
}

static void test_faults(struct gpu *g)
{
	struct swgpu_fault f;
	uint64_t seqno;
	struct tvm v;

	tvm_init(&v, g->fd);
	swgpu_batch_sem_wait(tvm_batch(&v), HOLE_VA + 0x18, 0, ~0ull, SWGPU_SEM_COMPARE_EQ);
	igt_assert_eq(tvm_run(&v, &seqno), -EFAULT);
	tvm_get_fault(&v, &f);
	igt_assert_eq(f.count, 1);
	igt_assert_eq_u64(f.va, HOLE_VA + 0x18);
	igt_assert_eq_u32(f.access, DRM_SWGPU_FAULT_READ);
	igt_assert_eq_u64(f.seqno, seqno);
	swgpu_batch_sem_signal(tvm_batch(&v), HOLE_VA + 0x28, 1);
	igt_assert_eq(tvm_run(&v, &seqno), -EFAULT);
	tvm_get_fault(&v, &f);
	igt_assert_eq(f.count, 2);
	igt_assert_eq_u64(f.va, HOLE_VA + 0x28);
	igt_assert_eq_u32(f.access, DRM_SWGPU_FAULT_WRITE);
	igt_assert_eq_u64(f.seqno, seqno);
	/* The mapping goes away while a wait polls it: the next poll faults. */
	{
		struct buf s;
		int fence;

		buf_create(g->fd, 4096, &s);
		igt_assert_eq(swgpu_vm_bind(g->fd, v.id, s.handle, 0, TVM_DATA_VA, 4096, 0), 0);
		swgpu_batch_sem_wait(tvm_batch(&v), TVM_DATA_VA + 0x30, 1, ~0ull,
				     SWGPU_SEM_COMPARE_EQ);
		fence = tvm_submit(&v, &seqno);
		usleep(100 * 1000);
		igt_assert(!fence_signalled(fence));
		igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, TVM_DATA_VA, 4096), 0);
		igt_assert_eq(fence_status(fence), -EFAULT);
		tvm_get_fault(&v, &f);
		igt_assert_eq(f.count, 3);
		igt_assert_eq_u64(f.va, TVM_DATA_VA + 0x30);
		igt_assert_eq_u32(f.access, DRM_SWGPU_FAULT_READ);
		igt_assert_eq_u64(f.seqno, seqno);
		buf_destroy(&s);
	}
	tvm_assert_works(&v);
	tvm_fini(&v);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("signal")
		for (int i = 0; i < n; i++)
			test_signal(&gpus[i]);

	igt_subtest("wait-already-satisfied")
		for (int i = 0; i < n; i++)
			test_already_satisfied(&gpus[i]);

	igt_subtest("compare-ops-true")
		for (int i = 0; i < n; i++)
			test_compare_true(&gpus[i]);

	igt_subtest("compare-ops-false")
		for (int i = 0; i < n; i++)
			test_compare_false(&gpus[i]);

	igt_subtest("cross-queue")
		for (int i = 0; i < n; i++)
			test_cross_queue(&gpus[i]);

	igt_subtest("timeout-others-progress")
		for (int i = 0; i < n; i++)
			test_timeout_others_progress(&gpus[i]);

	igt_subtest("eproto")
		for (int i = 0; i < n; i++)
			test_eproto(&gpus[i]);

	igt_subtest("faults")
		for (int i = 0; i < n; i++)
			test_faults(&gpus[i]);

	igt_fixture {
		watchdog_restore();
		gpus_close(gpus, n);
	}
}
