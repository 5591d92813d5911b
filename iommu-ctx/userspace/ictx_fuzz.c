// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Fuzz harness of the iommu-ctx walker and formats, in userspace: the
 * kernel's iommu_ctx_pgtable.c, iommu_ctx_fmt.c and format files, a
 * malloc backend, and a reference model of every page in a window.
 * Each input is a sequence of map / unmap / reserved operations, with
 * allocation failures injected; after each the structure of the tree
 * is checked, and every page against the model. Any mismatch aborts.
 * Every registered format is fuzzed: the deterministic runner plays each
 * input on each of them, libFuzzer takes the format from the input.
 *
 * Built with -fsanitize=fuzzer for libFuzzer (make fuzz), or with
 * -DICTX_REPLAY as a deterministic runner: ictx_fuzz_replay SEED ITERS.
 */
#include <stdio.h>
#include <stdlib.h>
#include "../iommu_ctx_pt.h"

#define WIN_BASE	((1UL << 30) - (16UL << 20))	/* across 1 GiB */
#define WIN_PAGES	8192UL				/* 32 MiB */
#define PG		4096UL
#define MAX_ENTRIES	1024	/* 4 KiB of 32-bit entries */

static const char *const formats[] = { "x86-48", "x86-32", "lpae-40" };

/* ---- backend ---------------------------------------------------------- */

static long live_tables;
static unsigned long n_orphans, n_stale;	/* how often each race was played */
static unsigned long n_runs;			/* maps of segment runs */
static long fail_after = -1;	/* allocations left before failing; -1 off */
static unsigned long syncs;

/*
 * Table DMA addresses: made up, from a pool of 4 KiB slots just above
 * the top bit of the format's output range, so that every link carries
 * its highest address bit (and none beyond it).
 */
static unsigned int dma_free_ids[1 << 16], dma_nfree, dma_next;
static u64 dma_base;

static u64 dma_get(void)
{
	unsigned int id = dma_nfree ? dma_free_ids[--dma_nfree] : dma_next++;

	if (id >= ARRAY_SIZE(dma_free_ids))
		abort();
	return dma_base + ((u64)id << 12);
}

static void dma_put(u64 dma)
{
	dma_free_ids[dma_nfree++] = (dma - dma_base) >> 12;
}

struct ictx_table *ictx_table_alloc(struct ictx_pt *pt, bool dir, gfp_t gfp)
{
	struct ictx_table *t;

	(void)gfp;
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->cpu = aligned_alloc(4096, 4096);
	if (!t->cpu)
		abort();
	memset(t->cpu, 0, 4096);
	t->dma = dma_get();
	if ((t->dma & ~pt->fmt->addr_mask) & ~0xfffULL)
		abort();
	if (dir) {
		t->child = calloc(MAX_ENTRIES, sizeof(*t->child));
		if (!t->child)
			abort();
	}
	t->dir = dir;
	INIT_LIST_HEAD(&t->link);
	live_tables++;
	return t;
}

void ictx_table_free(struct ictx_pt *pt, struct ictx_table *t)
{
	(void)pt;
	dma_put(t->dma);
	free(t->cpu);
	free(t->child);
	free(t);
	live_tables--;
}

void ictx_table_sync(struct ictx_pt *pt, struct ictx_table *t,
		     unsigned int idx, unsigned int n)
{
	(void)t;
	if (!n || idx + n > 4096 / pt->fmt->entry_size)
		abort();
	syncs++;
}

void ictx_table_wrote(const struct ictx_pt *pt, struct ictx_table *t,
		      unsigned int idx, unsigned int n)
{
	/* The fuzzer's tables have no observer (&ictx_pt.walk is NULL). */
	(void)pt;
	(void)t;
	(void)idx;
	(void)n;
	abort();
}

/* ---- checks ----------------------------------------------------------- */

static void fail(const char *what, unsigned long a, unsigned long b)
{
	fprintf(stderr, "ictx_fuzz: %s (%#lx, %#lx)\n", what, a, b);
	abort();
}

static u64 ent(const struct ictx_pt *pt, const struct ictx_table *t,
	       unsigned int i)
{
	if (pt->fmt->entry_size == 4)
		return ((const u32 *)t->cpu)[i];
	return ((const u64 *)t->cpu)[i];
}

/* Entries of a table of level @l. */
static unsigned int nent(const struct ictx_pt *pt, unsigned int l)
{
	return 1U << pt->fmt->level[l].bits;
}

static unsigned long child_va(const struct ictx_pt *pt,
			      const struct ictx_table *t, unsigned int l,
			      unsigned int i)
{
	return t->base + ((unsigned long)i << pt->fmt->level[l].shift);
}

/* Every table: nr_valid, base, child links, parents, contiguous groups. */
static void check_table(struct ictx_pt *pt, struct ictx_table *t,
			unsigned int l)
{
	const struct iommu_ctx_format *f = pt->fmt;
	unsigned int last = f->levels - 1, i, n = 0;

	for (i = 0; i < nent(pt, l); i++) {
		u64 e = ent(pt, t, i);
		struct iommu_ctx_pte_info info;

		iommu_ctx_format_decode(f, l, e, &info);
		if (!info.valid) {
			if (e)
				fail("invalid entry not zero", l, i);
			if (t->dir && t->child[i])
				fail("child without link", l, i);
			continue;
		}
		n++;
		if (info.leaf) {
			if (t->dir && t->child[i])
				fail("leaf with child", l, i);
			if (info.contig) {
				unsigned int gn = 1U << f->contig_order;
				unsigned int g = i & ~(gn - 1), k;
				u64 base = ent(pt, t, g) & f->addr_mask;

				if (base & (gn * PG - 1))
					fail("contig group misaligned", l, i);
				for (k = 0; k < gn; k++)
					if (ent(pt, t, g + k) !=
					    ((base + k * PG) | (e & ~f->addr_mask)))
						fail("contig group broken", l, g + k);
			}
			continue;
		}
		if (!t->dir || !t->child[i])
			fail("link without child", l, i);
		if (t->child[i]->dma != info.addr)
			fail("link address", l, i);
		if (t->child[i]->parent != t || t->child[i]->pidx != i)
			fail("parent pointer", l, i);
		if (!ictx_tbl_count(t->child[i]))
			fail("empty table left in the tree", l, i);
		if (t->child[i]->base != child_va(pt, t, l, i))
			fail("table base", l, i);
		if (t->child[i]->dir != (l + 1 < last))
			fail("table kind", l, i);
		check_table(pt, t->child[i], l + 1);
	}
	if (n != ictx_tbl_count(t))
		fail("nr_valid", n, ictx_tbl_count(t));
}

static long tree_tables(struct ictx_table *t)
{
	long n = 1;
	unsigned int i;

	if (t->dir)
		for (i = 0; i < MAX_ENTRIES; i++)
			if (t->child[i])
				n += tree_tables(t->child[i]);
	return n;
}

/* Flush: removed tables must be empty and unlinked; recycle them. */
static void flush(struct ictx_pt *pt, struct ictx_op *op)
{
	while (!list_empty(&op->freelist)) {
		struct ictx_table *t =
			list_first_entry(&op->freelist, struct ictx_table, link);
		unsigned int i;

		list_del_init(&t->link);
		if (ictx_tbl_count(t) || t->parent || t == pt->wc)
			fail("freed table still in use", ictx_tbl_count(t), 0);
		for (i = 0; i < 4096 / pt->fmt->entry_size; i++)
			if (ent(pt, t, i) || (t->dir && t->child[i]))
				fail("freed table not empty", i, 0);
		if ((t->dir ? pt->spare.ndir : pt->spare.nleaf) <
		    ictx_spare_max(t->dir))
			ictx_res_add(&pt->spare, t);
		else
			ictx_table_free(pt, t);
	}
}

static void res_free(struct ictx_pt *pt, struct iommu_ctx_reservation *res)
{
	struct ictx_table *t;

	while ((t = ictx_res_take(res, true)))
		ictx_table_free(pt, t);
	while ((t = ictx_res_take(res, false)))
		ictx_table_free(pt, t);
}

/* ---- the kernel's map / unmap drivers, minus locking ------------------ */

/* The last-level table that translates @iova, or NULL. */
static struct ictx_table *leaf_table(struct ictx_pt *pt, unsigned long iova)
{
	const struct iommu_ctx_format *f = pt->fmt;
	struct ictx_table *t = pt->root;
	unsigned int l;

	for (l = 0; l + 1 < f->levels; l++) {
		unsigned int i = (iova >> f->level[l].shift) &
			((1U << f->level[l].bits) - 1);
		struct iommu_ctx_pte_info info;

		iommu_ctx_format_decode(f, l, ent(pt, t, i), &info);
		if (!info.valid || info.leaf)
			return NULL;
		t = t->child[i];
	}
	return t;
}

/*
 * The kernel's lockless single-page map (coherent walks). With @stale, the
 * walk cache points at another last-level table while it runs, as when
 * another thread moved it: the call must see that the table is not the
 * one of @iova and leave it alone.
 */
static int map_one(struct ictx_pt *pt, unsigned long iova, u64 addr,
		   struct ictx_table *stale)
{
	struct ictx_table *wc = pt->wc, *orphan;
	unsigned int before = stale ? ictx_tbl_count(stale) : 0;
	int ret;

	if (stale)
		pt->wc = stale;
	ret = ictx_pt_map_one(pt, iova, addr |
			      ictx_prot_bits(pt->fmt, IOMMU_READ | IOMMU_WRITE),
			      &orphan);
	if (stale) {
		pt->wc = wc;
		n_stale++;
		if (!ret || ictx_tbl_count(stale) != before)
			fail("lockless map into another table", iova, ret);
	}
	if (orphan)
		fail("lockless map left an orphan without a race", iova, 0);
	return ret;
}

/* ---- segment runs ----------------------------------------------------- */

/* A run of level-1 segments mapped in one walk (an sg table's, in the kernel). */
struct seg {
	u64 addr;
	u64 len;
};

#define MAX_SEGS	64

bool ictx_src_load(struct ictx_src *src)
{
	struct seg *sg = src->next;

	if (!sg || !src->nents)
		return false;
	src->addr = sg->addr;
	src->left = sg->len;
	src->nents--;
	src->next = src->nents ? sg + 1 : NULL;
	return true;
}

struct input;
static unsigned int take(struct input *in, unsigned int bytes);

static const unsigned long seg_pages_tab[] = { 0, 1, 2, 3, 16, 17, 511, 512, 600 };

/*
 * Split @n pages into segments taken from the input: each at its own
 * address (2 MiB aligned, maybe moved by a few pages or 64 KiB), some of
 * no bytes, with @skip pages in front (in one segment or more) that the
 * walk passes over. With @bad, one segment is half a page off: unless the
 * walk passes over all of it, the map must fail with -EINVAL and leave
 * nothing (@bad says if it must). Fills @pa with each page's address.
 */
static unsigned int build_segs(struct seg *segs, unsigned long n,
			       unsigned long skip, u64 addr_base,
			       struct input *in, bool *bad, u64 *pa)
{
	unsigned long left = n + skip, done = 0;
	unsigned int k = 0, badk = *bad ? take(in, 1) % 4 : ~0U;

	*bad = false;
	while (left && k < MAX_SEGS) {
		unsigned long len = seg_pages_tab[take(in, 1) % ARRAY_SIZE(seg_pages_tab)];
		unsigned int am = take(in, 2);
		u64 a = addr_base + (u64)(am & 0x3ff) * (2UL << 20);
		unsigned long i;

		if (am & 0x400)
			a += (u64)((am >> 11) & 0x1f) * (64UL << 10);
		else if (am & 0x8000)
			a += (u64)((am >> 11) & 0xf) * PG;
		if (k == MAX_SEGS - 1 || len > left)
			len = left;
		segs[k].addr = a;
		if (k == badk && len && done + len > skip) {
			segs[k].addr += PG / 2;
			*bad = true;
		}
		segs[k].len = len * PG;
		for (i = 0; i < len; i++, done++)
			if (done >= skip)
				pa[done - skip] = a + i * PG;
		left -= len;
		k++;
	}
	return k;
}

/* Per op: pages' addresses, and the segments of a run. */
static u64 run_pa[WIN_PAGES];
static struct seg run_segs[MAX_SEGS];

/*
 * For map ops taken as a run of segments: one more input byte says if,
 * with how many pages skipped at the start, and whether one segment is
 * misaligned (@bad). Returns the source, or NULL for a single range.
 */
static struct ictx_src *take_run(struct ictx_src *src, unsigned long n,
				 u64 addr_base, struct input *in, bool *bad)
{
	unsigned int mode = take(in, 1);

	*bad = (mode & 0xf0) == 0xf0;
	if (!(mode & 1)) {
		*bad = false;
		return NULL;
	}
	memset(src, 0, sizeof(*src));
	src->skip = ((mode >> 1) & 3) * PG;
	src->next = run_segs;
	src->nents = build_segs(run_segs, n, src->skip / PG, addr_base, in,
				bad, run_pa);
	n_runs++;
	return src;
}

static int do_map(struct ictx_pt *pt, unsigned long iova, u64 addr, u64 size,
		  struct iommu_ctx_reservation *res, u64 *mapped,
		  struct ictx_table *stale, struct ictx_src *run)
{
	struct ictx_src one = { .addr = addr, .left = size };
	struct ictx_src *src = run ? run : &one;
	struct ictx_op op;
	u64 done = 0;
	int ret;

	if (!run && size == PG && !res && pt->coherent && pt->wc_pgsize &&
	    !map_one(pt, iova, addr, stale)) {
		*mapped = PG;
		return 0;
	}
	for (;;) {
		ictx_op_init(&op, res, false);
		ret = ictx_pt_map_src(pt, &op, iova + done, size - done, src,
				      IOMMU_READ | IOMMU_WRITE);
		done += op.done;
		if (ret != -EAGAIN)
			break;
		if (!op.want_dir && !op.want_leaf)
			fail("EAGAIN without want", iova, done);
		while (op.want_dir || op.want_leaf) {
			struct ictx_table *t =
				ictx_table_alloc(pt, op.want_dir > 0, GFP_KERNEL);

			if (!t)
				break;
			ictx_res_add(&pt->spare, t);
			if (op.want_dir)
				op.want_dir--;
			else
				op.want_leaf--;
		}
		if (op.want_dir || op.want_leaf) {
			ret = -ENOMEM;
			break;
		}
	}
	*mapped = done;
	if (ret) {
		ictx_op_init(&op, NULL, false);
		ictx_pt_prune(pt, &op, iova + done, size - done);
		flush(pt, &op);
	}
	return ret;
}

static u64 do_unmap(struct ictx_pt *pt, unsigned long iova, u64 size,
		    struct iommu_ctx_reservation *res)
{
	struct ictx_op op;

	if (size == PG && !res && !ictx_pt_unmap_one(pt, iova))
		return PG;
	ictx_op_init(&op, res, !res);
	ictx_pt_unmap(pt, &op, iova, size);
	if (op.done && (!ictx_op_has_inv(&op) || op.inv_start > iova ||
			op.inv_end < iova + op.done - 1))
		fail("invalidation range does not cover the unmap", iova,
		     op.done);
	flush(pt, &op);
	return op.done;
}

static int reserve(struct ictx_pt *pt, unsigned long iova, u64 size,
		   unsigned int flags, struct iommu_ctx_reservation *res)
{
	unsigned int ndir = 0, nleaf = 0;

	ictx_pt_count(pt, iova, size, flags, &ndir, &nleaf);
	while (ndir--)
		ictx_res_add(res, ictx_table_alloc(pt, true, GFP_KERNEL));
	while (nleaf--)
		ictx_res_add(res, ictx_table_alloc(pt, false, GFP_KERNEL));
	return 0;
}

/* ---- model ------------------------------------------------------------ */

static u64 model[WIN_PAGES];

/*
 * What a race does to the lockless map: it pins the last-level table of
 * @iova (as ictx_pt_map_one() does before it looks at the entry), other
 * calls meanwhile unmap every page of the table, which therefore stays
 * linked, then the map fails (the entry, or the region, was not the one
 * it expected), cannot drop its pin, the last count, and hands the table
 * to ictx_pt_unpin(), which must remove it, with its ancestors if they
 * empty, and invalidate its region.
 */
static void orphan(struct ictx_pt *pt, unsigned long iova)
{
	const struct iommu_ctx_format *f = pt->fmt;
	unsigned long span = 1UL << f->level[f->levels - 2].shift;
	unsigned long region = iova & ~(span - 1);
	unsigned long first = (region - WIN_BASE) / PG, i, j;
	struct ictx_table *t = leaf_table(pt, iova);
	struct ictx_op op;

	if (!t)
		return;
	if (!atomic_inc_not_zero(&t->nr_valid))
		fail("linked last-level table with a zero count", iova, 0);
	/* The window holds whole regions (2 or 4 MiB). */
	for (i = first; i < first + span / PG; i++) {
		if (!model[i])
			continue;
		for (j = i; j < first + span / PG && model[j]; j++)
			model[j] = 0;
		if (do_unmap(pt, WIN_BASE + i * PG, (j - i) * PG, NULL) !=
		    (j - i) * PG)
			fail("unmap under a pin", i, j);
		i = j;
	}
	if (!t->parent || ictx_tbl_count(t) != 1)
		fail("pinned table removed", iova, ictx_tbl_count(t));
	/* ictx_pt_map_one()'s failure path must keep the last count. */
	if (atomic_add_unless(&t->nr_valid, -1, 1))
		fail("last pin dropped without the lock", iova, 0);
	ictx_op_init(&op, NULL, false);
	ictx_pt_unpin(pt, &op, t);
	n_orphans++;
	if (t->parent || !ictx_op_has_inv(&op) || op.inv_start > region ||
	    op.inv_end < region + span - 1)
		fail("orphan not removed and invalidated", iova, 0);
	flush(pt, &op);
}

static void check_all(struct ictx_pt *pt)
{
	unsigned long i;

	check_table(pt, pt->root, 0);
	for (i = 0; i < WIN_PAGES; i++) {
		u64 a = 0, s = 0;
		bool ok = ictx_pt_lookup(pt, WIN_BASE + i * PG, &a, &s);

		if (ok != !!model[i] || (ok && a != model[i]))
			fail("lookup differs from the model", i, a);
		if (ok && (s > (1UL << 30) || (a & (PG - 1)) ||
			   !(s & iommu_ctx_format_pgsizes(pt->fmt))))
			fail("bad page size", i, s);
	}
}

struct input {
	const u8 *p;
	size_t n;
};

static unsigned int take(struct input *in, unsigned int bytes)
{
	unsigned int v = 0;

	while (bytes--) {
		v <<= 8;
		if (in->n) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

static const unsigned long npages_tab[] = {
	1, 1, 2, 3, 16, 17, 32, 512, 513, 528, 1024, 1040, 4096,
};

/* Runs per format; @f NULL: the format is the input's first byte. */
static unsigned long runs[ARRAY_SIZE(formats)];

static int run(const u8 *data, size_t size, const struct iommu_ctx_format *f)
{
	static const unsigned long bitmaps[] = {
		0,			/* all of the format's */
		1UL << 12,
		(1UL << 12) | (1UL << 16),
		(1UL << 12) | (1UL << 21),
		(1UL << 12) | (1UL << 16) | (1UL << 21),
	};
	struct input in = { data, size };
	struct ictx_pt pt;
	unsigned long pgs, i, op = 0;
	unsigned int cfg, oa;
	u64 addr_base;

	if (!f)
		f = iommu_ctx_format_find(formats[take(&in, 1) %
						  ARRAY_SIZE(formats)]);
	if (!f)
		fail("format missing", 0, 0);
	for (i = 0; i < ARRAY_SIZE(formats); i++)
		runs[i] += !strcmp(formats[i], f->name);
	memset(&pt, 0, sizeof(pt));
	memset(model, 0, sizeof(model));
	live_tables = 0;
	fail_after = -1;
	oa = iommu_ctx_format_oa_bits(f);
	dma_base = 1ULL << (oa - 1);
	dma_nfree = 0;
	dma_next = 0;
	/* Pages: from 4 GiB up, or from 1 GiB up below a 4 GiB limit. */
	addr_base = oa > 32 ? 4ULL << 30 : 1ULL << 30;
	cfg = take(&in, 1);
	pgs = bitmaps[cfg % ARRAY_SIZE(bitmaps)] & iommu_ctx_format_pgsizes(f);
	if (!pgs || !(pgs & PG))
		pgs = iommu_ctx_format_pgsizes(f);
	if (ictx_pt_check_cfg(f, pgs, f->va_bits))
		fail("config rejected", pgs, 0);
	if (ictx_pt_init(&pt, f, pgs, f->va_bits, cfg & 0x80, GFP_KERNEL))
		fail("init", 0, 0);

	while (in.n && op++ < 256) {
		unsigned int kind = take(&in, 1);
		unsigned long first = take(&in, 2) % WIN_PAGES;
		unsigned long n = npages_tab[take(&in, 1) % ARRAY_SIZE(npages_tab)];
		unsigned int am = take(&in, 2);
		u64 addr = addr_base + (u64)(am & 0x3ff) * (2UL << 20);
		unsigned long iova;

		if (am & 0x400)
			addr += (u64)((am >> 11) & 0x1f) * (64UL << 10);
		if (am & 0x8000)
			addr += (u64)((am >> 11) & 0xf) * PG;
		if (kind & 0x40)
			first &= ~511UL;
		else if (kind & 0x20)
			first &= ~15UL;
		if (first + n > WIN_PAGES)
			n = WIN_PAGES - first;
		iova = WIN_BASE + first * PG;

		switch (kind % 7) {
		case 0:
		case 1:
		case 2: {	/* map, maybe with an allocation failure */
			struct ictx_table *stale = NULL;
			struct ictx_src src, *run = NULL;
			bool busy = false, bad = false;
			u64 mapped;
			int ret;

			for (i = 0; i < n; i++)
				busy |= !!model[first + i];
			if (kind % 7 == 2)
				fail_after = take(&in, 1) % 8;
			else if (kind % 7 == 1)
				run = take_run(&src, n, addr_base, &in, &bad);
			/* A walk cache that moved to the neighbour region. */
			if (kind & 0x80)
				stale = leaf_table(&pt, iova ^
						   (1UL << f->level[f->levels - 2].shift));
			ret = do_map(&pt, iova, addr, n * PG, NULL, &mapped, stale,
				     run);
			fail_after = -1;
			if (busy && ret != -EEXIST &&
			    !(ret == -ENOMEM && kind % 7 == 2) &&
			    !(ret == -EINVAL && bad))
				fail("map over a mapping", iova, ret);
			if (!busy && bad && ret != -EINVAL)
				fail("map of a misaligned segment", iova, ret);
			if (!busy && !bad && ret && ret != -ENOMEM)
				fail("map failed", iova, ret);
			if (ret) {
				/* The core rolls the prefix back. */
				if (mapped && do_unmap(&pt, iova, mapped, NULL) != mapped)
					fail("rollback", iova, mapped);
			} else {
				for (i = 0; i < n; i++)
					model[first + i] = run ? run_pa[i] :
						addr + i * PG;
			}
			break;
		}
		case 3: {	/* unmap, maybe with an allocation failure */
			u64 want = 0, got;

			for (i = 0; i < n && model[first + i]; i++)
				want += PG;
			if (kind & 0x80)
				fail_after = 0;
			got = do_unmap(&pt, iova, n * PG, NULL);
			fail_after = -1;
			if (got > want || (!(kind & 0x80) && got != want))
				fail("unmap size", want, got);
			for (i = 0; i < got / PG; i++)
				model[first + i] = 0;
			break;
		}
		case 4: {	/* reserved unmap: must not need memory */
			struct iommu_ctx_reservation res;
			u64 want = 0, got;

			iommu_ctx_reservation_init(&res);
			reserve(&pt, iova, n * PG, IOMMU_CTX_RES_UNMAP, &res);
			for (i = 0; i < n && model[first + i]; i++)
				want += PG;
			fail_after = 0;
			got = do_unmap(&pt, iova, n * PG, &res);
			fail_after = -1;
			if (got != want)
				fail("reserved unmap short", want, got);
			for (i = 0; i < n; i++)
				if (i < got / PG)
					model[first + i] = 0;
			res_free(&pt, &res);
			break;
		}
		case 5: {	/* reserved map: must not need memory */
			struct ictx_src src, *run;
			struct iommu_ctx_reservation res;
			bool busy = false, bad;
			u64 mapped;
			int ret;

			run = take_run(&src, n, addr_base, &in, &bad);
			iommu_ctx_reservation_init(&res);
			reserve(&pt, iova, n * PG, IOMMU_CTX_RES_MAP, &res);
			for (i = 0; i < n; i++)
				busy |= !!model[first + i];
			fail_after = 0;
			ret = do_map(&pt, iova, addr, n * PG, &res, &mapped, NULL,
				     run);
			fail_after = -1;
			if (ret != (busy ? -EEXIST : bad ? -EINVAL : 0) &&
			    !(busy && bad && ret == -EINVAL))
				fail("reserved map", iova, ret);
			if (ret && mapped && do_unmap(&pt, iova, mapped, NULL) != mapped)
				fail("reserved rollback", iova, mapped);
			if (!ret)
				for (i = 0; i < n; i++)
					model[first + i] = run ? run_pa[i] :
						addr + i * PG;
			res_free(&pt, &res);
			break;
		}
		case 6:		/* a lockless pin outlives the table's entries */
			orphan(&pt, iova);
			break;
		}
		if (op % 16 == 0)
			check_all(&pt);
	}
	check_all(&pt);

	/* Unmap everything: back to a lone root. */
	for (i = 0; i < WIN_PAGES; i++) {
		unsigned long j;

		if (!model[i])
			continue;
		for (j = i; j < WIN_PAGES && model[j]; j++)
			model[j] = 0;
		if (do_unmap(&pt, WIN_BASE + i * PG, (j - i) * PG, NULL) !=
		    (j - i) * PG)
			fail("final unmap", i, j);
		i = j;
	}
	check_all(&pt);
	if (tree_tables(pt.root) != 1)
		fail("tables left after a full unmap", tree_tables(pt.root), 0);
	if (live_tables != 1 + (long)pt.spare.ndir + (long)pt.spare.nleaf)
		fail("table leak", live_tables, pt.spare.ndir + pt.spare.nleaf);
	ictx_pt_destroy(&pt);
	if (live_tables)
		fail("tables left after destroy", live_tables, 0);
	return 0;
}

#ifdef ICTX_REPLAY
int main(int argc, char **argv)
{
	unsigned long long seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	unsigned long iters = argc > 2 ? strtoul(argv[2], NULL, 0) : 2000, it;
	size_t k;
	static u8 buf[2048];

	for (it = 0; it < iters; it++) {
		size_t n, i;

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		n = 16 + seed % (sizeof(buf) - 16);
		for (i = 0; i < n; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			buf[i] = seed >> 24;
		}
		for (k = 0; k < ARRAY_SIZE(formats); k++)
			run(buf, n, iommu_ctx_format_find(formats[k]));
	}
	for (k = 0; k < ARRAY_SIZE(formats); k++)
		printf("ictx_fuzz_replay: format %s: %lu inputs\n", formats[k],
		       runs[k]);
	printf("ictx_fuzz_replay: %lu inputs on %zu formats (%lu orphan tables removed, %lu stale walk caches, %lu segment runs), no mismatch\n",
	       iters, ARRAY_SIZE(formats), n_orphans, n_stale, n_runs);
	return 0;
}
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return run(data, size, NULL);
}
#endif
