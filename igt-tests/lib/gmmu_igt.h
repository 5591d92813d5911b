/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * A small test harness with IGT's conventions, because IGT itself cannot be
 * built here: named subtests and fixtures, skip versus fail, the options
 * --list-subtests and --run-subtest NAME (wildcards * and ? allowed), the
 * "Subtest NAME: SUCCESS|FAIL|SKIP" lines, and IGT's exit codes, so that
 * igt_runner can drive these binaries.
 *
 *	igt_main
 *	{
 *		int fd = -1;
 *
 *		igt_fixture
 *			fd = open_the_device();
 *		igt_subtest("basic")
 *			igt_assert_eq(do_something(fd), 0);
 *	}
 *
 * A failed igt_require() in a fixture skips every later subtest; a failed
 * assertion in a fixture fails them.
 */
#ifndef GMMU_IGT_H
#define GMMU_IGT_H

#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_INVALID	79

extern sigjmp_buf __igt_jmp;

void __igt_init(int argc, char **argv);
int __igt_exit(void);
bool __igt_subtest_begin(const char *name);
bool __igt_subtest_end(void);
bool __igt_fixture_begin(void);
bool __igt_fixture_end(void);
void __igt_fail_assert(const char *file, int line, const char *func,
		       const char *expr, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 5, 6)));
void __igt_skip(const char *file, int line, const char *expr,
		const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
void igt_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void igt_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool igt_only_list_subtests(void);

#define igt_main \
	static void __igt_main_body(void); \
	int main(int argc, char **argv) \
	{ \
		__igt_init(argc, argv); \
		__igt_main_body(); \
		return __igt_exit(); \
	} \
	static void __igt_main_body(void)

#define igt_subtest(name) \
	for (bool __igt_run = __igt_subtest_begin(name); __igt_run; \
	     __igt_run = __igt_subtest_end()) \
		if (sigsetjmp(__igt_jmp, 1) == 0)

#define igt_fixture \
	for (bool __igt_run = __igt_fixture_begin(); __igt_run; \
	     __igt_run = __igt_fixture_end()) \
		if (sigsetjmp(__igt_jmp, 1) == 0)

#define igt_assert(expr) \
	do { if (!(expr)) \
		__igt_fail_assert(__FILE__, __LINE__, __func__, #expr, NULL); \
	} while (0)

#define igt_assert_f(expr, ...) \
	do { if (!(expr)) \
		__igt_fail_assert(__FILE__, __LINE__, __func__, #expr, __VA_ARGS__); \
	} while (0)

#define __igt_assert_cmp(a, op, b, type, pfmt) \
	do { \
		type __a = (a), __b = (b); \
		if (!(__a op __b)) \
			__igt_fail_assert(__FILE__, __LINE__, __func__, \
					  #a " " #op " " #b, \
					  "error: " pfmt " " #op " " pfmt " is false\n", \
					  __a, __b); \
	} while (0)

#define igt_assert_eq(a, b) __igt_assert_cmp(a, ==, b, long long, "%lld")
#define igt_assert_neq(a, b) __igt_assert_cmp(a, !=, b, long long, "%lld")
#define igt_assert_lt(a, b) __igt_assert_cmp(a, <, b, long long, "%lld")
#define igt_assert_lte(a, b) __igt_assert_cmp(a, <=, b, long long, "%lld")
#define igt_assert_eq_u64(a, b) __igt_assert_cmp(a, ==, b, unsigned long long, "%#llx")
#define igt_assert_eq_u32(a, b) __igt_assert_cmp(a, ==, b, unsigned int, "%#x")

#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, ...) igt_assert_f(!(expr), __VA_ARGS__)

#define igt_require(expr) \
	do { if (!(expr)) __igt_skip(__FILE__, __LINE__, #expr, NULL); } while (0)
#define igt_require_f(expr, ...) \
	do { if (!(expr)) __igt_skip(__FILE__, __LINE__, #expr, __VA_ARGS__); } while (0)
#define igt_skip(...) __igt_skip(__FILE__, __LINE__, NULL, __VA_ARGS__)

/* Assert that an ioctl fails with exactly @err (a positive errno). */
#define do_ioctl_err(fd, req, arg, err) \
	do { \
		int __r = igt_ioctl(fd, req, arg); \
		igt_assert_f(__r == -1 && errno == (err), \
			     "ioctl %s: expected errno %d (%s), got ret %d errno %d (%s)\n", \
			     #req, (err), strerror(err), __r, errno, strerror(errno)); \
	} while (0)

/* Assert that an ioctl succeeds. */
#define do_ioctl(fd, req, arg) \
	do { \
		int __r = igt_ioctl(fd, req, arg); \
		igt_assert_f(__r == 0, "ioctl %s failed: %s\n", #req, strerror(errno)); \
	} while (0)

/* ioctl restarted on EINTR/EAGAIN, as drmIoctl does. */
int igt_ioctl(int fd, unsigned long request, void *arg);

#endif /* GMMU_IGT_H */
