/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Timing and order statistics shared by the userspace benchmarks: a
 * monotonic clock in microseconds and percentiles of a sample array.
 * Each benchmark prints medians (and tails) rather than means because a
 * TCG guest's clock is noisy in bursts: one preempted round must not
 * move the figure.
 */
#ifndef __BENCH_STATS_H__
#define __BENCH_STATS_H__

#include <stdlib.h>
#include <time.h>

/* CLOCK_MONOTONIC in microseconds. */
static inline double bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* qsort() comparator for doubles, ascending. */
static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sorts @v[0..@n) and returns the value below which @pct percent of the
 * samples lie (nearest rank).
 */
static inline double bench_percentile(double *v, int n, double pct)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return v[(int)(pct / 100 * (n - 1) + 0.5)];
}

/* Sorts @v[0..@n) and returns its median (upper middle for even @n). */
static inline double bench_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

#endif /* __BENCH_STATS_H__ */
