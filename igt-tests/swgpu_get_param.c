// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * DRM_IOCTL_SWGPU_GET_PARAM: every parameter on every GPU, and every way
 * of getting the argument wrong.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "gmmu_igt.h"
#include "swgpu.h"

static void check_params(int fd)
{
	uint64_t profile, coherent, va, dma, sizes, slot;

	igt_assert_eq(swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_COHERENT, &coherent), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_VA_BITS, &va), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_DMA_BITS, &dma), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_PAGE_SIZES, &sizes), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_SWGPU_PARAM_SLOT, &slot), 0);
	igt_info("slot %llu: %s, coherent %llu, va %llu bits, dma %llu bits, page sizes %#llx\n",
		 (unsigned long long)slot, swgpu_profile_name(profile),
		 (unsigned long long)coherent, (unsigned long long)va,
		 (unsigned long long)dma, (unsigned long long)sizes);

	switch (profile) {
	case DRM_SWGPU_PROFILE_LLC:
		igt_assert_eq(coherent, 1);
		igt_assert_eq(va, 48);
		igt_assert_eq(dma, 64);
		igt_assert_eq_u64(sizes, 0x40000000ull | 0x200000 | 0x10000 | 0x1000);
		break;
	case DRM_SWGPU_PROFILE_ATOM:
		igt_assert_eq(coherent, 0);
		igt_assert_eq(va, 32);
		igt_assert_eq(dma, 32);
		igt_assert_eq_u64(sizes, 0x1000);
		break;
	default:
		igt_assert_f(0, "unknown profile %llu\n", (unsigned long long)profile);
	}
}

igt_main
{
	struct drm_gmmu_get_param_args gp;
	int fd = -1;

	igt_fixture {
		fd = swgpu_open(-1, SWGPU_OPEN_RENDER);
		igt_require_f(fd >= 0, "no swgpu device\n");
	}

	igt_subtest("basic")
		check_params(fd);

	igt_subtest("all-gpus") {
		int n = swgpu_count(), i, seen = 0;

		/* The harness boots two GPUs: slot 0 llc, slot 1 atom. */
		igt_require(n >= 2);
		for (i = 0; i < 8 && seen < n; i++) {
			uint64_t profile;
			int f = swgpu_open(i, SWGPU_OPEN_RENDER);

			if (f < 0)
				continue;
			seen++;
			check_params(f);
			igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &profile), 0);
			if (i == 0)
				igt_assert_eq(profile, DRM_SWGPU_PROFILE_LLC);
			if (i == 1)
				igt_assert_eq(profile, DRM_SWGPU_PROFILE_ATOM);
			close(f);
		}
		igt_assert_eq(seen, n);
	}

	igt_subtest("primary-node") {
		int f = swgpu_open(-1, SWGPU_OPEN_PRIMARY);

		igt_assert(f >= 0);
		check_params(f);
		close(f);
	}

	igt_subtest("invalid-param") {
		static const uint32_t bad[] = { DRM_GMMU_PARAM_INVALID,
						DRM_GMMU_PARAM_BO_CREATE_FLAGS + 1,
						0x100, 0x1000,
						DRM_GMMU_PARAM_DRIVER_BASE - 1,
						DRM_SWGPU_PARAM_SLOT + 1, ~0u };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			memset(&gp, 0, sizeof(gp));
			gp.param = bad[i];
			gp.value = 0xdeadbeef;
			do_ioctl_err(fd, DRM_IOCTL_SWGPU_GET_PARAM, &gp, EINVAL);
			igt_assert_eq_u64(gp.value, 0xdeadbeef);
		}
	}

	igt_subtest("invalid-flags") {
		unsigned int bit;

		for (bit = 0; bit < 32; bit++) {
			memset(&gp, 0, sizeof(gp));
			gp.param = DRM_SWGPU_PARAM_PROFILE;
			gp.flags = 1u << bit;
			do_ioctl_err(fd, DRM_IOCTL_SWGPU_GET_PARAM, &gp, EINVAL);
		}
	}

	igt_subtest("unknown-extension") {
		struct drm_gmmu_user_extension ext = { .name = 1 };

		memset(&gp, 0, sizeof(gp));
		gp.param = DRM_SWGPU_PARAM_PROFILE;
		gp.extensions = (uintptr_t)&ext;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_GET_PARAM, &gp, EINVAL);
		ext.name = 0;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_GET_PARAM, &gp, EINVAL);
	}

	igt_subtest("extension-flags") {
		struct drm_gmmu_user_extension ext = { .flags = 1 };

		memset(&gp, 0, sizeof(gp));
		gp.param = DRM_SWGPU_PARAM_PROFILE;
		gp.extensions = (uintptr_t)&ext;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_GET_PARAM, &gp, EINVAL);
	}

	igt_subtest("extension-fault") {
		void *unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(unmapped != MAP_FAILED);
		memset(&gp, 0, sizeof(gp));
		gp.param = DRM_SWGPU_PARAM_PROFILE;
		gp.extensions = (uintptr_t)unmapped;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_GET_PARAM, &gp, EFAULT);
		gp.extensions = 16;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_GET_PARAM, &gp, EFAULT);
		gp.extensions = ~0ull;
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_GET_PARAM, &gp, EFAULT);
		munmap(unmapped, 4096);
	}

	igt_subtest("bad-argument-pointer") {
		/* The DRM core copies the argument in: a bad pointer is -EFAULT. */
		do_ioctl_err(fd, DRM_IOCTL_SWGPU_GET_PARAM, (void *)16, EFAULT);
	}

	igt_subtest("unknown-ioctl") {
		/* The first driver ioctl number with no handler. */
		unsigned long req = DRM_IOWR(DRM_COMMAND_BASE + 0x3f,
					     struct drm_gmmu_get_param_args);

		memset(&gp, 0, sizeof(gp));
		do_ioctl_err(fd, req, &gp, EINVAL);
	}

	igt_fixture
		close(fd);
}
