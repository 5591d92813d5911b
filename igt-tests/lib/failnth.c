// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Systematic allocation failures (failnth.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "failnth.h"
#include "gmmu.h"
#include "gmmu_igt.h"

#define DBG		"/sys/kernel/debug"
/* A call that still reaches its Nth allocation past this loops. */
#define FAILNTH_MAX	4096
/* Frees the kernel defers (workqueues, RCU) get this long to show. */
#define SETTLE_MS	3000

static const char *const caps[] = { "failslab", "fail_page_alloc" };

/* One setting of one capability, and its value before failnth_init(). */
struct attr {
	const char *cap;
	const char *name;
	char value[32];
	char old[32];
};

static struct attr attrs[2 * 11];
static int nattrs;
static int nth_fd = -1;
/* FAILNTH_STACKS: each failure's stack in the kernel log, and the round. */
static bool stacks;
static int kmsg_fd = -1;

/* Reads a small text file into @buf without its newline; "" if absent. */
static void read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (!fgets(buf, len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

static int write_text(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

static void attr_path(const struct attr *a, char *path, size_t len)
{
	snprintf(path, len, DBG "/%s/%s", a->cap, a->name);
}

static void restore_attrs(void)
{
	char path[PATH_MAX];
	int i;

	for (i = nattrs - 1; i >= 0; i--) {
		attr_path(&attrs[i], path, sizeof(path));
		write_text(path, attrs[i].old);
	}
	nattrs = 0;
}

/* Sets @name of @cap to @value; the old value comes back at exit. */
static void set_attr(const char *cap, const char *name, const char *value)
{
	struct attr *a;
	char path[PATH_MAX];
	int ret;

	igt_assert(nattrs < (int)(sizeof(attrs) / sizeof(attrs[0])));
	a = &attrs[nattrs];
	a->cap = cap;
	a->name = name;
	snprintf(a->value, sizeof(a->value), "%s", value);
	attr_path(a, path, sizeof(path));
	read_text(path, a->old, sizeof(a->old));
	ret = write_text(path, value);
	igt_assert_f(ret == 0, "%s: cannot write %s: %s\n", path, value,
		     strerror(-ret));
	nattrs++;
}

/*
 * The text of the symbols whose "name [module]" @match accepts, from the
 * lowest of them to the first text symbol above the highest (64 KiB past
 * it when there is none): [*@lo, *@hi). Both 0 if none matches.
 */
static void text_range(bool (*match)(const char *name, const char *mod),
		       unsigned long long *lo, unsigned long long *hi)
{
	unsigned long long a, top = 0, end = ~0ull;
	char line[512], name[256], mod[128];
	char type;
	FILE *f;

	*lo = ~0ull;
	f = fopen("/proc/kallsyms", "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		mod[0] = 0;
		if (sscanf(line, "%llx %c %255s %127s", &a, &type, name, mod) < 3)
			continue;
		if ((type != 't' && type != 'T') || !match(name, mod))
			continue;
		if (a < *lo)
			*lo = a;
		if (a > top)
			top = a;
	}
	if (*lo == ~0ull) {
		fclose(f);
		*lo = *hi = 0;
		return;
	}
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c", &a, &type) == 2 &&
		    (type == 't' || type == 'T') && a > top && a < end)
			end = a;
	}
	fclose(f);
	*hi = end != ~0ull ? end : top + 0x10000;
}

static bool gmmu_module(const char *name, const char *mod)
{
	(void)name;
	return !strcmp(mod, "[iommu_ctx]") || !strcmp(mod, "[drm_gmmu]") ||
	       !strcmp(mod, "[swgpu]") || !strcmp(mod, "[jdgpu]");
}

static bool dma_debug(const char *name, const char *mod)
{
	return !mod[0] && !strncmp(name, "debug_dma_", 10);
}

void failnth_init(void)
{
	unsigned long long req_lo, req_hi, rej_lo, rej_hi;
	char path[PATH_MAX], v[32];
	unsigned int i;

	igt_require_f(access("/proc/thread-self/fail-nth", W_OK) == 0 &&
		      access(DBG "/failslab/probability", W_OK) == 0 &&
		      access(DBG "/fail_page_alloc/probability", W_OK) == 0,
		      "no fail-nth, failslab or fail_page_alloc: the kernel has no fault injection (the debug kernel does)\n");
	if (nth_fd >= 0)
		return;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), DBG "/%s/probability", caps[i]);
		read_text(path, v, sizeof(v));
		igt_require_f(!strcmp(v, "0"),
			      "%s injects at random already (probability %s)\n",
			      caps[i], v);
	}
	stacks = getenv("FAILNTH_STACKS");
	if (stacks)
		kmsg_fd = open("/dev/kmsg", O_WRONLY);
	text_range(gmmu_module, &req_lo, &req_hi);
	igt_require_f(req_lo, "no gmmu module's text in /proc/kallsyms\n");
	text_range(dma_debug, &rej_lo, &rej_hi);
	atexit(restore_attrs);
	for (i = 0; i < 2; i++) {
		const char *c = caps[i];

		/* Sleeping allocations too: by default only atomic ones fail. */
		set_attr(c, "ignore-gfp-wait", "N");
		/*
		 * One line a failure (rate-limited), no stack dump:
		 * FAILNTH_STACKS=1 dumps each failure's stack, to see where
		 * a call's failures land (the kernel log check then fails).
		 */
		set_attr(c, "verbose", stacks ? "2" : "1");
		if (stacks)
			set_attr(c, "verbose_ratelimit_burst", "1000000");
		set_attr(c, "stacktrace-depth", "32");
		snprintf(v, sizeof(v), "%#llx", req_lo);
		set_attr(c, "require-start", v);
		snprintf(v, sizeof(v), "%#llx", req_hi);
		set_attr(c, "require-end", v);
		snprintf(v, sizeof(v), "%#llx", rej_lo);
		set_attr(c, "reject-start", v);
		snprintf(v, sizeof(v), "%#llx", rej_hi);
		set_attr(c, "reject-end", v);
	}
	/* Order-0 pages too (shmem backing, page tables). */
	set_attr("fail_page_alloc", "min-order", "0");
	set_attr("fail_page_alloc", "ignore-gfp-highmem", "N");
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	igt_assert(nth_fd >= 0);
	igt_info("failnth: allocations under %#llx..%#llx fail, none under %#llx..%#llx\n",
		 req_lo, req_hi, rej_lo, rej_hi);
}

static void arm(unsigned int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%u", n);

	igt_assert_eq(pwrite(nth_fd, s, len, 0), len);
}

/* Disarms; returns whether the armed allocation was reached and failed. */
static bool disarm(void)
{
	char s[16] = "";
	ssize_t n = pread(nth_fd, s, sizeof(s) - 1, 0);

	igt_assert(n > 0);
	s[n] = 0;
	arm(0);
	return strtoul(s, NULL, 10) == 0;
}

/* What a failed call must leave as it was, and a round must give back. */
struct state {
	char text[1024];
};

/*
 * The device's gmmu_vms counters that a failed call must leave and a
 * round must give back, read in one go, and the file's BO memory.
 */
static void add_dev(struct state *s, int fd)
{
	static const char *const keys[] = {
		"vms", "tables", "table_bytes", "mapped_bytes",
	};
	char dir[PATH_MAX], path[PATH_MAX + 16], line[256];
	long long v, maps = -1, unmaps = -1;
	size_t len = strlen(s->text);
	unsigned int i, found = 0;
	FILE *f;

	if (fd < 0)
		return;
	igt_assert_eq(gmmu_debugfs_dir(fd, dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/gmmu_vms", dir);
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %s\n", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		*colon = 0;
		v = strtoll(colon + 1, NULL, 0);
		if (!strcmp(line, "level1_maps"))
			maps = v;
		else if (!strcmp(line, "level1_unmaps"))
			unmaps = v;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strcmp(line, keys[i]))
				continue;
			len += snprintf(s->text + len, sizeof(s->text) - len,
					"%s %lld ", keys[i], v);
			found++;
		}
	}
	fclose(f);
	igt_assert_f(found == sizeof(keys) / sizeof(keys[0]) && maps >= 0 &&
		     unmaps >= 0, "%s lacks a counter\n", path);
	len += snprintf(s->text + len, sizeof(s->text) - len,
			"level1_held %lld ", maps - unmaps);
	/*
	 * The file's BOs, as fdinfo counts them (drm_show_memory_stats()):
	 * their total size. Not the resident size: a failed call may have
	 * given a BO the pages it would get at its first use anyway.
	 */
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "drm-total-", 10))
			continue;
		line[strcspn(line, "\n")] = 0;
		len += snprintf(s->text + len, sizeof(s->text) - len, "[%s] ", line);
	}
	fclose(f);
	igt_assert(len < sizeof(s->text) - 1);
}

static void get_state(const struct failnth_op *op, struct state *s)
{
	struct dirent *e;
	int fds = 0;
	DIR *d;

	s->text[0] = 0;
	d = opendir("/proc/self/fd");
	igt_assert(d);
	while ((e = readdir(d)))
		fds += e->d_name[0] != '.';
	closedir(d);
	snprintf(s->text, sizeof(s->text), "fds %d | ", fds);
	add_dev(s, op->fd);
	strcat(s->text, "| ");
	add_dev(s, op->fd2);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

/* Asserts the state comes back to @want, giving deferred frees time. */
static void assert_state(const struct failnth_op *op, const struct state *want,
			 unsigned int n, const char *when)
{
	long long end = now_ms() + SETTLE_MS;
	struct state s;

	for (;;) {
		get_state(op, &s);
		if (!strcmp(s.text, want->text) || now_ms() > end)
			break;
		usleep(10000);
	}
	igt_assert_f(!strcmp(s.text, want->text),
		     "%s, allocation %u failed: %s\n  was: %s\n  now: %s\n",
		     op->name, n, when, want->text, s.text);
}

/* With FAILNTH_STACKS, names a round in the kernel log, by its stack. */
static void kmsg_round(const struct failnth_op *op, unsigned int n, int ret,
		       bool hit)
{
	char s[160];
	int len;

	if (kmsg_fd < 0)
		return;
	len = snprintf(s, sizeof(s), "failnth: %s, allocation %u: %s\n",
		       op->name, n, !hit ? "not reached" :
		       ret ? strerror(-ret) : "tolerated");
	if (write(kmsg_fd, s, len) != len)
		igt_debug("failnth: /dev/kmsg: %s\n", strerror(errno));
}

static bool allowed(const struct failnth_op *op, int ret)
{
	static const int enomem[] = { ENOMEM, 0 };
	const int *e;

	for (e = op->errnos ? op->errnos : enomem; *e; e++)
		if (ret == -*e)
			return true;
	return false;
}

void failnth_run(const struct failnth_op *op, void *ctx,
		 struct failnth_result *r)
{
	struct state s0, s1;
	unsigned int n;
	bool hit;
	int ret;

	igt_assert(nth_fd >= 0);
	memset(r, 0, sizeof(*r));
	for (n = 1; n <= FAILNTH_MAX; n++) {
		get_state(op, &s0);
		if (op->prepare)
			op->prepare(ctx);
		get_state(op, &s1);
		arm(n);
		ret = op->call(ctx);
		hit = disarm();
		kmsg_round(op, n, ret, hit);
		if (!hit) {
			igt_assert_f(ret == 0,
				     "%s: with nothing failed (%u allocations) it returned %d (%s)\n",
				     op->name, n - 1, ret, strerror(-ret));
			op->check(ctx, ret);
			assert_state(op, &s0, n, "after the round that failed none");
			igt_info("failnth: %s: %u allocations, each failed once: %u errors, %u tolerated\n",
				 op->name, r->points, r->failed, r->tolerated);
			return;
		}
		r->points++;
		if (ret) {
			igt_assert_f(allowed(op, ret),
				     "%s: allocation %u failed, the call returned %d (%s)\n",
				     op->name, n, ret, strerror(-ret));
			r->failed++;
			assert_state(op, &s1, n, "the failed call left something behind");
		} else {
			r->tolerated++;
		}
		op->check(ctx, ret);
		assert_state(op, &s0, n, "leaked by the round");
	}
	igt_assert_f(0, "%s: still allocating after %u allocations\n",
		     op->name, FAILNTH_MAX);
}
