// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Buffer objects: DRM_IOCTL_SWGPU_BO_CREATE and _BO_MMAP_OFFSET, working
 * cases with bytes checked through mmap, and every kind of bad input.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "gmmu_igt.h"
#include "swgpu.h"

static void fill(uint32_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = seed ^ (uint32_t)(i * 2654435761u);
}

static void check(const uint32_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		igt_assert_f(p[i] == (seed ^ (uint32_t)(i * 2654435761u)),
			     "word %zu: %#x\n", i, p[i]);
}

static void test_bytes(int fd, int fd2)
{
	const uint64_t size = 1 << 20;
	uint32_t *a, *b, handle;
	size_t i;

	igt_assert_eq(swgpu_bo_create(fd, size, &handle), 0);
	igt_assert_eq(swgpu_bo_mmap(fd, handle, size, (void **)&a), 0);
	for (i = 0; i < size / 4; i++)
		igt_assert_eq_u32(a[i], 0);
	fill(a, size / 4, 0x5a5a0000);
	/* A second mapping of the same BO sees the same bytes. */
	igt_assert_eq(swgpu_bo_mmap(fd, handle, size, (void **)&b), 0);
	check(b, size / 4, 0x5a5a0000);
	munmap(b, size);
	/* The mapping outlives the handle. */
	igt_assert_eq(swgpu_bo_close(fd, handle), 0);
	check(a, size / 4, 0x5a5a0000);
	munmap(a, size);
	(void)fd2;
}

igt_main
{
	struct drm_gmmu_bo_create_args c;
	struct drm_gmmu_bo_mmap_offset_args m;
	uint64_t max = 0;
	int fd = -1;

	igt_fixture {
		fd = swgpu_open(-1, SWGPU_OPEN_RENDER);
		igt_require_f(fd >= 0, "no swgpu device\n");
		igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_MAX_BO_SIZE, &max), 0);
		igt_assert(max >= (1ull << 30));
	}

	igt_subtest("create-mmap-bytes") {
		int slot;

		for (slot = 0; slot < 2; slot++) {
			int f = swgpu_open(slot, SWGPU_OPEN_RENDER);

			igt_require(f >= 0);
			test_bytes(f, -1);
			close(f);
		}
	}

	igt_subtest("create-sizes") {
		static const uint64_t ok[] = { 4096, 8192, 1 << 21, 3 << 20 };
		uint32_t h;

		for (unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
			igt_assert_eq(swgpu_bo_create(fd, ok[i], &h), 0);
			igt_assert_eq(swgpu_bo_close(fd, h), 0);
		}
		/* The largest allowed size is accepted: backing comes lazily. */
		igt_assert_eq(swgpu_bo_create(fd, max, &h), 0);
		igt_assert_eq(swgpu_bo_close(fd, h), 0);
	}

	igt_subtest("create-bad-size") {
		const uint64_t bad[] = { 0, 1, 4095, 4097, 4096 + 512, max + 4096,
					 1ull << 63, ~0ull, ~0ull & ~4095ull };

		for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			memset(&c, 0, sizeof(c));
			c.size = bad[i];
			c.handle = 0xdead;
			do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_CREATE, &c, EINVAL);
			igt_assert_eq_u32(c.handle, 0xdead);
		}
	}

	igt_subtest("create-bad-flags") {
		for (unsigned int bit = 0; bit < 32; bit++) {
			/* Valid on some profiles: swgpu_bo_wc tests it. */
			if (1u << bit == DRM_GMMU_BO_CREATE_WC)
				continue;
			memset(&c, 0, sizeof(c));
			c.size = 4096;
			c.flags = 1u << bit;
			do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_CREATE, &c, EINVAL);
		}
	}

	igt_subtest("create-bad-extension") {
		struct drm_gmmu_user_extension ext = { .name = 1 };

		memset(&c, 0, sizeof(c));
		c.size = 4096;
		c.extensions = (uintptr_t)&ext;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_CREATE, &c, EINVAL);
		c.extensions = 8;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_CREATE, &c, EFAULT);
	}

	igt_subtest("mmap-offset-bad-handle") {
		uint32_t h;

		memset(&m, 0, sizeof(m));
		m.handle = 0;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m, ENOENT);
		m.handle = 0x7fffffff;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m, ENOENT);
		/* A closed handle is gone. */
		igt_assert_eq(swgpu_bo_create(fd, 4096, &h), 0);
		igt_assert_eq(swgpu_bo_close(fd, h), 0);
		m.handle = h;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m, ENOENT);
		igt_assert_eq(swgpu_bo_close(fd, h), -EINVAL);
	}

	igt_subtest("mmap-offset-bad-flags-and-extension") {
		struct drm_gmmu_user_extension ext = { .name = 3 };
		uint32_t h;

		igt_assert_eq(swgpu_bo_create(fd, 4096, &h), 0);
		for (unsigned int bit = 0; bit < 32; bit++) {
			memset(&m, 0, sizeof(m));
			m.handle = h;
			m.flags = 1u << bit;
			do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m, EINVAL);
		}
		memset(&m, 0, sizeof(m));
		m.handle = h;
		m.extensions = (uintptr_t)&ext;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m, EINVAL);
		igt_assert_eq(swgpu_bo_close(fd, h), 0);
	}

	igt_subtest("handles-are-per-file") {
		int f2 = swgpu_open(-1, SWGPU_OPEN_RENDER);
		uint32_t h;

		igt_assert(f2 >= 0);
		igt_assert_eq(swgpu_bo_create(fd, 4096, &h), 0);
		memset(&m, 0, sizeof(m));
		m.handle = h;
		do_ioctl_err(f2, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m, ENOENT);
		close(f2);
		igt_assert_eq(swgpu_bo_close(fd, h), 0);
	}

	igt_subtest("mmap-beyond-bo") {
		uint32_t h;
		void *p;

		igt_assert_eq(swgpu_bo_create(fd, 8192, &h), 0);
		memset(&m, 0, sizeof(m));
		m.handle = h;
		do_ioctl(fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m);
		p = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, m.offset);
		igt_assert(p == MAP_FAILED);
		igt_assert_eq(errno, EINVAL);
		igt_assert_eq(swgpu_bo_close(fd, h), 0);
	}

	igt_subtest("many-bos") {
		static uint32_t h[2048];

		for (unsigned int i = 0; i < 2048; i++)
			igt_assert_eq(swgpu_bo_create(fd, 4096, &h[i]), 0);
		for (unsigned int i = 0; i < 2048; i++)
			igt_assert_eq(swgpu_bo_close(fd, h[i]), 0);
	}

	igt_fixture
		close(fd);
}
