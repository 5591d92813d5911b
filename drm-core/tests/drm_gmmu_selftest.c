// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: uapi helpers self-test
 *
 * KTAP self-test of the drm_gmmu uapi helpers, run on module load. The
 * extension chains live in user memory mapped into the loading process
 * (insmod), because that is what the walker reads in real ioctls.
 */
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <drm/drm_gmmu.h>
#include <drm/gmmu_drm.h>

static unsigned int test_nr, test_failed;

static void report(bool ok, const char *name)
{
	test_nr++;
	if (!ok)
		test_failed++;
	pr_info("%sok %u %s\n", ok ? "" : "not ", test_nr, name);
}

struct ext_seen {
	unsigned int calls;
	u32 last_name;
	int fail_with;
};

static int ext_fn(u64 uptr, void *data)
{
	struct drm_gmmu_user_extension ext;
	struct ext_seen *seen = data;

	if (copy_from_user(&ext, u64_to_user_ptr(uptr), sizeof(ext)))
		return -EFAULT;
	seen->calls++;
	seen->last_name = ext.name;
	return seen->fail_with;
}

static const struct drm_gmmu_ext_handler handlers[] = {
	{ .name = 7, .fn = ext_fn },
	{ .name = 9, .fn = ext_fn },
};

/* Write extension @i of the chain at @base: name, flags, link to @next. */
static int put_ext(unsigned long base, unsigned int i, u32 name, u32 flags,
		   int next)
{
	struct drm_gmmu_user_extension ext = {
		.name = name,
		.flags = flags,
		.next_extension = next < 0 ? 0 : base + next * sizeof(ext),
	};

	return copy_to_user((void __user *)(base + i * sizeof(ext)), &ext,
			    sizeof(ext)) ? -EFAULT : 0;
}

static int walk(unsigned long base, unsigned int first, struct ext_seen *seen)
{
	return drm_gmmu_user_ext_walk(base + first * sizeof(struct drm_gmmu_user_extension),
				      handlers, ARRAY_SIZE(handlers), seen);
}

struct elem_v2 {
	u64 a;
	u64 b;		/* added in "v2": v1 userspace passes a 8-byte stride */
};

static void array_tests(unsigned long uarr)
{
	u64 user[6] = { 1, 2, 3, 4, 5, 0 };
	struct elem_v2 out[3];
	int ret;

	if (copy_to_user((void __user *)uarr, user, sizeof(user))) {
		report(false, "array-setup");
		return;
	}

	/* v1 userspace: stride 8, the new field reads as zero. */
	memset(out, 0xff, sizeof(out));
	ret = drm_gmmu_copy_user_array(out, sizeof(out[0]), 8, uarr, 3, 8);
	report(!ret && out[0].a == 1 && out[1].a == 2 && out[2].a == 3 &&
	       !out[0].b && !out[2].b, "array-old-stride-zero-fills");

	/* Same version: stride 16. */
	ret = drm_gmmu_copy_user_array(out, sizeof(out[0]), 8, uarr, 2, 16);
	report(!ret && out[0].a == 1 && out[0].b == 2 && out[1].a == 3 &&
	       out[1].b == 4, "array-same-stride");

	/* Newer userspace: stride 24, extra bytes 3 and 0 ... first is non-zero. */
	ret = drm_gmmu_copy_user_array(out, sizeof(out[0]), 8, uarr, 2, 24);
	report(ret == -EINVAL, "array-newer-stride-nonzero-rejected");

	report(drm_gmmu_copy_user_array(out, sizeof(out[0]), 8, uarr, 1, 4) == -EINVAL &&
	       drm_gmmu_copy_user_array(out, sizeof(out[0]), 8, uarr, 1, 12) == -EINVAL &&
	       drm_gmmu_copy_user_array(out, sizeof(out[0]), 8, 16, 1, 16) == -EFAULT,
	       "array-bad-stride-or-pointer");
}

static int __init drm_gmmu_selftest_init(void)
{
	struct ext_seen seen = {};
	unsigned long base;
	unsigned int i;
	int ret;

	pr_info("KTAP version 1\n");
	pr_info("1..13\n");

	base = vm_mmap(NULL, 0, SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(base)) {
		pr_info("# cannot map user memory: %ld\n", (long)base);
		for (i = 0; i < 13; i++)
			report(false, "user-memory");
		return 0;
	}

	report(drm_gmmu_user_ext_walk(0, handlers, ARRAY_SIZE(handlers), &seen) == 0 &&
	       seen.calls == 0, "ext-empty-chain");

	put_ext(base, 0, 7, 0, 1);
	put_ext(base, 1, 9, 0, -1);
	memset(&seen, 0, sizeof(seen));
	ret = walk(base, 0, &seen);
	report(ret == 0 && seen.calls == 2 && seen.last_name == 9, "ext-two-known");

	put_ext(base, 2, 8, 0, -1);
	memset(&seen, 0, sizeof(seen));
	report(walk(base, 2, &seen) == -EINVAL && seen.calls == 0, "ext-unknown-name");

	put_ext(base, 3, 7, 1, -1);
	memset(&seen, 0, sizeof(seen));
	report(walk(base, 3, &seen) == -EINVAL && seen.calls == 0, "ext-header-flags");

	put_ext(base, 4, 7, 0, 4);	/* links to itself */
	memset(&seen, 0, sizeof(seen));
	report(walk(base, 4, &seen) == -E2BIG &&
	       seen.calls == DRM_GMMU_MAX_EXTENSIONS, "ext-loop-bounded");

	memset(&seen, 0, sizeof(seen));
	report(drm_gmmu_user_ext_walk(16, handlers, ARRAY_SIZE(handlers), &seen) == -EFAULT,
	       "ext-bad-pointer");

	put_ext(base, 5, 7, 0, 6);
	put_ext(base, 6, 9, 0, -1);
	memset(&seen, 0, sizeof(seen));
	seen.fail_with = -ENOSPC;
	report(walk(base, 5, &seen) == -ENOSPC && seen.calls == 1, "ext-handler-error-stops");

	report(drm_gmmu_user_ext_walk(base, NULL, 0, NULL) == -EINVAL, "ext-none-accepted");

	{
		u8 buf[16] = {};

		ret = drm_gmmu_mem_is_zero(buf, sizeof(buf));
		buf[15] = 1;
		report(ret && !drm_gmmu_mem_is_zero(buf, sizeof(buf)), "mem-is-zero");
	}

	array_tests(base + SZ_2K);

	vm_munmap(base, SZ_4K);
	pr_info("# drm_gmmu_selftest: %u tests, %u failed\n", test_nr, test_failed);
	return 0;
}

static void __exit drm_gmmu_selftest_exit(void)
{
}

module_init(drm_gmmu_selftest_init);
module_exit(drm_gmmu_selftest_exit);

MODULE_DESCRIPTION("KTAP self-test of the drm_gmmu helpers");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
