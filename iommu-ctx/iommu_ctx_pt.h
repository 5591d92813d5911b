/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * iommu-ctx generic page-table walker: the state it works on and the
 * table-memory backend it calls. Shared by the kernel module and the
 * userspace fuzzer (which provides its own backend and a shim for the
 * kernel headers); no iommu_domain or DMA API in here.
 */
#ifndef __IOMMU_CTX_PT_H__
#define __IOMMU_CTX_PT_H__

#ifdef __KERNEL__
#include <linux/bits.h>
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

/* Spare tables a domain keeps for reuse, per kind (directory, leaf). */
#define ICTX_SPARE_MAX	16

/**
 * struct ictx_table - one page-table page
 * @cpu: CPU address of the entries
 * @dma: level-1 DMA address of the entries: what a parent link holds
 * @child: directory tables only: the child table of each link entry,
 *	since a link holds a DMA address the CPU cannot dereference
 * @parent: the table whose entry links this one (NULL for the root)
 * @pidx: index of that entry in @parent
 * @nr_valid: valid entries in this table; 0 means it can be freed
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
	unsigned int nr_valid;
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
 * @root: the root table (level 0)
 * @wc: walk cache: the last-level table last descended into, or NULL
 * @wc_base: the VA its region starts at
 * @wc_mask: bytes one last-level table spans, minus one
 * @wc_shift: shift of the last level
 * @wc_pgsize: the last level's page size if the single-page fast path
 *	applies (64-bit entries), else 0
 * @wc_amask: the format's address mask
 * @spare: spare tables, reused before allocating
 * @leaf_writes: see &iommu_ctx_stats
 * @split_writes: see &iommu_ctx_stats
 * @splits: see &iommu_ctx_stats
 * @tables_freed: see &iommu_ctx_stats
 * @table_syncs: see &iommu_ctx_stats
 *
 * Every field is protected by the owner's lock; the walker takes none.
 */
struct ictx_pt {
	const struct iommu_ctx_format *fmt;
	unsigned long pgsize_bitmap;
	unsigned int va_bits;
	bool coherent;
	struct ictx_table *root;
	struct ictx_table *wc;
	unsigned long wc_base;
	unsigned long wc_mask;
	unsigned int wc_shift;
	unsigned long wc_pgsize;
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

/* Bits of a leaf for iommu prot flags, without the address. */
static inline u64 ictx_prot_bits(const struct iommu_ctx_format *f, int prot)
{
	u64 e = f->valid | f->leaf;

	if (prot & IOMMU_READ)
		e |= f->read;
	if (prot & IOMMU_WRITE)
		e |= f->write;
	if (prot & IOMMU_NOEXEC)
		e |= f->nx;
	if (!(prot & IOMMU_PRIV))
		e |= f->user;
	if (!(prot & IOMMU_CACHE) || (prot & IOMMU_MMIO))
		e |= f->uncached;
	return e;
}

/* Table-memory backend: iommu_ctx_tables.c, or the userspace fuzzer's. */
struct ictx_table *ictx_table_alloc(struct ictx_pt *pt, bool dir, gfp_t gfp);
void ictx_table_free(struct ictx_pt *pt, struct ictx_table *t);
void ictx_table_sync(struct ictx_pt *pt, struct ictx_table *t,
		     unsigned int idx, unsigned int n);

/* Generic walker: iommu_ctx_pgtable.c. Callers serialise on @pt. */
int ictx_pt_check_cfg(const struct iommu_ctx_format *fmt,
		      unsigned long pgsize_bitmap, unsigned int va_bits);
int ictx_pt_init(struct ictx_pt *pt, const struct iommu_ctx_format *fmt,
		 unsigned long pgsize_bitmap, unsigned int va_bits,
		 bool coherent, gfp_t gfp);
void ictx_pt_destroy(struct ictx_pt *pt);
int ictx_pt_map(struct ictx_pt *pt, struct ictx_op *op, unsigned long iova,
		u64 addr, u64 size, int prot);
int ictx_pt_map_one(struct ictx_pt *pt, unsigned long iova, u64 addr,
		    int prot);
int ictx_pt_unmap_one(struct ictx_pt *pt, unsigned long iova);
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

#endif /* __IOMMU_CTX_PT_H__ */
