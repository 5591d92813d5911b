/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Systematic allocation failures through the kernel's fail-nth
 * (Documentation/fault-injection/fault-injection.rst in the kernel):
 * writing N to /proc/thread-self/fail-nth makes the Nth allocation of the
 * thread's next system calls fail, once. A test makes one call with N = 1,
 * 2, 3, ... until the call makes fewer than N allocations and succeeds:
 * then each of its allocations has failed once, where random injection
 * (lane debug-failinj) reaches a path only as often as the tests pass
 * through it. Only allocations whose call chain passes through the gmmu
 * modules' code count (failslab's and fail_page_alloc's stack filter),
 * and never those of DMA-API debug, whose failure would switch that
 * checker off for the boot. Used by swgpu_failnth.c; every helper asserts.
 */
#ifndef FAILNTH_H
#define FAILNTH_H

#include <stdbool.h>

/*
 * Skips unless the kernel has fail-nth and failslab's debugfs (the debug
 * kernel); sets both capabilities' filters and restores them at exit.
 * Random injection stays off (the probability is not touched).
 */
void failnth_init(void);

/*
 * struct failnth_op - one system call to fail at each of its allocations
 * @name: for the log
 * @prepare: makes what the call needs, without injection; may be NULL
 * @call: the call under test, whatever it returns as 0 or -errno; it
 *	must make no other system call (those would use up the count)
 * @check: after @call returned @ret: checks that what it made works
 *	(@ret 0) or that nothing it touched changed (@ret < 0, and the same
 *	call then works without injection), then undoes the call and
 *	@prepare. Runs without injection.
 * @errnos: the errors a failed allocation may give, 0-terminated; NULL
 *	means -ENOMEM alone
 * @fd: a gmmu device file: its device's VMs, tables and level-1
 *	mappings (debugfs gmmu_vms) and the file's memory (fdinfo) are
 *	compared before and after
 * @fd2: another such file, of another device, or -1
 */
struct failnth_op {
	const char *name;
	void (*prepare)(void *ctx);
	int (*call)(void *ctx);
	void (*check)(void *ctx, int ret);
	const int *errnos;
	int fd;
	int fd2;
};

/*
 * struct failnth_result - what failnth_run() saw
 * @points: allocations the call makes, each failed once
 * @failed: of those, the failures the call returned as an error
 * @tolerated: those it succeeded despite (a fallback, a best-effort
 *	debugfs file)
 */
struct failnth_result {
	unsigned int points;
	unsigned int failed;
	unsigned int tolerated;
};

/*
 * Fails each allocation of @op's call in turn. After a failed call, the
 * process's descriptors, the devices' gmmu_vms counters and the files'
 * fdinfo memory are as they were before it (nothing half-done is
 * visible); after each round's @check they are as before its @prepare
 * (nothing leaked). Logs and returns the counts in @r; asserts the call
 * succeeded once no allocation was failed.
 */
void failnth_run(const struct failnth_op *op, void *ctx,
		 struct failnth_result *r);

#endif
