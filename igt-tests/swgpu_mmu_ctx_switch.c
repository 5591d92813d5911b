// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The engine's context switch, seen through the device's MMU counters in
 * debugfs (dri/<minor>/swgpu_mmu): the atom profile has no ASIDs, so a
 * batch on another context than the last one flushes its TLB and walk
 * cache, and it misses again; the llc profile tags entries by context, so
 * alternating VMs neither flush nor miss once both are warm. Batches on
 * the same context never flush.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "swgpu_igt.h"

#define ROUNDS	8

struct mmu_counters {
	unsigned long tlb_misses;
	unsigned long context_switches;
	unsigned long context_switch_flushes;
};

static void read_counters(const struct gpu *g, struct mmu_counters *c)
{
	char path[128], line[128];
	unsigned long v;
	struct stat st;
	int seen = 0;
	FILE *f;

	igt_assert_eq(fstat(g->fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/swgpu_mmu",
		 minor(st.st_rdev));
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %s\n", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "tlb_misses: %lu", &v) == 1) {
			c->tlb_misses = v;
			seen |= 1;
		} else if (sscanf(line, "context_switches: %lu", &v) == 1) {
			c->context_switches = v;
			seen |= 2;
		} else if (sscanf(line, "context_switch_flushes: %lu", &v) == 1) {
			c->context_switch_flushes = v;
			seen |= 4;
		}
	}
	fclose(f);
	igt_assert_f(seen == 7, "%s lacks a counter (seen %#x)\n", path, seen);
}

/* Two warm VMs take turns, ROUNDS batches each. */
static void test_alternate(struct gpu *g)
{
	struct mmu_counters before, after;
	bool atom = g->profile == DRM_SWGPU_PROFILE_ATOM;
	struct tvm a, b;
	int i;

	tvm_init(&a, g->fd);
	tvm_init(&b, g->fd);
	/* Both contexts walk their batch and scratch pages once. */
	tvm_assert_works(&a);
	tvm_assert_works(&b);
	tvm_assert_works(&a);

	read_counters(g, &before);
	for (i = 0; i < ROUNDS; i++) {
		tvm_assert_works(&b);
		tvm_assert_works(&a);
	}
	read_counters(g, &after);
	igt_info("%s: %lu switches, %lu flushes, %lu TLB misses in %d batches\n",
		 g->name, after.context_switches - before.context_switches,
		 after.context_switch_flushes - before.context_switch_flushes,
		 after.tlb_misses - before.tlb_misses, 2 * ROUNDS);

	/* Every batch ran on the other context than the one before it. */
	igt_assert_eq(after.context_switches - before.context_switches,
		      2 * ROUNDS);
	if (atom) {
		igt_assert_eq(after.context_switch_flushes -
			      before.context_switch_flushes, 2 * ROUNDS);
		/* Flushed, each batch walks its batch and scratch pages again. */
		igt_assert(after.tlb_misses - before.tlb_misses >= 2 * 2 * ROUNDS);
	} else {
		igt_assert_eq(after.context_switch_flushes,
			      before.context_switch_flushes);
		igt_assert_eq(after.tlb_misses, before.tlb_misses);
	}
	tvm_fini(&a);
	tvm_fini(&b);
}

/* Batches on one context: no switch, no flush, and all hits once warm. */
static void test_same_context(struct gpu *g)
{
	struct mmu_counters before, after;
	struct tvm a;
	int i;

	tvm_init(&a, g->fd);
	tvm_assert_works(&a);
	read_counters(g, &before);
	for (i = 0; i < ROUNDS; i++)
		tvm_assert_works(&a);
	read_counters(g, &after);
	igt_assert_eq(after.context_switches, before.context_switches);
	igt_assert_eq(after.context_switch_flushes,
		      before.context_switch_flushes);
	igt_assert_eq(after.tlb_misses, before.tlb_misses);
	tvm_fini(&a);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("alternate-vms")
		for (int i = 0; i < n; i++)
			test_alternate(&gpus[i]);

	igt_subtest("same-vm")
		for (int i = 0; i < n; i++)
			test_same_context(&gpus[i]);

	igt_fixture
		gpus_close(gpus, n);
}
