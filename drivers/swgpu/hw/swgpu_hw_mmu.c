// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: The MMU model
 *
 * The MMU of the software GPU: a table walker that reads the context's
 * level-2 tables the way the device would (every table link and every leaf
 * is a level-1 DMA address, translated by the system IOMMU or taken as
 * physical under dma-direct), and a TLB that keeps what it walked until
 * the driver invalidates it.
 *
 * A TLB entry holds the whole translation, GPU VA to physical, as a device
 * with an address-translation cache (PCIe ATS) keeps what the IOMMU
 * answered. That is sound because level 1 outlives level 2: a BO stays
 * mapped at level 1 while any VM maps it, and the driver invalidates this
 * TLB when it unmaps at level 2. 4 KiB translations go to a set-associative
 * TLB; 2 MiB ones to a small large-page TLB, filled only when the level-2
 * leaf spans 2 MiB and level 1 maps all of it to one contiguous run of RAM
 * (checked page by page through the IOMMU when there is one: the iommu API
 * does not say how large the mapping it found is).
 */
#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/iommu_ctx_format.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <drm/swgpu_drm.h>

#include "swgpu_hw_internal.h"

#define SWGPU_HW_PAGE_SHIFT	12

static void swgpu_hw_stats_add(struct swgpu_hw_mmu_stats *sum,
			       const struct swgpu_hw_mmu_stats *s)
{
	sum->hits += s->hits;
	sum->misses += s->misses;
	sum->pwc_hits += s->pwc_hits;
	sum->invalidations += s->invalidations;
	sum->large_fills += s->large_fills;
	sum->large_aliases += s->large_aliases;
	sum->large_no_alias += s->large_no_alias;
	sum->large_alias_failed += s->large_alias_failed;
	sum->large_alias_dropped += s->large_alias_dropped;
}

/**
 * swgpu_hw_dev_show - print the device's MMU counters
 * @hw: the device
 * @m: where to, one "name: value" per line
 *
 * The TLB and walk-cache counters are the sums over every context the
 * device had, live or gone.
 */
void swgpu_hw_dev_show(struct swgpu_hw_dev *hw, struct seq_file *m)
{
	struct swgpu_hw_mmu_stats sum;
	unsigned long switches, flushes;
	struct swgpu_hw_mmu *mmu;

	spin_lock(&hw->lock);
	sum = hw->retired;
	list_for_each_entry(mmu, &hw->mmus, link) {
		spin_lock(&mmu->lock);
		swgpu_hw_stats_add(&sum, &mmu->stats);
		spin_unlock(&mmu->lock);
	}
	switches = hw->ctx_switches;
	flushes = hw->ctx_switch_flushes;
	spin_unlock(&hw->lock);

	seq_printf(m, "tlb_hits: %lu\n", sum.hits);
	seq_printf(m, "tlb_misses: %lu\n", sum.misses);
	seq_printf(m, "tlb_large_fills: %lu\n", sum.large_fills);
	seq_printf(m, "tlb_large_aliases: %lu\n", sum.large_aliases);
	seq_printf(m, "tlb_large_no_alias: %lu\n", sum.large_no_alias);
	seq_printf(m, "tlb_large_alias_failed: %lu\n", sum.large_alias_failed);
	seq_printf(m, "tlb_large_alias_dropped: %lu\n", sum.large_alias_dropped);
	seq_printf(m, "walk_cache_hits: %lu\n", sum.pwc_hits);
	seq_printf(m, "invalidations: %lu\n", sum.invalidations);
	seq_printf(m, "context_switches: %lu\n", switches);
	seq_printf(m, "context_switch_flushes: %lu\n", flushes);
	seq_printf(m, "asid: %s\n", hw->asid ? "yes" : "no");
	swgpu_hw_slot_show(hw, m);
}

static void swgpu_hw_mmu_map_large(struct work_struct *work);

/**
 * swgpu_hw_mmu_create - a new context on the device
 * @hw: the device
 * @va_bits: width of the context's VA space
 *
 * The context translates nothing until swgpu_hw_mmu_set_root() gives it
 * its tables. Its TLB invalidations go through &swgpu_hw_mmu_tlb_ops with
 * the context as the cookie.
 *
 * Context: process context.
 * Return: the context, or NULL without memory.
 */
struct swgpu_hw_mmu *swgpu_hw_mmu_create(struct swgpu_hw_dev *hw,
					 unsigned int va_bits)
{
	struct iommu_domain *l1 = iommu_get_domain_for_dev(hw->dev);
	struct swgpu_hw_mmu *mmu;

	mmu = kzalloc(sizeof(*mmu), GFP_KERNEL);
	if (!mmu)
		return NULL;
	spin_lock_init(&mmu->lock);
	mmu->hw = hw;
	mmu->dev = hw->dev;
	/* An identity domain translates nothing: same as dma-direct. */
	mmu->l1 = l1 && l1->type != IOMMU_DOMAIN_IDENTITY ? l1 : NULL;
	mmu->va_end = BIT_ULL(va_bits);
	mmu->coherency = hw->coherency;
	INIT_WORK(&mmu->map_work, swgpu_hw_mmu_map_large);
	spin_lock(&hw->lock);
	list_add_tail(&mmu->link, &hw->mmus);
	spin_unlock(&hw->lock);
	return mmu;
}

/*
 * Empty a large-page TLB entry; its mapping goes to be unmapped. The
 * caller holds the lock and no access is using the mapping.
 */
static void swgpu_hw_ltlb_drop(struct swgpu_hw_mmu *mmu,
			       struct swgpu_hw_tlb_entry *e)
{
	if (e->alias)
		swgpu_hw_alias_retire(e->alias);
	else if (e->valid && e->alias_wanted)
		mmu->stats.large_alias_dropped++;
	memset(e, 0, sizeof(*e));
}

/* Retire the mapping a fill replaced; by now no access uses it. */
static void swgpu_hw_ltlb_unpark(struct swgpu_hw_mmu *mmu)
{
	if (mmu->parked) {
		swgpu_hw_alias_retire(mmu->parked);
		mmu->parked = NULL;
	}
}

/* Forget every cached translation and table; the caller holds the lock. */
static void swgpu_hw_mmu_drop_all(struct swgpu_hw_mmu *mmu)
{
	unsigned int i;

	memset(mmu->tlb, 0, sizeof(mmu->tlb));
	swgpu_hw_ltlb_unpark(mmu);
	for (i = 0; i < SWGPU_HW_LTLB_ENTRIES; i++)
		swgpu_hw_ltlb_drop(mmu, &mmu->ltlb[i]);
	memset(mmu->l1_split, 0, sizeof(mmu->l1_split));
	memset(mmu->pwc, 0, sizeof(mmu->pwc));
}

/**
 * swgpu_hw_mmu_destroy - the context is gone from the device
 * @mmu: the context, which no ring uses any more, or NULL
 *
 * Its counters stay in the device's totals; its engine mappings go to be
 * unmapped.
 *
 * Context: process context; sleeps.
 */
void swgpu_hw_mmu_destroy(struct swgpu_hw_mmu *mmu)
{
	struct swgpu_hw_dev *hw;

	if (!mmu)
		return;
	hw = mmu->hw;
	cancel_work_sync(&mmu->map_work);
	spin_lock(&hw->lock);
	list_del(&mmu->link);
	spin_lock(&mmu->lock);
	swgpu_hw_mmu_drop_all(mmu);
	swgpu_hw_stats_add(&hw->retired, &mmu->stats);
	spin_unlock(&mmu->lock);
	/* A new context at the same address is still another context. */
	if (hw->current_mmu == mmu)
		hw->current_mmu = NULL;
	swgpu_hw_slot_forget(mmu);
	spin_unlock(&hw->lock);
	kfree(mmu);
}

/**
 * swgpu_hw_mmu_set_root - write the context's page-table base register
 * @mmu: the context
 * @fmt: the format of the tables
 * @root: level-1 DMA address of the root table, 0 to detach
 *
 * Drops everything the TLB and walk cache hold for the context.
 */
void swgpu_hw_mmu_set_root(struct swgpu_hw_mmu *mmu,
			   const struct iommu_ctx_format *fmt, dma_addr_t root)
{
	spin_lock(&mmu->lock);
	mmu->fmt = fmt;
	mmu->root = root;
	swgpu_hw_mmu_drop_all(mmu);
	spin_unlock(&mmu->lock);
}

static int swgpu_hw_ram_find(struct resource *res, void *arg)
{
	struct swgpu_hw_ram_range *r = arg;

	if (PFN_UP(res->start) > r->start || PFN_DOWN(res->end + 1) <= r->start)
		return 0;
	r->start = PFN_UP(res->start);
	r->end = PFN_DOWN(res->end + 1);
	return 1;
}

/*
 * Are the @n pages from @pfn System RAM? page_is_ram() walks the resource
 * tree under its lock for every call; a streaming copy would pay that per
 * page. The ranges it finds are remembered instead. They only grow stale
 * if RAM is removed, and removed memory has no memory map: pfn_valid()
 * fails first.
 */
static bool swgpu_hw_is_ram(struct swgpu_hw_mmu *mmu, unsigned long pfn,
			    unsigned long n)
{
	struct swgpu_hw_ram_range r = { .start = pfn };
	unsigned int i;

	if (!pfn_valid(pfn) || !pfn_valid(pfn + n - 1))
		return false;
	for (i = 0; i < SWGPU_HW_RAM_RANGES; i++)
		if (pfn >= mmu->ram[i].start && pfn < mmu->ram[i].end)
			return pfn + n <= mmu->ram[i].end;
	if (walk_iomem_res_desc(IORES_DESC_NONE,
				IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0,
				U64_MAX - 1, &r, swgpu_hw_ram_find) != 1)
		return false;
	mmu->ram[mmu->ram_next] = r;
	mmu->ram_next = (mmu->ram_next + 1) % SWGPU_HW_RAM_RANGES;
	return pfn + n <= r.end;
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
	if (!swgpu_hw_is_ram(mmu, PHYS_PFN(*phys), 1))
		return -EFAULT;
	return 0;
}

/*
 * Level 1 for a whole 2 MiB span at @dma: true, with the physical address
 * of its start, if it is one contiguous run of RAM. dma-direct is linear,
 * so its ends tell; an IOMMU is asked for every 4 KiB page.
 */
static bool swgpu_hw_l1_run(struct swgpu_hw_mmu *mmu, dma_addr_t dma,
			    phys_addr_t *phys)
{
	const u64 span = BIT_ULL(SWGPU_HW_LTLB_SHIFT);
	phys_addr_t first;
	u64 off;

	if (mmu->l1) {
		first = iommu_iova_to_phys(mmu->l1, dma);
		if (!first)
			return false;
		for (off = BIT(SWGPU_HW_PAGE_SHIFT); off < span;
		     off += BIT(SWGPU_HW_PAGE_SHIFT))
			if (iommu_iova_to_phys(mmu->l1, dma + off) != first + off)
				return false;
	} else {
		first = dma_to_phys(mmu->dev, dma);
		if (dma_to_phys(mmu->dev, dma + span - 1) != first + span - 1)
			return false;
	}
	if (!swgpu_hw_is_ram(mmu, PHYS_PFN(first), span >> PAGE_SHIFT))
		return false;
	*phys = first;
	return true;
}

static u64 swgpu_hw_load_pte(struct swgpu_hw_mmu *mmu, phys_addr_t phys)
{
	void *p = kmap_local_pfn(PHYS_PFN(phys));
	u64 pte;

	if (mmu->fmt->entry_size == 8)
		pte = READ_ONCE(*(u64 *)(p + offset_in_page(phys)));
	else
		pte = READ_ONCE(*(u32 *)(p + offset_in_page(phys)));
	kunmap_local(p);
	return pte;
}

/*
 * A table that fits in one page is translated through level 1 once and
 * cached; a larger one (no format has that today) per entry, uncached.
 */
static bool swgpu_hw_table_cacheable(const struct iommu_ctx_format *fmt,
				     unsigned int l, dma_addr_t table)
{
	return offset_in_page(table) +
	       ((size_t)fmt->entry_size << fmt->level[l].bits) <= PAGE_SIZE;
}

/* The cached table of level @l for @tag, or NULL. */
static struct swgpu_hw_pwc_entry *
swgpu_hw_pwc_find(struct swgpu_hw_mmu *mmu, unsigned int l, u64 tag)
{
	unsigned int i;

	for (i = 0; i < SWGPU_HW_PWC_ENTRIES; i++) {
		struct swgpu_hw_pwc_entry *e = &mmu->pwc[l][i];

		if (e->valid && e->tag == tag)
			return e;
	}
	return NULL;
}

/* The entry a new table of level @l replaces (round robin). */
static struct swgpu_hw_pwc_entry *
swgpu_hw_pwc_victim(struct swgpu_hw_mmu *mmu, unsigned int l)
{
	unsigned int i = mmu->pwc_next[l];

	mmu->pwc_next[l] = (i + 1) % SWGPU_HW_PWC_ENTRIES;
	return &mmu->pwc[l][i];
}

/* The VA bits above what a table of level @l covers. */
static u64 swgpu_hw_pwc_tag(const struct iommu_ctx_format *fmt,
			    unsigned int l, u64 va)
{
	return va >> fmt->level[l - 1].shift;
}

/*
 * Walk the tables for @va: the leaf's DMA address for the 4 KiB page, and
 * the log2 of the span the leaf maps. The
 * walk starts at the deepest table the walk cache knows for @va; slot 0 of
 * level 0 caches the root.
 */
static int swgpu_hw_walk(struct swgpu_hw_mmu *mmu, u64 va, dma_addr_t *dma,
			 unsigned int *leaf_shift, bool *writable, bool *sparse,
			 u32 *cause)
{
	const struct iommu_ctx_format *fmt = mmu->fmt;
	struct iommu_ctx_pte_info info;
	dma_addr_t table = mmu->root;
	struct swgpu_hw_pwc_entry *e = NULL;
	unsigned int l;

	if (!fmt || !table)
		return -EFAULT;
	for (l = fmt->levels - 1; l > 0; l--) {
		e = swgpu_hw_pwc_find(mmu, l, swgpu_hw_pwc_tag(fmt, l, va));
		if (e) {
			mmu->stats.pwc_hits++;
			break;
		}
	}
	if (!l && swgpu_hw_table_cacheable(fmt, 0, table)) {
		e = &mmu->pwc[0][0];
		if (!e->valid) {
			if (swgpu_hw_l1(mmu, table, &e->phys)) {
				*cause = DRM_SWGPU_FAULT_LEVEL1;
				return -EFAULT;
			}
			e->valid = true;
		}
	}
	for (; l < fmt->levels; l++) {
		const struct iommu_ctx_fmt_level *lv = &fmt->level[l];
		unsigned long index = (va >> lv->shift) & (BIT_ULL(lv->bits) - 1);
		phys_addr_t phys;
		u64 pte, tag;

		if (e) {
			phys = e->phys + index * fmt->entry_size;
		} else if (swgpu_hw_l1(mmu, table + index * fmt->entry_size,
				       &phys)) {
			/* The table itself is not reachable through level 1. */
			*cause = DRM_SWGPU_FAULT_LEVEL1;
			return -EFAULT;
		}
		pte = swgpu_hw_load_pte(mmu, phys);
		if (mmu->coherency)
			swgpu_hw_coherency_walk(mmu->coherency, va, phys,
						fmt->entry_size);
		iommu_ctx_format_decode(fmt, l, pte, &info);
		if (!info.valid)
			return -EFAULT;
		if (info.leaf) {
			u64 span = BIT_ULL(lv->shift) - 1;

			*dma = info.addr + (va & span & ~(u64)(BIT(SWGPU_HW_PAGE_SHIFT) - 1));
			*leaf_shift = lv->shift;
			*writable = info.writable;
			*sparse = info.sparse;
			return 0;
		}
		table = info.addr;
		e = NULL;
		if (l + 1 >= fmt->levels ||
		    !swgpu_hw_table_cacheable(fmt, l + 1, table))
			continue;
		/* Level 1 is consulted for a table once, when it is cached. */
		tag = swgpu_hw_pwc_tag(fmt, l + 1, va);
		e = swgpu_hw_pwc_victim(mmu, l + 1);
		e->valid = false;
		if (swgpu_hw_l1(mmu, table, &e->phys)) {
			*cause = DRM_SWGPU_FAULT_LEVEL1;
			return -EFAULT;
		}
		e->tag = tag;
		e->valid = true;
	}
	return -EFAULT;
}

/* The large-page TLB entry for @va, or NULL. */
static struct swgpu_hw_tlb_entry *swgpu_hw_ltlb_find(struct swgpu_hw_mmu *mmu,
						     u64 va)
{
	u64 vpn = va >> SWGPU_HW_LTLB_SHIFT;
	unsigned int i;

	for (i = 0; i < SWGPU_HW_LTLB_ENTRIES; i++)
		if (mmu->ltlb[i].valid && mmu->ltlb[i].vpn == vpn)
			return &mmu->ltlb[i];
	return NULL;
}

static bool swgpu_hw_l1_split_known(struct swgpu_hw_mmu *mmu, u64 va)
{
	u64 tag = (va >> SWGPU_HW_LTLB_SHIFT) + 1;
	unsigned int i;

	for (i = 0; i < SWGPU_HW_L1_SPLIT_SLOTS; i++)
		if (mmu->l1_split[i] == tag)
			return true;
	return false;
}

/*
 * A miss whose leaf spans 2 MiB or more: a large-page entry if level 1
 * maps the 2 MiB around @va contiguously, else NULL and the span is
 * remembered as split. @dma is the leaf's DMA address for @va's 4 KiB page.
 */
static struct swgpu_hw_tlb_entry *
swgpu_hw_ltlb_fill(struct swgpu_hw_mmu *mmu, u64 va, dma_addr_t dma,
		   bool writable)
{
	u64 in_span = va & (BIT_ULL(SWGPU_HW_LTLB_SHIFT) - 1) &
		      ~(u64)(BIT(SWGPU_HW_PAGE_SHIFT) - 1);
	struct swgpu_hw_tlb_entry *e;
	phys_addr_t phys;

	if (swgpu_hw_l1_split_known(mmu, va))
		return NULL;
	if (!swgpu_hw_l1_run(mmu, dma - in_span, &phys)) {
		mmu->l1_split[mmu->l1_split_next] = (va >> SWGPU_HW_LTLB_SHIFT) + 1;
		mmu->l1_split_next = (mmu->l1_split_next + 1) %
				     SWGPU_HW_L1_SPLIT_SLOTS;
		return NULL;
	}
	e = &mmu->ltlb[mmu->ltlb_next];
	mmu->ltlb_next = (mmu->ltlb_next + 1) % SWGPU_HW_LTLB_ENTRIES;
	/* The translation under way may be using the victim's mapping. */
	mmu->parked = e->alias;
	e->alias = NULL;
	swgpu_hw_ltlb_drop(mmu, e);
	e->vpn = va >> SWGPU_HW_LTLB_SHIFT;
	e->phys = phys;
	e->writable = writable;
	e->alias_wanted = swgpu_hw_alias_possible(phys);
	e->valid = true;
	if (!e->alias_wanted)
		mmu->stats.large_no_alias++;
	mmu->stats.large_fills++;
	return e;
}

/**
 * swgpu_hw_mmu_translate_run - translate one access, as the engine issues it
 * @mmu: the context's MMU; its lock must be held, and stay held for as
 *	long as the returned address is used
 * @va: GPU virtual address
 * @access: DRM_SWGPU_FAULT_READ, _WRITE or _FETCH
 * @phys: out, the physical address of @va
 * @run: out, bytes from @va on that the same translation covers, at
 *	physically contiguous addresses: to the end of the 4 KiB page, or of
 *	the 2 MiB span of a large-page entry. On a non-snooping model, whose
 *	coherency checker sees accesses page by page, never beyond the page.
 * @kva: out, where the model's own mapping of a large-page entry puts
 *	@phys (good for @run bytes, under the lock), or NULL: the caller
 *	maps @phys itself. An entry without that mapping yet gets one
 *	soon, from @mmu->map_work.
 * @fault: out, on -EFAULT, what faulted
 *
 * Return: 0 or -EFAULT.
 */
int swgpu_hw_mmu_translate_run(struct swgpu_hw_mmu *mmu, u64 va, u32 access,
			       phys_addr_t *phys, u64 *run, void **kva,
			       struct swgpu_hw_fault *fault)
{
	u64 vpn = va >> SWGPU_HW_PAGE_SHIFT;
	unsigned int set = vpn % SWGPU_HW_TLB_SETS, way;
	unsigned int shift = SWGPU_HW_PAGE_SHIFT;
	struct swgpu_hw_tlb_entry *e;
	u32 cause = 0;

	lockdep_assert_held(&mmu->lock);
	swgpu_hw_ltlb_unpark(mmu);
	if (va >= mmu->va_end)
		goto fault;
	for (way = 0; way < SWGPU_HW_TLB_WAYS; way++) {
		e = &mmu->tlb[set][way];
		if (e->valid && e->vpn == vpn)
			break;
	}
	if (way == SWGPU_HW_TLB_WAYS) {
		e = swgpu_hw_ltlb_find(mmu, va);
		if (e)
			shift = SWGPU_HW_LTLB_SHIFT;
	}
	if (way < SWGPU_HW_TLB_WAYS || e) {
		mmu->stats.hits++;
	} else {
		unsigned int leaf_shift;
		bool writable, sparse;
		dma_addr_t dma;

		mmu->stats.misses++;
		if (swgpu_hw_walk(mmu, va, &dma, &leaf_shift, &writable, &sparse,
				  &cause))
			goto fault;
		if (sparse) {
			/* No memory behind it: level 1 is not consulted. */
			way = mmu->tlb_next[set];
			mmu->tlb_next[set] = (way + 1) % SWGPU_HW_TLB_WAYS;
			e = &mmu->tlb[set][way];
			e->vpn = vpn;
			e->phys = 0;
			e->writable = writable;
			e->sparse = true;
			e->valid = true;
			goto found;
		}
		if (leaf_shift >= SWGPU_HW_LTLB_SHIFT && !mmu->coherency) {
			e = swgpu_hw_ltlb_fill(mmu, va, dma, writable);
			if (e) {
				shift = SWGPU_HW_LTLB_SHIFT;
				goto found;
			}
		}
		/* The leaf's own DMA address must reach memory through level 1. */
		if (swgpu_hw_l1(mmu, dma, phys)) {
			cause = DRM_SWGPU_FAULT_LEVEL1;
			goto fault;
		}
		way = mmu->tlb_next[set];
		mmu->tlb_next[set] = (way + 1) % SWGPU_HW_TLB_WAYS;
		e = &mmu->tlb[set][way];
		e->vpn = vpn;
		e->phys = *phys;
		e->writable = writable;
		e->sparse = false;
		e->valid = true;
	}
found:
	if ((access & DRM_SWGPU_FAULT_WRITE) && !e->writable) {
		cause = DRM_SWGPU_FAULT_PROTECTION;
		goto fault;
	}
	if (e->sparse) {
		/*
		 * A sparse page: reads see the zero page, writes land in the
		 * device's sink page, which nothing reads. Neither is memory
		 * the CPU shares, so the coherency checker is not told.
		 */
		*phys = page_to_phys((access & DRM_SWGPU_FAULT_WRITE) ?
				     mmu->hw->sink : ZERO_PAGE(0));
		*phys += va & (BIT_ULL(SWGPU_HW_PAGE_SHIFT) - 1);
		*run = BIT_ULL(SWGPU_HW_PAGE_SHIFT) -
		       (va & (BIT_ULL(SWGPU_HW_PAGE_SHIFT) - 1));
		*kva = NULL;
		return 0;
	}
	*phys = e->phys + (va & (BIT_ULL(shift) - 1));
	*run = BIT_ULL(shift) - (va & (BIT_ULL(shift) - 1));
	*kva = NULL;
	if (e->alias)
		*kva = swgpu_hw_alias_va(e->alias, va & (BIT_ULL(shift) - 1));
	else if (e->alias_wanted && !mmu->map_queued) {
		mmu->map_queued = true;
		queue_work(system_unbound_wq, &mmu->map_work);
	}
	swgpu_hw_coherency_access(mmu->coherency, va, access, *phys);
	return 0;

fault:
	fault->va = va;
	fault->access = access | cause;
	return -EFAULT;
}

/**
 * swgpu_hw_mmu_map_large - give large-page entries their engine mappings
 * @work: &swgpu_hw_mmu.map_work
 *
 * One pass over the large-page TLB: each entry that waits for a mapping
 * (swgpu_hw_alias.c) gets one. Its folio is pinned under the lock, while
 * the entry still translates to it; the mapping is made without the lock
 * and given to the entry only if the entry still wants one for the same
 * span (refilled meanwhile with another span, it does not). Entries that
 * start waiting after the pass has gone by get another pass. The engine
 * uses the linear map until an entry has its mapping.
 */
static void swgpu_hw_mmu_map_large(struct work_struct *work)
{
	struct swgpu_hw_mmu *mmu = container_of(work, struct swgpu_hw_mmu,
						map_work);
	struct swgpu_hw_tlb_entry *e;
	struct swgpu_hw_alias *a;
	struct folio *folio;
	phys_addr_t phys;
	unsigned int i;

	for (i = 0; i < SWGPU_HW_LTLB_ENTRIES; i++) {
		e = &mmu->ltlb[i];
		spin_lock(&mmu->lock);
		if (!e->valid || !e->alias_wanted) {
			spin_unlock(&mmu->lock);
			continue;
		}
		phys = e->phys;
		folio = swgpu_hw_alias_pin(phys);
		if (!folio) {
			e->alias_wanted = false;
			mmu->stats.large_alias_failed++;
			spin_unlock(&mmu->lock);
			continue;
		}
		spin_unlock(&mmu->lock);

		a = swgpu_hw_alias_create(phys, folio);

		spin_lock(&mmu->lock);
		if (e->valid && e->alias_wanted && e->phys == phys) {
			e->alias_wanted = false;
			e->alias = a;
			if (a)
				mmu->stats.large_aliases++;
			else
				mmu->stats.large_alias_failed++;
			a = NULL;
		}
		spin_unlock(&mmu->lock);
		swgpu_hw_alias_destroy(a);
	}
	/* Filled behind the pass, whose translations saw it queued. */
	spin_lock(&mmu->lock);
	for (i = 0; i < SWGPU_HW_LTLB_ENTRIES; i++)
		if (mmu->ltlb[i].valid && mmu->ltlb[i].alias_wanted)
			break;
	if (i < SWGPU_HW_LTLB_ENTRIES)
		queue_work(system_unbound_wq, &mmu->map_work);
	else
		mmu->map_queued = false;
	spin_unlock(&mmu->lock);
}

static void swgpu_hw_mmu_flush_all(void *cookie)
{
	struct swgpu_hw_mmu *mmu = cookie;

	spin_lock(&mmu->lock);
	mmu->stats.invalidations++;
	swgpu_hw_mmu_drop_all(mmu);
	spin_unlock(&mmu->lock);
}

/**
 * swgpu_hw_mmu_flush_locked - a slot flush empties its context's TLB
 * @mmu: the context bound to the flushed slot; the device's lock held
 */
void swgpu_hw_mmu_flush_locked(struct swgpu_hw_mmu *mmu)
{
	lockdep_assert_held(&mmu->hw->lock);
	spin_lock(&mmu->lock);
	swgpu_hw_mmu_drop_all(mmu);
	spin_unlock(&mmu->lock);
}

static void swgpu_hw_mmu_flush_range(unsigned long iova, size_t size,
				     size_t granule, void *cookie)
{
	u64 first = iova >> SWGPU_HW_PAGE_SHIFT;
	u64 last = (iova + size - 1) >> SWGPU_HW_PAGE_SHIFT;
	struct swgpu_hw_mmu *mmu = cookie;
	const struct iommu_ctx_format *fmt;
	unsigned int i, w, l;

	spin_lock(&mmu->lock);
	fmt = mmu->fmt;
	mmu->stats.invalidations++;
	swgpu_hw_ltlb_unpark(mmu);
	for (i = 0; i < SWGPU_HW_TLB_SETS; i++) {
		for (w = 0; w < SWGPU_HW_TLB_WAYS; w++) {
			struct swgpu_hw_tlb_entry *e = &mmu->tlb[i][w];

			if (e->vpn >= first && e->vpn <= last)
				e->valid = false;
		}
	}
	for (i = 0; i < SWGPU_HW_LTLB_ENTRIES; i++) {
		struct swgpu_hw_tlb_entry *e = &mmu->ltlb[i];

		if (e->vpn >= (u64)iova >> SWGPU_HW_LTLB_SHIFT &&
		    e->vpn <= ((u64)iova + size - 1) >> SWGPU_HW_LTLB_SHIFT)
			swgpu_hw_ltlb_drop(mmu, e);
	}
	/* What is mapped there next may well be contiguous. */
	for (i = 0; i < SWGPU_HW_L1_SPLIT_SLOTS; i++) {
		u64 span = mmu->l1_split[i] - 1;

		if (mmu->l1_split[i] &&
		    span >= (u64)iova >> SWGPU_HW_LTLB_SHIFT &&
		    span <= ((u64)iova + size - 1) >> SWGPU_HW_LTLB_SHIFT)
			mmu->l1_split[i] = 0;
	}
	/* A cached table goes when any part of the span it covers does. */
	for (l = 1; fmt && l < fmt->levels; l++) {
		unsigned int shift = fmt->level[l - 1].shift;

		for (i = 0; i < SWGPU_HW_PWC_ENTRIES; i++) {
			struct swgpu_hw_pwc_entry *e = &mmu->pwc[l][i];

			if (e->tag >= (u64)iova >> shift &&
			    e->tag <= ((u64)iova + size - 1) >> shift)
				e->valid = false;
		}
	}
	spin_unlock(&mmu->lock);
}

/**
 * swgpu_hw_mmu_activate - the engine starts a batch on a context
 * @mmu: the context
 *
 * The engine is one per device and remembers the context it ran last.
 * Without ASIDs its TLB and walk cache cannot tell contexts apart, so a
 * batch on another context first flushes them. The model keeps a TLB per
 * context, so the incoming context's is the one flushed: the same as one
 * shared, untagged TLB, where whatever the incoming context had cached is
 * gone by the time it runs again. Queues run concurrently; "last" is the
 * batch started last on any of them, so two queues alternating switch on
 * every batch.
 */
void swgpu_hw_mmu_activate(struct swgpu_hw_mmu *mmu)
{
	struct swgpu_hw_dev *hw = mmu->hw;

	spin_lock(&hw->lock);
	if (hw->current_mmu != mmu) {
		hw->current_mmu = mmu;
		hw->ctx_switches++;
		if (!hw->asid) {
			hw->ctx_switch_flushes++;
			spin_lock(&mmu->lock);
			swgpu_hw_mmu_drop_all(mmu);
			spin_unlock(&mmu->lock);
		}
	}
	spin_unlock(&hw->lock);
}

/*
 * The invalidation interface the MMU offers iommu-ctx. It returns only
 * once no access can use a removed translation: memory may be freed then.
 */
const struct iommu_ctx_tlb_ops swgpu_hw_mmu_tlb_ops = {
	.flush_all = swgpu_hw_mmu_flush_all,
	.flush_range = swgpu_hw_mmu_flush_range,
};
