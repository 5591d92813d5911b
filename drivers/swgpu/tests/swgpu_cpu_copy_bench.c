// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The reference for the engine's COPY benchmark: the best a CPU copy of
 * 64 MiB does in this guest kernel, measured in the same boot, with the
 * kernel's memcpy() and with a plain 8-byte loop, between two vmalloc()
 * buffers and between two sets of 2 MiB blocks reached through the linear
 * map (where the engine reaches memory too). Prints "bench NAME VALUE
 * UNIT" lines on load; the bench job turns the best of them and the
 * engine's figure into a ratio.
 *
 * Each figure is the best over %ROUNDS fresh pairs of buffers, %REPS
 * copies each: in this nested setup how fast a guest page is depends on
 * where it lands in the host's memory, by a factor of up to three, and the
 * engine's figure is a best over several pairs of BOs for the same reason.
 */
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#define SIZE	SZ_64M
#define BLOCKS	(SIZE / SZ_2M)
#define ROUNDS	3
#define REPS	3

static noinline void copy_loop8(u64 *dst, const u64 *src, size_t n)
{
	size_t i;

	for (i = 0; i < n / 8; i++)
		dst[i] = src[i];
}

/* One copy of 64 MiB: either two buffers, or two arrays of 2 MiB blocks. */
struct copy_job {
	void *dst, *src;
	struct page **dblk, **sblk;
	bool loop8;
};

static void copy_run(const struct copy_job *c)
{
	unsigned int i;

	if (!c->dblk) {
		if (c->loop8)
			copy_loop8(c->dst, c->src, SIZE);
		else
			memcpy(c->dst, c->src, SIZE);
		return;
	}
	for (i = 0; i < BLOCKS; i++) {
		void *d = page_address(c->dblk[i]);
		const void *s = page_address(c->sblk[i]);

		if (c->loop8)
			copy_loop8(d, s, SZ_2M);
		else
			memcpy(d, s, SZ_2M);
	}
}

/* Best MiB/s of REPS copies, folded into *best. */
static void best_mib_s(const struct copy_job *c, u64 *best)
{
	u64 ns, mib_s;
	ktime_t t0;
	int i;

	for (i = 0; i < REPS; i++) {
		t0 = ktime_get();
		copy_run(c);
		ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
		mib_s = div64_u64((u64)SIZE * NSEC_PER_SEC, max(ns, 1ull)) >> 20;
		*best = max(*best, mib_s);
	}
}

static void free_blocks(struct page **blk)
{
	unsigned int i;

	for (i = 0; i < BLOCKS; i++)
		if (blk[i])
			__free_pages(blk[i], get_order(SZ_2M));
}

static bool alloc_blocks(struct page **blk, int fill)
{
	unsigned int i;

	for (i = 0; i < BLOCKS; i++) {
		blk[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, get_order(SZ_2M));
		if (!blk[i])
			return false;
		memset(page_address(blk[i]), fill, SZ_2M);
	}
	return true;
}

/* best[]: vmalloc memcpy, vmalloc loop8, linear memcpy, linear loop8 */
static void one_round(u64 *best)
{
	static struct page *sblk[BLOCKS], *dblk[BLOCKS];
	struct copy_job c = {};

	c.src = vmalloc(SIZE);
	c.dst = vmalloc(SIZE);
	if (c.src && c.dst) {
		/* Fault everything in before timing. */
		memset(c.src, 0x5a, SIZE);
		memset(c.dst, 0, SIZE);
		best_mib_s(&c, &best[0]);
		c.loop8 = true;
		best_mib_s(&c, &best[1]);
	}
	vfree(c.src);
	vfree(c.dst);

	memset(sblk, 0, sizeof(sblk));
	memset(dblk, 0, sizeof(dblk));
	if (alloc_blocks(sblk, 0x5a) && alloc_blocks(dblk, 0)) {
		c = (struct copy_job){ .sblk = sblk, .dblk = dblk };
		best_mib_s(&c, &best[2]);
		c.loop8 = true;
		best_mib_s(&c, &best[3]);
	}
	free_blocks(sblk);
	free_blocks(dblk);
}

static int __init swgpu_cpu_copy_bench_init(void)
{
	static const char * const names[] = {
		"cpu_copy_64m_memcpy", "cpu_copy_64m_loop8",
		"cpu_copy_64m_memcpy_linear", "cpu_copy_64m_loop8_linear",
	};
	u64 best[ARRAY_SIZE(names)] = {};
	unsigned int i;

	for (i = 0; i < ROUNDS; i++)
		one_round(best);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (best[i])
			pr_info("bench %s %llu MiB/s\n", names[i], best[i]);
		else
			pr_info("# swgpu_cpu_copy_bench: %s: no memory\n", names[i]);
	}
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
