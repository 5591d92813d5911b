// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * jdgpu's four address-space slots under contention: 64 contexts, each
 * with its own BO at the same GPU address, submit jobs all at once; the
 * slot manager hands the four slots around, and every context's result is
 * its own. The model counts a job that found another context's tables in
 * its slot (wrong) and a slot given a new owner with a TLB not flushed
 * (stale): both stay 0. Then again with two files of 32 contexts each,
 * from two processes.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jdgpu_igt.h"
#include "swgpu_dfs.h"

#define NCTX	64
#define SZ	0x10000ull
#define ROUNDS	3

struct one {
	struct jctx x;
	struct buf b;
};

static long long slots_value(int fd, const char *key)
{
	struct gpu g = { .fd = fd };
	struct dfs d;

	dfs_init(&d, &g);
	return dfs_value(&d, "gmmu_slots", key);
}

/*
 * @n contexts on @fd: each job fills its BO with a value of its own,
 * copies half of it over the other half, sums it and writes a tag. All
 * jobs are out before the first is waited for.
 */
static void contend(int fd, int n, uint32_t seed)
{
	struct one *c = calloc(n, sizeof(*c));
	int *fence = calloc(n, sizeof(*fence));

	igt_assert(c && fence);
	for (int i = 0; i < n; i++) {
		jctx_init(&c[i].x, fd);
		jd_buf_create(fd, SZ, &c[i].b);
		memset(c[i].b.map, 0, SZ);
		jctx_bind(&c[i].x, &c[i].b, JCTX_DATA_VA, 0);
	}
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < n; i++) {
			uint32_t v = seed + r * 1000 + i;
			struct jdgpu_chain *ch = jctx_chain(&c[i].x);

			jdgpu_chain_op(ch, JDGPU_OP_FILL, JCTX_DATA_VA, 0, SZ / 2, v);
			jdgpu_chain_op(ch, JDGPU_OP_COPY, JCTX_DATA_VA + SZ / 2,
				       JCTX_DATA_VA, SZ / 2 - 16, 0);
			jdgpu_chain_op(ch, JDGPU_OP_SUM32, JCTX_DATA_VA + SZ - 16,
				       JCTX_DATA_VA, SZ - 16, 0);
			jdgpu_chain_op(ch, JDGPU_OP_WRITE_VALUE, JCTX_DATA_VA + SZ - 8,
				       0, 0, 0xc0de000000000000ull | v);
			fence[i] = jctx_submit(&c[i].x, 0, 0, NULL, 0, NULL, 0);
		}
		for (int i = 0; i < n; i++) {
			uint32_t v = seed + r * 1000 + i, w;

			igt_assert_eq(fence_status(fence[i]), 0);
			for (uint64_t off = 0; off < SZ - 16; off += 4) {
				memcpy(&w, c[i].b.map + off, 4);
				igt_assert_f(w == v, "context %d round %d: word at %#llx is %#x, not %#x\n",
					     i, r, (unsigned long long)off, w, v);
			}
			igt_assert_eq_u64(*(uint64_t *)(c[i].b.map + SZ - 16),
					  (uint64_t)v * ((SZ - 16) / 4));
			igt_assert_eq_u64(*(uint64_t *)(c[i].b.map + SZ - 8),
					  0xc0de000000000000ull | v);
		}
	}
	for (int i = 0; i < n; i++) {
		jctx_fini(&c[i].x);
		jd_buf_destroy(&c[i].b);
	}
	free(c);
	free(fence);
}

static void test_64_on_4(int fd)
{
	long long steals = slots_value(fd, "steals");
	long long binds = slots_value(fd, "binds");

	igt_assert_eq(slots_value(fd, "slots"), 4);
	contend(fd, NCTX, 0x1000);
	/* 64 contexts went through 4 slots: each was bound at least once. */
	igt_assert_lte(binds + NCTX, slots_value(fd, "binds"));
	igt_assert_lt(steals, slots_value(fd, "steals"));
	igt_assert_eq(jd_hw_counter(fd, "wrong"), 0);
	igt_assert_eq(jd_hw_counter(fd, "stale"), 0);
}

static void test_two_processes(int fd)
{
	pid_t pid[2];
	int status;

	for (int p = 0; p < 2; p++) {
		pid[p] = fork();
		igt_assert(pid[p] >= 0);
		if (pid[p] == 0) {
			int f = jdgpu_open(-1, 0);

			if (f < 0)
				_exit(2);
			contend(f, NCTX / 2, 0x10000 * (p + 2));
			close(f);
			_exit(0);
		}
	}
	for (int p = 0; p < 2; p++) {
		igt_assert_eq(waitpid(pid[p], &status, 0), pid[p]);
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "child %d: status %#x\n", p, status);
	}
	igt_assert_eq(jd_hw_counter(fd, "wrong"), 0);
	igt_assert_eq(jd_hw_counter(fd, "stale"), 0);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = jd_open();

	igt_subtest("64-contexts-4-slots")
		test_64_on_4(fd);
	igt_subtest("two-processes")
		test_two_processes(fd);

	igt_fixture
		close(fd);
}
