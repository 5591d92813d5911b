// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The reference for the engine's COPY benchmark: the best a CPU copy of
 * 64 MiB does in this guest kernel, measured in the same boot, with the
 * kernel's memcpy() and with a plain 8-byte loop (under QEMU TCG the loop
 * usually wins: rep movs is emulated a byte at a time). Prints
 * "bench NAME VALUE UNIT" lines on load; the bench job turns them and the
 * engine's figure into a ratio.
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#define SIZE	SZ_64M
#define REPS	3

static noinline void copy_loop8(u64 *dst, const u64 *src, size_t n)
{
	size_t i;

	for (i = 0; i < n / 8; i++)
		dst[i] = src[i];
}

static u64 best_mib_s(void (*fn)(void *, const void *), void *dst,
		      const void *src)
{
	u64 best = U64_MAX, ns;
	ktime_t t0;
	int i;

	for (i = 0; i < REPS; i++) {
		t0 = ktime_get();
		fn(dst, src);
		ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
		best = min(best, ns);
	}
	return div64_u64((u64)SIZE * NSEC_PER_SEC, max(best, 1ull)) >> 20;
}

static void do_memcpy(void *dst, const void *src)
{
	memcpy(dst, src, SIZE);
}

static void do_loop8(void *dst, const void *src)
{
	copy_loop8(dst, src, SIZE);
}

static int __init swgpu_cpu_copy_bench_init(void)
{
	void *src = vmalloc(SIZE), *dst = vmalloc(SIZE);

	if (src && dst) {
		/* Fault everything in before timing. */
		memset(src, 0x5a, SIZE);
		memset(dst, 0, SIZE);
		pr_info("bench cpu_copy_64m_memcpy %llu MiB/s\n",
			best_mib_s(do_memcpy, dst, src));
		pr_info("bench cpu_copy_64m_loop8 %llu MiB/s\n",
			best_mib_s(do_loop8, dst, src));
	} else {
		pr_info("# swgpu_cpu_copy_bench: no memory for 2 x 64 MiB\n");
	}
	vfree(src);
	vfree(dst);
	return 0;
}

static void __exit swgpu_cpu_copy_bench_exit(void)
{
}

module_init(swgpu_cpu_copy_bench_init);
module_exit(swgpu_cpu_copy_bench_exit);

MODULE_DESCRIPTION("CPU copy reference for the swgpu engine benchmark");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
