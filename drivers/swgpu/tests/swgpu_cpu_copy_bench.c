// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu CPU copy reference benchmark
 *
 * The reference for the engine's COPY benchmark: the best a CPU copy of
 * 64 MiB does in this guest kernel, measured in the same boot, with the
 * kernel's memcpy(), with a plain 8-byte loop and with the engine's own
 * loop (eight 8-byte loads, then eight stores), between two vmalloc()
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

/* The engine's COPY loop (swgpu_hw_engine.c), for aligned buffers. */
static noinline void copy_batch8(u64 *dst, const u64 *src, size_t n)
{
	size_t i;

	for (i = 0; i < n / 8; i += 8) {
		u64 w0 = src[i], w1 = src[i + 1], w2 = src[i + 2];
		u64 w3 = src[i + 3], w4 = src[i + 4], w5 = src[i + 5];
		u64 w6 = src[i + 6], w7 = src[i + 7];

		dst[i] = w0;
		dst[i + 1] = w1;
		dst[i + 2] = w2;
		dst[i + 3] = w3;
		dst[i + 4] = w4;
		dst[i + 5] = w5;
		dst[i + 6] = w6;
		dst[i + 7] = w7;
	}
}

enum copy_how { COPY_MEMCPY, COPY_LOOP8, COPY_BATCH8, COPY_HOWS };

/* One copy of 64 MiB: either two buffers, or two arrays of 2 MiB blocks. */
struct copy_job {
	void *dst, *src;
	struct page **dblk, **sblk;
	enum copy_how how;
};

static void copy_one(enum copy_how how, void *d, const void *s, size_t n)
{
	if (how == COPY_LOOP8)
		copy_loop8(d, s, n);
	else if (how == COPY_BATCH8)
		copy_batch8(d, s, n);
	else
		memcpy(d, s, n);
}

static void copy_run(const struct copy_job *c)
{
	unsigned int i;

	if (!c->dblk) {
		copy_one(c->how, c->dst, c->src, SIZE);
		return;
	}
	for (i = 0; i < BLOCKS; i++)
		copy_one(c->how, page_address(c->dblk[i]),
			 page_address(c->sblk[i]), SZ_2M);
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

/* best[]: COPY_HOWS figures through vmalloc, then as many through the linear map */
static void one_round(u64 *best)
{
	static struct page *sblk[BLOCKS], *dblk[BLOCKS];
	struct copy_job c = {};
	enum copy_how how;

	c.src = vmalloc(SIZE);
	c.dst = vmalloc(SIZE);
	if (c.src && c.dst) {
		/* Fault everything in before timing. */
		memset(c.src, 0x5a, SIZE);
		memset(c.dst, 0, SIZE);
		for (how = 0; how < COPY_HOWS; how++) {
			c.how = how;
			best_mib_s(&c, &best[how]);
		}
	}
	vfree(c.src);
	vfree(c.dst);

	memset(sblk, 0, sizeof(sblk));
	memset(dblk, 0, sizeof(dblk));
	if (alloc_blocks(sblk, 0x5a) && alloc_blocks(dblk, 0)) {
		c = (struct copy_job){ .sblk = sblk, .dblk = dblk };
		for (how = 0; how < COPY_HOWS; how++) {
			c.how = how;
			best_mib_s(&c, &best[COPY_HOWS + how]);
		}
	}
	free_blocks(sblk);
	free_blocks(dblk);
}

static int __init swgpu_cpu_copy_bench_init(void)
{
	static const char * const names[] = {
		"cpu_copy_64m_memcpy", "cpu_copy_64m_loop8",
		"cpu_copy_64m_batch8",
		"cpu_copy_64m_memcpy_linear", "cpu_copy_64m_loop8_linear",
		"cpu_copy_64m_batch8_linear",
	};
	u64 best[ARRAY_SIZE(names)] = {};
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(names) != 2 * COPY_HOWS);
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
