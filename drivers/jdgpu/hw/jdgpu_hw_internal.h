/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: jdgpu hardware internals
 *
 * The model's own state: the device with its address-space slots, each
 * slot's TLB and counters. Private to drivers/jdgpu/hw/.
 */
#ifndef __JDGPU_HW_INTERNAL_H__
#define __JDGPU_HW_INTERNAL_H__

#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "jdgpu_hw.h"

/** JDGPU_HW_TLB_ENTRIES - entries of a slot's TLB (direct-mapped by page) */
#define JDGPU_HW_TLB_ENTRIES	64

/**
 * struct jdgpu_hw_tlbe - one cached translation of a 4 KiB page
 * @vpn: virtual page number plus one; 0 is an empty entry
 * @phys: physical address of the page
 * @ro: the leaf is read-only (AP[2])
 * @sparse: the leaf maps no memory: reads see zeros, writes are dropped
 */
struct jdgpu_hw_tlbe {
	u64 vpn;
	phys_addr_t phys;
	bool ro;
	bool sparse;
};

/**
 * struct jdgpu_hw_as - an address-space slot
 * @lock: protects the slot; held across every access the engine makes
 *	through it, so that a flush returns only once no access uses what it
 *	removed
 * @transtab: the TRANSTAB register
 * @used: the engine translated through the slot since its last flush
 * @tlb: the slot's TLB
 * @hits: TLB hits
 * @misses: TLB misses (table walks)
 * @flushes: flushes of the slot
 */
struct jdgpu_hw_as {
	spinlock_t lock;
	dma_addr_t transtab;
	bool used;
	struct jdgpu_hw_tlbe tlb[JDGPU_HW_TLB_ENTRIES];
	unsigned long hits;
	unsigned long misses;
	unsigned long flushes;
};

/**
 * struct jdgpu_hw - the device
 * @dev: the PCI device whose DMA addresses level 1 translates
 * @l1: its translating IOMMU domain, or NULL under dma-direct
 * @wq: where the job queues run (unbound, %WQ_MEM_RECLAIM: fences signal
 *	from it)
 * @removed: unplugged: the engine touches no memory any more
 * @as: the address-space slots
 * @programs: slot programmings
 * @wrong: jobs refused because their slot held another TRANSTAB (a
 *	driver bug; tests assert it stays 0)
 * @stale: slots programmed with another TRANSTAB while their TLB still
 *	held the previous one's translations (a driver bug; likewise)
 * @jobs: jobs the engine ran
 * @descs: descriptors it executed
 */
struct jdgpu_hw {
	struct device *dev;
	struct iommu_domain *l1;
	struct workqueue_struct *wq;
	bool removed;
	struct jdgpu_hw_as as[JDGPU_HW_AS_SLOTS];
	atomic_long_t programs;
	atomic_long_t wrong;
	atomic_long_t stale;
	atomic_long_t jobs;
	atomic_long_t descs;
};

/**
 * struct jdgpu_hw_run - one job on the engine
 * @hw: the device
 * @as: the slot it runs in
 * @transtab: the TRANSTAB the job expects in @as, checked at every access
 * @jq_reset: the queue's reset request, looked at between two steps
 * @deadline: the watchdog's, in jiffies
 * @fault: where a fault is recorded
 * @buf: the engine's page-sized staging buffer
 */
struct jdgpu_hw_run {
	struct jdgpu_hw *hw;
	struct jdgpu_hw_as *as;
	dma_addr_t transtab;
	const bool *jq_reset;
	unsigned long deadline;
	struct jdgpu_hw_fault *fault;
	u8 *buf;
};

int jdgpu_hw_access(struct jdgpu_hw_run *r, u64 va, void *buf, u32 len,
		    u32 access);
int jdgpu_hw_run_chain(struct jdgpu_hw_run *r, u64 head);

#endif /* __JDGPU_HW_INTERNAL_H__ */
