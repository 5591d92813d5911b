// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * DRM_IOCTL_SWGPU_GET_PARAM: every parameter on every GPU, and every way
 * of getting the argument wrong. The address-space slot count is checked
 * against drm_gmmu's debugfs too, and the page-table format against the
 * VA width and page sizes it allows.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "gmmu_igt.h"
#include "swgpu.h"
#include "swgpu_dfs.h"
#include "swgpu_igt.h"

/* The most VA bits and the page sizes of each format (uapi kernel-doc). */
static const struct {
	unsigned int va_bits;
	uint64_t sizes;
} formats[] = {
	[DRM_GMMU_PT_FORMAT_X86_48] = { 48, 0x40000000ull | 0x200000 | 0x10000 | 0x1000 },
	[DRM_GMMU_PT_FORMAT_X86_32] = { 32, 0x1000 },
	[DRM_GMMU_PT_FORMAT_LPAE_40] = { 39, 0x200000 | 0x1000 },
};

static void check_params(int fd)
{
	uint64_t profile, coherent, va, dma, sizes, slot, as_slots, format;

	igt_assert_eq(swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_COHERENT, &coherent), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_VA_BITS, &va), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_DMA_BITS, &dma), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_PAGE_SIZES, &sizes), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_SWGPU_PARAM_SLOT, &slot), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_AS_SLOTS, &as_slots), 0);
	igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_PT_FORMAT, &format), 0);
	igt_info("slot %llu: %s, coherent %llu, va %llu bits, dma %llu bits, page sizes %#llx, %llu address-space slots, format %llu\n",
		 (unsigned long long)slot, swgpu_profile_name(profile),
		 (unsigned long long)coherent, (unsigned long long)va,
		 (unsigned long long)dma, (unsigned long long)sizes,
		 (unsigned long long)as_slots, (unsigned long long)format);

	/* Whatever the model, the format must allow what the GPU claims. */
	igt_assert_f(format >= DRM_GMMU_PT_FORMAT_X86_48 &&
		     format <= DRM_GMMU_PT_FORMAT_LPAE_40,
		     "format %llu\n", (unsigned long long)format);
	igt_assert(va <= formats[format].va_bits);
	igt_assert_eq_u64(sizes & ~formats[format].sizes, 0);

	switch (profile) {
	case DRM_SWGPU_PROFILE_LLC:
		igt_assert_eq(coherent, 1);
		igt_assert_eq(va, 48);
		igt_assert_eq(dma, 64);
		igt_assert_eq_u64(sizes, 0x40000000ull | 0x200000 | 0x10000 | 0x1000);
		igt_assert_eq(as_slots, 16);
		igt_assert_eq(format, DRM_GMMU_PT_FORMAT_X86_48);
		break;
	case DRM_SWGPU_PROFILE_ATOM:
		igt_assert_eq(coherent, 0);
		igt_assert_eq(va, 32);
		igt_assert_eq(dma, 32);
		igt_assert_eq_u64(sizes, 0x1000);
		igt_assert_eq(as_slots, 1);
		igt_assert_eq(format, DRM_GMMU_PT_FORMAT_X86_32);
		break;
	default:
		igt_assert_f(0, "unknown profile %llu\n", (unsigned long long)profile);
	}
}

/* Lines "slotN: ..." of @d's gmmu_slots: one per slot in use. */
static int slot_lines(const struct dfs *d)
{
	char path[PATH_MAX + 32], line[256];
	unsigned int i;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/gmmu_slots", d->dir);
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %m\n", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "slot%u:", &i) == 1)
			n++;
	fclose(f);
	return n;
}

/*
 * AS_SLOTS is the slot manager's hardware count: debugfs gmmu_slots says
 * the same ("max") and lists that many slots while all are in use, and
 * a test that has the driver use fewer (the debugfs knob) does not change
 * what GET_PARAM says.
 */
static void check_as_slots(struct gpu *g)
{
	uint64_t as_slots, again = 0;
	int lines, ret;
	char num[24];
	struct dfs d;

	igt_assert_eq(swgpu_get_param(g->fd, DRM_GMMU_PARAM_AS_SLOTS, &as_slots), 0);
	igt_assert(as_slots >= 1);
	dfs_init(&d, g);
	igt_assert_eq(dfs_value(&d, "gmmu_slots", "max"), (long long)as_slots);
	igt_assert_eq(dfs_value(&d, "gmmu_slots", "slots"), (long long)as_slots);
	igt_assert_eq(slot_lines(&d), (int)as_slots);
	/* Checked once all slots are in use again, whatever the outcome. */
	dfs_write(&d, "gmmu_slots", "1");
	lines = slot_lines(&d);
	ret = swgpu_get_param(g->fd, DRM_GMMU_PARAM_AS_SLOTS, &again);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)as_slots);
	dfs_write(&d, "gmmu_slots", num);
	igt_assert_eq(lines, 1);
	igt_assert_eq(ret, 0);
	igt_assert_eq_u64(again, as_slots);
	igt_assert_eq(slot_lines(&d), (int)as_slots);
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

	igt_subtest("as-slots-debugfs") {
		struct gpu g[MAX_GPUS];
		int n = gpus_open(g);

		each_gpu(g, n, check_as_slots);
		gpus_close(g, n);
	}

	igt_subtest("primary-node") {
		int f = swgpu_open(-1, SWGPU_OPEN_PRIMARY);

		igt_assert(f >= 0);
		check_params(f);
		close(f);
	}

	igt_subtest("invalid-param") {
		static const uint32_t bad[] = { DRM_GMMU_PARAM_INVALID,
						DRM_GMMU_PARAM_PT_FORMAT + 1,
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
