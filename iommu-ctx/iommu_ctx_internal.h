/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: iommu-ctx internals
 *
 * iommu-ctx internals shared by the kernel-side files.
 */
#ifndef __IOMMU_CTX_INTERNAL_H__
#define __IOMMU_CTX_INTERNAL_H__

#include <linux/atomic.h>
#include <linux/iommu.h>
#include <linux/spinlock.h>
#include "iommu_ctx_pt.h"

struct dentry;

/*
 * Number of IOMMU_* prot combinations ictx_prot_bits() tells apart:
 * IOMMU_PRIV is the highest flag it looks at.
 */
#define ICTX_PROT_COMBOS	(IOMMU_PRIV << 1)

/**
 * struct ictx_pcpu - per-CPU counters of the lockless path
 * @lockless_maps: pages mapped by ictx_pt_map_one()
 */
struct ictx_pcpu {
	u64 lockless_maps;
};

/**
 * struct iommu_ctx_dom - an iommu-ctx domain
 * @domain: the iommu domain handed to the driver
 * @lock: serialises every walk of @pt (map, unmap, lookup, spares),
 *	except the lockless single-page map (see ictx_pt_map_one())
 * @pt: the page tables
 * @fast_pgsize: page size of the lockless single-page map, 0 where it
 *	does not apply (non-coherent walk: each entry needs a sync and a
 *	counted one)
 * @fast_attrs: leaf attribute bits for each prot combination, 0 for
 *	those a map refuses (neither IOMMU_READ nor IOMMU_WRITE)
 * @pcpu: per-CPU counters
 * @table_allocs: tables allocated since the domain was created
 * @husk_lock: protects @husks and @nr_husks; nests inside @lock, under
 *	which tables may be allocated and freed
 * @husks: structures of freed last-level tables, kept for reuse while
 *	the domain lives (see ictx_husk_put())
 * @nr_husks: number of structures on @husks
 * @dev: the GPU device; table memory is DMA-mapped for it
 * @tlb: driver TLB callbacks
 * @cookie: their cookie
 * @table_size: bytes of one table page
 * @shadow_size: bytes of one directory table's shadow array
 * @tables: tables allocated and not yet freed
 * @reserved: tables held by reservations
 * @flush_range: flush_range calls
 * @flush_all: flush_all calls
 * @fail_nth: test hook: the nth next table allocation fails (0: off)
 * @id: number in debugfs
 * @debugfs: the domain's debugfs directory
 * @node: in the list of domains the spare-table shrinker scans
 *	(iommu_ctx_shrinker.c), under its mutex
 */
struct iommu_ctx_dom {
	struct iommu_domain domain;
	spinlock_t lock;
	struct ictx_pt pt;
	unsigned long fast_pgsize;
	u64 fast_attrs[ICTX_PROT_COMBOS];
	struct ictx_pcpu __percpu *pcpu;
	atomic_long_t table_allocs;
	spinlock_t husk_lock;
	struct list_head husks;
	unsigned int nr_husks;
	struct device *dev;
	const struct iommu_ctx_tlb_ops *tlb;
	void *cookie;
	size_t table_size;
	size_t shadow_size;
	atomic_long_t tables;
	atomic_long_t reserved;
	atomic_long_t flush_range;
	atomic_long_t flush_all;
	atomic_t fail_nth;
	unsigned int id;
	struct dentry *debugfs;
	struct list_head node;
};

static inline struct iommu_ctx_dom *to_ictx(struct iommu_domain *domain)
{
	return container_of(domain, struct iommu_ctx_dom, domain);
}

static inline struct iommu_ctx_dom *pt_to_ictx(struct ictx_pt *pt)
{
	return container_of(pt, struct iommu_ctx_dom, pt);
}

/* iommu_ctx_tables.c */
void ictx_tables_release(struct iommu_ctx_dom *d, struct list_head *list);
void ictx_spares_trim(struct iommu_ctx_dom *d);
void ictx_husks_free(struct iommu_ctx_dom *d);
struct dentry *ictx_debugfs_init(void);
void ictx_debugfs_exit(void);
void ictx_shrinker_add(struct iommu_ctx_dom *d);
void ictx_shrinker_del(struct iommu_ctx_dom *d);
int ictx_shrinker_init(struct dentry *debugfs);
void ictx_shrinker_exit(void);
void ictx_debugfs_add(struct iommu_ctx_dom *d);
void ictx_debugfs_remove(struct iommu_ctx_dom *d);

/* iommu_ctx_core.c */
int ictx_do_map(struct iommu_ctx_dom *d, unsigned long iova, u64 addr,
		u64 size, int prot, gfp_t gfp,
		struct iommu_ctx_reservation *res, size_t *mapped);
size_t ictx_do_unmap(struct iommu_ctx_dom *d, unsigned long iova, u64 size,
		     struct iommu_ctx_reservation *res,
		     struct iommu_iotlb_gather *gather);
bool ictx_domain_check(struct iommu_domain *domain);

#endif /* __IOMMU_CTX_INTERNAL_H__ */
