/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Walker state and table backend
 *
 * iommu-ctx generic page-table walker: the state it works on and the
 * table-memory backend it calls. Shared by the kernel module and the
 * userspace fuzzer (which provides its own backend and a shim for the
 * kernel headers); no iommu_domain or DMA API in here.
 */
#ifndef __IOMMU_CTX_PT_H__
#define __IOMMU_CTX_PT_H__

#ifdef __KERNEL__
#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/types.h>
#else
#include "ictx_shim.h"
#endif
#include <linux/iommu_ctx.h>

/*
 * Spare tables a domain keeps for reuse, per kind. Tables an unmap frees
 * go there (after the invalidation), and a later map takes them instead
 * of allocating and DMA-mapping a page. 64 last-level tables cover
 * 128 MiB of 4 KiB pages (256 KiB held at most); directory tables, which
 * also carry a shadow array, are needed far less often.
 */
#define ICTX_SPARE_MAX_DIR	16
#define ICTX_SPARE_MAX_LEAF	64

/*
 * A map that finds a last-level table missing allocates this many (up
 * to the cap) rather than one: page-by-page maps of a large range would
 * otherwise go back to the allocator, and restart the walk, once per
 * table.
 */
#define ICTX_REFILL_LEAF	8

static inline unsigned int ictx_spare_max(bool dir)
{
	return dir ? ICTX_SPARE_MAX_DIR : ICTX_SPARE_MAX_LEAF;
}

/**
 * struct ictx_table - one page-table page
 * @cpu: CPU address of the entries
 * @dma: level-1 DMA address of the entries: what a parent link holds
 * @child: directory tables only: the child table of each link entry,
 *	since a link holds a DMA address the CPU cannot dereference
 * @parent: the table whose entry links this one (NULL for the root)
 * @pidx: index of that entry in @parent
 * @base: first VA of the region the table translates (set when linked)
 * @nr_valid: valid entries in this table, plus transient pins of the
 *	lockless map path (ictx_pt_map_one()). Zero is final: the lockless
 *	path never raises it from zero, only the walker under the owner's
 *	lock does, so a table found empty under the lock can be removed.
 * @dir: has @child (can serve above the last level)
 * @link: on a spare list, a reservation or a freelist
 * @backend: owned by the table-memory backend
 */
struct ictx_table {
	void *cpu;
	u64 dma;
	struct ictx_table **child;
	struct ictx_table *parent;
	unsigned int pidx;
	unsigned long base;
	atomic_t nr_valid;
	bool dir;
	struct list_head link;
	void *backend;
};

/**
 * struct ictx_pt - the page tables of one context
 * @fmt: the format
 * @pgsize_bitmap: page sizes in use (a subset of the format's)
 * @va_bits: VA width of the context
 * @coherent: the device walker snoops CPU caches
 * @walk: observer of table writes and flushes (non-coherent walks), or
 *	NULL
 * @walk_cookie: its cookie
 * @root: the root table (level 0)
 * @wc: walk cache: the last-level table last descended into, or NULL.
 *	Written under the owner's lock, read without it by
 *	ictx_pt_map_one().
 * @wc_base: the VA its region starts at
 * @wc_mask: bytes one last-level table spans, minus one
 * @wc_shift: shift of the last level
 * @wc_pgsize: the last level's page size (for the single-page fast
 *	paths), 0 for a single-level format
 * @wc_e32: the format has 32-bit entries
 * @wc_amask: the format's address mask
 * @spare: spare tables, reused before allocating
 * @leaf_writes: see &iommu_ctx_stats
 * @split_writes: see &iommu_ctx_stats
 * @splits: see &iommu_ctx_stats
 * @tables_freed: see &iommu_ctx_stats
 * @table_syncs: see &iommu_ctx_stats
 *
 * Every field is protected by the owner's lock; the walker takes none.
 * The exceptions are @wc and the tables' &ictx_table.nr_valid, which
 * ictx_pt_map_one() uses without the lock.
 */
struct ictx_pt {
	const struct iommu_ctx_format *fmt;
	unsigned long pgsize_bitmap;
	unsigned int va_bits;
	bool coherent;
	const struct iommu_ctx_walk_ops *walk;
	void *walk_cookie;
	struct ictx_table *root;
	struct ictx_table *wc;
	unsigned long wc_base;
	unsigned long wc_mask;
	unsigned int wc_shift;
	unsigned long wc_pgsize;
	bool wc_e32;
	u64 wc_amask;
	struct iommu_ctx_reservation spare;
	u64 leaf_writes;
	u64 split_writes;
	u64 splits;
	u64 tables_freed;
	u64 table_syncs;
};

/**
 * struct ictx_op - one walker operation
 * @res: reservation to take tables from first, or NULL
 * @may_alloc: when @res and the spares are empty, allocate with
 *	GFP_ATOMIC (unmap through the iommu core) instead of failing with
 *	-EAGAIN (map: the caller refills the spares with its gfp and retries)
 * @done: bytes mapped or unmapped from the start of the range
 * @freelist: tables removed from the tree; free after invalidation
 * @inv_start: first byte to invalidate
 * @inv_end: last byte to invalidate (below @inv_start: nothing)
 * @granule: smallest leaf size removed
 * @want_dir: directory tables missing (with -EAGAIN)
 * @want_leaf: last-level tables missing (with -EAGAIN)
 */
struct ictx_op {
	struct iommu_ctx_reservation *res;
	bool may_alloc;
	u64 done;
	struct list_head freelist;
	unsigned long inv_start;
	unsigned long inv_end;
	unsigned long granule;
	unsigned int want_dir;
	unsigned int want_leaf;
};

static inline void ictx_op_init(struct ictx_op *op,
				struct iommu_ctx_reservation *res,
				bool may_alloc)
{
	op->res = res;
	op->may_alloc = may_alloc;
	op->done = 0;
	INIT_LIST_HEAD(&op->freelist);
	op->inv_start = ~0UL;
	op->inv_end = 0;
	op->granule = 0;
	op->want_dir = 0;
	op->want_leaf = 0;
}

static inline bool ictx_op_has_inv(const struct ictx_op *op)
{
	return op->inv_end >= op->inv_start;
}

/**
 * struct ictx_src - the level-1 addresses a map walk writes
 * @addr: the next address
 * @left: bytes contiguous from @addr: what remains of the current segment
 * @next: the segment after the current one, for ictx_src_load(); opaque
 *	to the walker (a struct scatterlist in the kernel)
 * @nents: segments left after the current one
 * @skip: bytes to pass over at the start of the next segments loaded
 *	(an offset into the run)
 *
 * A single range is one segment: @addr and @left, @nents 0. A run of
 * DMA segments (an sg table's) is mapped at consecutive VAs in one walk,
 * which takes each next segment when the current one is used up.
 */
struct ictx_src {
	u64 addr;
	u64 left;
	void *next;
	unsigned int nents;
	u64 skip;
};

/*
 * Bits of a last-level leaf for iommu prot flags, without the address.
 * A block above the last level is (bits & ~f->page) | f->block.
 */
static inline u64 ictx_prot_bits(const struct iommu_ctx_format *f, int prot)
{
	u64 e = f->valid | f->leaf | f->page;

	if (prot & IOMMU_READ)
		e |= f->read;
	if (prot & IOMMU_WRITE)
		e |= f->write;
	else
		e |= f->rdonly;
	if (prot & IOMMU_NOEXEC)
		e |= f->nx;
	if (!(prot & IOMMU_PRIV))
		e |= f->user;
	if (!(prot & IOMMU_CACHE) || (prot & IOMMU_MMIO))
		e |= f->uncached;
	if (prot & IOMMU_CTX_SPARSE)
		e |= f->sparse;
	return e;
}

/* Entries counted in @t (see &ictx_table.nr_valid). */
static inline unsigned int ictx_tbl_count(const struct ictx_table *t)
{
	return atomic_read(&t->nr_valid);
}

/*
 * Count @n entries written into @t. The barrier orders the writes of the
 * entries and of @t->base before the count: once a lockless reader sees
 * a non-zero count, it sees where the table belongs.
 */
static inline void ictx_tbl_add(struct ictx_table *t, unsigned int n)
{
	if (n) {
		smp_mb__before_atomic();
		atomic_add(n, &t->nr_valid);
	}
}

static inline void ictx_tbl_sub(struct ictx_table *t, unsigned int n)
{
	if (n)
		atomic_sub(n, &t->nr_valid);
}

/**
 * ictx_pt_map_one() - lockless fast path: one smallest page into the
 *	walk-cache table
 * @pt: the page tables (@pt->wc_pgsize is not 0)
 * @iova: address, aligned to the last level's span
 * @pte: the complete leaf entry (address and attribute bits; its upper
 *	half is 0 for 32-bit entries)
 * @orphan: set to a table this call could not unpin, else NULL: the
 *	caller passes it to ictx_pt_unpin() under the owner's lock
 *
 * Runs without the owner's lock, concurrently with other calls of this
 * function and with the walker (under the lock) on other pages. The
 * owner never frees the structure of a last-level table while this may
 * run, nor reuses it for a directory (the kernel keeps them until the
 * domain is freed): @wc may be stale, but always points to one.
 *
 * The table is pinned first: its count is raised unless it is zero, and
 * a table with a non-zero count is linked in the tree and stays there
 * (or, in a block split, is full and about to be linked: no entry is
 * empty). Only then is it checked to be the table of @iova: between
 * reading @wc and pinning, it may have been removed and reused for
 * another region.
 * On success the pin becomes the count of the new entry. On failure it
 * is dropped again, unless it is the last count: the other entries were
 * unmapped meanwhile, and the table, empty, must be removed, which takes
 * the lock. Kept pinned, it cannot go away before: @orphan.
 *
 * Return: 0 if mapped, -EAGAIN if the fast path does not apply (no walk
 * cache, another region, or the entry is not empty): use ictx_pt_map().
 */
static inline int ictx_pt_map_one(struct ictx_pt *pt, unsigned long iova,
				  u64 pte, struct ictx_table **orphan)
{
	struct ictx_table *t = READ_ONCE(pt->wc);
	unsigned long idx;

	*orphan = NULL;
	if (!t || !atomic_inc_not_zero(&t->nr_valid))
		return -EAGAIN;
	if (likely(READ_ONCE(t->base) == (iova & ~pt->wc_mask))) {
		idx = (iova & pt->wc_mask) >> pt->wc_shift;
		if (pt->wc_e32) {
			u32 *e = (u32 *)t->cpu + idx;

			if (likely(!READ_ONCE(*e))) {
				WRITE_ONCE(*e, (u32)pte);
				return 0;
			}
		} else {
			u64 *e = (u64 *)t->cpu + idx;

			if (likely(!READ_ONCE(*e))) {
				WRITE_ONCE(*e, pte);
				return 0;
			}
		}
	}
	if (!atomic_add_unless(&t->nr_valid, -1, 1))
		*orphan = t;
	return -EAGAIN;
}

/* Table-memory backend: iommu_ctx_tables.c, or the userspace fuzzer's. */
struct ictx_table *ictx_table_alloc(struct ictx_pt *pt, bool dir, gfp_t gfp);
void ictx_table_free(struct ictx_pt *pt, struct ictx_table *t);
void ictx_table_sync(struct ictx_pt *pt, struct ictx_table *t,
		     unsigned int idx, unsigned int n);
void ictx_table_wrote(const struct ictx_pt *pt, struct ictx_table *t,
		      unsigned int idx, unsigned int n);

/*
 * Segment source of map walks: iommu_ctx_core.c (scatterlist), or the
 * userspace fuzzer's. Makes @src->next the current segment (@addr and
 * @left) and moves @next on, @nents down; false if there is none.
 */
bool ictx_src_load(struct ictx_src *src);

/* Generic walker: iommu_ctx_pgtable.c. Callers serialise on @pt. */
int ictx_pt_check_cfg(const struct iommu_ctx_format *fmt,
		      unsigned long pgsize_bitmap, unsigned int va_bits);
int ictx_pt_init(struct ictx_pt *pt, const struct iommu_ctx_format *fmt,
		 unsigned long pgsize_bitmap, unsigned int va_bits,
		 bool coherent, gfp_t gfp);
void ictx_pt_destroy(struct ictx_pt *pt);
int ictx_pt_map(struct ictx_pt *pt, struct ictx_op *op, unsigned long iova,
		u64 addr, u64 size, int prot);
int ictx_pt_map_src(struct ictx_pt *pt, struct ictx_op *op,
		    unsigned long iova, u64 size, struct ictx_src *src,
		    int prot);
int ictx_pt_unmap_one(struct ictx_pt *pt, unsigned long iova);
void ictx_pt_unpin(struct ictx_pt *pt, struct ictx_op *op,
		   struct ictx_table *t);
int ictx_pt_unmap(struct ictx_pt *pt, struct ictx_op *op, unsigned long iova,
		  u64 size);
void ictx_pt_prune(struct ictx_pt *pt, struct ictx_op *op,
		   unsigned long iova, u64 size);
bool ictx_pt_lookup(struct ictx_pt *pt, unsigned long iova, u64 *addr,
		    u64 *pgsize);
void ictx_pt_count(const struct ictx_pt *pt, unsigned long iova, u64 size,
		   unsigned int flags, unsigned int *ndir, unsigned int *nleaf);
void ictx_res_add(struct iommu_ctx_reservation *res, struct ictx_table *t);
struct ictx_table *ictx_res_take(struct iommu_ctx_reservation *res, bool dir);

extern const struct iommu_ctx_format iommu_ctx_fmt_x86_48;
extern const struct iommu_ctx_format iommu_ctx_fmt_x86_32;
extern const struct iommu_ctx_format iommu_ctx_fmt_lpae_40;

#endif /* __IOMMU_CTX_PT_H__ */
