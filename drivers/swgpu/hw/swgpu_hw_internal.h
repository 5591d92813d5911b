/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Inside the hardware model
 *
 * The state of a device and of its contexts' MMUs, and what the model's
 * files share (a ring's state is its own file's). Private to
 * drivers/swgpu/hw/: the driver sees only swgpu_hw.h, where these
 * structures are opaque.
 */
#ifndef __SWGPU_HW_INTERNAL_H__
#define __SWGPU_HW_INTERNAL_H__

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "swgpu_hw.h"

struct dentry;
struct device;
struct iommu_ctx_tlb_ops;
struct seq_file;
struct iommu_domain;
struct swgpu_hw_alias;
struct folio;

#include <linux/iommu_ctx_format.h>

/** SWGPU_HW_TLB_SETS - sets of a context's TLB */
#define SWGPU_HW_TLB_SETS	64
/** SWGPU_HW_TLB_WAYS - ways of each TLB set */
#define SWGPU_HW_TLB_WAYS	4
/**
 * SWGPU_HW_LTLB_ENTRIES - entries of the large-page TLB (fully associative)
 *
 * It holds 2 MiB translations: where a level-2 leaf of 2 MiB or more
 * points at DMA addresses that level 1 maps to one physically contiguous
 * run, as an IOMMU superpage or a huge page under dma-direct does.
 */
#define SWGPU_HW_LTLB_ENTRIES	64
/** SWGPU_HW_LTLB_SHIFT - log2 of the span of a large-page TLB entry */
#define SWGPU_HW_LTLB_SHIFT	21
/** SWGPU_HW_L1_SPLIT_SLOTS - 2 MiB spans remembered as not contiguous at level 1 */
#define SWGPU_HW_L1_SPLIT_SLOTS	4
/** SWGPU_HW_PWC_ENTRIES - walk-cache entries per table level (fully associative) */
#define SWGPU_HW_PWC_ENTRIES	8
/** SWGPU_HW_RAM_RANGES - System RAM ranges the level-1 check remembers */
#define SWGPU_HW_RAM_RANGES	4

/**
 * struct swgpu_hw_tlb_entry - one cached translation of a 4 KiB page or,
 *	in the large-page TLB, of a 2 MiB span
 * @vpn: virtual page number, in units of the entry's span
 * @phys: physical address of the page or span
 * @alias: large-page TLB only: the model's own mapping of the span
 *	(swgpu_hw_alias.c), or NULL; it goes when the entry does
 * @valid: the entry holds a translation
 * @writable: the leaf allowed writes
 * @alias_wanted: large-page TLB only: the span may have an @alias and
 *	has none yet
 * @sparse: the leaf was sparse: reads see zeros, writes go nowhere
 *	(see swgpu_hw_mmu_translate_run()); @phys means nothing
 */
struct swgpu_hw_tlb_entry {
	u64 vpn;
	phys_addr_t phys;
	struct swgpu_hw_alias *alias;
	bool valid;
	bool writable;
	bool alias_wanted;
	bool sparse;
};

/**
 * struct swgpu_hw_pwc_entry - a walk-cache entry: where a table is
 * @tag: the VA bits above the span the table covers
 * @phys: physical address of the table page (level 1 already consulted)
 * @valid: the entry holds a table
 *
 * It stands for the upper-level entry that links the table, cached with
 * its level-1 translation, so a TLB miss next to a recent one reads only
 * the last-level entry. It stays until an invalidation covers any part of
 * the table's span: iommu-ctx frees a table only after such a flush.
 */
struct swgpu_hw_pwc_entry {
	u64 tag;
	phys_addr_t phys;
	bool valid;
};

/**
 * struct swgpu_hw_ram_range - pages known to be System RAM
 * @start: first pfn
 * @end: pfn after the last
 */
struct swgpu_hw_ram_range {
	unsigned long start;
	unsigned long end;
};

/**
 * struct swgpu_hw_mmu_stats - MMU event counters
 * @hits: TLB hits
 * @misses: TLB misses (table walks)
 * @pwc_hits: walks that started below the root thanks to the walk cache
 * @invalidations: invalidation requests received from the driver
 * @large_fills: misses that filled a large-page TLB entry
 * @large_aliases: large-page fills given a mapping of their own
 * @large_no_alias: large-page fills whose span may not have one
 *	(swgpu_hw_alias_possible())
 * @large_alias_failed: large-page fills whose mapping failed (no memory,
 *	or the folio was being freed)
 * @large_alias_dropped: large-page fills dropped before they were mapped
 *
 * Every large fill ends up in one of the last four once the MMU's worker
 * is idle.
 */
struct swgpu_hw_mmu_stats {
	unsigned long hits;
	unsigned long misses;
	unsigned long large_fills;
	unsigned long large_aliases;
	unsigned long large_no_alias;
	unsigned long large_alias_failed;
	unsigned long large_alias_dropped;
	unsigned long pwc_hits;
	unsigned long invalidations;
};

/**
 * struct swgpu_hw_slot - an address-space slot's registers and state
 * @mmu: the context bound to the slot, or NULL; its root and format are
 *	@root and @fmt
 * @fmt: the format register
 * @root: the page-table base register
 * @used: the engine translated through the slot since it was last
 *	flushed, so its TLB may hold @mmu's translations
 */
struct swgpu_hw_slot {
	struct swgpu_hw_mmu *mmu;
	const struct iommu_ctx_format *fmt;
	dma_addr_t root;
	bool used;
};

/**
 * struct swgpu_hw_slot_stats - address-space slot counters
 * @binds: slots bound to a context
 * @flushes: slot flushes
 * @wrong: batches refused because their slot was not bound to their
 *	context (a driver bug; tests assert it stays 0)
 * @stale_binds: slots bound to another context while their TLB still
 *	held the previous one's translations, without a flush in between (a
 *	driver bug; tests assert it stays 0)
 */
struct swgpu_hw_slot_stats {
	unsigned long binds;
	unsigned long flushes;
	unsigned long wrong;
	unsigned long stale_binds;
};

/**
 * struct swgpu_hw_dev - the device-wide state of the hardware model
 * @dev: the PCI device, whose DMA addresses level 1 translates
 * @engine_wq: where rings run when the engine does not run them on the
 *	CPU that rang their doorbell (swgpu_hw_ring.c); unbound, so that
 *	rings run concurrently, and %WQ_MEM_RECLAIM, since fences signal
 *	from it
 * @coherency: the coherency checker of a model that does not snoop CPU
 *	caches, or NULL
 * @unplug_srcu: the engine runs a batch inside a read-side section of it,
 *	so that swgpu_hw_dev_unplug() can wait for every running batch
 * @removed: the device is unplugged: the engine touches no memory any more
 * @lock: serialises context switches of the engine, and protects the
 *	fields below; taken before any context's MMU lock
 * @asid: TLB and walk-cache entries are tagged by context, so a context
 *	switch keeps them; without, a switch flushes them (Atom style)
 * @current_mmu: the context of the batch the engine started last, or
 *	NULL; only compared, never dereferenced
 * @mmus: the contexts alive on the device (&swgpu_hw_mmu.link)
 * @retired: the counters of contexts that are gone
 * @ctx_switches: batches started on another context than the last one
 * @ctx_switch_flushes: context switches that flushed the TLB and walk cache
 * @sink: the page writes through a sparse translation land in, never read
 *	back by the engine (reads of a sparse translation see the zero page)
 * @nr_slots: address-space slots the device has
 * @slots: the slots (swgpu_hw_slot.c)
 * @slot_stats: their counters
 */
struct swgpu_hw_dev {
	struct device *dev;
	struct workqueue_struct *engine_wq;
	struct swgpu_hw_coherency *coherency;
	struct srcu_struct unplug_srcu;
	bool removed;
	spinlock_t lock;
	bool asid;
	const struct swgpu_hw_mmu *current_mmu;
	struct list_head mmus;
	struct swgpu_hw_mmu_stats retired;
	unsigned long ctx_switches;
	unsigned long ctx_switch_flushes;
	struct page *sink;
	unsigned int nr_slots;
	struct swgpu_hw_slot slots[SWGPU_HW_MAX_SLOTS];
	struct swgpu_hw_slot_stats slot_stats;
};

/**
 * struct swgpu_hw_mmu - the MMU state of one GPU context
 * @hw: the device the context lives on
 * @link: in &swgpu_hw_dev.mmus
 * @lock: serialises translations and memory accesses against
 *	invalidations: once an invalidation returns, no access uses what it
 *	removed, so the memory behind it may be freed
 * @dev: the PCI device, whose DMA addresses level 1 translates
 * @l1: the device's translating IOMMU domain, or NULL for dma-direct
 * @fmt: the page-table format
 * @root: level-1 DMA address of the root table (the "page-table base
 *	register"); 0 while no tables are attached
 * @va_end: first address beyond the context's VA space
 * @tlb: the TLB, set-associative; it keeps translations until
 *	invalidated, as hardware does
 * @tlb_next: per set, the way the next fill replaces (round robin)
 * @ltlb: the large-page TLB
 * @ltlb_next: the @ltlb entry the next large fill replaces (round robin)
 * @map_queued: @map_work is queued or running, and will look at every
 *	@ltlb entry that waits for its mapping
 * @map_work: gives @ltlb entries their mappings (swgpu_hw_alias.c). Not
 *	the engine: its jobs' fences signal from it, and vmap() allocates
 *	memory, which may wait for reclaim and so for those fences.
 * @parked: the mapping of the @ltlb entry the last large fill replaced.
 *	The access being translated may still use it (a COPY translates its
 *	source, then its destination, then moves the bytes), so it is retired
 *	only at the next translation or invalidation.
 * @l1_split: 2 MiB spans (VA >> %SWGPU_HW_LTLB_SHIFT, plus one; 0 is
 *	free) that level 1 did not map contiguously when last looked at, so
 *	that their misses go to the 4 KiB TLB without looking again
 * @l1_split_next: the @l1_split slot the next span replaces
 * @pwc: the walk cache, per table level; at level 0 only slot 0 is used,
 *	for the root
 * @pwc_next: per level, the @pwc entry the next table replaces
 * @ram: System RAM ranges seen by the level-1 check, so that it does not
 *	walk the resource tree for every page
 * @ram_next: the @ram slot the next range replaces
 * @stats: event counters
 * @coherency: the coherency checker every translated access is shown to
 *	(non-snooping models only), or NULL
 */
struct swgpu_hw_mmu {
	struct swgpu_hw_dev *hw;
	struct list_head link;
	spinlock_t lock;
	struct device *dev;
	struct iommu_domain *l1;
	const struct iommu_ctx_format *fmt;
	dma_addr_t root;
	u64 va_end;
	struct swgpu_hw_tlb_entry tlb[SWGPU_HW_TLB_SETS][SWGPU_HW_TLB_WAYS];
	u8 tlb_next[SWGPU_HW_TLB_SETS];
	struct swgpu_hw_tlb_entry ltlb[SWGPU_HW_LTLB_ENTRIES];
	u8 ltlb_next;
	bool map_queued;
	struct work_struct map_work;
	struct swgpu_hw_alias *parked;
	u64 l1_split[SWGPU_HW_L1_SPLIT_SLOTS];
	u8 l1_split_next;
	struct swgpu_hw_pwc_entry pwc[IOMMU_CTX_MAX_LEVELS][SWGPU_HW_PWC_ENTRIES];
	u8 pwc_next[IOMMU_CTX_MAX_LEVELS];
	struct swgpu_hw_ram_range ram[SWGPU_HW_RAM_RANGES];
	unsigned int ram_next;
	struct swgpu_hw_mmu_stats stats;
	struct swgpu_hw_coherency *coherency;
};

struct swgpu_hw_coherency;

struct swgpu_hw_coherency *swgpu_hw_coherency_create(struct device *dev);
void swgpu_hw_coherency_destroy(struct swgpu_hw_coherency *c);
void swgpu_hw_coherency_cpu_write(struct swgpu_hw_coherency *c,
				  phys_addr_t phys, unsigned int len,
				  bool uncached);
void swgpu_hw_coherency_cpu_access(struct swgpu_hw_coherency *c,
				   phys_addr_t phys, unsigned int len,
				   bool uncached);
void swgpu_hw_coherency_flush(struct swgpu_hw_coherency *c, phys_addr_t phys,
			      unsigned int len);
void swgpu_hw_coherency_release(struct swgpu_hw_coherency *c, unsigned long pfn);
void swgpu_hw_coherency_acquire(struct swgpu_hw_coherency *c,
				unsigned long pfn);
void __swgpu_hw_coherency_access(struct swgpu_hw_coherency *c, u64 va,
				 u32 access, phys_addr_t phys);
void swgpu_hw_coherency_walk(struct swgpu_hw_coherency *c, u64 va,
			     phys_addr_t phys, unsigned int len);
bool swgpu_hw_alias_possible(phys_addr_t phys);
struct folio *swgpu_hw_alias_pin(phys_addr_t phys);
struct swgpu_hw_alias *swgpu_hw_alias_create(phys_addr_t phys,
					     struct folio *folio);
void *swgpu_hw_alias_va(const struct swgpu_hw_alias *a, u64 offset);
void swgpu_hw_alias_destroy(struct swgpu_hw_alias *a);
void swgpu_hw_alias_retire(struct swgpu_hw_alias *a);
void swgpu_hw_alias_drain(void);

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

void swgpu_hw_dev_show(struct swgpu_hw_dev *hw, struct seq_file *m);
void swgpu_hw_mmu_activate(struct swgpu_hw_mmu *mmu);
void swgpu_hw_mmu_flush_locked(struct swgpu_hw_mmu *mmu);
bool swgpu_hw_slot_enter(struct swgpu_hw_mmu *mmu, unsigned int slot);
void swgpu_hw_slot_forget(struct swgpu_hw_mmu *mmu);
void swgpu_hw_slot_show(struct swgpu_hw_dev *hw, struct seq_file *m);
int swgpu_hw_mmu_translate_run(struct swgpu_hw_mmu *mmu, u64 va, u32 access,
			       phys_addr_t *phys, u64 *run, void **kva,
			       struct swgpu_hw_fault *fault);

/**
 * swgpu_hw_mmu_translate - translate one access within a 4 KiB page
 * @mmu: the context's MMU, its lock held (see swgpu_hw_mmu_translate_run())
 * @va: GPU virtual address
 * @access: DRM_SWGPU_FAULT_READ, _WRITE or _FETCH
 * @phys: out, the physical address of @va
 * @fault: out, on -EFAULT, what faulted
 *
 * Return: 0 or -EFAULT.
 */
static inline int swgpu_hw_mmu_translate(struct swgpu_hw_mmu *mmu, u64 va,
					 u32 access, phys_addr_t *phys,
					 struct swgpu_hw_fault *fault)
{
	void *kva;
	u64 run;

	return swgpu_hw_mmu_translate_run(mmu, va, access, phys, &run, &kva,
					  fault);
}

int swgpu_hw_engine_run(struct swgpu_hw_mmu *mmu, u64 *pc,
			unsigned long deadline, u64 yield_ns,
			struct swgpu_hw_fault *fault);

#endif /* __SWGPU_HW_INTERNAL_H__ */
