// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Hot-unbind of an swgpu PCI device through sysfs, with and without open
 * clients, and binding it back. Destructive: runs only where swgpu is bound.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "gmmu_igt.h"
#include "swgpu.h"

/* The PCI address of the device behind @fd, from sysfs. */
static void pci_address_of(int fd, char *bdf, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;
	char *slash;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	n = readlink(link, target, sizeof(target) - 1);
	igt_assert(n > 0);
	target[n] = 0;
	slash = strrchr(target, '/');
	igt_assert(slash);
	snprintf(bdf, len, "%s", slash + 1);
}

static void sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));
	n = write(fd, val, strlen(val));
	igt_assert_f(n == (ssize_t)strlen(val), "write %s to %s: %s\n", val, path, strerror(errno));
	close(fd);
}

static void unbind(const char *bdf)
{
	sysfs_write("/sys/bus/pci/drivers/swgpu/unbind", bdf);
}

static void bind(const char *bdf)
{
	sysfs_write("/sys/bus/pci/drivers/swgpu/bind", bdf);
}

static int open_bdf_slot(uint64_t slot)
{
	return swgpu_open((int)slot, SWGPU_OPEN_RENDER);
}

igt_main
{
	char bdf[64];
	uint64_t slot = 0, profile = 0;
	int fd = -1;

	igt_fixture {
		igt_require_f(getenv("GMMU_IN_VM"),
			      "destructive: runs only inside the test VM\n");
		fd = swgpu_open(-1, SWGPU_OPEN_RENDER);
		igt_require_f(fd >= 0, "no swgpu device\n");
		pci_address_of(fd, bdf, sizeof(bdf));
		igt_assert_eq(swgpu_get_param(fd, DRM_SWGPU_PARAM_SLOT, &slot), 0);
		igt_assert_eq(swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile), 0);
		close(fd);
		igt_info("device %s, slot %llu\n", bdf, (unsigned long long)slot);
	}

	igt_subtest("unbind-rebind") {
		uint64_t v;
		int f;

		unbind(bdf);
		igt_assert_eq(open_bdf_slot(slot), -ENODEV);
		bind(bdf);
		f = open_bdf_slot(slot);
		igt_assert(f >= 0);
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), 0);
		igt_assert_eq(v, profile);
		close(f);
	}

	igt_subtest("unbind-with-open-client") {
		uint64_t v;
		int f = open_bdf_slot(slot), card;

		igt_assert(f >= 0);
		card = swgpu_open((int)slot, SWGPU_OPEN_PRIMARY);
		igt_assert(card >= 0);
		unbind(bdf);
		/* The files stay open; the device behind them is gone. */
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), -ENODEV);
		igt_assert_eq(swgpu_get_param(card, DRM_SWGPU_PARAM_PROFILE, &v), -ENODEV);
		bind(bdf);
		/* The old files stay dead after the rebind; new ones work. */
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), -ENODEV);
		close(f);
		close(card);
		f = open_bdf_slot(slot);
		igt_assert(f >= 0);
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), 0);
		igt_assert_eq(v, profile);
		close(f);
	}

	igt_subtest("unbind-with-mmapped-bo") {
		const uint64_t size = 1 << 20;
		uint32_t handle, *p;
		uint64_t v;
		int f = open_bdf_slot(slot);

		igt_assert(f >= 0);
		igt_assert_eq(swgpu_bo_create(f, size, &handle), 0);
		igt_assert_eq(swgpu_bo_mmap(f, handle, size, (void **)&p), 0);
		for (size_t i = 0; i < size / 4; i++)
			p[i] = (uint32_t)i * 7;
		unbind(bdf);
		/* Ioctls fail; the CPU mapping keeps the bytes. */
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), -ENODEV);
		igt_assert_eq(swgpu_bo_create(f, 4096, &handle), -ENODEV);
		for (size_t i = 0; i < size / 4; i++)
			igt_assert_eq_u32(p[i], (uint32_t)i * 7);
		p[0] = 1;
		igt_assert_eq_u32(p[0], 1);
		munmap(p, size);
		close(f);
		bind(bdf);
		f = open_bdf_slot(slot);
		igt_assert(f >= 0);
		close(f);
	}

	igt_subtest("unbind-rebind-loop") {
		int i;

		for (i = 0; i < 10; i++) {
			unbind(bdf);
			bind(bdf);
		}
		fd = open_bdf_slot(slot);
		igt_assert(fd >= 0);
		close(fd);
	}
}
