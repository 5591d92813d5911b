/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: The hardware model's interface
 *
 * The software GPU's hardware (drivers/swgpu/hw/) is a model of silicon,
 * and the driver talks to it only through this header, the way a driver
 * talks to a device through its registers. Everything else in hw/ is
 * private to the model. Nothing here knows about DRM objects: the model
 * reaches memory only through a context's level-2 tables and then level 1,
 * as a PCI device would.
 *
 * - A device (&struct swgpu_hw_dev) is one GPU: its engine, the device-wide
 *   MMU state and, on a model that does not snoop CPU caches, its
 *   coherency checker, which the driver feeds with what the CPU did
 *   (swgpu_hw_cpu_write() and friends) as a bus would.
 * - A context (&struct swgpu_hw_mmu) is an address space: the driver sets
 *   its page-table base (swgpu_hw_mmu_set_root()) and invalidates its TLB
 *   through &swgpu_hw_mmu_tlb_ops, the invalidation interface iommu-ctx
 *   drives.
 * - An address-space slot is a register pair of the device that holds a
 *   context (its page-table root and format): the driver binds a context
 *   to a slot (swgpu_hw_slot_bind()) and flushes what the TLB holds under
 *   it (swgpu_hw_slot_flush()). The device has %SWGPU_HW_MAX_SLOTS at most.
 * - A ring (&struct swgpu_hw_ring) feeds the engine batches of one context,
 *   in order, each in the slot its entry names. The driver writes an entry (batch address, and a cookie of
 *   its own) and rings the doorbell (swgpu_hw_ring_submit()); when the
 *   engine is done with the entry it raises the ring's completion
 *   interrupt: the &swgpu_hw_irq_t handler gets the cookie, the status and,
 *   for a page fault, the fault record. Rings run concurrently, each in
 *   order. A ring can be reset alone (swgpu_hw_ring_reset()): its entries
 *   complete with -ECANCELED. Its registers (swgpu_hw_ring_read_regs())
 *   tell where the engine is, or where its last batch stopped and why.
 */
#ifndef __SWGPU_HW_H__
#define __SWGPU_HW_H__

#include <linux/types.h>

struct dentry;
struct device;
struct iommu_ctx_format;
struct iommu_ctx_tlb_ops;
struct swgpu_hw_dev;
struct swgpu_hw_mmu;
struct swgpu_hw_ring;

/**
 * SWGPU_HW_RING_SLOTS - entries a ring holds; a doorbell for one more fails
 */
#define SWGPU_HW_RING_SLOTS	64

/** SWGPU_HW_MAX_SLOTS - most address-space slots a device has */
#define SWGPU_HW_MAX_SLOTS	16

/**
 * struct swgpu_hw_fault - a GPU page fault, as the MMU reports it
 * @va: GPU virtual address of the access
 * @access: DRM_SWGPU_FAULT_* bits: the kind of access and the cause
 *	(%DRM_SWGPU_FAULT_LEVEL1 when level 1 did not translate)
 */
struct swgpu_hw_fault {
	u64 va;
	u32 access;
};

/**
 * struct swgpu_hw_ring_entry - what the driver writes into a ring slot
 * @batch_va: GPU address of the batch's first command
 * @cookie: the driver's, handed back by the completion interrupt
 * @slot: the address-space slot the batch runs in, bound to the ring's
 *	context; the engine refuses to run it in a slot that is not
 */
struct swgpu_hw_ring_entry {
	u64 batch_va;
	void *cookie;
	unsigned int slot;
};

/**
 * struct swgpu_hw_ring_regs - a ring's registers, as read for an error state
 * @head: index of the entry the engine runs or runs next
 * @tail: index of the entry the next doorbell writes
 * @busy: the engine owns the ring
 * @active_batch: batch address of the entry the engine is in the middle
 *	of, or 0
 * @pc: GPU address of the command the engine is at, or where its last
 *	batch stopped (the failing command after a fault or a malformed
 *	command; past END after a success)
 * @last_batch: batch address of the last entry that completed
 * @last_status: that entry's status, as the completion interrupt got it
 * @fault_va: address of the last page fault on the ring
 * @fault_access: its DRM_SWGPU_FAULT_* bits
 * @root: the context's page-table base, a level-1 address
 */
struct swgpu_hw_ring_regs {
	u32 head;
	u32 tail;
	u32 busy;
	u64 active_batch;
	u64 pc;
	u64 last_batch;
	s32 last_status;
	u64 fault_va;
	u32 fault_access;
	u64 root;
};

/**
 * typedef swgpu_hw_irq_t - a ring's completion interrupt
 * @cookie: &swgpu_hw_ring_entry.cookie of the entry the engine finished
 * @status: 0 when the batch reached END; -EFAULT on a page fault; -EPROTO
 *	for a malformed command; -ETIMEDOUT when the watchdog ended it;
 *	-ENODEV when the device was unplugged before it ran; -ENXIO when
 *	its slot was not bound to the ring's context; -ECANCELED
 *	when the ring was reset (swgpu_hw_ring_reset())
 * @fault: with -EFAULT, the fault that stopped the batch; else NULL
 *
 * Called once per entry, in ring order, on the fence-signalling path:
 * it must not allocate memory with GFP_KERNEL nor take a lock that is
 * held while waiting for a fence. It may be called before
 * swgpu_hw_ring_submit() returns.
 */
typedef void (*swgpu_hw_irq_t)(void *cookie, int status,
			       const struct swgpu_hw_fault *fault);

struct swgpu_hw_dev *swgpu_hw_dev_create(struct device *dev, unsigned int id,
					 bool asid, bool snoop,
					 unsigned int slots);
void swgpu_hw_dev_unplug(struct swgpu_hw_dev *hw);
void swgpu_hw_dev_destroy(struct swgpu_hw_dev *hw);
void swgpu_hw_dev_debugfs_init(struct swgpu_hw_dev *hw, struct dentry *root);
void swgpu_hw_exit(void);

void swgpu_hw_cpu_write(struct swgpu_hw_dev *hw, phys_addr_t phys,
			unsigned int len, bool uncached);
void swgpu_hw_cpu_access(struct swgpu_hw_dev *hw, phys_addr_t phys,
			 unsigned int len, bool uncached);
void swgpu_hw_cpu_flush(struct swgpu_hw_dev *hw, phys_addr_t phys,
			unsigned int len);
void swgpu_hw_page_released(struct swgpu_hw_dev *hw, unsigned long pfn,
			    bool acquire);

struct swgpu_hw_mmu *swgpu_hw_mmu_create(struct swgpu_hw_dev *hw,
					 unsigned int va_bits);
void swgpu_hw_mmu_destroy(struct swgpu_hw_mmu *mmu);
void swgpu_hw_mmu_set_root(struct swgpu_hw_mmu *mmu,
			   const struct iommu_ctx_format *fmt, dma_addr_t root);
extern const struct iommu_ctx_tlb_ops swgpu_hw_mmu_tlb_ops;
void swgpu_hw_slot_bind(struct swgpu_hw_dev *hw, unsigned int slot,
			struct swgpu_hw_mmu *mmu);
void swgpu_hw_slot_flush(struct swgpu_hw_dev *hw, unsigned int slot);

/**
 * typedef swgpu_hw_slot_yield_t - a ring's batch stalls on a semaphore
 * @cookie: &swgpu_hw_ring_entry.cookie of the stalled entry
 * @slot: the slot it runs in
 *
 * The engine stopped the batch where it can resume it (a SEMAPHORE_WAIT
 * that does not hold yet) and asks the driver whether another context
 * should have the slot meanwhile. The handler may sleep (it is called
 * from the ring's work item, on the fence-signalling path).
 *
 * Return: the slot, bound to the ring's context, to resume the batch in.
 */
typedef unsigned int (*swgpu_hw_slot_yield_t)(void *cookie, unsigned int slot);

struct swgpu_hw_ring *swgpu_hw_ring_create(struct swgpu_hw_mmu *mmu,
					   swgpu_hw_irq_t irq,
					   swgpu_hw_slot_yield_t yield);
int swgpu_hw_ring_submit(struct swgpu_hw_ring *ring,
			 const struct swgpu_hw_ring_entry *entry);
void swgpu_hw_ring_reset(struct swgpu_hw_ring *ring);
void swgpu_hw_ring_read_regs(struct swgpu_hw_ring *ring,
			     struct swgpu_hw_ring_regs *regs);
void swgpu_hw_ring_destroy(struct swgpu_hw_ring *ring);

#endif /* __SWGPU_HW_H__ */
