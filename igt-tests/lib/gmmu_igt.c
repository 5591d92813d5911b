// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "gmmu_igt.h"

sigjmp_buf __igt_jmp;

enum state { RUNNING, FAILED, SKIPPED };

static const char *run_pattern;
static bool list_only;
static bool debug;
static const char *prog;
static const char *current_subtest;
static enum state current_state;
static struct timespec started;
static bool in_fixture;
static enum state fixture_state = RUNNING;	/* sticky after a fixture */
static int n_success, n_fail, n_skip;
static bool any_matched;

static void usage(void)
{
	printf("Usage: %s [--list-subtests] [--run-subtest NAME] [--debug]\n", prog);
}

void __igt_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list-subtests", no_argument, NULL, 'l' },
		{ "run-subtest", required_argument, NULL, 'r' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			list_only = true;
			break;
		case 'r':
			run_pattern = optarg;
			break;
		case 'd':
			debug = true;
			break;
		case 'h':
			usage();
			exit(IGT_EXIT_SUCCESS);
		default:
			usage();
			exit(IGT_EXIT_INVALID);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!list_only)
		printf("IGT-Version: gmmu-harness (%s)\n", prog);
}

bool igt_only_list_subtests(void)
{
	return list_only;
}

static double elapsed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - started.tv_sec) + (now.tv_nsec - started.tv_nsec) / 1e9;
}

static void report(const char *name, const char *what)
{
	printf("Subtest %s: %s (%.3fs)\n", name, what, elapsed());
	fflush(stdout);
}

static void crash_handler(int sig)
{
	/* Report the subtest as crashed, the way igt_runner expects. */
	if (current_subtest)
		printf("Subtest %s: CRASH (signal %d)\n", current_subtest, sig);
	fflush(stdout);
	signal(sig, SIG_DFL);
	_exit(IGT_EXIT_FAILURE);
}

bool __igt_subtest_begin(const char *name)
{
	if (list_only) {
		printf("%s\n", name);
		return false;
	}
	if (run_pattern && fnmatch(run_pattern, name, 0))
		return false;
	any_matched = true;
	clock_gettime(CLOCK_MONOTONIC, &started);
	if (fixture_state == SKIPPED) {
		n_skip++;
		report(name, "SKIP");
		return false;
	}
	if (fixture_state == FAILED) {
		n_fail++;
		report(name, "FAIL");
		return false;
	}
	printf("Starting subtest: %s\n", name);
	current_subtest = name;
	current_state = RUNNING;
	signal(SIGSEGV, crash_handler);
	signal(SIGBUS, crash_handler);
	signal(SIGABRT, crash_handler);
	signal(SIGFPE, crash_handler);
	return true;
}

bool __igt_subtest_end(void)
{
	switch (current_state) {
	case RUNNING:
		n_success++;
		report(current_subtest, "SUCCESS");
		break;
	case FAILED:
		n_fail++;
		report(current_subtest, "FAIL");
		break;
	case SKIPPED:
		n_skip++;
		report(current_subtest, "SKIP");
		break;
	}
	current_subtest = NULL;
	return false;
}

bool __igt_fixture_begin(void)
{
	if (list_only || fixture_state != RUNNING)
		return false;
	in_fixture = true;
	current_state = RUNNING;
	return true;
}

bool __igt_fixture_end(void)
{
	in_fixture = false;
	if (current_state != RUNNING)
		fixture_state = current_state;
	return false;
}

static void vmsg(FILE *f, const char *fmt, va_list ap)
{
	vfprintf(f, fmt, ap);
	fflush(f);
}

void __igt_fail_assert(const char *file, int line, const char *func,
		       const char *expr, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "(%s) %s:%d %s: assertion failed: %s\n",
		prog, file, line, func, expr);
	if (fmt) {
		va_start(ap, fmt);
		vmsg(stderr, fmt, ap);
		va_end(ap);
	}
	if (!current_subtest && !in_fixture) {
		fprintf(stderr, "failure outside a subtest or fixture\n");
		exit(IGT_EXIT_FAILURE);
	}
	current_state = FAILED;
	siglongjmp(__igt_jmp, 1);
}

void __igt_skip(const char *file, int line, const char *expr,
		const char *fmt, ...)
{
	va_list ap;

	if (expr)
		printf("Test requirement not met in %s:%d: %s\n", file, line, expr);
	if (fmt) {
		va_start(ap, fmt);
		vmsg(stdout, fmt, ap);
		va_end(ap);
	}
	if (!current_subtest && !in_fixture)
		exit(IGT_EXIT_SKIP);
	current_state = SKIPPED;
	siglongjmp(__igt_jmp, 1);
}

void igt_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(stdout, fmt, ap);
	va_end(ap);
}

void igt_debug(const char *fmt, ...)
{
	va_list ap;

	if (!debug)
		return;
	va_start(ap, fmt);
	vmsg(stdout, fmt, ap);
	va_end(ap);
}

int igt_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret;
}

int __igt_exit(void)
{
	if (list_only)
		return IGT_EXIT_SUCCESS;
	if (run_pattern && !any_matched) {
		fprintf(stderr, "%s: no subtest matches \"%s\"\n", prog, run_pattern);
		return IGT_EXIT_INVALID;
	}
	if (n_fail)
		return IGT_EXIT_FAILURE;
	if (!n_success && n_skip)
		return IGT_EXIT_SKIP;
	return IGT_EXIT_SUCCESS;
}
