// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: iommu-ctx self-test
 *
 * iommu-ctx self-test: runs on load, prints flat KTAP, returns 0.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/prandom.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define RW (IOMMU_READ | IOMMU_WRITE)
#define SKIP 1

struct st_tlb {
	atomic_t ranges;
	atomic_t alls;
	unsigned long start;
	size_t size;
	struct iommu_iotlb_gather *watch;
	bool freelist_at_flush;
};

static struct st_tlb tlbst;
static struct platform_device *st_pdev;
static struct rnd_state st_rnd;
/* The format st_domain() asks for: x86-48, or the one a group runs on. */
static const char *st_fmt_name = "x86-48";

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		pr_info("# %s:%d: check failed: %s\n", __func__,	\
			__LINE__, #cond);				\
		ret = -EINVAL;						\
		goto out;						\
	}								\
} while (0)

static void st_flush_all(void *cookie)
{
	struct st_tlb *s = cookie;

	atomic_inc(&s->alls);
}

static void st_flush_range(unsigned long iova, size_t size, size_t granule,
			   void *cookie)
{
	struct st_tlb *s = cookie;

	atomic_inc(&s->ranges);
	s->start = iova;
	s->size = size;
	if (s->watch)
		s->freelist_at_flush = !list_empty(&s->watch->freelist);
}

static const struct iommu_ctx_tlb_ops st_tlb_ops = {
	.flush_all = st_flush_all,
	.flush_range = st_flush_range,
};

static struct iommu_domain *st_domain(struct device *dev, unsigned int va_bits,
				      unsigned long pgsizes, bool coherent)
{
	struct iommu_ctx_cfg cfg = {
		.format = st_fmt_name,
		.dma_dev = dev ?: &st_pdev->dev,
		.va_bits = va_bits,
		.pgsize_bitmap = pgsizes,
		.coherent_walk = coherent,
		.tlb = &st_tlb_ops,
		.cookie = &tlbst,
	};

	memset(&tlbst, 0, sizeof(tlbst));
	return iommu_ctx_domain_alloc(&cfg);
}

/* Tables in the tree (spares and reservations excluded). */
static u64 st_live_tables(struct iommu_domain *d)
{
	struct iommu_ctx_stats s;

	iommu_ctx_get_stats(d, &s);
	return s.tables - s.spare_tables - s.reserved_tables;
}

static u64 st_leaf_writes(struct iommu_domain *d)
{
	struct iommu_ctx_stats s;

	iommu_ctx_get_stats(d, &s);
	return s.leaf_writes;
}

/* Every page of [iova, iova + size) maps to addr + offset. */
static bool st_maps(struct iommu_domain *d, unsigned long iova, u64 addr,
		    u64 size)
{
	u64 off;

	for (off = 0; off < size; off += SZ_4K)
		if (iommu_iova_to_phys(d, iova + off) != addr + off)
			return false;
	return true;
}

static bool st_unmapped(struct iommu_domain *d, unsigned long iova, u64 size)
{
	u64 off;

	for (off = 0; off < size; off += SZ_4K)
		if (iommu_iova_to_phys(d, iova + off))
			return false;
	return true;
}

/* Where the pages a test maps start: below 4 GiB for a 32-bit format. */
static u64 st_addr_base(void)
{
	const struct iommu_ctx_format *f = iommu_ctx_format_find(st_fmt_name);

	return iommu_ctx_format_oa_bits(f) > 32 ? SZ_4G : SZ_1G;
}

static int t_format(void)
{
	const struct iommu_ctx_format *f = iommu_ctx_format_find("x86-48");
	struct iommu_ctx_pte_info info;
	int ret = 0;

	CHECK(f);
	CHECK(!iommu_ctx_format_find("no-such-format"));
	CHECK(iommu_ctx_format_pgsizes(f) == (SZ_4K | SZ_64K | SZ_2M | SZ_1G));
	CHECK(iommu_ctx_format_table_size(f, 0) == SZ_4K);
	iommu_ctx_format_decode(f, 2, 0x40000000ULL | f->valid | f->block, &info);
	CHECK(info.valid && info.leaf && info.size == SZ_2M);
	iommu_ctx_format_decode(f, 2, 0x1000ULL | f->valid | f->table, &info);
	CHECK(info.valid && !info.leaf && info.addr == 0x1000);
out:
	return ret;
}

static int t_alloc_invalid(void)
{
	struct iommu_ctx_cfg cfg = {
		.format = "x86-48", .dma_dev = &st_pdev->dev, .tlb = &st_tlb_ops,
	};
	struct iommu_domain *d;
	int ret = 0;

	cfg.format = "nope";
	CHECK(PTR_ERR(iommu_ctx_domain_alloc(&cfg)) == -ENODEV);
	cfg.format = "x86-48";
	cfg.va_bits = 49;
	CHECK(PTR_ERR(iommu_ctx_domain_alloc(&cfg)) == -EINVAL);
	cfg.va_bits = 0;
	cfg.pgsize_bitmap = SZ_8K;
	CHECK(PTR_ERR(iommu_ctx_domain_alloc(&cfg)) == -EINVAL);
	cfg.pgsize_bitmap = SZ_4K | SZ_1G;	/* 1G blocks split into 2M */
	CHECK(PTR_ERR(iommu_ctx_domain_alloc(&cfg)) == -EINVAL);
	cfg.pgsize_bitmap = 0;
	cfg.tlb = NULL;
	CHECK(PTR_ERR(iommu_ctx_domain_alloc(&cfg)) == -EINVAL);
	cfg.tlb = &st_tlb_ops;
	d = iommu_ctx_domain_alloc(&cfg);
	CHECK(!IS_ERR(d));
	CHECK(d->type == IOMMU_DOMAIN_UNMANAGED);
	CHECK(d->geometry.aperture_end == (1ULL << 48) - 1);
	CHECK(iommu_ctx_root_dma(d) && iommu_ctx_is_ctx_domain(d));
	iommu_domain_free(d);
out:
	return ret;
}

static int t_map_unmap_4k(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	CHECK(st_live_tables(d) == 1);
	CHECK(!iommu_map(d, 0x12345000, 0xabcde000, SZ_4K, RW, GFP_KERNEL));
	CHECK(iommu_iova_to_phys(d, 0x12345000) == 0xabcde000);
	CHECK(iommu_iova_to_phys(d, 0x12345abc) == 0xabcdeabc);
	CHECK(!iommu_iova_to_phys(d, 0x12346000));
	CHECK(st_live_tables(d) == 4);
	CHECK(iommu_unmap(d, 0x12345000, SZ_4K) == SZ_4K);
	CHECK(!iommu_iova_to_phys(d, 0x12345000));
	CHECK(st_live_tables(d) == 1);
	CHECK(atomic_read(&tlbst.ranges) == 1);
	CHECK(iommu_unmap(d, 0x12345000, SZ_4K) == 0);
out:
	iommu_domain_free(d);
	return ret;
}

static int t_page_sizes(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	u64 w;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	w = st_leaf_writes(d);
	CHECK(!iommu_map(d, 4ULL * SZ_1G, 8ULL * SZ_1G, SZ_1G, RW, GFP_KERNEL));
	CHECK(st_leaf_writes(d) - w == 1);
	CHECK(st_live_tables(d) == 2);
	CHECK(iommu_iova_to_phys(d, 4ULL * SZ_1G + 0x12345678) ==
	      8ULL * SZ_1G + 0x12345678);
	w = st_leaf_writes(d);
	CHECK(!iommu_map(d, SZ_2M, SZ_4M, SZ_2M, RW, GFP_KERNEL));
	CHECK(st_leaf_writes(d) - w == 1);
	w = st_leaf_writes(d);
	CHECK(!iommu_map(d, SZ_8M, SZ_16M + SZ_64K, SZ_64K, RW, GFP_KERNEL));
	CHECK(st_leaf_writes(d) - w == 16);
	CHECK(st_maps(d, SZ_8M, SZ_16M + SZ_64K, SZ_64K));
	/* 64K-aligned iova, 4K-aligned address: 4K pages only. */
	w = st_leaf_writes(d);
	CHECK(!iommu_map(d, SZ_16M, SZ_32M + SZ_4K, SZ_64K, RW, GFP_KERNEL));
	CHECK(st_leaf_writes(d) - w == 16);
	CHECK(st_maps(d, SZ_16M, SZ_32M + SZ_4K, SZ_64K));
	CHECK(iommu_unmap(d, 4ULL * SZ_1G, SZ_1G) == SZ_1G);
	CHECK(iommu_unmap(d, SZ_2M, SZ_2M) == SZ_2M);
	CHECK(iommu_unmap(d, SZ_8M, SZ_64K) == SZ_64K);
	CHECK(iommu_unmap(d, SZ_16M, SZ_64K) == SZ_64K);
	CHECK(st_live_tables(d) == 1);
out:
	iommu_domain_free(d);
	return ret;
}

static int t_block_entries(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	struct iommu_domain *d4 = st_domain(NULL, 0, SZ_4K, true);
	u64 w;
	int ret = 0;

	if (IS_ERR(d) || IS_ERR(d4)) {
		ret = -ENOMEM;
		goto out;
	}
	w = st_leaf_writes(d);
	CHECK(!iommu_map(d, SZ_1G + SZ_2M, SZ_256M, SZ_64M, RW, GFP_KERNEL));
	pr_info("# 2M-aligned 64M map: %llu leaf entries\n", st_leaf_writes(d) - w);
	CHECK(st_leaf_writes(d) - w == 32);
	CHECK(st_maps(d, SZ_1G + SZ_2M, SZ_256M, SZ_64M));
	CHECK(iommu_unmap(d, SZ_1G + SZ_2M, SZ_64M) == SZ_64M);
	/* 64K-aligned address: 64K groups. */
	w = st_leaf_writes(d);
	CHECK(!iommu_map(d, SZ_1G + SZ_2M, SZ_256M + SZ_64K, SZ_4M, RW,
			 GFP_KERNEL));
	CHECK(st_leaf_writes(d) - w == SZ_4M / SZ_4K);
	CHECK(iommu_unmap(d, SZ_1G + SZ_2M, SZ_4M) == SZ_4M);
	CHECK(st_live_tables(d) == 1);
	/* A 4K-only domain writes one entry per page. */
	w = st_leaf_writes(d4);
	CHECK(!iommu_map(d4, SZ_2M, SZ_256M, SZ_4M, RW, GFP_KERNEL));
	CHECK(st_leaf_writes(d4) - w == SZ_4M / SZ_4K);
	CHECK(iommu_unmap(d4, SZ_2M, SZ_4M) == SZ_4M);
	CHECK(st_live_tables(d4) == 1);
out:
	if (!IS_ERR(d))
		iommu_domain_free(d);
	if (!IS_ERR(d4))
		iommu_domain_free(d4);
	return ret;
}

static int t_block_split(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	struct iommu_ctx_stats s;
	unsigned long iova = 3ULL * SZ_1G;
	u64 pa = 5ULL * SZ_1G;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	/* 2M block, unmap 4K in the middle. */
	CHECK(!iommu_map(d, SZ_2M, SZ_2M * 7, SZ_2M, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d, SZ_2M + SZ_512K, SZ_4K) == SZ_4K);
	iommu_ctx_get_stats(d, &s);
	CHECK(s.splits >= 2);	/* block, then the 64K group */
	CHECK(!iommu_iova_to_phys(d, SZ_2M + SZ_512K));
	CHECK(st_maps(d, SZ_2M, SZ_2M * 7, SZ_512K));
	CHECK(st_maps(d, SZ_2M + SZ_512K + SZ_4K, SZ_2M * 7 + SZ_512K + SZ_4K,
		      SZ_2M - SZ_512K - SZ_4K));
	/* The rest goes in pieces; the tables go with the last piece. */
	CHECK(iommu_unmap(d, SZ_2M, SZ_512K) == SZ_512K);
	CHECK(iommu_unmap(d, SZ_2M + SZ_512K + SZ_4K, SZ_2M - SZ_512K - SZ_4K) ==
	      SZ_2M - SZ_512K - SZ_4K);
	CHECK(st_unmapped(d, SZ_2M, SZ_2M));
	CHECK(st_live_tables(d) == 1);

	/* 1G block, unmap 2M + 4K straddling inside. */
	CHECK(!iommu_map(d, iova, pa, SZ_1G, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d, iova + SZ_256M, SZ_2M + SZ_4K) == SZ_2M + SZ_4K);
	CHECK(st_unmapped(d, iova + SZ_256M, SZ_2M + SZ_4K));
	CHECK(st_maps(d, iova + SZ_256M - SZ_64K, pa + SZ_256M - SZ_64K, SZ_64K));
	CHECK(st_maps(d, iova + SZ_256M + SZ_2M + SZ_4K,
		      pa + SZ_256M + SZ_2M + SZ_4K, SZ_2M - SZ_4K));
	CHECK(iommu_iova_to_phys(d, iova + SZ_512M) == pa + SZ_512M);
	/* A 64K page: unmap 4K of it. */
	CHECK(!iommu_map(d, SZ_64M, SZ_128M, SZ_64K, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d, SZ_64M + SZ_16K, SZ_4K) == SZ_4K);
	CHECK(st_maps(d, SZ_64M, SZ_128M, SZ_16K));
	CHECK(st_maps(d, SZ_64M + SZ_16K + SZ_4K, SZ_128M + SZ_16K + SZ_4K,
		      SZ_64K - SZ_16K - SZ_4K));
out:
	iommu_domain_free(d);
	return ret;
}

static int t_gather(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, SZ_4K, true);
	struct iommu_iotlb_gather gather;
	unsigned long i, n = 1024;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	for (i = 0; i < n; i++)
		CHECK(!iommu_map(d, SZ_1G + i * SZ_4K, SZ_2G + i * SZ_4K, SZ_4K,
				 RW, GFP_KERNEL));
	atomic_set(&tlbst.ranges, 0);
	iommu_iotlb_gather_init(&gather);
	for (i = 0; i < n; i++)
		CHECK(iommu_unmap_fast(d, SZ_1G + i * SZ_4K, SZ_4K, &gather) ==
		      SZ_4K);
	CHECK(atomic_read(&tlbst.ranges) == 0);
	iommu_iotlb_sync(d, &gather);
	CHECK(atomic_read(&tlbst.ranges) == 1);
	CHECK(tlbst.start == SZ_1G && tlbst.size == n * SZ_4K);
	CHECK(st_live_tables(d) == 1);
	/* One iommu_unmap() of N pages: one invalidation. */
	CHECK(!iommu_map(d, SZ_1G, SZ_2G, n * SZ_4K, RW, GFP_KERNEL));
	atomic_set(&tlbst.ranges, 0);
	CHECK(iommu_unmap(d, SZ_1G, n * SZ_4K) == n * SZ_4K);
	CHECK(atomic_read(&tlbst.ranges) == 1);
	CHECK(atomic_read(&tlbst.alls) == 0);
out:
	iommu_domain_free(d);
	return ret;
}

static int t_deferred_free(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	struct iommu_iotlb_gather gather;
	struct iommu_ctx_stats s0, s1, s2;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	CHECK(!iommu_map(d, SZ_1G, SZ_2G, SZ_4K, RW, GFP_KERNEL));
	iommu_ctx_get_stats(d, &s0);
	iommu_iotlb_gather_init(&gather);
	tlbst.watch = &gather;
	CHECK(iommu_unmap_fast(d, SZ_1G, SZ_4K, &gather) == SZ_4K);
	iommu_ctx_get_stats(d, &s1);
	/* Unlinked, but neither freed nor reusable before the flush. */
	CHECK(s1.tables_freed - s0.tables_freed == 3);
	CHECK(s1.tables == s0.tables && s1.spare_tables == s0.spare_tables);
	CHECK(list_count_nodes(&gather.freelist) == 3);
	iommu_iotlb_sync(d, &gather);
	CHECK(tlbst.freelist_at_flush);
	iommu_ctx_get_stats(d, &s2);
	CHECK(s2.spare_tables == s0.spare_tables + 3);
	CHECK(st_live_tables(d) == 1);
out:
	tlbst.watch = NULL;
	iommu_domain_free(d);
	return ret;
}

static int t_errors(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	struct iommu_domain *d32 = st_domain(NULL, 32, 0, true);
	int ret = 0;

	if (IS_ERR(d) || IS_ERR(d32)) {
		ret = -ENOMEM;
		goto out;
	}
	/* Misaligned (the core rejects these before us, and we would). */
	CHECK(iommu_map(d, SZ_1G + 0x800, SZ_2G, SZ_4K, RW, GFP_KERNEL) == -EINVAL);
	CHECK(iommu_map(d, SZ_1G, SZ_2G + 0x10, SZ_4K, RW, GFP_KERNEL) == -EINVAL);
	CHECK(iommu_map(d, SZ_1G, SZ_2G, SZ_4K + 1, RW, GFP_KERNEL) == -EINVAL);
	/* Out of range. */
	CHECK(iommu_map(d, 1UL << 48, SZ_2G, SZ_4K, RW, GFP_KERNEL) == -EINVAL);
	CHECK(iommu_map(d, (1UL << 48) - SZ_4K, SZ_2G, SZ_8K, RW, GFP_KERNEL) ==
	      -EINVAL);
	CHECK(iommu_map(d32, 1UL << 32, SZ_2G, SZ_4K, RW, GFP_KERNEL) == -EINVAL);
	CHECK(!iommu_map(d32, (1UL << 32) - SZ_4K, SZ_2G, SZ_4K, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d32, (1UL << 32) - SZ_4K, SZ_4K) == SZ_4K);
	CHECK(iommu_map(d, SZ_1G, 1ULL << 52, SZ_4K, RW, GFP_KERNEL) == -EINVAL);
	CHECK(iommu_map(d, SZ_1G, SZ_2G, SZ_4K, 0, GFP_KERNEL) == -EINVAL);
	CHECK(st_live_tables(d) == 1);
	/* Double map: refused, the first mapping intact, nothing else. */
	CHECK(!iommu_map(d, SZ_1G + SZ_1M, SZ_2G, SZ_4K, RW, GFP_KERNEL));
	CHECK(iommu_map(d, SZ_1G + SZ_1M, SZ_4G, SZ_4K, RW, GFP_KERNEL) == -EEXIST);
	CHECK(iommu_iova_to_phys(d, SZ_1G + SZ_1M) == SZ_2G);
	/* A range over it: rolled back, nothing half-mapped. */
	CHECK(iommu_map(d, SZ_1G, SZ_4G + SZ_4K, SZ_2M, RW, GFP_KERNEL) ==
	      -EEXIST);
	CHECK(st_unmapped(d, SZ_1G, SZ_1M));
	CHECK(st_unmapped(d, SZ_1G + SZ_1M + SZ_4K, SZ_1M - SZ_4K));
	CHECK(iommu_iova_to_phys(d, SZ_1G + SZ_1M) == SZ_2G);
	/* Over a block, and a block over tables. */
	CHECK(!iommu_map(d, SZ_4G, SZ_4G, SZ_2M, RW, GFP_KERNEL));
	CHECK(iommu_map(d, SZ_4G + SZ_8K, SZ_2G, SZ_4K, RW, GFP_KERNEL) == -EEXIST);
	CHECK(iommu_map(d, SZ_1G, SZ_4G, SZ_1G, RW, GFP_KERNEL) == -EEXIST);
	CHECK(iommu_unmap(d, SZ_1G + SZ_1M, SZ_4K) == SZ_4K);
	CHECK(iommu_unmap(d, SZ_4G, SZ_2M) == SZ_2M);
	CHECK(st_live_tables(d) == 1);
	/* Unmap of a hole: nothing. */
	CHECK(iommu_unmap(d, SZ_4G, SZ_2M) == 0);
out:
	if (!IS_ERR(d))
		iommu_domain_free(d);
	if (!IS_ERR(d32))
		iommu_domain_free(d32);
	return ret;
}

static int t_alloc_failure(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, SZ_4K, true);
	struct sg_table sgt;
	struct scatterlist *sg;
	unsigned int nth, i;
	int ret = 0, r;

	if (IS_ERR(d))
		return PTR_ERR(d);
	/* 4 MiB across a 1G boundary needs 2 + 2 + 2 tables. */
	for (nth = 1; nth <= 8; nth++) {
		iommu_ctx_inject_alloc_failure(d, nth);
		r = iommu_map(d, SZ_1G - SZ_2M, SZ_2G, SZ_4M, RW, GFP_KERNEL);
		iommu_ctx_inject_alloc_failure(d, 0);
		if (!r) {
			CHECK(nth > 1);
			CHECK(st_maps(d, SZ_1G - SZ_2M, SZ_2G, SZ_4M));
			CHECK(iommu_unmap(d, SZ_1G - SZ_2M, SZ_4M) == SZ_4M);
			continue;
		}
		CHECK(r == -ENOMEM);
		CHECK(st_unmapped(d, SZ_1G - SZ_2M, SZ_4M));
		CHECK(st_live_tables(d) == 1);
	}
	/*
	 * iommu_ctx_map_sgtable: all or nothing across segments. A fresh
	 * domain (no spares): the 1st segment takes 3 tables, the 2nd 2.
	 */
	iommu_domain_free(d);
	d = st_domain(NULL, 0, SZ_4K, true);
	if (IS_ERR(d))
		return PTR_ERR(d);
	CHECK(!sg_alloc_table(&sgt, 2, GFP_KERNEL));
	for_each_sgtable_sg(&sgt, sg, i) {
		sg_dma_address(sg) = SZ_2G + i * SZ_1G;
		sg_dma_len(sg) = SZ_2M;
	}
	iommu_ctx_inject_alloc_failure(d, 4);	/* in the 2nd segment */
	r = iommu_ctx_map_sgtable(d, SZ_1G - SZ_2M, &sgt, RW, GFP_KERNEL);
	iommu_ctx_inject_alloc_failure(d, 0);
	sg_free_table(&sgt);
	CHECK(r == -ENOMEM);
	CHECK(st_unmapped(d, SZ_1G - SZ_2M, SZ_4M));
	CHECK(st_live_tables(d) == 1);
out:
	iommu_domain_free(d);
	return ret;
}

static int t_reserve(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	struct iommu_ctx_reservation res;
	struct iommu_iotlb_gather gather;
	struct iommu_ctx_stats s;
	unsigned long iova = 2ULL * SZ_1G;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	iommu_ctx_reservation_init(&res);
	CHECK(iommu_ctx_reserve_count(d, SZ_2M, SZ_64M, IOMMU_CTX_RES_MAP) ==
	      1 + 1 + 32);
	/* Unmapping 4K inside a 1G block splits twice at each end. */
	CHECK(iommu_ctx_reserve_count(d, iova + SZ_4K, SZ_4K,
				      IOMMU_CTX_RES_UNMAP) == 4);
	CHECK(!iommu_map(d, iova, iova, SZ_1G, RW, GFP_KERNEL));
	CHECK(!iommu_ctx_reserve(d, iova + SZ_4K, SZ_4K, IOMMU_CTX_RES_UNMAP,
				 GFP_KERNEL, &res));
	CHECK(!iommu_ctx_reserve(d, SZ_2M, SZ_4M + SZ_4K, IOMMU_CTX_RES_MAP,
				 GFP_KERNEL, &res));
	iommu_ctx_get_stats(d, &s);
	CHECK(s.reserved_tables == res.ndir + res.nleaf);
	/* From now on every allocation fails: the reservation must do. */
	iommu_ctx_inject_alloc_failure(d, 1);
	iommu_iotlb_gather_init(&gather);
	CHECK(iommu_ctx_unmap_reserved(d, iova + SZ_4K, SZ_4K, &res, &gather) ==
	      SZ_4K);
	iommu_iotlb_sync(d, &gather);
	CHECK(!iommu_iova_to_phys(d, iova + SZ_4K));
	CHECK(iommu_iova_to_phys(d, iova) == iova);
	CHECK(iommu_iova_to_phys(d, iova + SZ_8K) == iova + SZ_8K);
	CHECK(!iommu_ctx_map_reserved(d, SZ_2M, SZ_32M, SZ_4M + SZ_4K, RW, &res));
	CHECK(st_maps(d, SZ_2M, SZ_32M, SZ_4M + SZ_4K));
	/* Without a reservation, the same unmap fails cleanly. */
	CHECK(iommu_unmap(d, iova + SZ_512M + SZ_4K, SZ_4K) == 0);
	CHECK(iommu_iova_to_phys(d, iova + SZ_512M + SZ_4K) ==
	      iova + SZ_512M + SZ_4K);
	iommu_ctx_inject_alloc_failure(d, 0);
	iommu_ctx_unreserve(d, &res);
	iommu_ctx_get_stats(d, &s);
	CHECK(s.reserved_tables == 0 && !res.ndir && !res.nleaf);
	CHECK(iommu_unmap(d, SZ_2M, SZ_4M + SZ_4K) == SZ_4M + SZ_4K);
	CHECK(iommu_unmap(d, iova, SZ_4K) == SZ_4K);
	CHECK(iommu_unmap(d, iova + SZ_8K, SZ_1G - SZ_8K) == SZ_1G - SZ_8K);
	CHECK(st_live_tables(d) == 1);
out:
	iommu_ctx_inject_alloc_failure(d, 0);
	iommu_ctx_unreserve(d, &res);
	iommu_domain_free(d);
	return ret;
}

#define RM_BASE		(SZ_1G - SZ_8M)
#define RM_PAGES	4096UL		/* 16 MiB window across 1 GiB */

static int rm_check(struct iommu_domain *d, const u64 *model)
{
	unsigned long i;

	for (i = 0; i < RM_PAGES; i++)
		if (iommu_iova_to_phys(d, RM_BASE + i * SZ_4K) != model[i]) {
			pr_info("# page %lu: %pa, model %llx\n", i,
				&(phys_addr_t){ iommu_iova_to_phys(d, RM_BASE + i * SZ_4K) },
				model[i]);
			return -EINVAL;
		}
	return 0;
}

static int t_random_model(void)
{
	static const unsigned long sizes[] = { SZ_4K, SZ_8K, SZ_64K, SZ_64K * 3,
		SZ_2M, SZ_2M + SZ_64K, SZ_4M };
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	unsigned long op, i, first, n;
	u64 *model;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	model = vzalloc(RM_PAGES * sizeof(*model));
	CHECK(model);
	for (op = 0; op < 3000; op++) {
		unsigned long size = sizes[prandom_u32_state(&st_rnd) % ARRAY_SIZE(sizes)];
		unsigned long align = (prandom_u32_state(&st_rnd) & 1) ? SZ_64K : SZ_4K;
		bool do_map = prandom_u32_state(&st_rnd) % 5 < 3;
		unsigned long iova;
		u64 addr;

		n = size / SZ_4K;
		first = prandom_u32_state(&st_rnd) % (RM_PAGES - n + 1);
		if (prandom_u32_state(&st_rnd) % 3 == 0)
			first &= ~(SZ_2M / SZ_4K - 1);
		else
			first &= ~(align / SZ_4K - 1);
		iova = RM_BASE + first * SZ_4K;
		if (do_map) {
			bool busy = false;
			int r;

			addr = st_addr_base() +
			       (u64)(prandom_u32_state(&st_rnd) % 512) * SZ_2M;
			if (prandom_u32_state(&st_rnd) & 1)
				addr += (u64)(prandom_u32_state(&st_rnd) % 512) * SZ_4K;
			for (i = 0; i < n; i++)
				busy |= model[first + i] != 0;
			r = iommu_map(d, iova, addr, size, RW, GFP_KERNEL);
			if (r != (busy ? -EEXIST : 0)) {
				pr_info("# op %lu: map %lx+%lx: %d, busy %d\n",
					op, iova, size, r, busy);
				ret = -EINVAL;
				goto out;
			}
			if (!busy)
				for (i = 0; i < n; i++)
					model[first + i] = addr + i * SZ_4K;
		} else {
			size_t want = 0, got;

			for (i = 0; i < n && model[first + i]; i++)
				want += SZ_4K;
			got = iommu_unmap(d, iova, size);
			if (got != want) {
				pr_info("# op %lu: unmap %lx+%lx: %zx, model %zx\n",
					op, iova, size, got, want);
				ret = -EINVAL;
				goto out;
			}
			for (i = 0; i < want / SZ_4K; i++)
				model[first + i] = 0;
		}
		if (op % 100 == 99) {
			ret = rm_check(d, model);
			if (ret)
				goto out;
		}
	}
	ret = rm_check(d, model);
	if (ret)
		goto out;
	/* Unmap every run the model has; the tree must be back to a root. */
	for (i = 0; i < RM_PAGES; i++) {
		if (!model[i])
			continue;
		for (n = i; n < RM_PAGES && model[n]; n++)
			model[n] = 0;
		CHECK(iommu_unmap(d, RM_BASE + i * SZ_4K, (n - i) * SZ_4K) ==
		      (n - i) * SZ_4K);
		i = n;
	}
	CHECK(!rm_check(d, model));
	CHECK(st_live_tables(d) == 1);
out:
	vfree(model);
	iommu_domain_free(d);
	return ret;
}

static int t_sgtable(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	struct device *dev = &st_pdev->dev;
	struct page *pages[8] = { };
	struct scatterlist *sg;
	struct sg_table sgt;
	unsigned long iova;
	unsigned int i;
	u64 w;
	int ret = 0, r;

	if (IS_ERR(d))
		return PTR_ERR(d);
	/* Synthetic DMA segments: largest sizes per segment. */
	CHECK(!sg_alloc_table(&sgt, 3, GFP_KERNEL));
	sg = sgt.sgl;
	sg_dma_address(sg) = SZ_1G;		/* 2M block + one 64K page */
	sg_dma_len(sg) = SZ_2M + SZ_64K;
	sg = sg_next(sg);
	sg_dma_address(sg) = SZ_2G + SZ_4K;	/* one 4K page */
	sg_dma_len(sg) = SZ_4K;
	sg = sg_next(sg);
	sg_dma_address(sg) = SZ_4G;		/* iova no longer 64K-aligned */
	sg_dma_len(sg) = SZ_64K;
	w = st_leaf_writes(d);
	CHECK(!iommu_ctx_map_sgtable(d, SZ_2M, &sgt, RW, GFP_KERNEL));
	CHECK(st_leaf_writes(d) - w == 1 + 16 + 1 + 16);
	CHECK(st_maps(d, SZ_2M, SZ_1G, SZ_2M + SZ_64K));
	CHECK(st_maps(d, SZ_4M + SZ_64K, SZ_2G + SZ_4K, SZ_4K));
	CHECK(st_maps(d, SZ_4M + SZ_64K + SZ_4K, SZ_4G, SZ_64K));
	CHECK(iommu_unmap(d, SZ_2M, SZ_2M + 2 * SZ_64K + SZ_4K) ==
	      SZ_2M + 2 * SZ_64K + SZ_4K);
	/* Misaligned last segment: nothing stays mapped. */
	sg_dma_len(sg) = SZ_64K + 0x200;
	CHECK(iommu_ctx_map_sgtable(d, SZ_2M, &sgt, RW, GFP_KERNEL) == -EINVAL);
	CHECK(st_unmapped(d, SZ_2M, SZ_4M));
	/* Something in the way of the 2nd segment: -EEXIST, all undone. */
	sg_dma_len(sg) = SZ_64K;
	CHECK(!iommu_map(d, SZ_4M + SZ_64K, SZ_8M, SZ_4K, RW, GFP_KERNEL));
	CHECK(iommu_ctx_map_sgtable(d, SZ_2M, &sgt, RW, GFP_KERNEL) == -EEXIST);
	CHECK(st_unmapped(d, SZ_2M, SZ_2M + SZ_64K));
	CHECK(iommu_iova_to_phys(d, SZ_4M + SZ_64K) == SZ_8M);
	CHECK(iommu_unmap(d, SZ_4M + SZ_64K, SZ_4K) == SZ_4K);
	CHECK(st_live_tables(d) == 1);
	sg_free_table(&sgt);

	/* A real DMA-mapped sg_table of the device. */
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		CHECK(pages[i]);
	}
	CHECK(!sg_alloc_table_from_pages(&sgt, pages, ARRAY_SIZE(pages), 0,
					 ARRAY_SIZE(pages) * PAGE_SIZE,
					 GFP_KERNEL));
	r = dma_map_sgtable(dev, &sgt, DMA_BIDIRECTIONAL, 0);
	if (r) {
		sg_free_table(&sgt);
		CHECK(!r);
	}
	iova = SZ_1G;
	CHECK(!iommu_ctx_map_sgtable(d, iova, &sgt, RW, GFP_KERNEL));
	for_each_sgtable_dma_sg(&sgt, sg, i) {
		if (!st_maps(d, iova, sg_dma_address(sg), sg_dma_len(sg)))
			ret = -EINVAL;
		iova += sg_dma_len(sg);
	}
	CHECK(iommu_unmap(d, SZ_1G, iova - SZ_1G) == iova - SZ_1G);
	dma_unmap_sgtable(dev, &sgt, DMA_BIDIRECTIONAL, 0);
	sg_free_table(&sgt);
	CHECK(!ret);
out:
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		if (pages[i])
			__free_page(pages[i]);
	iommu_domain_free(d);
	return ret;
}

static int t_non_coherent(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, false);
	struct iommu_ctx_stats s0, s1;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	iommu_ctx_get_stats(d, &s0);
	CHECK(!iommu_map(d, SZ_1G, SZ_2G, SZ_64K + SZ_4K, RW, GFP_KERNEL));
	iommu_ctx_get_stats(d, &s1);
	/*
	 * One batched sync per table and pass: 3 links, then the core's
	 * two map_pages calls (64K, then 4K) write one run of leaves each.
	 */
	pr_info("# table syncs: %llu\n", s1.table_syncs - s0.table_syncs);
	CHECK(s1.table_syncs - s0.table_syncs == 5);
	CHECK(iommu_unmap(d, SZ_1G, SZ_64K + SZ_4K) == SZ_64K + SZ_4K);
	CHECK(st_live_tables(d) == 1);
out:
	iommu_domain_free(d);
	return ret;
}

/*
 * A call of map_pages with several pages writes a run of entries of each
 * last-level table in one pass of one walk: counted by the syncs of a
 * non-coherent domain, one per table and pass, against one per page.
 */
static int t_map_pages_run(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, false);
	/* 4K-aligned only, relative to each other: 4K pages, in one call. */
	unsigned long iova = SZ_1G + SZ_1M;
	u64 addr = SZ_2G + SZ_4K;
	struct iommu_ctx_stats s0, s1;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	/* Once to fill the spare tables: the second map allocates nothing. */
	CHECK(!iommu_map(d, iova, addr, SZ_2M, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d, iova, SZ_2M) == SZ_2M);
	iommu_ctx_get_stats(d, &s0);
	CHECK(!iommu_map(d, iova, addr, SZ_2M, RW, GFP_KERNEL));
	iommu_ctx_get_stats(d, &s1);
	pr_info("# 512 pages over 2 tables: %llu syncs, %llu entries\n",
		s1.table_syncs - s0.table_syncs, s1.leaf_writes - s0.leaf_writes);
	CHECK(s1.leaf_writes - s0.leaf_writes == 512);
	/* Links in the root, level 1 and level 2 (one window), 2 runs. */
	CHECK(s1.table_syncs - s0.table_syncs == 5);
	CHECK(s1.table_allocs == s0.table_allocs);
	CHECK(s1.lockless_maps == 0);
	CHECK(st_maps(d, iova, addr, SZ_2M));
	CHECK(iommu_unmap(d, iova, SZ_2M) == SZ_2M);
	CHECK(st_live_tables(d) == 1);
out:
	iommu_domain_free(d);
	return ret;
}

#define SGR_SEGS	1024
#define SGR_SKIP	3
#define SGR_PAGES	1000

/* The DMA address of page @i of t_sg_range()'s table: none neighbours. */
static u64 sgr_addr(unsigned int i)
{
	return SZ_2G + 2ULL * i * SZ_4K;
}

/* iommu_ctx_map_sgtable_range_reserved() of t_sg_range()'s domain. */
static int sgr_map(struct iommu_domain *d, unsigned long iova,
		   struct sg_table *sgt, u64 offset, u64 size, u64 reserve)
{
	struct iommu_ctx_reservation res;
	int r;

	iommu_ctx_reservation_init(&res);
	r = iommu_ctx_reserve(d, iova, reserve, IOMMU_CTX_RES_MAP, GFP_KERNEL,
			      &res);
	if (r)
		return r;
	/* Every allocation fails: the reservation must do. */
	iommu_ctx_inject_alloc_failure(d, 1);
	r = iommu_ctx_map_sgtable_range_reserved(d, iova, sgt, offset, size,
						 RW, &res);
	iommu_ctx_inject_alloc_failure(d, 0);
	iommu_ctx_unreserve(d, &res);
	return r;
}

/*
 * Part of a table of 1024 one-page DMA segments, none of them neighbours
 * (a buffer of scattered pages without an IOMMU), mapped from its 4th
 * page across three last-level tables: one walk, so a non-coherent
 * domain syncs each table it writes once, not once per segment. Bad
 * ranges and segments, and a short reservation, leave nothing mapped.
 */
static int t_sg_range(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, SZ_4K, false);
	unsigned long iova = SZ_1G + SZ_2M - 100 * SZ_4K;
	u64 size = SGR_PAGES * SZ_4K, off = SGR_SKIP * SZ_4K;
	struct iommu_ctx_stats s0, s1;
	struct scatterlist *sg, *bad = NULL;
	struct sg_table sgt;
	unsigned int i;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	if (sg_alloc_table(&sgt, SGR_SEGS, GFP_KERNEL)) {
		iommu_domain_free(d);
		return -ENOMEM;
	}
	for_each_sgtable_sg(&sgt, sg, i) {
		sg_dma_address(sg) = sgr_addr(i);
		sg_dma_len(sg) = SZ_4K;
		if (i == 500)
			bad = sg;
	}
	/* Past the table's end, a misaligned offset: -EINVAL, nothing. */
	CHECK(sgr_map(d, iova, &sgt, (SGR_SEGS - SGR_PAGES + 1) * SZ_4K,
		      size, size) == -EINVAL);
	CHECK(sgr_map(d, iova, &sgt, off + SZ_2K, size, size) == -EINVAL);
	CHECK(st_unmapped(d, iova, size));
	/* A misaligned segment half-way: what came before it is undone. */
	sg_dma_address(bad) += SZ_2K;
	CHECK(sgr_map(d, iova, &sgt, off, size, size) == -EINVAL);
	sg_dma_address(bad) -= SZ_2K;
	CHECK(st_unmapped(d, iova, size));
	/* Tables reserved for the first table's 100 pages only, no spares. */
	iommu_ctx_drop_spares(ULONG_MAX);
	CHECK(sgr_map(d, iova, &sgt, off, size, 100 * SZ_4K) == -ENOMEM);
	CHECK(st_unmapped(d, iova, size));
	CHECK(st_live_tables(d) == 1);

	iommu_ctx_get_stats(d, &s0);
	CHECK(!sgr_map(d, iova, &sgt, off, size, size));
	iommu_ctx_get_stats(d, &s1);
	pr_info("# %u one-page segments over 3 tables: %llu syncs, %llu entries\n",
		SGR_PAGES, s1.table_syncs - s0.table_syncs,
		s1.leaf_writes - s0.leaf_writes);
	CHECK(s1.leaf_writes - s0.leaf_writes == SGR_PAGES);
	/* Links in the root and level 1, 3 in level 2; 3 passes of leaves. */
	CHECK(s1.table_syncs - s0.table_syncs == 6);
	for (i = 0; i < SGR_PAGES; i++)
		if (iommu_iova_to_phys(d, iova + i * SZ_4K) !=
		    sgr_addr(SGR_SKIP + i))
			ret = -EINVAL;
	CHECK(!ret);
	CHECK(iommu_unmap(d, iova, size) == size);
	CHECK(st_live_tables(d) == 1);

	/* From the middle of a segment of 8 pages into the next one. */
	sg_free_table(&sgt);
	CHECK(!sg_alloc_table(&sgt, 2, GFP_KERNEL));
	sg_dma_address(sgt.sgl) = SZ_2G;
	sg_dma_len(sgt.sgl) = 8 * SZ_4K;
	sg_dma_address(sg_next(sgt.sgl)) = SZ_4G;
	sg_dma_len(sg_next(sgt.sgl)) = 8 * SZ_4K;
	CHECK(!sgr_map(d, iova, &sgt, 5 * SZ_4K, 8 * SZ_4K, 8 * SZ_4K));
	CHECK(st_maps(d, iova, SZ_2G + 5 * SZ_4K, 3 * SZ_4K));
	CHECK(st_maps(d, iova + 3 * SZ_4K, SZ_4G, 5 * SZ_4K));
	CHECK(st_unmapped(d, iova + 8 * SZ_4K, SZ_4K));
	CHECK(iommu_unmap(d, iova, 8 * SZ_4K) == 8 * SZ_4K);
	CHECK(st_live_tables(d) == 1);
out:
	sg_free_table(&sgt);
	iommu_domain_free(d);
	return ret;
}

/*
 * The spare-table cache: a map after an unmap of the same range
 * allocates nothing; what an unmap frees beyond the cap is freed; the
 * cache counts in the domain's tables and goes with the domain (its
 * free WARNs if a table is left, which fails the lane).
 */
static int t_spare_cache(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, SZ_4K, true);
	unsigned long iova = SZ_1G, i, n = SZ_64M / SZ_4K;
	struct iommu_ctx_stats s0, s1;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	/* 64 MiB of 4K pages: 32 last-level tables and 2 directories. */
	CHECK(!iommu_map(d, iova, SZ_2G, SZ_64M, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d, iova, SZ_64M) == SZ_64M);
	iommu_ctx_get_stats(d, &s0);
	CHECK(s0.spare_max == 16 + 64);
	CHECK(s0.spare_tables >= 32 + 2 && s0.spare_tables <= s0.spare_max);
	CHECK(s0.tables == 1 + s0.spare_tables);
	CHECK(st_live_tables(d) == 1);
	/* The same range again, page by page as iommu_map() users do. */
	for (i = 0; i < n; i++)
		CHECK(!iommu_map(d, iova + i * SZ_4K, SZ_2G + i * SZ_4K, SZ_4K,
				 RW, GFP_KERNEL));
	iommu_ctx_get_stats(d, &s1);
	pr_info("# remap of 64M by pages: %llu tables allocated, %llu of %lu pages lockless\n",
		s1.table_allocs - s0.table_allocs,
		s1.lockless_maps - s0.lockless_maps, n);
	CHECK(s1.table_allocs == s0.table_allocs);
	/* Only the first page of each last-level table takes the lock. */
	CHECK(s1.lockless_maps - s0.lockless_maps == n - 32);
	CHECK(s1.leaf_writes - s0.leaf_writes == n);
	CHECK(st_maps(d, iova, SZ_2G, SZ_64M));
	CHECK(iommu_unmap(d, iova, SZ_64M) == SZ_64M);
	/* 512 MiB: 256 last-level tables, far more than the cache keeps. */
	CHECK(!iommu_map(d, iova, SZ_2G, SZ_512M, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d, iova, SZ_512M) == SZ_512M);
	iommu_ctx_get_stats(d, &s1);
	CHECK(s1.spare_tables >= 64 && s1.spare_tables <= s1.spare_max);
	CHECK(s1.tables == 1 + s1.spare_tables);
	CHECK(st_live_tables(d) == 1);
out:
	iommu_domain_free(d);
	return ret;
}

struct conc_arg {
	struct iommu_domain *d;
	unsigned long base;
	int err;
	struct completion done;
};

static int conc_thread(void *data)
{
	struct conc_arg *a = data;
	unsigned long i, k;

	for (i = 0; i < 400 && !a->err; i++) {
		for (k = 0; k < 16; k++)
			if (iommu_map(a->d, a->base + k * SZ_4K, SZ_2G + k * SZ_4K,
				      SZ_4K, RW, GFP_KERNEL))
				a->err = -EIO;
		for (k = 0; k < 16; k++)
			if (iommu_iova_to_phys(a->d, a->base + k * SZ_4K) !=
			    SZ_2G + k * SZ_4K)
				a->err = -EINVAL;
		if (iommu_unmap(a->d, a->base, 16 * SZ_4K) != 16 * SZ_4K)
			a->err = -EIO;
		cond_resched();
	}
	complete(&a->done);
	return 0;
}

/*
 * The lockless single-page map against the locked paths: two threads per
 * last-level table, on alternate pages, and two tables, so that the walk
 * cache keeps moving between them. A table empties (and is freed or
 * reused) whenever both of its threads have unmapped everything, while
 * the other pair pins it through a stale walk cache. At the end the tree
 * must be a lone root again: no table left behind, none lost.
 */
struct lockless_arg {
	struct iommu_domain *d;
	unsigned long base;
	int err;
	struct completion done;
};

#define LL_PAGES	64

static int lockless_thread(void *data)
{
	struct lockless_arg *a = data;
	unsigned long i, k, va;

	for (i = 0; i < 300 && !a->err; i++) {
		for (k = 0; k < LL_PAGES; k++) {
			va = a->base + 2 * k * SZ_4K;
			if (iommu_map(a->d, va, SZ_4G + va, SZ_4K, RW, GFP_KERNEL))
				a->err = -EIO;
		}
		for (k = 0; k < LL_PAGES; k++) {
			va = a->base + 2 * k * SZ_4K;
			if (iommu_iova_to_phys(a->d, va) != SZ_4G + va)
				a->err = -EINVAL;
			if (iommu_unmap(a->d, va, SZ_4K) != SZ_4K)
				a->err = -EIO;
		}
		cond_resched();
	}
	complete(&a->done);
	return 0;
}

static int t_concurrent_lockless(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	struct lockless_arg a[4];
	struct iommu_ctx_stats s;
	struct task_struct *tsk;
	int i, ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		a[i].d = d;
		a[i].base = SZ_1G + (i / 2) * SZ_2M + (i % 2) * SZ_4K;
		a[i].err = 0;
		init_completion(&a[i].done);
		tsk = kthread_run(lockless_thread, &a[i], "ictx_ll%d", i);
		if (IS_ERR(tsk)) {
			a[i].err = PTR_ERR(tsk);
			complete(&a[i].done);
		}
	}
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		wait_for_completion(&a[i].done);
		CHECK(!a[i].err);
	}
	iommu_ctx_get_stats(d, &s);
	pr_info("# %llu of %llu pages mapped lockless, %llu tables removed\n",
		s.lockless_maps, s.leaf_writes, s.tables_freed);
	CHECK(s.lockless_maps > 0);
	CHECK(st_unmapped(d, SZ_1G, SZ_4M));
	CHECK(st_live_tables(d) == 1);
	CHECK(s.tables == 1 + s.spare_tables);
out:
	iommu_domain_free(d);
	return ret;
}

static int t_concurrent(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	struct conc_arg a[4];
	struct task_struct *tsk;
	int i, ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	/* Disjoint ranges sharing last-level and upper tables. */
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		a[i].d = d;
		a[i].base = SZ_1G - SZ_128K + i * SZ_64K;
		a[i].err = 0;
		init_completion(&a[i].done);
		tsk = kthread_run(conc_thread, &a[i], "ictx_st%d", i);
		if (IS_ERR(tsk)) {
			a[i].err = PTR_ERR(tsk);
			complete(&a[i].done);
		}
	}
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		wait_for_completion(&a[i].done);
		CHECK(!a[i].err);
	}
	CHECK(st_live_tables(d) == 1);
out:
	iommu_domain_free(d);
	return ret;
}

/* Entry @idx of a table, of either size, as the GPU reads it. */
static u64 st_ent(const struct iommu_ctx_format *f, const void *table,
		  unsigned int idx)
{
	if (f->entry_size == 4)
		return READ_ONCE(((const u32 *)table)[idx]);
	return READ_ONCE(((const u64 *)table)[idx]);
}

/* The CPU view of a level-1 DMA address of @dev, as the GPU would reach it. */
static void *l1_to_cpu(struct device *dev, u64 dma)
{
	struct iommu_domain *l1 = iommu_get_domain_for_dev(dev);
	phys_addr_t phys = dma;

	if (l1 && (l1->type & __IOMMU_DOMAIN_PAGING)) {
		phys = iommu_iova_to_phys(l1, dma);
		if (!phys)
			return NULL;
	}
	return phys_to_virt(phys);
}

static int t_edu_two_level(void)
{
	struct pci_dev *pdev;
	struct iommu_domain *d = NULL, *l1;
	const struct iommu_ctx_format *f;
	struct iommu_ctx_pte_info info;
	struct page *page = NULL;
	dma_addr_t dma = DMA_MAPPING_ERROR;
	unsigned long iova = 0x7f1234565000UL;
	void *table;
	unsigned int l;
	int ret = 0;

	f = iommu_ctx_format_find(st_fmt_name);
	/* Under the format's top: every level's index is not 0. */
	iova = min_t(unsigned long, iova,
		     (1UL << f->va_bits) - SZ_8M - SZ_1M + 0x5000);
	pdev = pci_get_domain_bus_and_slot(0, 0, PCI_DEVFN(0x12, 0));
	if (!pdev || pdev->vendor != 0x1234 || pdev->device != 0x11e8 ||
	    pdev->dev.driver) {
		pr_info("# no unbound edu device at 0000:00:12.0\n");
		pci_dev_put(pdev);
		return SKIP;
	}
	l1 = iommu_get_domain_for_dev(&pdev->dev);
	pr_info("# edu 0000:00:12.0: level 1 %s\n",
		l1 && (l1->type & __IOMMU_DOMAIN_PAGING) ? "IOMMU" : "direct");
	d = st_domain(&pdev->dev, 0, 0, true);
	CHECK(!IS_ERR(d));
	f = iommu_ctx_domain_format(d);
	/* Below 4 GiB: the edu device's 32-bit mask must not bounce it. */
	page = alloc_page(GFP_KERNEL | GFP_DMA32 | __GFP_ZERO);
	CHECK(page);
	dma = dma_map_page(&pdev->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	CHECK(!dma_mapping_error(&pdev->dev, dma));
	CHECK(!iommu_map(d, iova, dma, SZ_4K, RW, GFP_KERNEL));
	CHECK(iommu_iova_to_phys(d, iova) == dma);
	pr_info("# root %pad, page dma %pad phys %pa\n",
		&(dma_addr_t){ iommu_ctx_root_dma(d) }, &dma,
		&(phys_addr_t){ page_to_phys(page) });
	/* Walk as the GPU does: every link is a level-1 address. */
	table = l1_to_cpu(&pdev->dev, iommu_ctx_root_dma(d));
	CHECK(table);
	for (l = 0; l < f->levels; l++) {
		unsigned int idx = (iova >> f->level[l].shift) &
			((1U << f->level[l].bits) - 1);

		iommu_ctx_format_decode(f, l, st_ent(f, table, idx), &info);
		CHECK(info.valid);
		if (info.leaf)
			break;
		table = l1_to_cpu(&pdev->dev, info.addr);
		CHECK(table);
	}
	CHECK(l == f->levels - 1 && info.leaf && info.addr == dma);
	CHECK(l1_to_cpu(&pdev->dev, info.addr) == page_address(page));
	CHECK(iommu_unmap(d, iova, SZ_4K) == SZ_4K);
	CHECK(st_live_tables(d) == 1);
out:
	if (!IS_ERR_OR_NULL(d))
		iommu_domain_free(d);
	if (!dma_mapping_error(&pdev->dev, dma))
		dma_unmap_page(&pdev->dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (page)
		__free_page(page);
	pci_dev_put(pdev);
	return ret;
}

/*
 * Per-format cases: each runs on every format, with the format's own
 * geometry (the VA span of one last-level table, its block size, how
 * wide its output addresses are). st_fmt_name is the format.
 */
static const struct iommu_ctx_format *st_f(void)
{
	return iommu_ctx_format_find(st_fmt_name);
}

/* VA span of one last-level table: 2 MiB, or 4 MiB for x86-32. */
static unsigned long st_region(void)
{
	const struct iommu_ctx_format *f = st_f();

	return 1UL << f->level[f->levels - 2].shift;
}

/* 8 regions under the top of the VA: high index bits at every level. */
static unsigned long st_hi(void)
{
	return (1UL << st_f()->va_bits) - 8 * st_region();
}

/* Walk @d for @iova from the CPU, as the GPU would through level 1. */
static int st_walk(struct device *dev, struct iommu_domain *d,
		   unsigned long iova, struct iommu_ctx_pte_info *info,
		   unsigned int *level)
{
	const struct iommu_ctx_format *f = iommu_ctx_domain_format(d);
	void *table = l1_to_cpu(dev, iommu_ctx_root_dma(d));
	unsigned int l;

	for (l = 0; table && l < f->levels; l++) {
		unsigned int idx = (iova >> f->level[l].shift) &
			((1U << f->level[l].bits) - 1);

		iommu_ctx_format_decode(f, l, st_ent(f, table, idx), info);
		if (!info->valid)
			return -ENOENT;
		if (info->leaf) {
			*level = l;
			return 0;
		}
		table = l1_to_cpu(dev, info->addr);
	}
	return -EFAULT;
}

/* A last-level leaf's attribute bits, built from the descriptor. */
static u64 st_leaf_bits(const struct iommu_ctx_format *f, int prot)
{
	u64 e = f->valid | f->leaf | f->page | f->user;

	if (prot & IOMMU_READ)
		e |= f->read;
	e |= (prot & IOMMU_WRITE) ? f->write : f->rdonly;
	return e;
}

/* What each format must look like from its descriptor. */
static const struct {
	const char *name;
	unsigned long pgsizes;
	unsigned int levels;
	unsigned int entry_size;
	unsigned int va_bits;
	unsigned int oa_bits;
} st_fmt_expect[] = {
	{ "x86-48", SZ_4K | SZ_64K | SZ_2M | SZ_1G, 4, 8, 48, 52 },
	{ "x86-32", SZ_4K, 2, 4, 32, 32 },
	{ "lpae-40", SZ_4K | SZ_2M, 3, 8, 39, 40 },
};

static int f_format(void)
{
	const struct iommu_ctx_format *f = st_f();
	struct iommu_ctx_pte_info info;
	unsigned int i, last;
	u64 page;
	int ret = 0;

	CHECK(f);
	last = f->levels - 1;
	for (i = 0; i < ARRAY_SIZE(st_fmt_expect); i++)
		if (!strcmp(st_fmt_expect[i].name, f->name))
			break;
	CHECK(i < ARRAY_SIZE(st_fmt_expect));
	CHECK(iommu_ctx_format_pgsizes(f) == st_fmt_expect[i].pgsizes);
	CHECK(f->levels == st_fmt_expect[i].levels);
	CHECK(f->entry_size == st_fmt_expect[i].entry_size);
	CHECK(f->va_bits == st_fmt_expect[i].va_bits);
	CHECK(iommu_ctx_format_oa_bits(f) == st_fmt_expect[i].oa_bits);
	for (i = 0; i < f->levels; i++)
		CHECK(iommu_ctx_format_table_size(f, i) == SZ_4K);
	/* A page at the top of the output range, read-only, then writable. */
	page = (1ULL << iommu_ctx_format_oa_bits(f)) - SZ_4K;
	iommu_ctx_format_decode(f, last, page | st_leaf_bits(f, IOMMU_READ),
				&info);
	CHECK(info.valid && info.leaf && info.addr == page);
	CHECK(info.size == SZ_4K && !info.writable && !info.contig);
	iommu_ctx_format_decode(f, last, page | st_leaf_bits(f, RW), &info);
	CHECK(info.valid && info.leaf && info.writable);
	/* Without the page bits (ARM's bit 1), a last-level entry is invalid. */
	if (f->page) {
		iommu_ctx_format_decode(f, last, page | f->valid, &info);
		CHECK(!info.valid);
	}
	/* A link above the last level, and a block where the level has them. */
	iommu_ctx_format_decode(f, last - 1, 0x5000ULL | f->valid | f->table,
				&info);
	CHECK(info.valid && !info.leaf && info.addr == 0x5000);
	if (f->level[last - 1].block) {
		iommu_ctx_format_decode(f, last - 1,
					SZ_2M | (st_leaf_bits(f, RW) & ~f->page) |
					f->block, &info);
		CHECK(info.valid && info.leaf && info.size == SZ_2M &&
		      info.addr == SZ_2M && info.writable);
	}
	iommu_ctx_format_decode(f, 0, 0, &info);
	CHECK(!info.valid);
out:
	return ret;
}

static int f_map_unmap(void)
{
	const struct iommu_ctx_format *f = st_f();
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	unsigned int oa = iommu_ctx_format_oa_bits(f), lvl;
	unsigned long va = st_hi() + st_region() + 5 * SZ_4K;
	unsigned long top = (1UL << f->va_bits) - SZ_4K;
	u64 pa = st_addr_base() + 0x123000, hi_pa = (1ULL << oa) - SZ_4K;
	struct iommu_ctx_pte_info info;
	struct iommu_ctx_stats s;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	CHECK(st_live_tables(d) == 1);
	CHECK(!iommu_map(d, va, pa, SZ_4K, RW, GFP_KERNEL));
	CHECK(iommu_iova_to_phys(d, va) == pa);
	CHECK(iommu_iova_to_phys(d, va + 0xabc) == pa + 0xabc);
	CHECK(!iommu_iova_to_phys(d, va + SZ_4K));
	CHECK(st_live_tables(d) == f->levels);
	/* The entries, as the device reads them. */
	CHECK(!st_walk(&st_pdev->dev, d, va, &info, &lvl));
	CHECK(lvl == f->levels - 1 && info.addr == pa && info.size == SZ_4K);
	CHECK(info.writable);
	CHECK(!iommu_map(d, va + SZ_4K, pa + SZ_8K, SZ_4K, IOMMU_READ,
			 GFP_KERNEL));
	CHECK(!st_walk(&st_pdev->dev, d, va + SZ_4K, &info, &lvl));
	CHECK(info.addr == pa + SZ_8K && !info.writable);
	CHECK(iommu_map(d, va, pa, SZ_4K, RW, GFP_KERNEL) == -EEXIST);
	CHECK(iommu_unmap(d, va, SZ_8K) == SZ_8K);
	CHECK(st_unmapped(d, va, SZ_8K));
	CHECK(st_live_tables(d) == 1);
	CHECK(atomic_read(&tlbst.ranges) == 1);
	CHECK(tlbst.start <= va && tlbst.start + tlbst.size >= va + SZ_8K);
	/* The last page of the VA, the last page of the output range. */
	CHECK(iommu_map(d, top + SZ_4K, pa, SZ_4K, RW, GFP_KERNEL) == -EINVAL);
	CHECK(iommu_map(d, top, hi_pa + SZ_4K, SZ_4K, RW, GFP_KERNEL) ==
	      -EINVAL);
	CHECK(!iommu_map(d, top, hi_pa, SZ_4K, RW, GFP_KERNEL));
	CHECK(iommu_iova_to_phys(d, top + 0xff8) == hi_pa + 0xff8);
	CHECK(!st_walk(&st_pdev->dev, d, top, &info, &lvl));
	CHECK(info.addr == hi_pa);
	CHECK(iommu_unmap(d, top, SZ_4K) == SZ_4K);
	CHECK(st_live_tables(d) == 1);
	iommu_domain_free(d);

	/* A non-coherent walk: the same, with every write synced. */
	d = st_domain(NULL, 0, 0, false);
	if (IS_ERR(d))
		return PTR_ERR(d);
	CHECK(!iommu_map(d, va, pa, 3 * SZ_4K, RW, GFP_KERNEL));
	iommu_ctx_get_stats(d, &s);
	/* A link per directory level and one run of leaves. */
	CHECK(s.table_syncs == f->levels);
	CHECK(st_maps(d, va, pa, 3 * SZ_4K));
	CHECK(iommu_unmap(d, va, 3 * SZ_4K) == 3 * SZ_4K);
	CHECK(st_live_tables(d) == 1);
out:
	iommu_domain_free(d);
	return ret;
}

/*
 * Sparse leaves: the device sees a valid, writable leaf marked sparse
 * (whatever address it holds), a block where the range allows one, and a
 * split of it keeps the mark on the rest; through the iommu core's
 * iommu_map(), whose fast path knows no sparse, the flag is not lost.
 */
static int f_sparse(void)
{
	const struct iommu_ctx_format *f = st_f();
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	unsigned long va = st_hi() + st_region();
	const int sp = RW | IOMMU_CTX_SPARSE;
	struct iommu_ctx_reservation res;
	struct iommu_iotlb_gather gather;
	struct iommu_ctx_pte_info info;
	unsigned int lvl;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	CHECK(f->sparse);
	CHECK(!(f->sparse & (f->addr_mask | f->valid | f->table | f->leaf |
			     f->page | f->write | f->rdonly | f->uncached)));
	iommu_ctx_reservation_init(&res);
	CHECK(!iommu_ctx_reserve(d, va, SZ_4M, IOMMU_CTX_RES_MAP |
				 IOMMU_CTX_RES_UNMAP, GFP_KERNEL, &res));
	CHECK(!iommu_ctx_map_reserved(d, va, 0, SZ_4M, sp, &res));
	CHECK(!st_walk(&st_pdev->dev, d, va + SZ_8K, &info, &lvl));
	CHECK(info.sparse && info.writable);
	/* A format with 2 MiB blocks uses them for a sparse range too. */
	if (iommu_ctx_format_pgsizes(f) & SZ_2M)
		CHECK(info.size >= SZ_2M);
	/* Cutting a page out keeps the rest sparse. */
	iommu_iotlb_gather_init(&gather);
	CHECK(iommu_ctx_unmap_reserved(d, va + SZ_4K, SZ_4K, &res, &gather) ==
	      SZ_4K);
	iommu_iotlb_sync(d, &gather);
	CHECK(st_walk(&st_pdev->dev, d, va + SZ_4K, &info, &lvl) == -ENOENT);
	CHECK(!st_walk(&st_pdev->dev, d, va, &info, &lvl));
	CHECK(info.sparse && lvl == f->levels - 1);
	CHECK(!st_walk(&st_pdev->dev, d, va + SZ_8K, &info, &lvl));
	CHECK(info.sparse);
	iommu_ctx_unreserve(d, &res);
	/* A real page next to them is not sparse. */
	CHECK(!iommu_map(d, va + SZ_4K, st_addr_base(), SZ_4K, RW, GFP_KERNEL));
	CHECK(!st_walk(&st_pdev->dev, d, va + SZ_4K, &info, &lvl));
	CHECK(!info.sparse && info.addr == st_addr_base());
	/* iommu_map() with the flag, one page: the fast path steps aside. */
	CHECK(iommu_unmap(d, va, SZ_4M) == SZ_4M);
	CHECK(!iommu_map(d, va, 0, SZ_4K, sp, GFP_KERNEL));
	CHECK(!st_walk(&st_pdev->dev, d, va, &info, &lvl));
	CHECK(info.sparse);
	CHECK(iommu_unmap(d, va, SZ_4K) == SZ_4K);
out:
	iommu_domain_free(d);
	return ret;
}

static int f_split(void)
{
	struct iommu_domain *d;
	unsigned long va = st_hi() + 2 * SZ_2M;
	u64 pa = st_addr_base() + 8 * SZ_2M, w;
	struct iommu_ctx_pte_info info;
	struct iommu_ctx_stats s;
	unsigned int lvl;
	int ret = 0;

	if (!(iommu_ctx_format_pgsizes(st_f()) & SZ_2M)) {
		pr_info("# %s has no 2 MiB blocks\n", st_fmt_name);
		return SKIP;
	}
	d = st_domain(NULL, 0, 0, true);
	if (IS_ERR(d))
		return PTR_ERR(d);
	w = st_leaf_writes(d);
	CHECK(!iommu_map(d, va, pa, SZ_2M, RW, GFP_KERNEL));
	CHECK(st_leaf_writes(d) - w == 1);
	CHECK(!st_walk(&st_pdev->dev, d, va + SZ_1M, &info, &lvl));
	CHECK(lvl == st_f()->levels - 2 && info.size == SZ_2M &&
	      info.addr == pa && info.writable);
	CHECK(iommu_unmap(d, va + SZ_512K, SZ_4K) == SZ_4K);
	iommu_ctx_get_stats(d, &s);
	CHECK(s.splits >= 1);
	CHECK(!iommu_iova_to_phys(d, va + SZ_512K));
	CHECK(st_maps(d, va, pa, SZ_512K));
	CHECK(st_maps(d, va + SZ_512K + SZ_4K, pa + SZ_512K + SZ_4K,
		      SZ_2M - SZ_512K - SZ_4K));
	/* The split made last-level pages the device reads as such. */
	CHECK(!st_walk(&st_pdev->dev, d, va + SZ_512K + SZ_4K, &info, &lvl));
	CHECK(lvl == st_f()->levels - 1 && info.writable &&
	      info.addr == pa + SZ_512K + SZ_4K);
	CHECK(st_walk(&st_pdev->dev, d, va + SZ_512K, &info, &lvl) == -ENOENT);
	CHECK(iommu_unmap(d, va, SZ_512K) == SZ_512K);
	CHECK(iommu_unmap(d, va + SZ_512K + SZ_4K, SZ_2M - SZ_512K - SZ_4K) ==
	      SZ_2M - SZ_512K - SZ_4K);
	CHECK(st_unmapped(d, va, SZ_2M));
	CHECK(st_live_tables(d) == 1);
	/* Two blocks; unmap across the boundary between them. */
	CHECK(!iommu_map(d, va, pa, SZ_4M, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d, va + SZ_2M - SZ_8K, SZ_16K) == SZ_16K);
	CHECK(st_unmapped(d, va + SZ_2M - SZ_8K, SZ_16K));
	CHECK(st_maps(d, va, pa, SZ_2M - SZ_8K));
	CHECK(st_maps(d, va + SZ_2M + SZ_8K, pa + SZ_2M + SZ_8K,
		      SZ_2M - SZ_8K));
	CHECK(iommu_unmap(d, va, SZ_2M - SZ_8K) == SZ_2M - SZ_8K);
	CHECK(iommu_unmap(d, va + SZ_2M + SZ_8K, SZ_2M - SZ_8K) ==
	      SZ_2M - SZ_8K);
	CHECK(st_live_tables(d) == 1);
out:
	iommu_domain_free(d);
	return ret;
}

static int f_gather(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, SZ_4K, true);
	unsigned long n = st_region() / SZ_4K + 64, va = st_hi() + SZ_1M, i;
	u64 pa = st_addr_base();
	struct iommu_iotlb_gather gather;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	/* Across a last-level table boundary, page by page. */
	for (i = 0; i < n; i++)
		CHECK(!iommu_map(d, va + i * SZ_4K, pa + i * SZ_4K, SZ_4K, RW,
				 GFP_KERNEL));
	CHECK(st_live_tables(d) == 1 + (st_f()->levels - 2) + 2);
	atomic_set(&tlbst.ranges, 0);
	iommu_iotlb_gather_init(&gather);
	tlbst.watch = &gather;
	for (i = 0; i < n; i++)
		CHECK(iommu_unmap_fast(d, va + i * SZ_4K, SZ_4K, &gather) ==
		      SZ_4K);
	CHECK(atomic_read(&tlbst.ranges) == 0);
	/* Emptied tables wait for the invalidation. */
	CHECK(!list_empty(&gather.freelist));
	iommu_iotlb_sync(d, &gather);
	CHECK(tlbst.freelist_at_flush);
	CHECK(atomic_read(&tlbst.ranges) == 1);
	CHECK(tlbst.start == va && tlbst.size == n * SZ_4K);
	CHECK(st_live_tables(d) == 1);
	CHECK(atomic_read(&tlbst.alls) == 0);
out:
	tlbst.watch = NULL;
	iommu_domain_free(d);
	return ret;
}

static int f_reserve(void)
{
	const struct iommu_ctx_format *f = st_f();
	struct iommu_domain *d = st_domain(NULL, 0, 0, true);
	bool blocks = iommu_ctx_format_pgsizes(f) & SZ_2M;
	unsigned long region = st_region(), va = st_hi() + region - SZ_4K;
	unsigned long size = 2 * region + SZ_8K, vb = st_hi() + 6 * SZ_2M;
	u64 pa = st_addr_base();
	struct iommu_ctx_reservation res;
	struct iommu_iotlb_gather gather;
	struct iommu_ctx_stats s;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	iommu_ctx_reservation_init(&res);
	/* Four last-level tables and one directory per middle level. */
	CHECK(iommu_ctx_reserve_count(d, va, size, IOMMU_CTX_RES_MAP) ==
	      4 + (f->levels - 2));
	if (blocks) {
		CHECK(!iommu_map(d, vb, pa + SZ_64M, SZ_4M, RW, GFP_KERNEL));
		CHECK(iommu_ctx_reserve_count(d, vb + SZ_4K, SZ_4K,
					      IOMMU_CTX_RES_UNMAP) >= 1);
		CHECK(!iommu_ctx_reserve(d, vb + SZ_4K, SZ_4K,
					 IOMMU_CTX_RES_UNMAP, GFP_KERNEL, &res));
	}
	CHECK(!iommu_ctx_reserve(d, va, size, IOMMU_CTX_RES_MAP, GFP_KERNEL,
				 &res));
	iommu_ctx_get_stats(d, &s);
	CHECK(s.reserved_tables == res.ndir + res.nleaf);
	/* From now on every allocation fails: the reservation must do. */
	iommu_ctx_inject_alloc_failure(d, 1);
	CHECK(!iommu_ctx_map_reserved(d, va, pa, size, RW, &res));
	CHECK(st_maps(d, va, pa, size));
	if (blocks) {
		iommu_iotlb_gather_init(&gather);
		CHECK(iommu_ctx_unmap_reserved(d, vb + SZ_4K, SZ_4K, &res,
					       &gather) == SZ_4K);
		iommu_iotlb_sync(d, &gather);
		CHECK(!iommu_iova_to_phys(d, vb + SZ_4K));
		CHECK(iommu_iova_to_phys(d, vb) == pa + SZ_64M);
		/* Without a reservation, a split has no table: nothing. */
		CHECK(iommu_unmap(d, vb + SZ_2M + SZ_4K, SZ_4K) == 0);
		CHECK(iommu_iova_to_phys(d, vb + SZ_2M + SZ_4K) ==
		      pa + SZ_64M + SZ_2M + SZ_4K);
	}
	iommu_ctx_inject_alloc_failure(d, 0);
	iommu_ctx_unreserve(d, &res);
	iommu_ctx_get_stats(d, &s);
	CHECK(s.reserved_tables == 0 && !res.ndir && !res.nleaf);
	CHECK(iommu_unmap(d, va, size) == size);
	if (blocks) {
		CHECK(iommu_unmap(d, vb, SZ_4K) == SZ_4K);
		CHECK(iommu_unmap(d, vb + SZ_8K, SZ_4M - SZ_8K) ==
		      SZ_4M - SZ_8K);
	}
	CHECK(st_live_tables(d) == 1);
out:
	iommu_ctx_inject_alloc_failure(d, 0);
	iommu_ctx_unreserve(d, &res);
	iommu_domain_free(d);
	return ret;
}

static int f_alloc_failure(void)
{
	struct iommu_domain *d = st_domain(NULL, 0, SZ_4K, true);
	unsigned long region = st_region(), va = st_hi() + region - SZ_1M;
	u64 pa = st_addr_base();
	unsigned int nth, failed = 0;
	int ret = 0, r;

	if (IS_ERR(d))
		return PTR_ERR(d);
	/* 2 MiB across a last-level table boundary. */
	for (nth = 1; nth <= st_f()->levels + 2; nth++) {
		iommu_ctx_inject_alloc_failure(d, nth);
		r = iommu_map(d, va, pa, SZ_2M, RW, GFP_KERNEL);
		iommu_ctx_inject_alloc_failure(d, 0);
		if (!r) {
			CHECK(nth > 1);
			CHECK(st_maps(d, va, pa, SZ_2M));
			CHECK(iommu_unmap(d, va, SZ_2M) == SZ_2M);
			continue;
		}
		failed++;
		CHECK(r == -ENOMEM);
		CHECK(st_unmapped(d, va, SZ_2M));
		CHECK(st_live_tables(d) == 1);
	}
	CHECK(failed >= 1);
	/* And on a fresh domain, from the first allocation on. */
	iommu_domain_free(d);
	d = st_domain(NULL, 0, SZ_4K, true);
	if (IS_ERR(d))
		return PTR_ERR(d);
	iommu_ctx_inject_alloc_failure(d, 1);
	CHECK(iommu_map(d, va, pa, SZ_2M, RW, GFP_KERNEL) == -ENOMEM);
	iommu_ctx_inject_alloc_failure(d, 0);
	CHECK(st_unmapped(d, va, SZ_2M));
	CHECK(st_live_tables(d) == 1);
	CHECK(!iommu_map(d, va, pa, SZ_2M, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d, va, SZ_2M) == SZ_2M);
out:
	iommu_ctx_inject_alloc_failure(d, 0);
	iommu_domain_free(d);
	return ret;
}

/*
 * The observer of a non-coherent walk (&iommu_ctx_cfg.walk) as a small
 * cache model: lines of table pages the CPU stored to and has not
 * flushed. After every map or unmap none may be left, whatever the
 * format: the walker would read them stale.
 */
#define ST_OBS_PAGES	64

static struct st_obs {
	struct {
		struct page *page;
		u64 dirty;	/* a bit per 64-byte line */
	} p[ST_OBS_PAGES];
	unsigned int writes, flushes, releases;
	bool overflow;
} st_obs;

static u64 st_obs_lines(unsigned int off, unsigned int len)
{
	return GENMASK_ULL((off + len - 1) / 64, off / 64);
}

static int st_obs_find(struct page *page, bool add)
{
	int i, free = -1;

	for (i = 0; i < ST_OBS_PAGES; i++) {
		if (st_obs.p[i].page == page)
			return i;
		if (!st_obs.p[i].page && free < 0)
			free = i;
	}
	if (add && free < 0)
		st_obs.overflow = true;
	if (add && free >= 0)
		st_obs.p[free].page = page;
	return add ? free : -1;
}

static void st_obs_write(void *cookie, struct page *page, unsigned int off,
			 unsigned int len)
{
	int i = st_obs_find(page, true);

	st_obs.writes++;
	if (i >= 0)
		st_obs.p[i].dirty |= st_obs_lines(off, len);
}

static void st_obs_flush(void *cookie, struct page *page, unsigned int off,
			 unsigned int len)
{
	int i = st_obs_find(page, false);

	st_obs.flushes++;
	if (i >= 0)
		st_obs.p[i].dirty &= ~st_obs_lines(off, len);
}

static void st_obs_release(void *cookie, struct page *page)
{
	int i = st_obs_find(page, false);

	st_obs.releases++;
	if (i >= 0)
		st_obs.p[i].page = NULL;
}

static const struct iommu_ctx_walk_ops st_obs_ops = {
	.write = st_obs_write,
	.flush = st_obs_flush,
	.release = st_obs_release,
};

/* Lines stored and not flushed, over every table page. */
static unsigned int st_obs_dirty(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < ST_OBS_PAGES; i++)
		if (st_obs.p[i].page)
			n += hweight64(st_obs.p[i].dirty);
	return n;
}

static unsigned int st_obs_pages(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < ST_OBS_PAGES; i++)
		n += !!st_obs.p[i].page;
	return n;
}

static int f_walk_observer(void)
{
	struct iommu_ctx_cfg cfg = {
		.format = st_fmt_name,
		.dma_dev = &st_pdev->dev,
		.tlb = &st_tlb_ops,
		.cookie = &tlbst,
		.walk = &st_obs_ops,
	};
	unsigned long n = st_region() / SZ_4K + 8, va = st_hi() + SZ_1M, i;
	bool blocks = iommu_ctx_format_pgsizes(st_f()) & SZ_2M;
	u64 pa = st_addr_base();
	struct iommu_ctx_stats s;
	struct iommu_domain *d;
	int ret = 0;

	memset(&st_obs, 0, sizeof(st_obs));
	memset(&tlbst, 0, sizeof(tlbst));
	d = iommu_ctx_domain_alloc(&cfg);
	if (IS_ERR(d))
		return PTR_ERR(d);
	/* The root, zeroed by the CPU, is flushed before it is used. */
	CHECK(st_obs.writes == 1 && st_obs.flushes == 1);
	CHECK(st_obs_pages() == 1 && !st_obs_dirty());
	/* Page by page across a last-level table boundary. */
	for (i = 0; i < n; i++) {
		CHECK(!iommu_map(d, va + i * SZ_4K, pa + i * SZ_4K, SZ_4K, RW,
				 GFP_KERNEL));
		CHECK(!st_obs_dirty());
	}
	iommu_ctx_get_stats(d, &s);
	CHECK(st_obs_pages() == s.tables);
	/* Half of it in one unmap, then the rest page by page. */
	CHECK(iommu_unmap(d, va, n / 2 * SZ_4K) == n / 2 * SZ_4K);
	CHECK(!st_obs_dirty());
	for (i = n / 2; i < n; i++) {
		CHECK(iommu_unmap(d, va + i * SZ_4K, SZ_4K) == SZ_4K);
		CHECK(!st_obs_dirty());
	}
	if (blocks) {
		/* A block split by a partial unmap: the new table too. */
		CHECK(!iommu_map(d, st_hi() + 6 * SZ_2M, pa + 8 * SZ_2M,
				 SZ_2M, RW, GFP_KERNEL));
		CHECK(iommu_unmap(d, st_hi() + 6 * SZ_2M + SZ_4K, SZ_4K) ==
		      SZ_4K);
		CHECK(!st_obs_dirty());
	}
	CHECK(!st_obs.overflow);
out:
	iommu_domain_free(d);
	/* Every table page was handed back. */
	if (!ret && st_obs_pages())
		ret = -EINVAL;
	return ret;
}

/*
 * Spare tables go back to the system on demand and under memory
 * pressure (the shrinker scans the same way); the domain maps again.
 */
static int f_spares_shrink(void)
{
	/* 4 KiB pages only: last-level tables in every format. */
	struct iommu_domain *d = st_domain(NULL, 0, SZ_4K, true);
	unsigned long size = 8 * st_region(), va = st_hi();
	u64 pa = st_addr_base();
	struct iommu_ctx_stats s;
	int ret = 0;

	if (IS_ERR(d))
		return PTR_ERR(d);
	CHECK(!iommu_map(d, va, pa, size, RW, GFP_KERNEL));
	CHECK(iommu_unmap(d, va, size) == size);
	iommu_ctx_get_stats(d, &s);
	CHECK(s.spare_tables >= 8);
	CHECK(iommu_ctx_drop_spares(ULONG_MAX) >= s.spare_tables);
	iommu_ctx_get_stats(d, &s);
	CHECK(s.spare_tables == 0 && s.tables == 1);
	CHECK(!iommu_map(d, va, pa, size, RW, GFP_KERNEL));
	CHECK(st_maps(d, va, pa, size));
	CHECK(iommu_unmap(d, va, size) == size);
out:
	iommu_domain_free(d);
	return ret;
}

static const struct {
	const char *name;
	int (*fn)(void);
} st_fmt_cases[] = {
	{ "format", f_format },
	{ "map_unmap", f_map_unmap },
	{ "block_split", f_split },
	{ "sparse_leaves", f_sparse },
	{ "gather_one_invalidation", f_gather },
	{ "reservation_no_alloc", f_reserve },
	{ "alloc_failure_rollback", f_alloc_failure },
	{ "walk_observer_no_dirty_lines", f_walk_observer },
	{ "spares_shrink", f_spares_shrink },
	{ "random_vs_reference_model", t_random_model },
	{ "edu_two_level_walk", t_edu_two_level },
};

static const char *const st_formats[] = { "x86-48", "x86-32", "lpae-40" };

static const struct {
	const char *name;
	int (*fn)(void);
} st_cases[] = {
	{ "format_x86_48", t_format },
	{ "domain_alloc_invalid", t_alloc_invalid },
	{ "map_unmap_4k", t_map_unmap_4k },
	{ "page_sizes", t_page_sizes },
	{ "block_aligned_entry_count", t_block_entries },
	{ "block_split", t_block_split },
	{ "gather_one_invalidation", t_gather },
	{ "deferred_table_free", t_deferred_free },
	{ "errors_misaligned_range_double_map", t_errors },
	{ "alloc_failure_rollback", t_alloc_failure },
	{ "reservation_no_alloc", t_reserve },
	{ "random_vs_reference_model", t_random_model },
	{ "map_sgtable", t_sgtable },
	{ "non_coherent_sync", t_non_coherent },
	{ "map_pages_run_one_pass", t_map_pages_run },
	{ "map_sg_range_one_walk", t_sg_range },
	{ "spare_cache_bounded", t_spare_cache },
	{ "concurrent_disjoint", t_concurrent },
	{ "concurrent_lockless_map", t_concurrent_lockless },
	{ "edu_two_level_walk", t_edu_two_level },
};

static void st_report(unsigned int n, const char *prefix, const char *name,
		      int (*fn)(void))
{
	int ret;

	if (IS_ERR(st_pdev)) {
		pr_info("not ok %u %s%s # no platform device\n", n, prefix,
			name);
		return;
	}
	ret = fn();
	if (ret == SKIP)
		pr_info("ok %u %s%s # SKIP\n", n, prefix, name);
	else if (ret)
		pr_info("not ok %u %s%s\n", n, prefix, name);
	else
		pr_info("ok %u %s%s\n", n, prefix, name);
}

static int __init iommu_ctx_selftest_init(void)
{
	unsigned int i, f, n = 0;

	prandom_seed_state(&st_rnd, 0x1c7c7c7c);
	pr_info("KTAP version 1\n");
	pr_info("1..%zu\n", ARRAY_SIZE(st_cases) +
		ARRAY_SIZE(st_formats) * ARRAY_SIZE(st_fmt_cases));
	st_pdev = platform_device_register_simple("iommu_ctx_selftest", -1,
						  NULL, 0);
	if (!IS_ERR(st_pdev) &&
	    dma_coerce_mask_and_coherent(&st_pdev->dev, DMA_BIT_MASK(64))) {
		platform_device_unregister(st_pdev);
		st_pdev = ERR_PTR(-EIO);
	}
	for (i = 0; i < ARRAY_SIZE(st_cases); i++)
		st_report(++n, "", st_cases[i].name, st_cases[i].fn);
	for (f = 0; f < ARRAY_SIZE(st_formats); f++) {
		const struct iommu_ctx_format *fmt;
		char prefix[16];
		unsigned int k;

		fmt = iommu_ctx_format_find(st_formats[f]);
		st_fmt_name = st_formats[f];
		/* "x86_32_": the format's name, as a KTAP-friendly prefix. */
		for (k = 0; k < sizeof(prefix) - 2 && st_formats[f][k]; k++)
			prefix[k] = st_formats[f][k] == '-' ? '_' :
				    st_formats[f][k];
		prefix[k++] = '_';
		prefix[k] = 0;
		/* Table memory where the format's entries can hold it. */
		if (!IS_ERR(st_pdev) && fmt &&
		    dma_coerce_mask_and_coherent(&st_pdev->dev,
			DMA_BIT_MASK(min(64U, iommu_ctx_format_oa_bits(fmt))))) {
			platform_device_unregister(st_pdev);
			st_pdev = ERR_PTR(-EIO);
		}
		for (i = 0; i < ARRAY_SIZE(st_fmt_cases); i++)
			st_report(++n, prefix, st_fmt_cases[i].name,
				  st_fmt_cases[i].fn);
	}
	st_fmt_name = "x86-48";
	if (!IS_ERR(st_pdev))
		platform_device_unregister(st_pdev);
	return 0;
}

static void __exit iommu_ctx_selftest_exit(void)
{
}

module_init(iommu_ctx_selftest_init);
module_exit(iommu_ctx_selftest_exit);

MODULE_DESCRIPTION("iommu-ctx self-test (KTAP)");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
