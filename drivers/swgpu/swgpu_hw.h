/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The hardware model of the software GPU: its MMU (table walker and TLB)
 * and its engine. The driver proper talks to it as to silicon: it points a
 * context at a page-table root, invalidates the TLB, and starts batches.
 * Nothing in here knows about DRM objects; memory is reached only through
 * the context's level-2 tables and then level 1, as a PCI device would.
 */
#ifndef __SWGPU_HW_H__
#define __SWGPU_HW_H__

#include <linux/spinlock.h>
#include <linux/types.h>

struct dentry;
struct device;
struct iommu_ctx_format;
struct iommu_ctx_tlb_ops;
struct iommu_domain;

/** SWGPU_HW_TLB_ENTRIES - entries of a context's TLB (direct-mapped) */
#define SWGPU_HW_TLB_ENTRIES	64

/**
 * struct swgpu_hw_fault - a GPU page fault, as the MMU reports it
 * @va: GPU virtual address of the access
 * @access: DRM_SWGPU_FAULT_* bits: the kind of access and the cause
 */
struct swgpu_hw_fault {
	u64 va;
	u32 access;
};

/**
 * struct swgpu_hw_tlb_entry - one cached translation of a 4 KiB page
 * @vpn: virtual page number
 * @phys: physical address of the page
 * @valid: the entry holds a translation
 * @writable: the leaf allowed writes
 */
struct swgpu_hw_tlb_entry {
	u64 vpn;
	phys_addr_t phys;
	bool valid;
	bool writable;
};

/**
 * struct swgpu_hw_mmu - the MMU state of one GPU context
 * @lock: serialises translations and memory accesses against
 *	invalidations: once an invalidation returns, no access uses what it
 *	removed, so the memory behind it may be freed
 * @dev: the PCI device, whose DMA addresses level 1 translates
 * @l1: the device's translating IOMMU domain, or NULL for dma-direct
 * @fmt: the page-table format
 * @root: level-1 DMA address of the root table (the "page-table base
 *	register"); 0 while no tables are attached
 * @va_end: first address beyond the context's VA space
 * @tlb: the TLB; it keeps translations until invalidated, as hardware does
 * @hits: TLB hits
 * @misses: TLB misses (table walks)
 * @invalidations: invalidation requests received
 * @coherency: the coherency checker every translated access is shown to
 *	(non-snooping models only), or NULL
 */
struct swgpu_hw_mmu {
	spinlock_t lock;
	struct device *dev;
	struct iommu_domain *l1;
	const struct iommu_ctx_format *fmt;
	dma_addr_t root;
	u64 va_end;
	struct swgpu_hw_tlb_entry tlb[SWGPU_HW_TLB_ENTRIES];
	unsigned long hits;
	unsigned long misses;
	unsigned long invalidations;
	struct swgpu_hw_coherency *coherency;
};

struct swgpu_hw_coherency;

struct swgpu_hw_coherency *swgpu_hw_coherency_create(struct device *dev);
void swgpu_hw_coherency_destroy(struct swgpu_hw_coherency *c);
void swgpu_hw_coherency_cpu_write(struct swgpu_hw_coherency *c,
				  phys_addr_t phys, unsigned int len);
void swgpu_hw_coherency_cpu_access(struct swgpu_hw_coherency *c,
				   phys_addr_t phys, unsigned int len);
void swgpu_hw_coherency_flush(struct swgpu_hw_coherency *c, phys_addr_t phys,
			      unsigned int len);
void swgpu_hw_coherency_release(struct swgpu_hw_coherency *c, unsigned long pfn);
void __swgpu_hw_coherency_access(struct swgpu_hw_coherency *c, u64 va,
				 u32 access, phys_addr_t phys);
void swgpu_hw_coherency_debugfs_init(struct swgpu_hw_coherency *c,
				     struct dentry *root);

/**
 * swgpu_hw_coherency_access - show a translated engine access to the checker
 * @c: the context's checker, NULL on a snooping model (which costs a test)
 * @va: GPU virtual address
 * @access: DRM_SWGPU_FAULT_READ, _WRITE or _FETCH
 * @phys: where it translated to
 */
static inline void swgpu_hw_coherency_access(struct swgpu_hw_coherency *c,
					     u64 va, u32 access,
					     phys_addr_t phys)
{
	if (c)
		__swgpu_hw_coherency_access(c, va, access, phys);
}

extern const struct iommu_ctx_tlb_ops swgpu_hw_mmu_tlb_ops;

void swgpu_hw_mmu_init(struct swgpu_hw_mmu *mmu, struct device *dev,
		       unsigned int va_bits);
void swgpu_hw_mmu_set_root(struct swgpu_hw_mmu *mmu,
			   const struct iommu_ctx_format *fmt, dma_addr_t root);
int swgpu_hw_mmu_translate(struct swgpu_hw_mmu *mmu, u64 va, u32 access,
			   phys_addr_t *phys, struct swgpu_hw_fault *fault);

int swgpu_hw_engine_run(struct swgpu_hw_mmu *mmu, u64 batch_va,
			unsigned long deadline, struct swgpu_hw_fault *fault);

#endif /* __SWGPU_HW_H__ */
