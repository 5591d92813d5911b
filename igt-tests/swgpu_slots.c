// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Address-space slots shared by many contexts (drm_gmmu's slot manager,
 * debugfs dri/<minor>/gmmu_slots, and the model's slot counters in
 * swgpu_mmu). 64 VMs submit at once from 8 threads, on the atom part's
 * single slot and on the llc part cut to 4 slots: every job's store lands,
 * slots were taken from idle contexts (steals > 0), and the model never
 * ran a batch in a slot bound to another context (slot_wrong) nor bound a
 * slot without flushing the previous owner's translations
 * (slot_stale_binds). A context with a job running keeps its slot: on one
 * slot, another context's job completes only after it. A context stalled
 * on a semaphore lets the one that will signal it have the slot.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "swgpu_dfs.h"

#define NCTX		64
#define NTHREADS	8
#define ROUNDS		4
#define JOBS		2	/* per context and round, in flight together */
/* Where busy-keeps-slot's jobs write the engine's time in their scratch. */
#define TIME_OFF	256

struct slot_counters {
	long long steals, waits, binds, wrong, stale;
};

static void read_counters(const struct dfs *d, struct slot_counters *c)
{
	c->steals = dfs_value(d, "gmmu_slots", "steals");
	c->waits = dfs_value(d, "gmmu_slots", "waits");
	c->binds = dfs_value(d, "gmmu_slots", "binds");
	c->wrong = dfs_value(d, "swgpu_mmu", "slot_wrong");
	c->stale = dfs_value(d, "swgpu_mmu", "slot_stale_binds");
}

/* The busy count of @slot's owner, from gmmu_slots. */
static long long slot_busy(const struct dfs *d, unsigned int slot)
{
	char path[PATH_MAX + 32], line[256], key[32];
	long long owner, busy = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/gmmu_slots", d->dir);
	snprintf(key, sizeof(key), "slot%u: owner %%lld busy %%lld", slot);
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %m\n", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, key, &owner, &busy) == 2)
			break;
	fclose(f);
	igt_assert_f(busy >= 0, "%s: no slot%u\n", path, slot);
	return busy;
}

/* Use @n of the GPU's slots (gmmu_slots takes a count while none is held). */
static void set_slots(const struct dfs *d, long long n)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", n);
	dfs_write(d, "gmmu_slots", s);
	igt_assert_eq(dfs_value(d, "gmmu_slots", "slots"), n);
}

struct worker {
	struct tvm *v;		/* NCTX / NTHREADS contexts */
	unsigned int first;	/* index of v[0] among all contexts */
	int errors;
	char why[128];
};

static uint32_t job_value(unsigned int ctx, unsigned int round, unsigned int j)
{
	return 0x5a000000u | ctx << 12 | round << 4 | j;
}

/*
 * Each round: JOBS stores on each of the worker's contexts, all submitted
 * before any is waited for, then every fence and every value checked.
 * Plain library calls: a thread must not assert.
 */
static void *worker_fn(void *arg)
{
	const unsigned int per = NCTX / NTHREADS;
	struct worker *w = arg;
	int fence[NCTX / NTHREADS][JOBS];

	for (unsigned int r = 0; r < ROUNDS && !w->errors; r++) {
		for (unsigned int i = 0; i < per; i++) {
			for (unsigned int j = 0; j < JOBS; j++) {
				struct tvm *v = &w->v[i];
				struct swgpu_batch *b = tvm_batch_at(v, j * 1024);
				int ret;

				swgpu_batch_store_dword(b, TVM_SCRATCH_VA + 2048 + j * 4,
							job_value(w->first + i, r, j));
				swgpu_batch_end(b);
				fence[i][j] = -1;
				ret = swgpu_exec(v->fd, v->id, b->va, &fence[i][j], NULL);
				if (ret && !w->errors++)
					snprintf(w->why, sizeof(w->why), "exec: %s",
						 strerror(-ret));
			}
		}
		for (unsigned int i = 0; i < per; i++) {
			for (unsigned int j = 0; j < JOBS; j++) {
				int status = 1, ret;
				uint32_t got;

				if (fence[i][j] < 0)
					continue;
				ret = swgpu_fence_wait(fence[i][j], FENCE_TIMEOUT_MS, &status);
				close(fence[i][j]);
				if ((ret || status) && !w->errors++)
					snprintf(w->why, sizeof(w->why),
						 "ctx %u round %u job %u: wait %d status %d",
						 w->first + i, r, j, ret, status);
				got = buf_dword(&w->v[i].scratch, 2048 + j * 4);
				if (got != job_value(w->first + i, r, j) && !w->errors++)
					snprintf(w->why, sizeof(w->why),
						 "ctx %u round %u job %u: read %#x, want %#x",
						 w->first + i, r, j, got,
						 job_value(w->first + i, r, j));
			}
		}
	}
	return NULL;
}

/* 64 contexts from 8 threads on @nslots slots of @g. */
static void many_contexts(struct gpu *g, const struct dfs *d)
{
	static struct tvm v[NCTX];
	struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	struct slot_counters before, after;

	for (int i = 0; i < NCTX; i++)
		tvm_init(&v[i], g->fd);
	read_counters(d, &before);
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .v = &v[i * (NCTX / NTHREADS)],
					.first = i * (NCTX / NTHREADS) };
		igt_assert_eq(pthread_create(&t[i], NULL, worker_fn, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		igt_assert_eq(pthread_join(t[i], NULL), 0);
	read_counters(d, &after);
	for (int i = 0; i < NTHREADS; i++)
		igt_assert_f(!w[i].errors, "%s: thread %d: %d errors, first: %s\n",
			     g->name, i, w[i].errors, w[i].why);
	igt_info("%s: %lld slots, %d jobs: %lld binds, %lld steals, %lld waits\n",
		 g->name, dfs_value(d, "gmmu_slots", "slots"), NCTX * ROUNDS * JOBS,
		 after.binds - before.binds, after.steals - before.steals,
		 after.waits - before.waits);
	igt_assert_f(after.steals > before.steals, "%s: no slot was taken\n", g->name);
	igt_assert_eq(after.wrong, before.wrong);
	igt_assert_eq(after.stale, before.stale);
	for (int i = 0; i < NCTX; i++)
		tvm_fini(&v[i]);
}

static struct gpu *find_profile(struct gpu *g, int n, uint64_t profile)
{
	for (int i = 0; i < n; i++)
		if (g[i].profile == profile)
			return &g[i];
	igt_skip("no GPU of profile %llu\n", (unsigned long long)profile);
	return NULL;
}

static void test_one_slot(struct gpu *g, int n)
{
	struct gpu *atom = find_profile(g, n, DRM_SWGPU_PROFILE_ATOM);
	struct dfs d;

	dfs_init(&d, atom);
	igt_assert_eq(dfs_value(&d, "gmmu_slots", "slots"), 1);
	igt_assert_eq(dfs_value(&d, "swgpu_mmu", "slots"), 1);
	many_contexts(atom, &d);
}

static void test_four_slots(struct gpu *g, int n)
{
	struct gpu *llc = find_profile(g, n, DRM_SWGPU_PROFILE_LLC);
	long long max;
	struct dfs d;

	dfs_init(&d, llc);
	max = dfs_value(&d, "gmmu_slots", "max");
	igt_assert_eq(max, 16);
	igt_assert_eq(dfs_value(&d, "swgpu_mmu", "slots"), 16);
	set_slots(&d, 4);
	many_contexts(llc, &d);
	set_slots(&d, max);
}

static uint64_t buf_time(const struct buf *b, uint64_t off)
{
	return (uint64_t)buf_dword(b, off + 4) << 32 | buf_dword(b, off);
}

/*
 * One slot: A runs a long job; B's job, submitted while A's runs, must
 * not start before A's ends (each job writes the engine's time: A's
 * last command, B's first), and waited for the slot while A held it.
 * The fences are not compared: a job gives its slot back just before
 * its fence signals, so B's fence may signal first on a busy host.
 */
static void test_busy_keeps_slot(struct gpu *g, int n)
{
	struct gpu *atom = find_profile(g, n, DRM_SWGPU_PROFILE_ATOM);
	struct slot_counters before, after;
	const uint64_t size = 16 << 20;
	unsigned int nfill, k;
	bool overlapped = false;
	uint64_t chunk, a_end, b_start;
	struct tvm a, b;
	struct buf big;
	int fa, fb, sa = -1, sb = -1;
	struct dfs d;

	dfs_init(&d, atom);
	tvm_init(&a, atom->fd);
	tvm_init(&b, atom->fd);
	tvm_bind_unmapped(&a, size, TVM_DATA_VA, &big);
	tvm_fills_for_ms(&a, TVM_DATA_VA, size, 400, &chunk, &nfill);
	read_counters(&d, &before);

	struct swgpu_batch *bb = tvm_batch(&a);
	for (k = 0; k < nfill; k++)
		swgpu_batch_fill(bb, TVM_DATA_VA, chunk, k);
	swgpu_batch_timestamp(bb, TVM_SCRATCH_VA + TIME_OFF);
	fa = tvm_submit(&a, NULL);
	bb = tvm_batch(&b);
	swgpu_batch_timestamp(bb, TVM_SCRATCH_VA + TIME_OFF);
	swgpu_batch_store_dword(bb, TVM_SCRATCH_VA + 2048, 0xb0b);
	fb = tvm_submit(&b, NULL);
	if (!fence_signalled(fa)) {
		/* A holds the only slot while its job runs. */
		igt_assert_eq(slot_busy(&d, 0), 1);
		overlapped = true;
	}
	igt_assert_eq(swgpu_fence_wait(fa, FENCE_TIMEOUT_MS, &sa), 0);
	igt_assert_eq(swgpu_fence_wait(fb, FENCE_TIMEOUT_MS, &sb), 0);
	igt_assert_eq(sa, 0);
	igt_assert_eq(sb, 0);
	igt_assert_eq_u32(buf_dword(&b.scratch, 2048), 0xb0b);
	a_end = buf_time(&a.scratch, TIME_OFF);
	b_start = buf_time(&b.scratch, TIME_OFF);
	igt_assert_f(a_end && b_start, "a job wrote no time\n");
	igt_assert_f(b_start >= a_end,
		     "%s: B's job started %llu ns before A's ended\n", atom->name,
		     (unsigned long long)(a_end - b_start));
	read_counters(&d, &after);
	igt_info("%s: A's job %s B's submission; %lld waits\n", atom->name,
		 overlapped ? "outlived" : "ended before", after.waits - before.waits);
	if (overlapped)
		igt_assert(after.waits > before.waits);
	igt_assert_eq(after.wrong, before.wrong);
	igt_assert_eq(after.stale, before.stale);
	buf_destroy(&big);
	tvm_fini(&a);
	tvm_fini(&b);
}

/*
 * One slot: A waits on a semaphore that B's job signals. A stalls in the
 * slot, yields it to B, and both complete (no watchdog).
 */
static void test_semaphore_yields(struct gpu *g, int n)
{
	struct gpu *atom = find_profile(g, n, DRM_SWGPU_PROFILE_ATOM);
	const uint64_t sem_va = TVM_DATA_VA;
	struct slot_counters before, after;
	struct tvm a, b;
	struct buf sem;
	int fa, fb;
	struct dfs d;

	dfs_init(&d, atom);
	tvm_init(&a, atom->fd);
	tvm_init(&b, atom->fd);
	buf_create(atom->fd, 4096, &sem);
	igt_assert_eq(swgpu_vm_bind(atom->fd, a.id, sem.handle, 0, sem_va, 4096, 0), 0);
	igt_assert_eq(swgpu_vm_bind(atom->fd, b.id, sem.handle, 0, sem_va, 4096, 0), 0);
	read_counters(&d, &before);
	swgpu_batch_sem_wait(tvm_batch(&a), sem_va, 7, ~0ull, SWGPU_SEM_COMPARE_EQ);
	swgpu_batch_store_dword(&a.b, TVM_SCRATCH_VA + 2048, 0xa11);
	fa = tvm_submit(&a, NULL);
	usleep(20 * 1000);
	swgpu_batch_sem_signal(tvm_batch(&b), sem_va, 7);
	fb = tvm_submit(&b, NULL);
	igt_assert_eq(fence_status(fb), 0);
	igt_assert_eq(fence_status(fa), 0);
	igt_assert_eq_u32(buf_dword(&a.scratch, 2048), 0xa11);
	read_counters(&d, &after);
	igt_assert_eq(after.wrong, before.wrong);
	igt_assert_eq(after.stale, before.stale);
	buf_destroy(&sem);
	tvm_fini(&a);
	tvm_fini(&b);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("contexts-1-slot")
		test_one_slot(gpus, n);

	igt_subtest("contexts-4-slots")
		test_four_slots(gpus, n);

	igt_subtest("busy-keeps-slot")
		test_busy_keeps_slot(gpus, n);

	igt_subtest("semaphore-yields-slot")
		test_semaphore_yields(gpus, n);

	igt_fixture
		gpus_close(gpus, n);
}
