// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * BOs on transparent huge pages, and the engine's large-page TLB, on both
 * GPU models: every 2 MiB of a BO that lies within its size gets a huge
 * page (counted in gmmu_backing's pages_huge), small BOs, tails and WC
 * BOs do not; a COPY between huge BOs bound at 2 MiB-aligned addresses
 * fills 2 MiB TLB entries on the llc model (none on atom, whose pages are
 * 4 KiB and whose checker sees accesses page by page), each of which a
 * worker soon maps at an address of its own for the engine (or finds it
 * may not), and moves the right bytes at any offset; unbinding, rebinding
 * another BO at the same address and punching a page out of a 2 MiB
 * mapping are seen by the next job: no stale large entry, nor the
 * engine's mapping of one, survives an invalidation; and an entry replaced
 * while the step that replaces it still reads through its mapping keeps
 * that mapping until the step is done.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "swgpu_dfs.h"
#include "swgpu_igt.h"

#define PAGE		4096ull
#define HUGE		(2ull << 20)
#define BO_SIZE		(2 * HUGE)
/* 2 MiB-aligned, above the tvm's own BOs. */
#define SRC_VA		(TVM_DATA_VA + 8 * HUGE)
#define DST_VA		(TVM_DATA_VA + 16 * HUGE)

static long long counter(const struct gpu *g, const char *file,
			 const char *key)
{
	struct dfs d;

	dfs_init(&d, g);
	return dfs_value(&d, file, key);
}

static long long pages_huge(const struct gpu *g)
{
	return counter(g, "gmmu_backing", "pages_huge");
}

/*
 * Large-page TLB fills, and how each ended: given a mapping of its own for
 * the engine (swgpu_hw_alias.c), refused one (its span may not be mapped
 * again), failed to get one, or dropped before it got one.
 */
struct large_counts {
	long long fills, mapped, refused, failed, dropped;
};

static void large_read(const struct gpu *g, struct large_counts *c)
{
	struct dfs d;

	dfs_init(&d, g);
	c->fills = dfs_value(&d, "swgpu_mmu", "tlb_large_fills");
	c->mapped = dfs_value(&d, "swgpu_mmu", "tlb_large_aliases");
	c->refused = dfs_value(&d, "swgpu_mmu", "tlb_large_no_alias");
	c->failed = dfs_value(&d, "swgpu_mmu", "tlb_large_alias_failed");
	c->dropped = dfs_value(&d, "swgpu_mmu", "tlb_large_alias_dropped");
}

/*
 * A worker maps new large entries soon after the engine first uses them:
 * wait until every fill since @c0 has ended one way or another, and return
 * the counts since @c0.
 */
static struct large_counts large_settle(const struct gpu *g,
					const struct large_counts *c0)
{
	struct large_counts c;
	long long ended = 0;
	int i;

	for (i = 0; i < 10000; i++) {
		large_read(g, &c);
		c.fills -= c0->fills;
		c.mapped -= c0->mapped;
		c.refused -= c0->refused;
		c.failed -= c0->failed;
		c.dropped -= c0->dropped;
		ended = c.mapped + c.refused + c.failed + c.dropped;
		if (ended == c.fills)
			break;
		usleep(1000);
	}
	igt_assert_f(ended == c.fills,
		     "%lld large fills, but after 10 s %lld mapped, %lld refused, %lld failed, %lld dropped\n",
		     c.fills, c.mapped, c.refused, c.failed, c.dropped);
	return c;
}

/* A BO of @size, every page written through the user mapping. */
static long long huge_pages_of_new_bo(struct gpu *g, uint64_t size,
				      uint32_t flags, struct buf *b)
{
	long long before = pages_huge(g);

	buf_create_flags(g->fd, size, flags, b);
	pattern_fill(b->map, size, 3);
	return pages_huge(g) - before;
}

static void test_backing(struct gpu *g)
{
	struct buf a, small, odd;
	long long n;

	igt_require_f(!access("/sys/kernel/mm/transparent_hugepage", F_OK),
		      "no transparent huge pages in this kernel\n");
	n = huge_pages_of_new_bo(g, BO_SIZE, 0, &a);
	igt_info("%s: 4 MiB BO: %lld of %llu pages huge\n", g->name, n,
		 BO_SIZE / PAGE);
	/* Both 2 MiB blocks, unless the guest had no free 2 MiB block. */
	igt_assert_eq(n, BO_SIZE / PAGE);

	/* Within the size only: 3 MiB is one huge page and 256 small ones. */
	n = huge_pages_of_new_bo(g, HUGE + HUGE / 2, 0, &odd);
	igt_assert_eq(n, HUGE / PAGE);
	n = huge_pages_of_new_bo(g, 3 * PAGE, 0, &small);
	igt_assert_eq(n, 0);
	buf_destroy(&small);
	buf_destroy(&odd);

	/* Freed BOs give their huge pages back to the count. */
	n = pages_huge(g);
	buf_destroy(&a);
	igt_assert_eq(n - pages_huge(g), BO_SIZE / PAGE);
}

/* x86 PAT keeps a memory type per page: WC BOs stay on small pages. */
static void test_wc_not_huge(struct gpu *g)
{
	struct buf a;

	igt_assert_eq(huge_pages_of_new_bo(g, BO_SIZE, DRM_GMMU_BO_CREATE_WC,
					   &a), 0);
	buf_destroy(&a);
}

static void bind(struct tvm *v, const struct buf *b, uint64_t va)
{
	igt_assert_eq(swgpu_vm_bind(v->fd, v->id, b->handle, 0, va, b->size, 0),
		      0);
}

static int copy(struct tvm *v, uint64_t dst, uint64_t src, uint64_t size)
{
	swgpu_batch_copy(tvm_batch(v), dst, src, size);
	return tvm_run(v, NULL);
}

static void assert_copied(const struct buf *dst, uint64_t doff, uint64_t size,
			  uint32_t seed, uint64_t soff)
{
	int64_t bad = pattern_find_mismatch(dst->map + doff, size, seed, soff);

	igt_assert_f(bad < 0, "byte %lld of the copy is wrong\n",
		     (long long)bad);
}

/*
 * Two 2 MiB spans on each side, each filled once. Huge pages are
 * write-back memory, so the engine maps them, unless the kernel split its
 * linear mapping of one (as it does where part of a 2 MiB block was ever
 * made write-combined); that all four were split is not to be expected.
 */
static void assert_large_use(const struct gpu *g, const struct large_counts *c)
{
	igt_assert_eq(c->fills, 4);
	igt_assert_f(c->mapped > 0, "%s: no large entry mapped for the engine\n",
		     g->name);
}

static void test_copy(struct gpu *g)
{
	long long fills, huge0 = pages_huge(g);
	struct large_counts c0, c;
	struct buf src, dst;
	struct tvm v;
	/* Unaligned on both sides, across the 2 MiB boundary. */
	const uint64_t soff = 3 * PAGE + 100, doff = 5 * PAGE + 36;
	const uint64_t len = HUGE + 5000;

	tvm_init(&v, g->fd);
	buf_create(g->fd, BO_SIZE, &src);
	buf_create(g->fd, BO_SIZE, &dst);
	pattern_fill(src.map, BO_SIZE, 21);
	memset(dst.map, 0, BO_SIZE);
	bind(&v, &src, SRC_VA);
	bind(&v, &dst, DST_VA);

	large_read(g, &c0);
	igt_assert_eq(copy(&v, DST_VA, SRC_VA, BO_SIZE), 0);
	assert_copied(&dst, 0, BO_SIZE, 21, 0);
	/* Each fill gets its mapping, or is found unmappable. */
	c = large_settle(g, &c0);
	fills = c.fills;
	igt_info("%s: 4 MiB copy: %lld pages huge, %lld large TLB fills: %lld mapped for the engine, %lld refused, %lld failed, %lld dropped\n",
		 g->name, pages_huge(g) - huge0, fills, c.mapped, c.refused,
		 c.failed, c.dropped);
	if (!g->coherent || !(g->page_sizes & HUGE))
		igt_assert_eq(fills, 0);
	else if (pages_huge(g) - huge0 == 2 * BO_SIZE / PAGE)
		assert_large_use(g, &c);

	/* Through the engine's mappings now, where there are any. */
	memset(dst.map, 0, BO_SIZE);
	igt_assert_eq(copy(&v, DST_VA + doff, SRC_VA + soff, len), 0);
	igt_assert_eq(bytes_find_not(dst.map, doff, 0), -1);
	assert_copied(&dst, doff, len, 21, soff);
	igt_assert_eq(bytes_find_not(dst.map + doff + len,
				     BO_SIZE - doff - len, 0), -1);

	tvm_fini(&v);
	buf_destroy(&src);
	buf_destroy(&dst);
}

/*
 * The TLB keeps the translation of SRC_VA from the first copy; the unbind
 * must take it away, or the second copy reads the first BO.
 */
static void test_rebind(struct gpu *g)
{
	struct large_counts c0, c;
	struct buf a, b, dst;
	struct swgpu_fault f;
	struct tvm v;
	const uint64_t hole = HUGE + 7 * PAGE;

	tvm_init(&v, g->fd);
	buf_create(g->fd, BO_SIZE, &a);
	buf_create(g->fd, BO_SIZE, &b);
	buf_create(g->fd, BO_SIZE, &dst);
	pattern_fill(a.map, BO_SIZE, 31);
	pattern_fill(b.map, BO_SIZE, 32);
	bind(&v, &a, SRC_VA);
	bind(&v, &dst, DST_VA);
	large_read(g, &c0);
	igt_assert_eq(copy(&v, DST_VA, SRC_VA, BO_SIZE), 0);
	assert_copied(&dst, 0, BO_SIZE, 31, 0);
	/* A's entries now have their mappings (where mappable); then: */
	c = large_settle(g, &c0);
	if (g->coherent && (g->page_sizes & HUGE) && c.fills == 4)
		assert_large_use(g, &c);

	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, SRC_VA, BO_SIZE), 0);
	bind(&v, &b, SRC_VA);
	igt_assert_eq(copy(&v, DST_VA, SRC_VA, BO_SIZE), 0);
	assert_copied(&dst, 0, BO_SIZE, 32, 0);

	/* One page out of the middle of the second 2 MiB mapping. */
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, SRC_VA + hole, PAGE), 0);
	igt_assert_eq(copy(&v, DST_VA, SRC_VA, BO_SIZE), -EFAULT);
	tvm_get_fault(&v, &f);
	igt_assert_eq_u64(f.va, SRC_VA + hole);
	/* Around the hole, the rest of that 2 MiB still reads B. */
	memset(dst.map, 0, BO_SIZE);
	igt_assert_eq(copy(&v, DST_VA + HUGE, SRC_VA + HUGE, hole - HUGE), 0);
	igt_assert_eq(copy(&v, DST_VA + hole + PAGE, SRC_VA + hole + PAGE,
			   BO_SIZE - hole - PAGE), 0);
	assert_copied(&dst, HUGE, hole - HUGE, 32, HUGE);
	assert_copied(&dst, hole + PAGE, BO_SIZE - hole - PAGE, 32,
		      hole + PAGE);
	igt_assert_eq(bytes_find_not(dst.map + hole, PAGE, 0), -1);

	tvm_fini(&v);
	buf_destroy(&a);
	buf_destroy(&b);
	buf_destroy(&dst);
}

/*
 * One batch of COPYs from one source span to more destination spans than
 * the large-page TLB has entries: on the way round, a destination fill
 * replaces the very entry the same step reads its source through, with
 * that entry's engine mapping in use. The mapping must outlive the step
 * (the MMU parks it), and every byte must arrive.
 */
static void test_evict_in_use(struct gpu *g)
{
	const unsigned int spans = 65;
	long long huge0 = pages_huge(g);
	struct large_counts c0, c;
	struct swgpu_batch *b;
	struct buf src, dst;
	struct tvm v;
	unsigned int i;

	/* 130 MiB of copies that test nothing new elsewhere. */
	if (!g->coherent || !(g->page_sizes & HUGE)) {
		igt_info("%s: no large-page TLB\n", g->name);
		return;
	}
	tvm_init(&v, g->fd);
	buf_create(g->fd, HUGE, &src);
	buf_create(g->fd, spans * HUGE, &dst);
	pattern_fill(src.map, HUGE, 41);
	memset(dst.map, 0, spans * HUGE);
	bind(&v, &src, SRC_VA);
	bind(&v, &dst, DST_VA);

	/* The source's entry first gets its mapping... */
	large_read(g, &c0);
	igt_assert_eq(copy(&v, DST_VA, SRC_VA, HUGE), 0);
	large_settle(g, &c0);
	/* ...then 64 more destination spans go through the TLB. */
	large_read(g, &c0);
	b = tvm_batch(&v);
	for (i = 1; i < spans; i++)
		igt_assert_eq(swgpu_batch_copy(b, DST_VA + i * HUGE, SRC_VA,
					       HUGE), 0);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	c = large_settle(g, &c0);
	igt_info("%s: %u copies of 2 MiB: %lld large TLB fills, %lld mapped, %lld dropped\n",
		 g->name, spans - 1, c.fills, c.mapped, c.dropped);
	for (i = 0; i < spans; i++)
		assert_copied(&dst, i * HUGE, HUGE, 41, 0);
	/* At least the destinations, and the source once more after its eviction. */
	if (pages_huge(g) - huge0 == (long long)((spans + 1) * HUGE / PAGE))
		igt_assert_lte(spans, c.fills);

	tvm_fini(&v);
	buf_destroy(&src);
	buf_destroy(&dst);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("backing")
		each_gpu(g, n, test_backing);
	igt_subtest("wc-bo-not-huge")
		each_noncoherent_gpu(g, n, test_wc_not_huge);
	igt_subtest("copy-large-tlb")
		each_gpu(g, n, test_copy);
	igt_subtest("rebind-and-punch-hole")
		each_gpu(g, n, test_rebind);
	igt_subtest("evict-entry-in-use") {
		igt_require_f(!access("/sys/kernel/mm/transparent_hugepage", F_OK),
			      "no transparent huge pages: no large-page TLB entries\n");
		each_gpu(g, n, test_evict_in_use);
	}

	igt_fixture
		gpus_close(g, n);
}
