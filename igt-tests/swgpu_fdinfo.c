// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * fdinfo usage statistics (Documentation/gpu/drm-usage-stats.rst), read
 * from /proc/self/fdinfo/<fd> of a fresh file on every GPU: the DRM core's
 * keys (drm-driver, drm-client-id, drm-pdev); memory totals exact to the
 * byte for the BOs the test made, resident memory following the pages the
 * CPU touched, shared memory once a BO is exported; and drm-engine-render
 * busy time growing while a batch spins on a SEMAPHORE_WAIT and frozen
 * once another VM's job has released it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_igt.h"

#define SEM_OFF		8

struct fdinfo {
	char text[8192];
};

static void fdinfo_read(int fd, struct fdinfo *fi)
{
	char path[64];
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	igt_assert_f(f >= 0, "cannot open %s\n", path);
	n = read(f, fi->text, sizeof(fi->text) - 1);
	close(f);
	igt_assert(n > 0);
	fi->text[n] = 0;
}

/* The value of @key ("drm-...") as text, or NULL. */
static const char *fdinfo_str(const struct fdinfo *fi, const char *key)
{
	size_t len = strlen(key);
	const char *p = fi->text;

	while (p && *p) {
		if (!strncmp(p, key, len) && p[len] == ':') {
			p += len + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* A number with its unit: bytes (none, KiB, MiB) or "ns". */
static uint64_t fdinfo_u64(const struct fdinfo *fi, const char *key)
{
	const char *s = fdinfo_str(fi, key);
	unsigned long long v;
	char line[64], unit[8] = "";

	igt_assert_f(s, "no %s in fdinfo:\n%s", key, fi->text);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(s, "\n"), s);
	igt_assert_f(sscanf(line, "%llu %7[A-Za-z]", &v, unit) >= 1,
		     "%s: bad value \"%.20s\"\n", key, s);
	if (!strcmp(unit, "KiB"))
		return v << 10;
	if (!strcmp(unit, "MiB"))
		return v << 20;
	igt_assert_f(!unit[0] || !strcmp(unit, "ns"), "%s: unit %s\n", key, unit);
	return v;
}

static uint64_t busy_ns(int fd)
{
	struct fdinfo fi;

	fdinfo_read(fd, &fi);
	return fdinfo_u64(&fi, "drm-engine-render");
}

static void sleep_ms(unsigned int ms)
{
	usleep(ms * 1000);
}

static const char *const mem_keys[] = {
	"drm-total-memory", "drm-shared-memory", "drm-active-memory",
	"drm-resident-memory", "drm-purgeable-memory",
};

static void test_keys(struct gpu *g)
{
	int a = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
	int b = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
	struct fdinfo fa, fb;
	unsigned int dom, bus, dev, fn;
	const char *s;

	igt_assert(a >= 0 && b >= 0);
	fdinfo_read(a, &fa);
	fdinfo_read(b, &fb);
	s = fdinfo_str(&fa, "drm-driver");
	igt_assert_f(s && !strncmp(s, "swgpu\n", 6), "drm-driver: %.20s\n", s ? s : "(none)");
	igt_assert_neq(fdinfo_u64(&fa, "drm-client-id"), fdinfo_u64(&fb, "drm-client-id"));
	s = fdinfo_str(&fa, "drm-pdev");
	igt_assert_f(s && sscanf(s, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) == 4,
		     "drm-pdev: %.20s\n", s ? s : "(none)");
	/*
	 * A fresh file has used nothing. Resident and purgeable memory are
	 * shown once a BO says whether it is (the DRM core's rule).
	 */
	igt_assert_eq_u64(fdinfo_u64(&fa, "drm-engine-render"), 0);
	for (unsigned int i = 0; i < sizeof(mem_keys) / sizeof(mem_keys[0]); i++)
		if (i < 3 || fdinfo_str(&fa, mem_keys[i]))
			igt_assert_eq_u64(fdinfo_u64(&fa, mem_keys[i]), 0);
	close(a);
	close(b);
}

static void test_memory(struct gpu *g)
{
	const uint64_t s1 = 1ull << 20, s2 = 3 * 4096;
	int fd = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
	uint32_t h1, h2;
	struct fdinfo fi;
	void *p;
	int dmabuf;

	igt_assert(fd >= 0);
	igt_assert_eq(swgpu_bo_create(fd, s1, &h1), 0);
	igt_assert_eq(swgpu_bo_create(fd, s2, &h2), 0);
	fdinfo_read(fd, &fi);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-total-memory"), s1 + s2);
	/* No page is allocated before it is used. */
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-resident-memory"), 0);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-shared-memory"), 0);

	/* The CPU touches every page of the small BO. */
	igt_assert_eq(swgpu_bo_mmap(fd, h2, s2, &p), 0);
	memset(p, 0x5a, s2);
	fdinfo_read(fd, &fi);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-resident-memory"), s2);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-purgeable-memory"), 0);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-active-memory"), 0);

	/* Exported, the big one is shared. */
	igt_assert_eq(drmPrimeHandleToFD(fd, h1, DRM_CLOEXEC, &dmabuf), 0);
	fdinfo_read(fd, &fi);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-shared-memory"), s1);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-total-memory"), s1 + s2);
	close(dmabuf);

	munmap(p, s2);
	igt_assert_eq(swgpu_bo_close(fd, h1), 0);
	fdinfo_read(fd, &fi);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-total-memory"), s2);
	igt_assert_eq(swgpu_bo_close(fd, h2), 0);
	fdinfo_read(fd, &fi);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-total-memory"), 0);
	close(fd);
}

static void test_busy(struct gpu *g)
{
	int fd = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
	uint64_t b0, b1, b2, b3;
	struct fdinfo fi;
	struct tvm v, w;
	int spin;

	igt_assert(fd >= 0);
	tvm_init(&v, fd);
	igt_assert_eq_u64(busy_ns(fd), 0);
	tvm_assert_works(&v);
	b0 = busy_ns(fd);
	igt_assert_f(b0 > 0, "a job ran, yet no busy time\n");

	/* A batch that waits until another VM's queue signals. */
	tvm_init(&w, fd);
	igt_assert_eq(swgpu_vm_bind(fd, w.id, v.scratch.handle, 0, TVM_DATA_VA,
				    TVM_SCRATCH_SIZE, 0), 0);
	swgpu_batch_sem_wait(tvm_batch(&v), TVM_SCRATCH_VA + SEM_OFF, 1, ~0ull,
			     SWGPU_SEM_COMPARE_EQ);
	spin = tvm_submit(&v, NULL);
	sleep_ms(100);
	b1 = busy_ns(fd);
	sleep_ms(400);
	b2 = busy_ns(fd);
	igt_info("%s: busy %llu ns, then %llu ns 400 ms later while spinning\n", g->name,
		 (unsigned long long)b1, (unsigned long long)b2);
	igt_assert_f(b2 - b1 >= 200000000ull, "busy grew by %llu ns in 400 ms of spinning\n",
		     (unsigned long long)(b2 - b1));
	/* The batch and scratch BOs are shared and mapped writable: active. */
	fdinfo_read(fd, &fi);
	igt_assert_lt(0, fdinfo_u64(&fi, "drm-active-memory"));
	igt_assert_eq(fence_signalled(spin), 0);

	swgpu_batch_sem_signal(tvm_batch(&w), TVM_DATA_VA + SEM_OFF, 1);
	igt_assert_eq(fence_status(tvm_submit(&w, NULL)), 0);
	igt_assert_eq(fence_status(spin), 0);
	b2 = busy_ns(fd);
	sleep_ms(200);
	b3 = busy_ns(fd);
	igt_assert_f(b3 == b2, "busy grew by %llu ns with nothing running\n",
		     (unsigned long long)(b3 - b2));
	fdinfo_read(fd, &fi);
	igt_assert_eq_u64(fdinfo_u64(&fi, "drm-active-memory"), 0);
	/* The spinner's whole time counted, and never more than wall time. */
	igt_assert_lt(b1 + 400000000ull, b3 + 1);
	tvm_fini(&w);
	tvm_fini(&v);
	close(fd);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("keys")
		each_gpu(gpus, n, test_keys);
	igt_subtest("memory")
		each_gpu(gpus, n, test_memory);
	igt_subtest("engine-busy")
		each_gpu(gpus, n, test_busy);

	igt_fixture
		gpus_close(gpus, n);
}
