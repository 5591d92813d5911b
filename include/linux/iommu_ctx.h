/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: iommu-ctx interface
 *
 * iommu-ctx: per-context GPU page tables ("level 2") behind a
 * struct iommu_domain. See Documentation/iommu-ctx.rst.
 */
#ifndef __LINUX_IOMMU_CTX_H__
#define __LINUX_IOMMU_CTX_H__

#include <linux/types.h>
#include <linux/list.h>
#include <linux/iommu_ctx_format.h>

struct device;
struct iommu_domain;
struct iommu_iotlb_gather;
struct page;
struct sg_table;

/**
 * struct iommu_ctx_tlb_ops - TLB invalidation callbacks of the driver
 * @flush_all: invalidate every translation and every cached table entry
 *	of the domain; return once the invalidation has completed
 * @flush_range: invalidate every translation that overlaps
 *	[@iova, @iova + @size) and every cached table entry (walk cache)
 *	for that range; @granule is the smallest leaf size that was
 *	removed (a hint). Return once the invalidation has completed:
 *	iommu-ctx frees table pages removed by an unmap right after it.
 *
 * Both are called without iommu-ctx locks held, from the context of
 * iommu_iotlb_sync() / iommu_flush_iotlb_all() (they may sleep only if
 * every caller of those for this domain may). The argument cookie is
 * &iommu_ctx_cfg.cookie.
 */
struct iommu_ctx_tlb_ops {
	void (*flush_all)(void *cookie);
	void (*flush_range)(unsigned long iova, size_t size, size_t granule,
			    void *cookie);
};

/**
 * struct iommu_ctx_walk_ops - observer of the table memory a
 *	non-coherent walker reads
 * @write: the CPU wrote @len bytes at @offset in the table page @page;
 *	they may sit in the CPU caches, unseen by the walker, until @flush
 * @flush: those bytes were written back from the CPU caches and synced
 *	for the device: the walker now reads what the CPU wrote
 * @release: @page stops being table memory (freed)
 *
 * For a model of the hardware (a cache-coherency checker) to see table
 * maintenance as it sees a driver's buffer maintenance: @write is called
 * where each entry is stored, not where the flush is issued, so a write
 * whose flush was forgotten stays visible. Called with iommu-ctx's locks
 * held (spinlocks): must not sleep. The argument cookie is
 * &iommu_ctx_cfg.walk_cookie.
 */
struct iommu_ctx_walk_ops {
	void (*write)(void *cookie, struct page *page, unsigned int offset,
		      unsigned int len);
	void (*flush)(void *cookie, struct page *page, unsigned int offset,
		      unsigned int len);
	void (*release)(void *cookie, struct page *page);
};

/**
 * struct iommu_ctx_cfg - how to build a context's page tables
 * @format: name of the page-table format, e.g. "x86-48"
 * @dma_dev: the GPU device. Table memory is allocated and mapped with
 *	its DMA API (level 1), so the links between tables and the root
 *	address hold level-1 DMA addresses (IOVAs behind a system IOMMU).
 * @va_bits: VA width of the context; at most the format's (0: the
 *	format's). The table layout stays the format's; only the domain
 *	geometry shrinks.
 * @pgsize_bitmap: page sizes the domain may use: 0 for all the format's,
 *	else a subset of them. A block size implies every smaller block
 *	size of a deeper level (a split needs them).
 * @coherent_walk: true if the GPU's table walker snoops CPU caches. If
 *	false, every table write is flushed from the CPU caches and synced
 *	for the device (dma_sync_single_for_device()) before it is relied
 *	on.
 * @tlb: the driver's TLB invalidation callbacks (required)
 * @cookie: passed to the @tlb callbacks
 * @walk: optional observer of table writes and flushes; only used when
 *	@coherent_walk is false
 * @walk_cookie: passed to the @walk callbacks
 */
struct iommu_ctx_cfg {
	const char *format;
	struct device *dma_dev;
	unsigned int va_bits;
	unsigned long pgsize_bitmap;
	bool coherent_walk;
	const struct iommu_ctx_tlb_ops *tlb;
	void *cookie;
	const struct iommu_ctx_walk_ops *walk;
	void *walk_cookie;
};

/**
 * struct iommu_ctx_reservation - page-table memory set aside in advance
 * @dir: reserved tables for directory levels (with a shadow array)
 * @leaf: reserved tables for the last level
 * @ndir: number of tables on @dir
 * @nleaf: number of tables on @leaf
 *
 * Filled by iommu_ctx_reserve(), consumed by iommu_ctx_map_reserved(),
 * iommu_ctx_map_sgtable_reserved() and iommu_ctx_unmap_reserved(), which
 * never allocate memory, and emptied by iommu_ctx_unreserve(). Opaque to
 * callers apart from its lifetime: it must not be copied while it holds
 * tables. One reservation serves one domain and one thread at a time.
 */
struct iommu_ctx_reservation {
	struct list_head dir;
	struct list_head leaf;
	unsigned int ndir;
	unsigned int nleaf;
};

/**
 * iommu_ctx_reservation_init() - make a reservation empty
 * @res: the reservation
 */
static inline void iommu_ctx_reservation_init(struct iommu_ctx_reservation *res)
{
	INIT_LIST_HEAD(&res->dir);
	INIT_LIST_HEAD(&res->leaf);
	res->ndir = 0;
	res->nleaf = 0;
}

/**
 * IOMMU_CTX_SPARSE - prot flag of iommu-ctx's own map calls: a sparse
 * (NULL) mapping, whose reads return zeros and whose writes are dropped
 * without a fault. The address passed is not used by the device (pass 0);
 * -EINVAL on a format without sparse leaves
 * (&iommu_ctx_format.sparse). Above the iommu core's IOMMU_* bits.
 */
#define IOMMU_CTX_SPARSE	(1 << 16)

/* Flags of iommu_ctx_reserve() and iommu_ctx_reserve_count(). */
#define IOMMU_CTX_RES_MAP	BIT(0)	/* map the whole range */
#define IOMMU_CTX_RES_UNMAP	BIT(1)	/* unmap the range (block splits) */

/**
 * struct iommu_ctx_stats - per-domain counters
 * @tables: page-table pages owned by the domain (tree, spares, reserved,
 *	waiting for an invalidation)
 * @table_bytes: device-visible table memory, in bytes
 * @shadow_bytes: CPU-only bookkeeping of directory tables, in bytes
 * @spare_tables: tables cached for reuse
 * @spare_max: the most spare tables the domain keeps (both kinds); what
 *	an unmap frees beyond that goes back to the page allocator
 * @table_allocs: table pages allocated (and DMA-mapped) since the domain
 *	was created; a map served by spare tables allocates none
 * @reserved_tables: tables held by live reservations
 * @leaf_writes: leaf entries written by map (a 64 KiB group counts 16)
 * @lockless_maps: pages mapped by the lockless single-page path (also
 *	counted in @leaf_writes)
 * @split_writes: leaf entries written by block splits
 * @splits: block splits
 * @tables_freed: tables removed from the tree because they emptied
 * @flush_range: calls of &iommu_ctx_tlb_ops.flush_range
 * @flush_all: calls of &iommu_ctx_tlb_ops.flush_all
 * @table_syncs: table-memory syncs for the device (non-coherent walk)
 */
struct iommu_ctx_stats {
	u64 tables;
	u64 table_bytes;
	u64 shadow_bytes;
	u64 spare_tables;
	u64 spare_max;
	u64 table_allocs;
	u64 reserved_tables;
	u64 leaf_writes;
	u64 lockless_maps;
	u64 split_writes;
	u64 splits;
	u64 tables_freed;
	u64 flush_range;
	u64 flush_all;
	u64 table_syncs;
};

struct iommu_domain *iommu_ctx_domain_alloc(const struct iommu_ctx_cfg *cfg);
bool iommu_ctx_is_ctx_domain(struct iommu_domain *domain);
dma_addr_t iommu_ctx_root_dma(struct iommu_domain *domain);
const struct iommu_ctx_format *iommu_ctx_domain_format(struct iommu_domain *domain);

int iommu_ctx_map_sgtable(struct iommu_domain *domain, unsigned long iova,
			  struct sg_table *sgt, int prot, gfp_t gfp);

size_t iommu_ctx_reserve_count(struct iommu_domain *domain,
			       unsigned long iova, size_t size,
			       unsigned int flags);
int iommu_ctx_reserve(struct iommu_domain *domain, unsigned long iova,
		      size_t size, unsigned int flags, gfp_t gfp,
		      struct iommu_ctx_reservation *res);
void iommu_ctx_unreserve(struct iommu_domain *domain,
			 struct iommu_ctx_reservation *res);
int iommu_ctx_map_reserved(struct iommu_domain *domain, unsigned long iova,
			   dma_addr_t addr, size_t size, int prot,
			   struct iommu_ctx_reservation *res);
int iommu_ctx_map_sgtable_reserved(struct iommu_domain *domain,
				   unsigned long iova, struct sg_table *sgt,
				   int prot,
				   struct iommu_ctx_reservation *res);
int iommu_ctx_map_sgtable_range_reserved(struct iommu_domain *domain,
					 unsigned long iova,
					 struct sg_table *sgt, u64 offset,
					 u64 size, int prot,
					 struct iommu_ctx_reservation *res);
size_t iommu_ctx_unmap_reserved(struct iommu_domain *domain,
				unsigned long iova, size_t size,
				struct iommu_ctx_reservation *res,
				struct iommu_iotlb_gather *gather);

void iommu_ctx_get_stats(struct iommu_domain *domain,
			 struct iommu_ctx_stats *stats);
unsigned long iommu_ctx_drop_spares(unsigned long nr);
void iommu_ctx_inject_alloc_failure(struct iommu_domain *domain,
				    unsigned int nth);

#endif /* __LINUX_IOMMU_CTX_H__ */
