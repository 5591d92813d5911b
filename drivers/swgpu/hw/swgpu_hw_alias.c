// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: The engine's own mappings of large pages
 *
 * Mappings of its own through which the model's engine reaches the 2 MiB
 * spans of large-page TLB entries. They stand for nothing in the hardware:
 * they exist because of how the model runs under QEMU TCG.
 *
 * The engine would otherwise reach memory through the kernel's linear
 * map, where a page's virtual address is fixed by its physical one. The
 * emulating CPU's software TLB is direct-mapped by virtual page number and
 * sized by QEMU at run time; the source and destination of a copy between
 * 2 MiB-aligned huge pages share their low 21 address bits, so while
 * that TLB spans 2 MiB or less, or when their distance is a multiple of
 * its span, every access to one side evicts the other's entry. Measured
 * in one boot, 64 MiB between the same pages: 2800-3300 MiB/s through two
 * vmap() mappings an odd number of pages apart against 730-1300 through
 * mappings exactly 64 MiB apart, and either through the linear map,
 * depending on the allocation. vmap() places each
 * span at its own address with a guard page after it (513 pages, an odd
 * count), so two of them rarely meet in that TLB whatever its size.
 *
 * A mapping is made by a worker of the MMU's, not by the engine, from which
 * job fences signal: vmap() allocates memory, which may wait for reclaim,
 * and so for those fences. While it exists it holds a reference on the
 * folio it maps, taken while the TLB entry still translated to it, so the
 * memory cannot be freed and reused (with another memory type, say) under
 * a live mapping. The MMU drops entries under its spinlock and vunmap()
 * sleeps, so a dropped entry's mapping goes to another worker, which
 * unmaps it and then lets the folio go; the MMU hands it over only once no
 * access can be using it.
 */
#include <linux/io.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "swgpu_hw_internal.h"

#define SWGPU_HW_ALIAS_PAGES	BIT(SWGPU_HW_LTLB_SHIFT - PAGE_SHIFT)

/**
 * struct swgpu_hw_alias - the engine's own mapping of a 2 MiB span
 * @va: the span's first byte, mapped with 4 KiB pages
 * @folio: the folio the span lies in, referenced
 * @reap: in the list of mappings to unmap
 */
struct swgpu_hw_alias {
	void *va;
	struct folio *folio;
	struct llist_node reap;
};

static LLIST_HEAD(swgpu_hw_alias_dead);

static void swgpu_hw_alias_reap(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&swgpu_hw_alias_dead);
	struct swgpu_hw_alias *a, *next;

	llist_for_each_entry_safe(a, next, list, reap)
		swgpu_hw_alias_destroy(a);
}

static DECLARE_WORK(swgpu_hw_alias_reaper, swgpu_hw_alias_reap);

/* Is the linear map of the span one write-back leaf of 2 MiB or more? */
static bool swgpu_hw_span_writeback(phys_addr_t phys)
{
#ifdef CONFIG_X86_64
	unsigned int level;
	unsigned long flags;
	pte_t *pte;

	pte = lookup_address((unsigned long)phys_to_virt(phys), &level);
	if (!pte)
		return false;
	/* A large leaf keeps its PAT bit where a 4 KiB PTE has the PFN. */
	if (level == PG_LEVEL_2M)
		flags = pmd_flags(*(pmd_t *)pte);
	else if (level == PG_LEVEL_1G)
		flags = pud_flags(*(pud_t *)pte);
	else
		return false;
	if (!(flags & _PAGE_PRESENT))
		return false;
	flags = pgprot_val(pgprot_large_2_4k(__pgprot(flags)));
	return (flags & _PAGE_CACHE_MASK) ==
	       cachemode2protval(_PAGE_CACHE_MODE_WB);
#else
	/* x86-32 maps little in vmalloc space, and highmem not linearly. */
	return false;
#endif
}

/* The folio the whole span lies in, or NULL if it spans several. */
static struct folio *swgpu_hw_span_folio(phys_addr_t phys)
{
	unsigned long pfn = PHYS_PFN(phys);
	struct folio *folio = page_folio(pfn_to_page(pfn));

	if (pfn + SWGPU_HW_ALIAS_PAGES > folio_pfn(folio) + folio_nr_pages(folio))
		return NULL;
	return folio;
}

/**
 * swgpu_hw_alias_possible - may a 2 MiB span of RAM be mapped again?
 * @phys: the span's start, 2 MiB-aligned
 *
 * Only if it is write-back memory, as a second, cached mapping of memory
 * the kernel made write-combined or uncached would give it two memory
 * types: the linear map tells, when one leaf of 2 MiB or more maps the
 * whole span; a span whose linear mapping was split is left alone. And
 * only if the span lies in one folio (a huge page), which the mapping
 * then holds a reference on.
 *
 * Context: any; the caller keeps the span allocated (its TLB entry is
 * valid, under the MMU lock).
 * Return: true if swgpu_hw_alias_pin() and swgpu_hw_alias_create() may
 * map it.
 */
bool swgpu_hw_alias_possible(phys_addr_t phys)
{
	return swgpu_hw_span_writeback(phys) && swgpu_hw_span_folio(phys);
}

/**
 * swgpu_hw_alias_pin - keep the memory of a span allocated
 * @phys: the span's start, for which swgpu_hw_alias_possible() said yes
 *
 * Context: any; the caller keeps the span allocated (see
 * swgpu_hw_alias_possible()) until this returns.
 * Return: the span's folio, referenced, for swgpu_hw_alias_create(); or
 * NULL if the folio is on its way out.
 */
struct folio *swgpu_hw_alias_pin(phys_addr_t phys)
{
	struct folio *folio = swgpu_hw_span_folio(phys);

	return folio && folio_try_get(folio) ? folio : NULL;
}

/**
 * swgpu_hw_alias_create - map a 2 MiB span of RAM at an address of its own
 * @phys: the span's start, 2 MiB-aligned
 * @folio: from swgpu_hw_alias_pin(@phys); the mapping takes over its
 *	reference, which is dropped here if there is no mapping
 *
 * Context: process context; sleeps.
 * Return: the mapping, or NULL without memory.
 */
struct swgpu_hw_alias *swgpu_hw_alias_create(phys_addr_t phys,
					     struct folio *folio)
{
	struct page *first = pfn_to_page(PHYS_PFN(phys));
	struct swgpu_hw_alias *a;
	struct page **pages;
	unsigned int i;

	a = kmalloc(sizeof(*a), GFP_KERNEL);
	pages = kmalloc_array(SWGPU_HW_ALIAS_PAGES, sizeof(*pages), GFP_KERNEL);
	if (!a || !pages)
		goto err;
	for (i = 0; i < SWGPU_HW_ALIAS_PAGES; i++)
		pages[i] = nth_page(first, i);
	a->va = vmap(pages, SWGPU_HW_ALIAS_PAGES, VM_MAP, PAGE_KERNEL);
	if (!a->va)
		goto err;
	a->folio = folio;
	kfree(pages);
	return a;

err:
	kfree(pages);
	kfree(a);
	folio_put(folio);
	return NULL;
}

/**
 * swgpu_hw_alias_va - where a mapping puts a byte of its span
 * @a: the mapping
 * @offset: offset in the span
 *
 * Return: the kernel virtual address.
 */
void *swgpu_hw_alias_va(const struct swgpu_hw_alias *a, u64 offset)
{
	return a->va + offset;
}

/**
 * swgpu_hw_alias_destroy - unmap a mapping nothing can use any more
 * @a: the mapping, or NULL
 *
 * Its folio may be freed after.
 *
 * Context: process context; sleeps.
 */
void swgpu_hw_alias_destroy(struct swgpu_hw_alias *a)
{
	if (!a)
		return;
	vunmap(a->va);
	folio_put(a->folio);
	kfree(a);
}

/**
 * swgpu_hw_alias_retire - have a mapping unmapped soon
 * @a: the mapping, which nothing uses and nothing can find any more
 *
 * Context: any but hard interrupt; does not sleep.
 */
void swgpu_hw_alias_retire(struct swgpu_hw_alias *a)
{
	if (llist_add(&a->reap, &swgpu_hw_alias_dead))
		schedule_work(&swgpu_hw_alias_reaper);
}

/**
 * swgpu_hw_alias_drain - unmap every retired mapping
 *
 * Called at module unload, once no context is left.
 * Context: process context; sleeps.
 */
void swgpu_hw_alias_drain(void)
{
	flush_work(&swgpu_hw_alias_reaper);
	swgpu_hw_alias_reap(NULL);
}
