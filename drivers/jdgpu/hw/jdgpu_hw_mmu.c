// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: jdgpu MMU
 *
 * Every access of the engine goes through the address-space slot its job
 * runs in. A slot's TLB caches whole translations (GPU VA to physical,
 * both levels), 4 KiB at a time, tagged by the slot: nothing else
 * empties it but a flush of that slot (jdgpu_hw_as_flush()), as on an
 * ARM Mali-style GPU, whose driver flushes an AS when it unmaps or gives
 * the AS to another context.
 *
 * On a miss the walker reads the lpae-40 tables from the slot's TRANSTAB:
 * three levels of 512 eight-byte descriptors indexed by VA bits 38:30,
 * 29:21 and 20:12. Bit 0 is valid; above the last level bit 1 set is a
 * table link, clear a 2 MiB block (at the second level only); at the last
 * level bit 1 must be set. A leaf without the access flag (bit 10)
 * faults, AP[2] (bit 7) makes it read-only, bit 55 marks a sparse leaf.
 * Bits 39:12 hold a level-1 DMA address, of a table or of memory, which
 * the walker translates through level 1 before it reads or uses it: the
 * device's IOMMU domain (iommu_iova_to_phys()) or, under dma-direct, the
 * DMA-to-physical conversion; an address that does not reach RAM faults
 * with %DRM_GMMU_FAULT_LEVEL1. The GPU snoops CPU caches: there is no
 * cache maintenance anywhere.
 */
#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/mm.h>

#include <drm/gmmu_drm.h>

#include "jdgpu_hw_internal.h"

#define JD_DESC_VALID	BIT_ULL(0)
#define JD_DESC_TABLE	BIT_ULL(1)	/* a link above the last level, a page at it */
#define JD_DESC_RDONLY	BIT_ULL(7)
#define JD_DESC_AF	BIT_ULL(10)
#define JD_DESC_SPARSE	BIT_ULL(55)
#define JD_DESC_OA	GENMASK_ULL(39, 12)
#define JD_VA_BITS	39
#define JD_LEVELS	3

/* Level 1: the RAM behind a DMA address of the device. */
static int jdgpu_hw_l1(struct jdgpu_hw *hw, dma_addr_t dma, phys_addr_t *phys)
{
	unsigned long pfn;

	*phys = hw->l1 ? iommu_iova_to_phys(hw->l1, dma) : dma_to_phys(hw->dev, dma);
	pfn = PHYS_PFN(*phys);
	if ((hw->l1 && !*phys) || !pfn_valid(pfn) || !page_is_ram(pfn))
		return -EFAULT;
	return 0;
}

/* Read the descriptor of a table, through level 1. */
static int jdgpu_hw_read_desc(struct jdgpu_hw *hw, dma_addr_t table,
			      unsigned int index, u64 *desc)
{
	phys_addr_t pa;
	u64 *p;

	if (jdgpu_hw_l1(hw, table + index * sizeof(u64), &pa))
		return -EFAULT;
	p = kmap_local_pfn(PHYS_PFN(pa));
	*desc = READ_ONCE(p[offset_in_page(pa) / sizeof(u64)]);
	kunmap_local(p);
	return 0;
}

/*
 * The lpae-40 walk of @va from @as's TRANSTAB: fills @e with the
 * translation of @va's page. Returns 0, or -EFAULT with *@cause set to
 * the extra fault bits.
 */
static int jdgpu_hw_walk(struct jdgpu_hw *hw, struct jdgpu_hw_as *as, u64 va,
			 struct jdgpu_hw_tlbe *e, u32 *cause)
{
	dma_addr_t table = as->transtab, out;
	unsigned int lvl, shift;
	u64 desc;

	if (!table || va >> JD_VA_BITS)
		return -EFAULT;
	for (lvl = 0; lvl < JD_LEVELS; lvl++) {
		shift = 30 - 9 * lvl;
		if (jdgpu_hw_read_desc(hw, table, (va >> shift) & 511, &desc)) {
			*cause = DRM_GMMU_FAULT_LEVEL1;
			return -EFAULT;
		}
		if (!(desc & JD_DESC_VALID))
			return -EFAULT;
		if (lvl + 1 < JD_LEVELS && (desc & JD_DESC_TABLE)) {
			table = desc & JD_DESC_OA;
			continue;
		}
		/* No 1 GiB blocks; a last-level entry must say "page". */
		if (lvl == 0 || (lvl + 1 == JD_LEVELS && !(desc & JD_DESC_TABLE)))
			return -EFAULT;
		if (!(desc & JD_DESC_AF))
			return -EFAULT;
		e->ro = desc & JD_DESC_RDONLY;
		e->sparse = desc & JD_DESC_SPARSE;
		e->phys = 0;
		if (!e->sparse) {
			out = (desc & JD_DESC_OA) +
			      (va & (BIT_ULL(shift) - 1) & PAGE_MASK);
			if (jdgpu_hw_l1(hw, out, &e->phys)) {
				*cause = DRM_GMMU_FAULT_LEVEL1;
				return -EFAULT;
			}
		}
		return 0;
	}
	return -EFAULT;
}

/* Translate @va through @as (its lock held): the TLB, else a walk. */
static struct jdgpu_hw_tlbe *jdgpu_hw_translate(struct jdgpu_hw *hw,
						struct jdgpu_hw_as *as, u64 va,
						u32 *cause)
{
	u64 vpn = va >> PAGE_SHIFT;
	struct jdgpu_hw_tlbe *e = &as->tlb[vpn % JDGPU_HW_TLB_ENTRIES];
	struct jdgpu_hw_tlbe fill;

	as->used = true;
	if (e->vpn == vpn + 1) {
		as->hits++;
		return e;
	}
	as->misses++;
	if (jdgpu_hw_walk(hw, as, va, &fill, cause))
		return NULL;
	fill.vpn = vpn + 1;
	*e = fill;
	return e;
}

/**
 * jdgpu_hw_access - one engine access, within a page
 * @r: the job
 * @va: GPU virtual address
 * @buf: what is written, or where what is read goes
 * @len: bytes, not past the end of @va's 4 KiB page
 * @access: %DRM_GMMU_FAULT_READ, _WRITE or _FETCH
 *
 * Return: 0; -EFAULT with @r->fault filled in; -ENXIO (counted) if the
 * slot no longer holds the job's TRANSTAB.
 */
int jdgpu_hw_access(struct jdgpu_hw_run *r, u64 va, void *buf, u32 len,
		    u32 access)
{
	bool write = access & DRM_GMMU_FAULT_WRITE;
	struct jdgpu_hw_as *as = r->as;
	struct jdgpu_hw_tlbe *e;
	u32 cause = 0;
	u8 *p;

	spin_lock(&as->lock);
	if (as->transtab != r->transtab) {
		/* The slot was given to another context under the job. */
		spin_unlock(&as->lock);
		atomic_long_inc(&r->hw->wrong);
		return -ENXIO;
	}
	e = jdgpu_hw_translate(r->hw, as, va, &cause);
	if (e && write && e->ro)
		cause = DRM_GMMU_FAULT_PROTECTION;
	if (!e || cause) {
		spin_unlock(&as->lock);
		r->fault->va = va;
		r->fault->access = access | cause;
		return -EFAULT;
	}
	if (e->sparse) {
		if (!write)
			memset(buf, 0, len);
	} else {
		p = kmap_local_pfn(PHYS_PFN(e->phys));
		if (write)
			memcpy(p + offset_in_page(va), buf, len);
		else
			memcpy(buf, p + offset_in_page(va), len);
		kunmap_local(p);
	}
	spin_unlock(&as->lock);
	return 0;
}

/**
 * jdgpu_hw_as_program - write a slot's TRANSTAB register
 * @hw: the device
 * @as: the slot, below %JDGPU_HW_AS_SLOTS (else ignored)
 * @transtab: level-1 DMA address of the root table, or 0 to clear the slot
 *
 * Counts a stale programming if the slot changes tables while its TLB may
 * hold the old ones' translations.
 *
 * Context: any; takes the slot's lock.
 */
void jdgpu_hw_as_program(struct jdgpu_hw *hw, unsigned int as,
			 dma_addr_t transtab)
{
	struct jdgpu_hw_as *s;

	if (as >= JDGPU_HW_AS_SLOTS)
		return;
	s = &hw->as[as];
	spin_lock(&s->lock);
	if (transtab && s->used && s->transtab != transtab)
		atomic_long_inc(&hw->stale);
	s->transtab = transtab;
	spin_unlock(&s->lock);
	atomic_long_inc(&hw->programs);
}

/**
 * jdgpu_hw_as_flush - empty a slot's TLB
 * @hw: the device
 * @as: the slot, below %JDGPU_HW_AS_SLOTS (else ignored)
 *
 * Returns once no access of the engine uses a translation the TLB held.
 *
 * Context: any; takes the slot's lock.
 */
void jdgpu_hw_as_flush(struct jdgpu_hw *hw, unsigned int as)
{
	struct jdgpu_hw_as *s;

	if (as >= JDGPU_HW_AS_SLOTS)
		return;
	s = &hw->as[as];
	spin_lock(&s->lock);
	memset(s->tlb, 0, sizeof(s->tlb));
	s->used = false;
	s->flushes++;
	spin_unlock(&s->lock);
}
