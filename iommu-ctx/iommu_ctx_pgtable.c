// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: The page-table walker
 *
 * iommu-ctx generic page-table walker. Every format is data
 * (struct iommu_ctx_format); this one walker maps, unmaps (splitting
 * blocks and contiguous groups), prunes empty tables, looks addresses
 * up and counts worst-case table needs for any of them.
 *
 * Levels are numbered from the root (0) to the last level (levels - 1).
 * The caller serialises all calls on one struct ictx_pt.
 */
#include "iommu_ctx_pt.h"

static inline unsigned int pt_last(const struct ictx_pt *pt)
{
	return pt->fmt->levels - 1;
}

static inline unsigned int lvl_shift(const struct ictx_pt *pt, unsigned int l)
{
	return pt->fmt->level[l].shift;
}

static inline unsigned long lvl_span(const struct ictx_pt *pt, unsigned int l)
{
	return 1UL << lvl_shift(pt, l);
}

static inline unsigned int lvl_idx(const struct ictx_pt *pt, unsigned int l,
				   unsigned long iova)
{
	return (iova >> lvl_shift(pt, l)) &
		((1U << pt->fmt->level[l].bits) - 1);
}

/* End of the entry of level @l that holds @iova, capped at @end. */
static inline unsigned long lvl_next(const struct ictx_pt *pt, unsigned int l,
				     unsigned long iova, unsigned long end)
{
	unsigned long next = (iova | (lvl_span(pt, l) - 1)) + 1;

	return (next > end || !next) ? end : next;
}

static inline u64 ent_read(const struct ictx_pt *pt,
			   const struct ictx_table *t, unsigned int idx)
{
	if (pt->fmt->entry_size == 8)
		return READ_ONCE(((u64 *)t->cpu)[idx]);
	return READ_ONCE(((u32 *)t->cpu)[idx]);
}

static inline void ent_write(const struct ictx_pt *pt, struct ictx_table *t,
			     unsigned int idx, u64 e)
{
	if (pt->fmt->entry_size == 8)
		WRITE_ONCE(((u64 *)t->cpu)[idx], e);
	else
		WRITE_ONCE(((u32 *)t->cpu)[idx], (u32)e);
	/* Reported per store, so that a store whose sync is missing shows. */
	if (unlikely(pt->walk))
		ictx_table_wrote(pt, t, idx, 1);
}

static inline bool ent_is_leaf(const struct ictx_pt *pt, unsigned int l, u64 e)
{
	return l == pt_last(pt) ||
		(pt->fmt->level[l].block &&
		 (e & pt->fmt->type_mask) == pt->fmt->block);
}

static inline bool leaf_allowed(const struct ictx_pt *pt, unsigned int l)
{
	return (l == pt_last(pt) || pt->fmt->level[l].block) &&
		(pt->pgsize_bitmap & lvl_span(pt, l));
}

static inline unsigned long contig_span(const struct ictx_pt *pt)
{
	if (!pt->fmt->contig)
		return 0;
	return lvl_span(pt, pt_last(pt)) << pt->fmt->contig_order;
}

static inline bool contig_allowed(const struct ictx_pt *pt)
{
	unsigned long cs = contig_span(pt);

	return cs && (pt->pgsize_bitmap & cs);
}

#define prot_bits ictx_prot_bits

/* Sync window: entries of one table written by one pass. */
struct ictx_win {
	unsigned int lo;
	unsigned int hi;
};

static inline void win_init(struct ictx_win *w)
{
	w->lo = ~0U;
	w->hi = 0;
}

static inline void win_mark(struct ictx_win *w, unsigned int idx,
			    unsigned int n)
{
	if (idx < w->lo)
		w->lo = idx;
	if (idx + n - 1 > w->hi)
		w->hi = idx + n - 1;
}

static inline void win_flush(struct ictx_pt *pt, struct ictx_table *t,
			     struct ictx_win *w)
{
	if (pt->coherent || w->lo > w->hi)
		return;
	ictx_table_sync(pt, t, w->lo, w->hi - w->lo + 1);
	pt->table_syncs++;
	win_init(w);
}

static void op_inv(struct ictx_op *op, unsigned long iova, unsigned long size,
		   unsigned long granule)
{
	if (iova < op->inv_start)
		op->inv_start = iova;
	if (iova + size - 1 > op->inv_end)
		op->inv_end = iova + size - 1;
	if (!op->granule || granule < op->granule)
		op->granule = granule;
}

/**
 * ictx_res_add() - put a table on a reservation or spare list
 * @res: the list pair
 * @t: an empty table
 */
void ictx_res_add(struct iommu_ctx_reservation *res, struct ictx_table *t)
{
	if (t->dir) {
		list_add(&t->link, &res->dir);
		res->ndir++;
	} else {
		list_add(&t->link, &res->leaf);
		res->nleaf++;
	}
}

/**
 * ictx_res_take() - take a table from a reservation or spare list
 * @res: the list pair
 * @dir: a directory table (else a last-level table)
 *
 * Return: the table, or NULL if that list is empty.
 */
struct ictx_table *ictx_res_take(struct iommu_ctx_reservation *res, bool dir)
{
	struct list_head *head = dir ? &res->dir : &res->leaf;
	struct ictx_table *t;

	if (list_empty(head))
		return NULL;
	t = list_first_entry(head, struct ictx_table, link);
	list_del_init(&t->link);
	if (dir)
		res->ndir--;
	else
		res->nleaf--;
	return t;
}

/* A table for level @l: reservation, spares, then (maybe) GFP_ATOMIC. */
static struct ictx_table *get_table(struct ictx_pt *pt, struct ictx_op *op,
				    unsigned int l, int *err)
{
	bool dir = l < pt_last(pt);
	struct ictx_table *t = NULL;

	if (op->res)
		t = ictx_res_take(op->res, dir);
	if (!t)
		t = ictx_res_take(&pt->spare, dir);
	if (!t && op->may_alloc)
		t = ictx_table_alloc(pt, dir, GFP_ATOMIC | __GFP_NOWARN);
	if (t)
		return t;
	if (op->res || op->may_alloc) {
		*err = -ENOMEM;
	} else {
		if (dir)
			op->want_dir++;
		else
			op->want_leaf++;
		*err = -EAGAIN;
	}
	return NULL;
}

/* First VA of the region that entry @idx of @t (level @l) translates. */
static inline unsigned long child_base(const struct ictx_pt *pt,
				       const struct ictx_table *t,
				       unsigned int l, unsigned int idx)
{
	return t->base + ((unsigned long)idx << lvl_shift(pt, l));
}

/*
 * Link @c below entry @idx of @t (level @l). @c is empty or fully written
 * and synced; the link is written last so the device never sees a table
 * before its contents. The caller counts the link in @t.
 */
static void link_child(struct ictx_pt *pt, struct ictx_table *t,
		       unsigned int l, unsigned int idx, struct ictx_table *c)
{
	c->parent = t;
	c->pidx = idx;
	WRITE_ONCE(c->base, child_base(pt, t, l, idx));
	t->child[idx] = c;
	dma_wmb();
	ent_write(pt, t, idx, (c->dma & pt->fmt->addr_mask) |
		  pt->fmt->valid | pt->fmt->table);
}

/* Remove the (empty) child table under entry @idx of @t. */
static void unlink_child(struct ictx_pt *pt, struct ictx_op *op,
			 struct ictx_table *t, unsigned int idx)
{
	struct ictx_table *c = t->child[idx];

	ent_write(pt, t, idx, 0);
	t->child[idx] = NULL;
	ictx_tbl_sub(t, 1);
	if (!pt->coherent) {
		ictx_table_sync(pt, t, idx, 1);
		pt->table_syncs++;
	}
	c->parent = NULL;
	list_add_tail(&c->link, &op->freelist);
	if (pt->wc == c)
		WRITE_ONCE(pt->wc, NULL);
	pt->tables_freed++;
}

static void wc_set(struct ictx_pt *pt, struct ictx_table *c,
		   unsigned long iova)
{
	unsigned int l = pt_last(pt) - 1;

	WRITE_ONCE(pt->wc, c);
	pt->wc_base = iova & ~(lvl_span(pt, l) - 1);
}

/* The walk cache covers [iova, iova + size) and the range is smaller. */
static bool wc_hit(const struct ictx_pt *pt, unsigned long iova, u64 size)
{
	unsigned long region;

	if (!pt->wc || pt_last(pt) == 0)
		return false;
	region = lvl_span(pt, pt_last(pt) - 1);
	return size < region && (iova & ~(region - 1)) == pt->wc_base &&
		((iova + size - 1) & ~(region - 1)) == pt->wc_base;
}

/*
 * Make the next segment of @s current (it had none left): false if there
 * is none, or if it is not aligned to the smallest page size or does not
 * fit the entries' address field; the walk then stops with -EINVAL.
 * Segments of no bytes, and the first @s->skip bytes, are passed over.
 */
static bool src_next(const struct ictx_pt *pt, struct ictx_src *s)
{
	u64 align = (pt->pgsize_bitmap & -pt->pgsize_bitmap) - 1;
	u64 amask = pt->fmt->addr_mask | align;

	do {
		if (!s->nents || !ictx_src_load(s))
			return false;
		if (s->skip >= s->left) {
			s->skip -= s->left;
			s->left = 0;
		} else {
			s->addr += s->skip;
			s->left -= s->skip;
			s->skip = 0;
		}
	} while (!s->left);
	return !((s->addr | s->left) & align) && !(s->addr & ~amask) &&
		!((s->addr + s->left - 1) & ~amask) &&
		s->addr + s->left - 1 >= s->addr;
}

static int map_last(struct ictx_pt *pt, struct ictx_op *op,
		    struct ictx_table *t, unsigned long iova,
		    unsigned long end, struct ictx_src *src, u64 attrs)
{
	const struct iommu_ctx_format *f = pt->fmt;
	unsigned int l = pt_last(pt);
	unsigned long span = lvl_span(pt, l);
	unsigned long cspan = contig_allowed(pt) ? contig_span(pt) : 0;
	unsigned int first = lvl_idx(pt, l, iova), added = 0;
	u64 addr = src->addr, left = src->left;
	unsigned long start = iova;
	struct ictx_win w;
	int ret = 0;

	/*
	 * The entries written are consecutive, from @first: the sync window,
	 * the counts and the progress are updated once for the pass, not
	 * per entry (a large map spends its time in this loop), whatever
	 * number of segments the addresses come from. The table's count is
	 * raised once too: an atomic per entry would slow down large maps,
	 * and nothing looks at it before the pass ends but the lockless
	 * path, which only ever needs it non-zero.
	 */
	win_init(&w);
	while (iova < end) {
		unsigned int idx = lvl_idx(pt, l, iova);

		if (unlikely(!left)) {
			if (!src_next(pt, src)) {
				ret = -EINVAL;
				break;
			}
			addr = src->addr;
			left = src->left;
		}
		if (cspan && !((iova | addr) & (cspan - 1)) &&
		    end - iova >= cspan && left >= cspan) {
			unsigned int n = 1U << f->contig_order, i;

			for (i = 0; i < n; i++)
				if (ent_read(pt, t, idx + i) & f->valid)
					break;
			if (i < n) {
				ret = -EEXIST;
				break;
			}
			for (i = 0; i < n; i++)
				ent_write(pt, t, idx + i,
					  ((addr + (u64)i * span) & f->addr_mask) |
					  attrs | f->contig);
			added += n;
			iova += cspan;
			addr += cspan;
			left -= cspan;
			continue;
		}
		if (ent_read(pt, t, idx) & f->valid) {
			ret = -EEXIST;
			break;
		}
		ent_write(pt, t, idx, (addr & f->addr_mask) | attrs);
		added++;
		iova += span;
		addr += span;
		left -= span;
	}
	src->addr = addr;
	src->left = left;
	if (added)
		win_mark(&w, first, added);
	pt->leaf_writes += added;
	op->done += iova - start;
	ictx_tbl_add(t, added);
	win_flush(pt, t, &w);
	return ret;
}

/*
 * Can entry @idx's whole span at level @l be one block of @src's current
 * segment? Makes the next segment current first if this one is used up.
 */
static bool map_block_fits(const struct ictx_pt *pt, unsigned int l,
			   unsigned long iova, unsigned long next,
			   struct ictx_src *src, int *err)
{
	unsigned long span = lvl_span(pt, l);

	if (!leaf_allowed(pt, l) || next - iova != span)
		return false;
	if (!src->left && !src_next(pt, src)) {
		*err = -EINVAL;
		return false;
	}
	return !(src->addr & (span - 1)) && src->left >= span;
}

static int map_level(struct ictx_pt *pt, struct ictx_op *op,
		     struct ictx_table *t, unsigned int l, unsigned long iova,
		     unsigned long end, struct ictx_src *src, u64 attrs)
{
	const struct iommu_ctx_format *f = pt->fmt;
	unsigned long span = lvl_span(pt, l);
	unsigned int added = 0;
	struct ictx_win w;
	int ret = 0;

	if (l == pt_last(pt))
		return map_last(pt, op, t, iova, end, src, attrs);

	win_init(&w);
	while (iova < end) {
		unsigned long next = lvl_next(pt, l, iova, end);
		unsigned int idx = lvl_idx(pt, l, iova);
		u64 e = ent_read(pt, t, idx);
		struct ictx_table *c;

		if (map_block_fits(pt, l, iova, next, src, &ret)) {
			if (e & f->valid) {
				ret = -EEXIST;
				break;
			}
			ent_write(pt, t, idx, (src->addr & f->addr_mask) |
				  (attrs & ~f->page) | f->block);
			win_mark(&w, idx, 1);
			added++;
			pt->leaf_writes++;
			op->done += span;
			src->addr += span;
			src->left -= span;
		} else {
			if (ret)
				break;
			if (!(e & f->valid)) {
				c = get_table(pt, op, l + 1, &ret);
				if (!c)
					break;
				link_child(pt, t, l, idx, c);
				win_mark(&w, idx, 1);
				added++;
			} else if (ent_is_leaf(pt, l, e)) {
				ret = -EEXIST;
				break;
			}
			c = t->child[idx];
			if (l + 1 == pt_last(pt))
				wc_set(pt, c, iova);
			ret = map_level(pt, op, c, l + 1, iova, next, src, attrs);
			if (ret)
				break;
		}
		iova = next;
	}
	ictx_tbl_add(t, added);
	win_flush(pt, t, &w);
	return ret;
}

/**
 * ictx_pt_map_src() - map [@iova, @iova + @size) to the addresses of @src
 * @pt: the page tables
 * @op: the operation; @op->done counts the bytes mapped from @iova
 * @iova: start, aligned to the smallest page size in use
 * @size: bytes, equally aligned
 * @src: the level-1 addresses, one segment after the other; advanced by
 *	the bytes mapped, so that a call coming back for tables (-EAGAIN)
 *	goes on from where this one stopped
 * @prot: IOMMU_READ, IOMMU_WRITE, ... flags
 *
 * Uses the largest page size that the alignment of the VA and of the
 * current segment's address, and what remains of both, allow, at every
 * step. One walk: the entries of a last-level table are written in one
 * pass whatever the number of segments they come from. Stops at the
 * first error; tables created on the way stay (empty) until
 * ictx_pt_prune().
 *
 * Return: 0, -EEXIST (something already mapped), -EINVAL (@src ran out
 * or a segment was not aligned), -EAGAIN (tables missing: see
 * @op->want_dir and @op->want_leaf) or -ENOMEM.
 */
int ictx_pt_map_src(struct ictx_pt *pt, struct ictx_op *op,
		    unsigned long iova, u64 size, struct ictx_src *src,
		    int prot)
{
	u64 attrs = prot_bits(pt->fmt, prot);

	if (wc_hit(pt, iova, size))
		return map_last(pt, op, pt->wc, iova, iova + size, src, attrs);
	return map_level(pt, op, pt->root, 0, iova, iova + size, src, attrs);
}

/**
 * ictx_pt_map() - map [@iova, @iova + @size) to @addr
 * @pt: the page tables
 * @op: the operation; @op->done counts the bytes mapped from @iova
 * @iova: start, aligned to the smallest page size in use
 * @addr: level-1 DMA address, equally aligned
 * @size: bytes, equally aligned
 * @prot: IOMMU_READ, IOMMU_WRITE, ... flags
 *
 * ictx_pt_map_src() of one segment; the caller has checked @addr.
 *
 * Return: 0, -EEXIST (something already mapped), -EAGAIN (tables
 * missing: see @op->want_dir and @op->want_leaf) or -ENOMEM.
 */
int ictx_pt_map(struct ictx_pt *pt, struct ictx_op *op, unsigned long iova,
		u64 addr, u64 size, int prot)
{
	struct ictx_src src = { .addr = addr, .left = size };

	return ictx_pt_map_src(pt, op, iova, size, &src, prot);
}

/**
 * ictx_pt_unmap_one() - fast path: unmap one smallest page via the walk
 *	cache
 * @pt: the page tables (@pt->wc_pgsize is not 0)
 * @iova: address, aligned to the last level's span
 *
 * Applies when the page is a plain leaf (not in a contiguous group) of
 * the cached table and not its last entry (counting lockless pins: if
 * a pin keeps the table, its holder removes it, see ictx_pt_map_one()).
 * The caller gathers the invalidation of [@iova, @iova + span).
 *
 * Return: 0 if unmapped, -EAGAIN if not applicable: use ictx_pt_unmap().
 */
int ictx_pt_unmap_one(struct ictx_pt *pt, unsigned long iova)
{
	struct ictx_table *t = pt->wc;
	unsigned int idx;
	u64 e;

	if (!t || t->base != (iova & ~pt->wc_mask) || ictx_tbl_count(t) < 2)
		return -EAGAIN;
	idx = (iova & pt->wc_mask) >> pt->wc_shift;
	e = ent_read(pt, t, idx);
	if (!(e & pt->fmt->valid) || (e & pt->fmt->contig))
		return -EAGAIN;
	ent_write(pt, t, idx, 0);
	ictx_tbl_sub(t, 1);
	if (!pt->coherent) {
		ictx_table_sync(pt, t, idx, 1);
		pt->table_syncs++;
	}
	return 0;
}

/* Replace the block in entry @idx of @t (level @l) by a table. */
static int split_block(struct ictx_pt *pt, struct ictx_op *op,
		       struct ictx_table *t, unsigned int l, unsigned int idx,
		       u64 e)
{
	const struct iommu_ctx_format *f = pt->fmt;
	unsigned int cl = l + 1, n = 1U << f->level[cl].bits, i;
	unsigned long cspan = lvl_span(pt, cl);
	u64 base = e & f->addr_mask;
	u64 attrs = e & ~f->addr_mask & ~f->type_mask;
	struct ictx_table *c;
	int ret = 0;

	c = get_table(pt, op, cl, &ret);
	if (!c)
		return ret;
	/* Before the count: see ictx_tbl_add(). */
	WRITE_ONCE(c->base, child_base(pt, t, l, idx));
	if (cl < pt_last(pt))
		attrs |= f->block;
	else
		attrs |= f->page | (contig_allowed(pt) ? f->contig : 0);
	for (i = 0; i < n; i++)
		ent_write(pt, c, i, ((base + (u64)i * cspan) & f->addr_mask) |
			  attrs);
	ictx_tbl_add(c, n);
	if (!pt->coherent) {
		ictx_table_sync(pt, c, 0, n);
		pt->table_syncs++;
	}
	/*
	 * The table translates exactly as the block did, so the device may
	 * use either while the entry changes: no invalidation needed here.
	 */
	link_child(pt, t, l, idx, c);
	if (!pt->coherent) {
		ictx_table_sync(pt, t, idx, 1);
		pt->table_syncs++;
	}
	pt->splits++;
	pt->split_writes += n;
	return 0;
}

static int unmap_level(struct ictx_pt *pt, struct ictx_op *op,
		       struct ictx_table *t, unsigned int l,
		       unsigned long iova, unsigned long end)
{
	const struct iommu_ctx_format *f = pt->fmt;
	unsigned long span = lvl_span(pt, l);
	bool last = l == pt_last(pt);
	unsigned int removed = 0;
	struct ictx_win w;
	int ret = 0;

	win_init(&w);
	while (iova < end) {
		unsigned long next = lvl_next(pt, l, iova, end);
		unsigned int idx = lvl_idx(pt, l, iova);
		u64 e = ent_read(pt, t, idx);
		struct ictx_table *c;

		if (!(e & f->valid)) {
			ret = -ENOENT;
			break;
		}
		if (last && (e & f->contig)) {
			unsigned long cs = contig_span(pt);
			unsigned long gs = iova & ~(cs - 1);
			unsigned int n = 1U << f->contig_order;
			unsigned int gi = idx & ~(n - 1), i;

			if (iova == gs && end - iova >= cs) {
				for (i = 0; i < n; i++)
					ent_write(pt, t, gi + i, 0);
				win_mark(&w, gi, n);
				removed += n;
				op->done += cs;
				op_inv(op, gs, cs, cs);
				iova = gs + cs;
				continue;
			}
			/* Part of a group: its entries lose the hint. */
			for (i = 0; i < n; i++) {
				u64 g = ent_read(pt, t, gi + i);

				if (g & f->valid)
					ent_write(pt, t, gi + i, g & ~f->contig);
			}
			win_mark(&w, gi, n);
			pt->split_writes += n;
			pt->splits++;
			/* The group's old TLB entry must go as well. */
			op_inv(op, gs, cs, span);
		}
		if (ent_is_leaf(pt, l, e) && (last || next - iova == span)) {
			ent_write(pt, t, idx, 0);
			win_mark(&w, idx, 1);
			removed++;
			op->done += span;
			op_inv(op, iova, span, span);
			iova = next;
			continue;
		}
		if (ent_is_leaf(pt, l, e)) {
			/* Part of a block: split it, then unmap inside. */
			win_flush(pt, t, &w);
			ret = split_block(pt, op, t, l, idx, e);
			if (ret)
				break;
		}
		c = t->child[idx];
		if (l + 1 == pt_last(pt))
			wc_set(pt, c, iova);
		ret = unmap_level(pt, op, c, l + 1, iova, next);
		if (!ictx_tbl_count(c)) {
			win_flush(pt, t, &w);
			unlink_child(pt, op, t, idx);
		}
		if (ret)
			break;
		iova = next;
	}
	/* Once per pass, as in map_last(); the parent looks at it next. */
	ictx_tbl_sub(t, removed);
	win_flush(pt, t, &w);
	return ret;
}

/**
 * ictx_pt_unmap() - unmap [@iova, @iova + @size)
 * @pt: the page tables
 * @op: the operation; @op->done counts the bytes unmapped from @iova,
 *	removed tables go to @op->freelist, the range to invalidate is
 *	gathered in @op
 * @iova: start, aligned to the smallest page size in use
 * @size: bytes, equally aligned
 *
 * Splits blocks and contiguous groups that the range covers in part,
 * frees tables that become empty, and stops at the first hole.
 *
 * Return: 0, -ENOENT (a hole: @op->done tells where) or -ENOMEM (a
 * split found no table).
 */
int ictx_pt_unmap(struct ictx_pt *pt, struct ictx_op *op, unsigned long iova,
		  u64 size)
{
	struct ictx_table *t;
	int ret;

	if (!wc_hit(pt, iova, size))
		return unmap_level(pt, op, pt->root, 0, iova, iova + size);

	t = pt->wc;
	ret = unmap_level(pt, op, t, pt_last(pt), iova, iova + size);
	while (t != pt->root && !ictx_tbl_count(t)) {
		struct ictx_table *p = t->parent;

		unlink_child(pt, op, p, t->pidx);
		t = p;
	}
	return ret;
}

static void prune_level(struct ictx_pt *pt, struct ictx_op *op,
			struct ictx_table *t, unsigned int l,
			unsigned long iova, unsigned long end)
{
	const struct iommu_ctx_format *f = pt->fmt;

	if (l == pt_last(pt))
		return;
	while (iova < end) {
		unsigned long next = lvl_next(pt, l, iova, end);
		unsigned int idx = lvl_idx(pt, l, iova);
		u64 e = ent_read(pt, t, idx);

		if ((e & f->valid) && !ent_is_leaf(pt, l, e)) {
			struct ictx_table *c = t->child[idx];

			prune_level(pt, op, c, l + 1, iova, next);
			if (!ictx_tbl_count(c)) {
				unlink_child(pt, op, t, idx);
				op_inv(op, iova, next - iova,
				       lvl_span(pt, pt_last(pt)));
			}
		}
		iova = next;
	}
}

/**
 * ictx_pt_prune() - free empty tables under [@iova, @iova + @size)
 * @pt: the page tables
 * @op: removed tables go to @op->freelist
 * @iova: start
 * @size: bytes
 *
 * Leaves are never touched: this undoes the tables a failed map created.
 */
void ictx_pt_prune(struct ictx_pt *pt, struct ictx_op *op,
		   unsigned long iova, u64 size)
{
	if (size)
		prune_level(pt, op, pt->root, 0, iova, iova + size);
}

/**
 * ictx_pt_unpin() - drop the pin ictx_pt_map_one() kept on a table
 * @pt: the page tables
 * @op: removed tables go to @op->freelist, their region to the range to
 *	invalidate
 * @t: the last-level table ictx_pt_map_one() returned in @orphan
 *
 * Called under the owner's lock. If the pin is the last count, the table
 * is linked and empty, and no lockless map can use it any more (see
 * &ictx_table.nr_valid): it is removed, with every ancestor it leaves
 * empty. If lockless maps pinned it meanwhile, the last of them to fail
 * comes here in turn.
 */
void ictx_pt_unpin(struct ictx_pt *pt, struct ictx_op *op,
		   struct ictx_table *t)
{
	unsigned long base = t->base;

	if (!atomic_dec_and_test(&t->nr_valid))
		return;
	do {
		struct ictx_table *p = t->parent;

		unlink_child(pt, op, p, t->pidx);
		t = p;
	} while (t != pt->root && !ictx_tbl_count(t));
	/* The device may still cache the links: invalidate the region. */
	op_inv(op, base, lvl_span(pt, pt_last(pt) - 1),
	       lvl_span(pt, pt_last(pt)));
}

/**
 * ictx_pt_lookup() - translate one address
 * @pt: the page tables
 * @iova: the address
 * @addr: the level-1 DMA address @iova maps to
 * @pgsize: the size of the leaf that maps it (a contiguous group counts
 *	as one leaf)
 *
 * Return: true if @iova is mapped.
 */
bool ictx_pt_lookup(struct ictx_pt *pt, unsigned long iova, u64 *addr,
		    u64 *pgsize)
{
	const struct iommu_ctx_format *f = pt->fmt;
	struct ictx_table *t = pt->root;
	unsigned int l;

	for (l = 0; l < f->levels; l++) {
		unsigned int idx = lvl_idx(pt, l, iova);
		u64 e = ent_read(pt, t, idx);

		if (!(e & f->valid))
			return false;
		if (ent_is_leaf(pt, l, e)) {
			u64 span = lvl_span(pt, l);

			*addr = (e & f->addr_mask) + (iova & (span - 1));
			*pgsize = (l == pt_last(pt) && (e & f->contig)) ?
				contig_span(pt) : span;
			return true;
		}
		t = t->child[idx];
	}
	return false;
}

/**
 * ictx_pt_count() - worst-case tables an operation may need
 * @pt: the page tables
 * @iova: start of the range
 * @size: bytes
 * @flags: IOMMU_CTX_RES_MAP and/or IOMMU_CTX_RES_UNMAP
 * @ndir: incremented by the directory tables needed
 * @nleaf: incremented by the last-level tables needed
 *
 * A map may need every table under the range that does not exist yet;
 * an unmap needs tables only to split the blocks its two ends cut.
 */
void ictx_pt_count(const struct ictx_pt *pt, unsigned long iova, u64 size,
		   unsigned int flags, unsigned int *ndir, unsigned int *nleaf)
{
	unsigned int last = pt_last(pt), l;
	unsigned long end = iova + size;

	if (!size)
		return;
	if (flags & IOMMU_CTX_RES_MAP) {
		for (l = 1; l <= last; l++) {
			unsigned int s = lvl_shift(pt, l - 1);
			unsigned long n = ((end - 1) >> s) - (iova >> s) + 1;

			if (l == last)
				*nleaf += n;
			else
				*ndir += n;
		}
	}
	if (flags & IOMMU_CTX_RES_UNMAP) {
		for (l = 1; l < last; l++) {
			unsigned long span = lvl_span(pt, l);
			unsigned int n = 0;

			if (!leaf_allowed(pt, l))
				continue;
			n += !!(iova & (span - 1));
			n += !!(end & (span - 1));
			if (l + 1 == last)
				*nleaf += n;
			else
				*ndir += n;
		}
	}
}

/**
 * ictx_pt_check_cfg() - check a configuration against a format
 * @fmt: the format
 * @pgsize_bitmap: page sizes asked for (already a subset of the format's)
 * @va_bits: VA width asked for
 *
 * Return: 0 or -EINVAL.
 */
int ictx_pt_check_cfg(const struct iommu_ctx_format *fmt,
		      unsigned long pgsize_bitmap, unsigned int va_bits)
{
	unsigned int last = fmt->levels - 1, l;
	bool need = false;

	if (!fmt->levels || fmt->levels > IOMMU_CTX_MAX_LEVELS ||
	    (fmt->entry_size != 4 && fmt->entry_size != 8))
		return -EINVAL;
	if (!va_bits || va_bits > fmt->va_bits || va_bits > BITS_PER_LONG - 1)
		return -EINVAL;
	/* Addresses must fit the entry; links must not look like blocks. */
	if (fmt->entry_size == 4 && (fmt->addr_mask >> 32))
		return -EINVAL;
	for (l = 0; l < last; l++)
		if (fmt->level[l].block &&
		    (fmt->table & fmt->type_mask) == fmt->block)
			return -EINVAL;
	if (!(pgsize_bitmap & (1UL << fmt->level[last].shift)))
		return -EINVAL;
	if (pgsize_bitmap & ~iommu_ctx_format_pgsizes(fmt))
		return -EINVAL;
	/* A block size needs every deeper block size: a split makes them. */
	for (l = 0; l < last; l++) {
		bool has = fmt->level[l].block &&
			(pgsize_bitmap & (1UL << fmt->level[l].shift));

		if (need && fmt->level[l].block && !has)
			return -EINVAL;
		need |= has;
	}
	return 0;
}

/**
 * ictx_pt_init() - set up empty page tables
 * @pt: zeroed state to fill
 * @fmt: the format
 * @pgsize_bitmap: page sizes in use (checked by ictx_pt_check_cfg())
 * @va_bits: VA width
 * @coherent: the device walk snoops CPU caches
 * @gfp: allocation flags for the root table
 *
 * Return: 0 or -ENOMEM.
 */
int ictx_pt_init(struct ictx_pt *pt, const struct iommu_ctx_format *fmt,
		 unsigned long pgsize_bitmap, unsigned int va_bits,
		 bool coherent, gfp_t gfp)
{
	pt->fmt = fmt;
	pt->pgsize_bitmap = pgsize_bitmap;
	pt->va_bits = va_bits;
	pt->coherent = coherent;
	if (fmt->levels > 1) {
		pt->wc_mask = lvl_span(pt, fmt->levels - 2) - 1;
		pt->wc_shift = lvl_shift(pt, fmt->levels - 1);
		pt->wc_pgsize = lvl_span(pt, fmt->levels - 1);
	}
	pt->wc_e32 = fmt->entry_size == 4;
	pt->wc_amask = fmt->addr_mask;
	INIT_LIST_HEAD(&pt->spare.dir);
	INIT_LIST_HEAD(&pt->spare.leaf);
	pt->root = ictx_table_alloc(pt, fmt->levels > 1, gfp);
	return pt->root ? 0 : -ENOMEM;
}

static void free_tree(struct ictx_pt *pt, struct ictx_table *t)
{
	unsigned int n, i;

	if (t->dir) {
		n = 0;
		for (i = 0; i < pt->fmt->levels; i++)
			n = max(n, 1U << pt->fmt->level[i].bits);
		for (i = 0; i < n; i++)
			if (t->child[i])
				free_tree(pt, t->child[i]);
	}
	ictx_table_free(pt, t);
}

/**
 * ictx_pt_destroy() - free every table, spares included
 * @pt: the page tables; the device must no longer walk them
 */
void ictx_pt_destroy(struct ictx_pt *pt)
{
	struct ictx_table *t;

	if (pt->root)
		free_tree(pt, pt->root);
	pt->root = NULL;
	pt->wc = NULL;
	while ((t = ictx_res_take(&pt->spare, true)))
		ictx_table_free(pt, t);
	while ((t = ictx_res_take(&pt->spare, false)))
		ictx_table_free(pt, t);
}
