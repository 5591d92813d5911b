// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Dumb buffers on the card node, as IGT's generic tests and Mesa's
 * kms_swrast use them: CREATE_DUMB's pitch and size for several depths,
 * MAP_DUMB and mmap (what one mapping writes, another reads, and the
 * BO's own BO_MMAP_OFFSET maps the same pages), DESTROY_DUMB; and the
 * errnos of bad input (Documentation/robustness.rst): zero or huge
 * width, height and bpp, 32-bit overflow, flags, a size past the largest
 * BO, unknown handles, and the render node.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_igt.h"

#define PITCH_ALIGN	64
#define PAGE		4096ull

static int card_open(const struct gpu *g)
{
	int fd = swgpu_open(g->slot, SWGPU_OPEN_PRIMARY);

	igt_require_f(fd >= 0, "no card node for slot %d\n", g->slot);
	return fd;
}

static int dumb_create(int fd, struct drm_mode_create_dumb *c)
{
	return ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, c) ? -errno : 0;
}

static void *dumb_map(int fd, uint32_t handle, uint64_t size)
{
	struct drm_mode_map_dumb m = { .handle = handle };
	void *p;

	igt_assert_eq(ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m), 0);
	igt_assert(m.offset && !(m.offset & (PAGE - 1)));
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	igt_assert(p != MAP_FAILED);
	return p;
}

static void dumb_destroy(int fd, uint32_t handle)
{
	struct drm_mode_destroy_dumb d = { .handle = handle };

	igt_assert_eq(ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d), 0);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static void test_create_map(struct gpu *g)
{
	static const struct { uint32_t w, h, bpp; } geo[] = {
		{ 640, 480, 32 }, { 1, 1, 8 }, { 1001, 3, 24 }, { 333, 77, 16 }, { 7, 5, 1 },
	};
	int fd = card_open(g);

	for (unsigned int i = 0; i < sizeof(geo) / sizeof(geo[0]); i++) {
		struct drm_mode_create_dumb c = {
			.width = geo[i].w, .height = geo[i].h, .bpp = geo[i].bpp,
			/* Garbage in the outputs is ignored. */
			.handle = 0xdead, .pitch = 1, .size = 3,
		};
		uint64_t pitch = align_up((uint64_t)(geo[i].bpp + 7) / 8 * geo[i].w, PITCH_ALIGN);
		uint8_t *a, *b;
		void *p;

		igt_assert_eq(dumb_create(fd, &c), 0);
		igt_assert_neq(c.handle, 0);
		igt_assert_eq_u64(c.pitch, pitch);
		igt_assert_eq_u64(c.size, align_up(pitch * geo[i].h, PAGE));
		a = dumb_map(fd, c.handle, c.size);
		b = dumb_map(fd, c.handle, c.size);
		/* A new buffer reads as zeroes. */
		igt_assert_bytes(a, c.size, 0);
		pattern_fill(a, c.size, i + 1);
		igt_assert_pattern(b, c.size, i + 1, 0);
		/* The same pages through the driver's own mmap offset. */
		igt_assert_eq(swgpu_bo_mmap(fd, c.handle, c.size, &p), 0);
		igt_assert_pattern(p, c.size, i + 1, 0);
		munmap(p, c.size);
		munmap(b, c.size);
		dumb_destroy(fd, c.handle);
		/* A mapping outlives the handle: the pages are still the BO's. */
		igt_assert_pattern(a, c.size, i + 1, 0);
		munmap(a, c.size);
	}
	close(fd);
}

static void test_bad_input(struct gpu *g)
{
	static const struct { uint32_t w, h, bpp, flags; const char *what; } bad[] = {
		{ 0, 480, 32, 0, "zero width" },
		{ 640, 0, 32, 0, "zero height" },
		{ 640, 480, 0, 0, "zero bpp" },
		{ 640, 480, 0xffffffffu, 0, "huge bpp" },
		{ 0xffffffffu, 1, 32, 0, "huge width" },
		{ 1, 0xffffffffu, 32, 0, "huge height" },
		{ 0x40000000u, 1, 32, 0, "width * bpp overflows 32 bits" },
		{ 65536, 65536, 8, 0, "pitch * height overflows 32 bits" },
		{ 640, 480, 32, 1, "flags" },
	};
	struct drm_mode_create_dumb c;
	struct drm_mode_map_dumb m = { .handle = 0x7777 };
	struct drm_mode_destroy_dumb d = { .handle = 0x7777 };
	uint64_t max;
	int fd = card_open(g), rfd, ret;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.width = bad[i].w;
		c.height = bad[i].h;
		c.bpp = bad[i].bpp;
		c.flags = bad[i].flags;
		ret = dumb_create(fd, &c);
		igt_assert_f(ret == -EINVAL, "%s: %s gave %d, expected -EINVAL\n", g->name,
			     bad[i].what, ret);
	}

	/* Past the largest BO (-EINVAL), or, where RAM allows, not. */
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_MAX_BO_SIZE, &max), 0);
	memset(&c, 0, sizeof(c));
	c.width = 32768;
	c.height = 32767;
	c.bpp = 32;
	ret = dumb_create(fd, &c);
	if (32768ull * 4 * 32767 > max) {
		igt_assert_f(ret == -EINVAL, "%s: dumb of %llu bytes, largest BO %llu: %d\n",
			     g->name, 32768ull * 4 * 32767, (unsigned long long)max, ret);
	} else {
		igt_assert_eq(ret, 0);
		dumb_destroy(fd, c.handle);
	}

	/* Handles the file does not have. */
	igt_assert_eq(ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m), -1);
	igt_assert_eq(errno, ENOENT);
	igt_assert_eq(ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d), -1);
	igt_assert_eq(errno, EINVAL);

	/* Not on the render node. */
	rfd = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
	igt_assert(rfd >= 0);
	memset(&c, 0, sizeof(c));
	c.width = c.height = 16;
	c.bpp = 32;
	igt_assert_eq(dumb_create(rfd, &c), -EACCES);
	close(rfd);
	close(fd);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("create-map-mmap")
		each_gpu(gpus, n, test_create_map);
	igt_subtest("bad-input")
		each_gpu(gpus, n, test_bad_input);

	igt_fixture
		gpus_close(gpus, n);
}
