// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: iommu-ctx benchmark
 *
 * iommu-ctx benchmark: on load, times map and unmap of 64 MiB on an
 * iommu-ctx domain and on a VT-d paging domain of an edu device that no
 * driver is bound to, in the same boot, and prints "bench NAME VALUE
 * UNIT" and "ratio NAME VALUE" lines (a ratio above 1: iommu-ctx is
 * faster).
 *
 * Both sides run the very same code through the iommu core's entry
 * points, so every figure includes the core's own per-call work (about
 * as much as either driver's, per 4 KiB page); the only difference is
 * the domain's iommu_domain_ops. Repetitions alternate between the
 * sides, and each figure is the best of BENCH_REPS. All on the 64 MiB at
 * BENCH_IOVA (one 1 GiB region, 32 last-level tables of 4 KiB pages):
 *
 * map_4k (l2_map_4k, vtd_map_4k): ns per page of 16384 iommu_map() calls
 *	of one 4 KiB page each, at increasing addresses, into an empty
 *	range; the tables it needs are created on the way. The range was
 *	last unmapped by one iommu_unmap() of 2 MiB blocks: VT-d freed its
 *	last-level tables when it put blocks in their place and allocates
 *	them again; iommu-ctx keeps the tables unmaps free in a bounded
 *	cache of spare tables (up to 64 last-level ones) and takes them
 *	from there. Each side pays for its own way of managing table
 *	memory. (The first repetition, on fresh domains and running code
 *	that TCG translates for the first time, is never the best.)
 * map_4k_fresh: the same on a newly allocated domain each time, on both
 *	sides, after the repetitions above (so with warm code): every
 *	table is allocated, none comes from a cache. What a first map in
 *	a new context costs.
 * unmap_4k: ns per page of 16384 iommu_unmap_fast() calls of one page
 *	each, then one iommu_iotlb_sync() (in which iommu-ctx caches or
 *	frees the emptied tables). The TLB callbacks of the iommu-ctx
 *	domain do nothing, as VT-d's invalidations have no device to wait
 *	for either.
 * map_64m_range: ns for one iommu_map() of the whole 64 MiB, 2 MiB
 *	aligned on both sides: 32 block entries.
 *
 * The iommu-ctx figures above are on x86-48. map_4k and unmap_4k are
 * also measured, the very same way, on a domain of each other format
 * (l2_map_4k_x86_32, l2_unmap_4k_lpae_40, ...; the x86-32 pages at
 * 2 GiB, below its 32-bit output limit), each repetition alongside
 * the x86-48 and VT-d ones, and compared with the same VT-d figures:
 * ratio l2_map_4k_vs_vtd_x86_32 and so on.
 */
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>

#define BENCH_SIZE	SZ_64M
#define BENCH_PAGES	(BENCH_SIZE / SZ_4K)
#define BENCH_IOVA	SZ_1G
#define BENCH_ADDR	(4ULL * SZ_1G)
#define BENCH_REPS	5
#define RW		(IOMMU_READ | IOMMU_WRITE)

/* The formats besides x86-48, measured the same way. */
static const char *const bench_formats[] = { "x86-32", "lpae-40" };
#define BENCH_NFMT	ARRAY_SIZE(bench_formats)

struct bench_res {
	u64 map_4k;	/* ns per page, one iommu_map() per page */
	u64 map_4k_fresh; /* the same, on a new domain */
	u64 map_range;	/* ns, one iommu_map() over 64 MiB */
	u64 unmap_4k;	/* ns per page, iommu_unmap_fast() + one sync */
};

static void bench_nop_all(void *cookie)
{
}

static void bench_nop_range(unsigned long iova, size_t size, size_t granule,
			    void *cookie)
{
}

static const struct iommu_ctx_tlb_ops bench_tlb = {
	.flush_all = bench_nop_all,
	.flush_range = bench_nop_range,
};

/* Where the pages go: BENCH_ADDR, or 2 GiB below a 32-bit output limit. */
static u64 bench_addr(struct iommu_domain *d)
{
	const struct iommu_ctx_format *f = iommu_ctx_domain_format(d);

	if (f && iommu_ctx_format_oa_bits(f) <= 32)
		return 2ULL * SZ_1G;
	return BENCH_ADDR;
}

/* The 64 MiB one 4 KiB page per iommu_map(); ns per page, or 0. */
static u64 bench_map_4k(struct iommu_domain *d)
{
	u64 addr = bench_addr(d);
	unsigned long i;
	u64 t0;

	t0 = ktime_get_ns();
	for (i = 0; i < BENCH_PAGES; i++)
		if (iommu_map(d, BENCH_IOVA + i * SZ_4K, addr + i * SZ_4K,
			      SZ_4K, RW, GFP_KERNEL))
			return 0;
	return (ktime_get_ns() - t0) / BENCH_PAGES;
}

/* One repetition; @r keeps the best of each figure. */
static int bench_domain(struct iommu_domain *d, struct bench_res *r)
{
	struct iommu_iotlb_gather gather;
	unsigned long i;
	int ret = 0;
	u64 t0, t;

	{
		t = bench_map_4k(d);
		if (!t)
			return -EIO;
		r->map_4k = min(r->map_4k, t);

		iommu_iotlb_gather_init(&gather);
		t0 = ktime_get_ns();
		for (i = 0; i < BENCH_PAGES; i++)
			if (iommu_unmap_fast(d, BENCH_IOVA + i * SZ_4K, SZ_4K,
					     &gather) != SZ_4K)
				ret = -EIO;
		iommu_iotlb_sync(d, &gather);
		t = ktime_get_ns() - t0;
		if (ret)
			return ret;
		r->unmap_4k = min(r->unmap_4k, t / BENCH_PAGES);

		t0 = ktime_get_ns();
		ret = iommu_map(d, BENCH_IOVA, bench_addr(d), BENCH_SIZE, RW,
				GFP_KERNEL);
		t = ktime_get_ns() - t0;
		if (ret)
			return ret;
		r->map_range = min(r->map_range, t);
		if (iommu_unmap(d, BENCH_IOVA, BENCH_SIZE) != BENCH_SIZE)
			return -EIO;
	}
	return 0;
}

static void bench_ratio(const char *name, u64 theirs, u64 ours)
{
	u64 r;

	if (!ours || !theirs)
		return;
	r = div64_u64(theirs * 100, ours);
	pr_info("ratio %s %llu.%02llu\n", name, r / 100, r % 100);
}

/* "x86-32" as a figure's suffix: "x86_32". */
static void bench_fmt_suffix(char *buf, size_t len, const char *fmt)
{
	size_t i;

	for (i = 0; i + 1 < len && fmt[i]; i++)
		buf[i] = fmt[i] == '-' ? '_' : fmt[i];
	buf[i] = 0;
}

static struct pci_dev *bench_find_edu(void)
{
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(0x1234, 0x11e8, pdev)))
		if (!pdev->dev.driver)
			return pdev;
	return NULL;
}

struct bench_ctx {
	struct platform_device *plat;
	struct iommu_domain *ours;
	struct platform_device *fplat[BENCH_NFMT];
	struct iommu_domain *fdom[BENCH_NFMT];
	struct pci_dev *edu;
	struct iommu_domain *vtd;
	bool attached;
};

static struct iommu_domain *bench_ours_alloc(struct bench_ctx *b)
{
	struct iommu_ctx_cfg cfg = {
		.format = "x86-48",
		.dma_dev = &b->plat->dev,
		.coherent_walk = true,
		.tlb = &bench_tlb,
	};

	return iommu_ctx_domain_alloc(&cfg);
}

/*
 * A domain of another format, on a platform device of its own whose DMA
 * mask is as wide as the format's output addresses.
 */
static int bench_fmt_alloc(struct bench_ctx *b, unsigned int i)
{
	const struct iommu_ctx_format *f = iommu_ctx_format_find(bench_formats[i]);
	struct iommu_ctx_cfg cfg = {
		.format = bench_formats[i],
		.coherent_walk = true,
		.tlb = &bench_tlb,
	};
	int ret;

	if (!f)
		return -ENODEV;
	b->fplat[i] = platform_device_register_simple("iommu_ctx_bench", i,
						      NULL, 0);
	if (IS_ERR(b->fplat[i]))
		return PTR_ERR(b->fplat[i]);
	ret = dma_coerce_mask_and_coherent(&b->fplat[i]->dev,
		DMA_BIT_MASK(min(64U, iommu_ctx_format_oa_bits(f))));
	if (ret)
		return ret;
	cfg.dma_dev = &b->fplat[i]->dev;
	b->fdom[i] = iommu_ctx_domain_alloc(&cfg);
	return PTR_ERR_OR_ZERO(b->fdom[i]);
}

/* A VT-d paging domain attached to the edu device, in b->vtd. */
static int bench_vtd_alloc(struct bench_ctx *b)
{
	int ret;

	b->vtd = iommu_paging_domain_alloc(&b->edu->dev);
	if (IS_ERR(b->vtd))
		return PTR_ERR(b->vtd);
	ret = iommu_attach_device(b->vtd, &b->edu->dev);
	if (ret) {
		iommu_domain_free(b->vtd);
		b->vtd = NULL;
		return ret;
	}
	b->attached = true;
	return 0;
}

static void bench_vtd_free(struct bench_ctx *b)
{
	if (b->attached)
		iommu_detach_device(b->vtd, &b->edu->dev);
	b->attached = false;
	if (!IS_ERR_OR_NULL(b->vtd))
		iommu_domain_free(b->vtd);
	b->vtd = NULL;
}

static int bench_setup(struct bench_ctx *b)
{
	unsigned int i;
	int ret;

	b->plat = platform_device_register_simple("iommu_ctx_bench", -1,
						  NULL, 0);
	if (IS_ERR(b->plat))
		return PTR_ERR(b->plat);
	ret = dma_coerce_mask_and_coherent(&b->plat->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	b->ours = bench_ours_alloc(b);
	if (IS_ERR(b->ours))
		return PTR_ERR(b->ours);
	for (i = 0; i < BENCH_NFMT; i++) {
		ret = bench_fmt_alloc(b, i);
		if (ret)
			return ret;
	}

	/* VT-d: a paging domain on the edu device no driver is bound to. */
	b->edu = bench_find_edu();
	if (!b->edu) {
		pr_info("# bench: no unbound edu device\n");
		return 0;
	}
	ret = bench_vtd_alloc(b);
	if (ret)
		pr_info("# bench: no VT-d paging domain attached to %s: %d\n",
			pci_name(b->edu), ret);
	return 0;
}

/*
 * map_4k on new domains, both sides alternating; the domains of the
 * repetitions are replaced by the last new ones.
 */
static int bench_fresh(struct bench_ctx *b, struct bench_res *ours,
		       struct bench_res *vtd)
{
	int rep;
	u64 t;

	for (rep = 0; rep < BENCH_REPS; rep++) {
		iommu_domain_free(b->ours);
		b->ours = bench_ours_alloc(b);
		if (IS_ERR(b->ours))
			return PTR_ERR(b->ours);
		t = bench_map_4k(b->ours);
		if (!t)
			return -EIO;
		ours->map_4k_fresh = min(ours->map_4k_fresh, t);
		if (iommu_unmap(b->ours, BENCH_IOVA, BENCH_SIZE) != BENCH_SIZE)
			return -EIO;
		if (!b->attached)
			continue;
		bench_vtd_free(b);
		if (bench_vtd_alloc(b))
			continue;
		t = bench_map_4k(b->vtd);
		if (t)
			vtd->map_4k_fresh = min(vtd->map_4k_fresh, t);
		if (!t || iommu_unmap(b->vtd, BENCH_IOVA, BENCH_SIZE) != BENCH_SIZE)
			bench_vtd_free(b);
	}
	return 0;
}

static void bench_teardown(struct bench_ctx *b)
{
	unsigned int i;

	bench_vtd_free(b);
	pci_dev_put(b->edu);
	for (i = 0; i < BENCH_NFMT; i++) {
		if (!IS_ERR_OR_NULL(b->fdom[i]))
			iommu_domain_free(b->fdom[i]);
		if (!IS_ERR_OR_NULL(b->fplat[i]))
			platform_device_unregister(b->fplat[i]);
	}
	if (!IS_ERR_OR_NULL(b->ours))
		iommu_domain_free(b->ours);
	if (!IS_ERR_OR_NULL(b->plat))
		platform_device_unregister(b->plat);
}

static int __init iommu_ctx_bench_init(void)
{
	struct bench_res ours = { U64_MAX, U64_MAX, U64_MAX, U64_MAX };
	struct bench_res vtd = { U64_MAX, U64_MAX, U64_MAX, U64_MAX };
	struct bench_res fres[BENCH_NFMT];
	struct bench_ctx b = { };
	char name[64];
	unsigned int i;
	int rep, ret;

	for (i = 0; i < BENCH_NFMT; i++)
		fres[i] = vtd;

	ret = bench_setup(&b);
	if (ret) {
		pr_info("# bench: setup failed: %d\n", ret);
		goto out;
	}
	/* Alternate the two sides so that neither gets the quieter time. */
	for (rep = 0; rep < BENCH_REPS; rep++) {
		ret = bench_domain(b.ours, &ours);
		if (ret) {
			pr_info("# bench: iommu-ctx run failed: %d\n", ret);
			goto out;
		}
		if (b.attached && bench_domain(b.vtd, &vtd)) {
			pr_info("# bench: VT-d run failed\n");
			bench_vtd_free(&b);
			vtd.map_4k = U64_MAX;
		}
		for (i = 0; i < BENCH_NFMT; i++) {
			ret = bench_domain(b.fdom[i], &fres[i]);
			if (ret) {
				pr_info("# bench: iommu-ctx %s run failed: %d\n",
					bench_formats[i], ret);
				goto out;
			}
		}
	}
	ret = bench_fresh(&b, &ours, &vtd);
	if (ret) {
		pr_info("# bench: iommu-ctx run on new domains failed: %d\n",
			ret);
		goto out;
	}
	pr_info("bench l2_map_4k %llu ns/page\n", ours.map_4k);
	pr_info("bench l2_map_4k_fresh %llu ns/page\n", ours.map_4k_fresh);
	pr_info("bench l2_map_64m_range %llu ns\n", ours.map_range);
	pr_info("bench l2_unmap_4k %llu ns/page\n", ours.unmap_4k);
	for (i = 0; i < BENCH_NFMT; i++) {
		bench_fmt_suffix(name, sizeof(name), bench_formats[i]);
		pr_info("bench l2_map_4k_%s %llu ns/page\n", name,
			fres[i].map_4k);
		pr_info("bench l2_unmap_4k_%s %llu ns/page\n", name,
			fres[i].unmap_4k);
	}
	if (!b.attached || vtd.map_4k == U64_MAX ||
	    vtd.map_4k_fresh == U64_MAX)
		goto out;
	pr_info("bench vtd_map_4k %llu ns/page\n", vtd.map_4k);
	pr_info("bench vtd_map_4k_fresh %llu ns/page\n", vtd.map_4k_fresh);
	pr_info("bench vtd_map_64m_range %llu ns\n", vtd.map_range);
	pr_info("bench vtd_unmap_4k %llu ns/page\n", vtd.unmap_4k);
	bench_ratio("l2_map_4k_vs_vtd", vtd.map_4k, ours.map_4k);
	bench_ratio("l2_map_4k_fresh_vs_vtd", vtd.map_4k_fresh,
		    ours.map_4k_fresh);
	bench_ratio("l2_map_64m_range_vs_vtd", vtd.map_range, ours.map_range);
	bench_ratio("l2_unmap_4k_vs_vtd", vtd.unmap_4k, ours.unmap_4k);
	for (i = 0; i < BENCH_NFMT; i++) {
		char ratio[96];

		bench_fmt_suffix(name, sizeof(name), bench_formats[i]);
		snprintf(ratio, sizeof(ratio), "l2_map_4k_vs_vtd_%s", name);
		bench_ratio(ratio, vtd.map_4k, fres[i].map_4k);
		snprintf(ratio, sizeof(ratio), "l2_unmap_4k_vs_vtd_%s", name);
		bench_ratio(ratio, vtd.unmap_4k, fres[i].unmap_4k);
	}
out:
	bench_teardown(&b);
	return 0;
}

static void __exit iommu_ctx_bench_exit(void)
{
}

module_init(iommu_ctx_bench_init);
module_exit(iommu_ctx_bench_exit);

MODULE_DESCRIPTION("iommu-ctx benchmark against the system IOMMU");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
