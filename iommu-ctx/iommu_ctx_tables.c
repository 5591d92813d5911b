// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Table memory
 *
 * iommu-ctx table memory: pages allocated through the DMA API of the
 * GPU device (level 1), so that a table's address, which parent links
 * and the root register hold, is the level-1 DMA address the GPU's walker
 * emits; per-domain accounting and debugfs.
 */
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <asm/cacheflush.h>
#include "iommu_ctx_internal.h"

static struct dentry *ictx_debugfs_root;

/*
 * Fault injection: the next this-many table syncs are skipped, entries
 * left in the CPU caches as a forgotten sync would leave them. Set
 * through debugfs (iommu_ctx/skip_table_syncs) by tests that prove the
 * coherency checker of a non-coherent walker catches it.
 */
static atomic_t ictx_skip_syncs = ATOMIC_INIT(0);

/*
 * The lockless map reads the structure of a last-level table (never its
 * entries unless it pinned it) through the walk cache, which may be
 * stale by then: see ictx_pt_map_one(). So a domain never frees the
 * structure of a last-level table while it lives: freeing the table
 * frees its memory and shadow state, and keeps the structure, a husk,
 * for the next last-level table. Never for a directory table: a stale
 * pointer could then pin a directory whose region starts where the
 * last-level region it looks for does. Husks cost less than an RCU read
 * side on every map (the alternative: free after a grace period); there
 * are never more than the domain's largest number of last-level tables
 * at any time, and they go with the domain.
 */
static void ictx_husk_put(struct iommu_ctx_dom *d, struct ictx_table *t)
{
	spin_lock(&d->husk_lock);
	list_add(&t->link, &d->husks);
	d->nr_husks++;
	spin_unlock(&d->husk_lock);
}

static struct ictx_table *ictx_husk_take(struct iommu_ctx_dom *d)
{
	struct ictx_table *t = NULL;

	spin_lock(&d->husk_lock);
	if (!list_empty(&d->husks)) {
		t = list_first_entry(&d->husks, struct ictx_table, link);
		list_del_init(&t->link);
		d->nr_husks--;
	}
	spin_unlock(&d->husk_lock);
	return t;
}

/**
 * ictx_husks_free() - free the kept structures of freed last-level tables
 * @d: the domain; nothing may walk it any more
 */
void ictx_husks_free(struct iommu_ctx_dom *d)
{
	struct ictx_table *t, *tmp;

	list_for_each_entry_safe(t, tmp, &d->husks, link)
		kfree(t);
	INIT_LIST_HEAD(&d->husks);
	d->nr_husks = 0;
}

/**
 * ictx_table_alloc() - allocate one zeroed table, visible to the device
 * @pt: the page tables it is for
 * @dir: with a shadow array of child pointers (directory levels)
 * @gfp: allocation flags (GFP_ATOMIC under the domain lock)
 *
 * dma_alloc_pages() returns memory the device reaches without bounce
 * buffering, mapped through level 1 (an IOVA behind VT-d).
 *
 * Return: the table, or NULL.
 */
struct ictx_table *ictx_table_alloc(struct ictx_pt *pt, bool dir, gfp_t gfp)
{
	struct iommu_ctx_dom *d = pt_to_ictx(pt);
	struct ictx_table *t;
	struct page *page;
	dma_addr_t dma;

	switch (atomic_read(&d->fail_nth)) {
	case 0:
		break;
	case 1:
		return NULL;
	default:
		atomic_dec(&d->fail_nth);
		break;
	}

	/* A husk has a zero count, no parent and no shadow array. */
	t = dir ? NULL : ictx_husk_take(d);
	if (!t) {
		t = kzalloc(sizeof(*t), gfp);
		if (!t)
			return NULL;
	}
	if (dir) {
		t->child = kzalloc(d->shadow_size, gfp);
		if (!t->child)
			goto err_free;
	}
	page = dma_alloc_pages(d->dev, d->table_size, &dma, DMA_BIDIRECTIONAL,
			       gfp | __GFP_ZERO);
	if (!page)
		goto err_free;
	if (!IS_ALIGNED(dma, pt->fmt->table_align) ||
	    (dma & ~pt->fmt->addr_mask & ~(u64)(pt->fmt->table_align - 1))) {
		dma_free_pages(d->dev, d->table_size, page, dma,
			       DMA_BIDIRECTIONAL);
		goto err_free;
	}
	t->cpu = page_address(page);
	t->dma = dma;
	t->dir = dir;
	t->backend = page;
	INIT_LIST_HEAD(&t->link);
	if (!pt->coherent) {
		/* Zeroed by the CPU: the walker must not find stale lines. */
		if (pt->walk)
			pt->walk->write(pt->walk_cookie, page, 0, d->table_size);
		clflush_cache_range(t->cpu, d->table_size);
		dma_sync_single_for_device(d->dev, dma, d->table_size,
					   DMA_BIDIRECTIONAL);
		if (pt->walk)
			pt->walk->flush(pt->walk_cookie, page, 0, d->table_size);
	}
	atomic_long_inc(&d->tables);
	atomic_long_inc(&d->table_allocs);
	return t;

err_free:
	if (dir) {
		kfree(t->child);
		kfree(t);
	} else {
		ictx_husk_put(d, t);
	}
	return NULL;
}

/**
 * ictx_table_free() - free one table
 * @pt: the page tables it belongs to
 * @t: the table, unlinked and no longer cached by the device
 */
void ictx_table_free(struct ictx_pt *pt, struct ictx_table *t)
{
	struct iommu_ctx_dom *d = pt_to_ictx(pt);

	if (pt->walk)
		pt->walk->release(pt->walk_cookie, t->backend);
	dma_free_pages(d->dev, d->table_size, t->backend, t->dma,
		       DMA_BIDIRECTIONAL);
	atomic_long_dec(&d->tables);
	if (t->dir) {
		kfree(t->child);
		kfree(t);
		return;
	}
	/* A tree torn down with the domain still counts and links. */
	atomic_set(&t->nr_valid, 0);
	t->parent = NULL;
	ictx_husk_put(d, t);
}

/**
 * ictx_table_sync() - make written entries visible to a non-coherent walk
 * @pt: the page tables
 * @t: the table
 * @idx: first entry written
 * @n: number of entries
 */
void ictx_table_sync(struct ictx_pt *pt, struct ictx_table *t,
		     unsigned int idx, unsigned int n)
{
	struct iommu_ctx_dom *d = pt_to_ictx(pt);
	size_t off = (size_t)idx * pt->fmt->entry_size;
	size_t len = (size_t)n * pt->fmt->entry_size;

	if (atomic_add_unless(&ictx_skip_syncs, -1, 0))
		return;
	clflush_cache_range(t->cpu + off, len);
	dma_sync_single_for_device(d->dev, t->dma + off, len,
				   DMA_BIDIRECTIONAL);
	if (pt->walk)
		pt->walk->flush(pt->walk_cookie, t->backend, off, len);
}

/**
 * ictx_table_wrote() - tell the observer that entries were stored
 * @pt: the page tables, with an observer (&ictx_pt.walk)
 * @t: the table
 * @idx: first entry stored
 * @n: number of entries
 */
void ictx_table_wrote(const struct ictx_pt *pt, struct ictx_table *t,
		      unsigned int idx, unsigned int n)
{
	unsigned int size = pt->fmt->entry_size;

	pt->walk->write(pt->walk_cookie, t->backend, idx * size, n * size);
}

/**
 * ictx_tables_release() - recycle or free removed tables
 * @d: the domain
 * @list: tables unlinked from the tree (empty), whose removal the TLB
 *	has already been told about
 *
 * Tables are kept as spares up to ICTX_SPARE_MAX_DIR directory and
 * ICTX_SPARE_MAX_LEAF last-level tables, so that maps after an unmap of
 * the same range allocate and DMA-map nothing; the rest are freed.
 */
void ictx_tables_release(struct iommu_ctx_dom *d, struct list_head *list)
{
	struct ictx_table *t, *tmp;
	LIST_HEAD(excess);

	if (list_empty(list))
		return;
	spin_lock(&d->lock);
	list_for_each_entry_safe(t, tmp, list, link) {
		list_del_init(&t->link);
		if ((t->dir ? d->pt.spare.ndir : d->pt.spare.nleaf) <
		    ictx_spare_max(t->dir))
			ictx_res_add(&d->pt.spare, t);
		else
			list_add(&t->link, &excess);
	}
	spin_unlock(&d->lock);
	list_for_each_entry_safe(t, tmp, &excess, link)
		ictx_table_free(&d->pt, t);
}

/**
 * ictx_spares_trim() - free spares above the cap of each kind
 * @d: the domain
 */
void ictx_spares_trim(struct iommu_ctx_dom *d)
{
	struct ictx_table *t, *tmp;
	LIST_HEAD(excess);

	if (data_race(d->pt.spare.ndir) <= ICTX_SPARE_MAX_DIR &&
	    data_race(d->pt.spare.nleaf) <= ICTX_SPARE_MAX_LEAF)
		return;
	spin_lock(&d->lock);
	while (d->pt.spare.ndir > ICTX_SPARE_MAX_DIR) {
		t = ictx_res_take(&d->pt.spare, true);
		list_add(&t->link, &excess);
	}
	while (d->pt.spare.nleaf > ICTX_SPARE_MAX_LEAF) {
		t = ictx_res_take(&d->pt.spare, false);
		list_add(&t->link, &excess);
	}
	spin_unlock(&d->lock);
	list_for_each_entry_safe(t, tmp, &excess, link)
		ictx_table_free(&d->pt, t);
}

static int ictx_stats_show(struct seq_file *m, void *unused)
{
	struct iommu_ctx_dom *d = m->private;
	struct iommu_ctx_stats s;

	iommu_ctx_get_stats(&d->domain, &s);
	seq_printf(m, "format: %s\n", d->pt.fmt->name);
	seq_printf(m, "va_bits: %u\n", d->pt.va_bits);
	seq_printf(m, "pgsize_bitmap: 0x%lx\n", d->pt.pgsize_bitmap);
	seq_printf(m, "coherent_walk: %d\n", d->pt.coherent);
	seq_printf(m, "root_dma: %pad\n", &(dma_addr_t){ d->pt.root->dma });
	seq_printf(m, "tables: %llu\n", s.tables);
	seq_printf(m, "table_bytes: %llu\n", s.table_bytes);
	seq_printf(m, "shadow_bytes: %llu\n", s.shadow_bytes);
	seq_printf(m, "spare_tables: %llu\n", s.spare_tables);
	seq_printf(m, "spare_max: %llu\n", s.spare_max);
	seq_printf(m, "table_allocs: %llu\n", s.table_allocs);
	seq_printf(m, "table_husks: %u\n", data_race(d->nr_husks));
	seq_printf(m, "reserved_tables: %llu\n", s.reserved_tables);
	seq_printf(m, "leaf_writes: %llu\n", s.leaf_writes);
	seq_printf(m, "lockless_maps: %llu\n", s.lockless_maps);
	seq_printf(m, "split_writes: %llu\n", s.split_writes);
	seq_printf(m, "splits: %llu\n", s.splits);
	seq_printf(m, "tables_freed: %llu\n", s.tables_freed);
	seq_printf(m, "flush_range: %llu\n", s.flush_range);
	seq_printf(m, "flush_all: %llu\n", s.flush_all);
	seq_printf(m, "table_syncs: %llu\n", s.table_syncs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ictx_stats);

/**
 * ictx_debugfs_add() - create iommu_ctx/domain<id>/stats for a domain
 * @d: the domain
 */
void ictx_debugfs_add(struct iommu_ctx_dom *d)
{
	char name[32];

	if (IS_ERR_OR_NULL(ictx_debugfs_root))
		return;
	snprintf(name, sizeof(name), "domain%u", d->id);
	d->debugfs = debugfs_create_dir(name, ictx_debugfs_root);
	debugfs_create_file("stats", 0444, d->debugfs, d, &ictx_stats_fops);
}

/**
 * ictx_debugfs_remove() - remove a domain's debugfs directory
 * @d: the domain
 */
void ictx_debugfs_remove(struct iommu_ctx_dom *d)
{
	debugfs_remove_recursive(d->debugfs);
	d->debugfs = NULL;
}

/**
 * ictx_debugfs_init() - create the iommu_ctx debugfs directory
 *
 * Return: the directory (an error pointer without debugfs).
 */
struct dentry *ictx_debugfs_init(void)
{
	ictx_debugfs_root = debugfs_create_dir("iommu_ctx", NULL);
	debugfs_create_atomic_t("skip_table_syncs", 0600, ictx_debugfs_root,
				&ictx_skip_syncs);
	return ictx_debugfs_root;
}

/** ictx_debugfs_exit() - remove the iommu_ctx debugfs directory */
void ictx_debugfs_exit(void)
{
	debugfs_remove_recursive(ictx_debugfs_root);
}
