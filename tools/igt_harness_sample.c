// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * A test of the test harness: one subtest per outcome, so that
 * tools/harness-selftest.sh can check that failures, skips and crashes are
 * reported as IGT reports them.
 */
#include <signal.h>
#include <stdlib.h>

#include "gmmu_igt.h"

igt_main
{
	int v = 0;

	igt_fixture
		v = 1;

	igt_subtest("pass")
		igt_assert_eq(v, 1);
	igt_subtest("fail")
		igt_assert_eq(v, 2);
	igt_subtest("skip")
		igt_require(v == 2);
	igt_subtest("ioctl-errno")
		do_ioctl_err(-1, 0, NULL, EBADF);
	igt_subtest("crash")
		raise(SIGSEGV);

	igt_fixture
		igt_require_f(getenv("SAMPLE_SKIP_REST") == NULL, "skip the rest\n");
	igt_subtest("after-fixture")
		igt_assert(1);
}
