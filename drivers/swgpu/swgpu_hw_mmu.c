// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The MMU of the software GPU: a table walker that reads the context's
 * level-2 tables the way the device would (every table link and every leaf
 * is a level-1 DMA address, translated by the system IOMMU or taken as
 * physical under dma-direct), and a TLB that keeps what it walked until
 * the driver invalidates it.
 */
#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/iommu_ctx_format.h>
#include <linux/mm.h>

#include <drm/swgpu_drm.h>

#include "swgpu_hw.h"

#define SWGPU_HW_PAGE_SHIFT	12

/**
 * swgpu_hw_mmu_init - reset a context's MMU
 * @mmu: the MMU state
 * @dev: the PCI device whose DMA addresses the tables hold
 * @va_bits: width of the context's VA space
 */
void swgpu_hw_mmu_init(struct swgpu_hw_mmu *mmu, struct device *dev,
		       unsigned int va_bits)
{
	struct iommu_domain *l1 = iommu_get_domain_for_dev(dev);

	memset(mmu, 0, sizeof(*mmu));
	spin_lock_init(&mmu->lock);
	mmu->dev = dev;
	/* An identity domain translates nothing: same as dma-direct. */
	mmu->l1 = l1 && l1->type != IOMMU_DOMAIN_IDENTITY ? l1 : NULL;
	mmu->va_end = BIT_ULL(va_bits);
}

/**
 * swgpu_hw_mmu_set_root - point the context at its root table
 * @mmu: the MMU state
 * @fmt: the format of the tables
 * @root: level-1 DMA address of the root table, 0 to detach
 */
void swgpu_hw_mmu_set_root(struct swgpu_hw_mmu *mmu,
			   const struct iommu_ctx_format *fmt, dma_addr_t root)
{
	spin_lock(&mmu->lock);
	mmu->fmt = fmt;
	mmu->root = root;
	memset(mmu->tlb, 0, sizeof(mmu->tlb));
	spin_unlock(&mmu->lock);
}

/* Level 1: the physical address behind a DMA address of the device. */
static int swgpu_hw_l1(struct swgpu_hw_mmu *mmu, dma_addr_t dma,
		       phys_addr_t *phys)
{
	if (mmu->l1) {
		*phys = iommu_iova_to_phys(mmu->l1, dma);
		if (!*phys)
			return -EFAULT;
	} else {
		*phys = dma_to_phys(mmu->dev, dma);
	}
	/* A DMA address of nothing, or of something that is not RAM. */
	if (!pfn_valid(PHYS_PFN(*phys)) ||
	    !page_is_ram(PHYS_PFN(*phys)))
		return -EFAULT;
	return 0;
}

static int swgpu_hw_read_pte(struct swgpu_hw_mmu *mmu, dma_addr_t table,
			     unsigned long index, u64 *pte)
{
	unsigned int esize = mmu->fmt->entry_size;
	phys_addr_t phys;
	void *p;
	int ret;

	ret = swgpu_hw_l1(mmu, table + index * esize, &phys);
	if (ret)
		return ret;
	p = kmap_local_pfn(PHYS_PFN(phys));
	if (esize == 8)
		*pte = READ_ONCE(*(u64 *)(p + offset_in_page(phys)));
	else
		*pte = READ_ONCE(*(u32 *)(p + offset_in_page(phys)));
	kunmap_local(p);
	return 0;
}

/* Walk the tables for @va: the leaf's DMA address for the 4 KiB page. */
static int swgpu_hw_walk(struct swgpu_hw_mmu *mmu, u64 va, dma_addr_t *dma,
			 bool *writable, u32 *cause)
{
	const struct iommu_ctx_format *fmt = mmu->fmt;
	struct iommu_ctx_pte_info info;
	dma_addr_t table = mmu->root;
	unsigned int l;
	u64 pte;

	if (!fmt || !table)
		return -EFAULT;
	for (l = 0; l < fmt->levels; l++) {
		const struct iommu_ctx_fmt_level *lv = &fmt->level[l];
		unsigned long index = (va >> lv->shift) & (BIT_ULL(lv->bits) - 1);

		if (swgpu_hw_read_pte(mmu, table, index, &pte)) {
			/* The table itself is not reachable through level 1. */
			*cause = DRM_SWGPU_FAULT_LEVEL1;
			return -EFAULT;
		}
		iommu_ctx_format_decode(fmt, l, pte, &info);
		if (!info.valid)
			return -EFAULT;
		if (info.leaf) {
			u64 span = BIT_ULL(lv->shift) - 1;

			*dma = info.addr + (va & span & ~(u64)(BIT(SWGPU_HW_PAGE_SHIFT) - 1));
			*writable = info.writable;
			return 0;
		}
		table = info.addr;
	}
	return -EFAULT;
}

/**
 * swgpu_hw_mmu_translate - translate one access, as the engine issues it
 * @mmu: the context's MMU; its lock must be held, and stay held for as
 *	long as the returned address is used
 * @va: GPU virtual address
 * @access: DRM_SWGPU_FAULT_READ, _WRITE or _FETCH
 * @phys: out, the physical address of @va
 * @fault: out, on -EFAULT, what faulted
 *
 * Return: 0 or -EFAULT.
 */
int swgpu_hw_mmu_translate(struct swgpu_hw_mmu *mmu, u64 va, u32 access,
			   phys_addr_t *phys, struct swgpu_hw_fault *fault)
{
	u64 vpn = va >> SWGPU_HW_PAGE_SHIFT;
	struct swgpu_hw_tlb_entry *e = &mmu->tlb[vpn % SWGPU_HW_TLB_ENTRIES];
	u32 cause = 0;

	lockdep_assert_held(&mmu->lock);
	if (va >= mmu->va_end)
		goto fault;
	if (e->valid && e->vpn == vpn) {
		mmu->hits++;
	} else {
		dma_addr_t dma;
		bool writable;

		mmu->misses++;
		if (swgpu_hw_walk(mmu, va, &dma, &writable, &cause))
			goto fault;
		/* The leaf's own DMA address must reach memory through level 1. */
		if (swgpu_hw_l1(mmu, dma, phys)) {
			cause = DRM_SWGPU_FAULT_LEVEL1;
			goto fault;
		}
		e->vpn = vpn;
		e->phys = *phys;
		e->writable = writable;
		e->valid = true;
	}
	if ((access & DRM_SWGPU_FAULT_WRITE) && !e->writable) {
		cause = DRM_SWGPU_FAULT_PROTECTION;
		goto fault;
	}
	*phys = e->phys + (va & (BIT(SWGPU_HW_PAGE_SHIFT) - 1));
	swgpu_hw_coherency_access(mmu->coherency, va, access, *phys);
	return 0;

fault:
	fault->va = va;
	fault->access = access | cause;
	return -EFAULT;
}

static void swgpu_hw_mmu_flush_all(void *cookie)
{
	struct swgpu_hw_mmu *mmu = cookie;

	spin_lock(&mmu->lock);
	mmu->invalidations++;
	memset(mmu->tlb, 0, sizeof(mmu->tlb));
	spin_unlock(&mmu->lock);
}

static void swgpu_hw_mmu_flush_range(unsigned long iova, size_t size,
				     size_t granule, void *cookie)
{
	u64 first = iova >> SWGPU_HW_PAGE_SHIFT;
	u64 last = (iova + size - 1) >> SWGPU_HW_PAGE_SHIFT;
	struct swgpu_hw_mmu *mmu = cookie;
	unsigned int i;

	spin_lock(&mmu->lock);
	mmu->invalidations++;
	for (i = 0; i < SWGPU_HW_TLB_ENTRIES; i++)
		if (mmu->tlb[i].vpn >= first && mmu->tlb[i].vpn <= last)
			mmu->tlb[i].valid = false;
	spin_unlock(&mmu->lock);
}

/*
 * The invalidation interface the MMU offers iommu-ctx. It returns only
 * once no access can use a removed translation: memory may be freed then.
 */
const struct iommu_ctx_tlb_ops swgpu_hw_mmu_tlb_ops = {
	.flush_all = swgpu_hw_mmu_flush_all,
	.flush_range = swgpu_hw_mmu_flush_range,
};
