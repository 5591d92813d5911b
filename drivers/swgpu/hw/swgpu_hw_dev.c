// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: The model's device
 *
 * One &struct swgpu_hw_dev per GPU: the engine's workqueue, the MMU's
 * device-wide state (context switches and counters) and, on a model that
 * does not snoop CPU caches, the coherency checker. The driver creates it
 * at probe, unplugs it when the PCI device goes (from then on the engine
 * touches no memory: a ring's entries complete with -ENODEV), and destroys
 * it with the DRM device, once no context is left.
 *
 * The checker learns what the CPU did to memory the GPU may read from the
 * driver (swgpu_hw_cpu_write() and friends), as a bus would show it CPU
 * writes and cache maintenance; on a snooping model those calls do nothing.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "swgpu_hw_internal.h"

/**
 * swgpu_hw_dev_create - power on a GPU
 * @dev: the PCI device, whose DMA addresses the GPU issues
 * @id: the GPU's number, for the names of its threads
 * @asid: the MMU tags TLB entries by context, so that a context switch
 *	keeps them
 * @snoop: the GPU snoops CPU caches; without, it gets a coherency checker
 * @slots: address-space slots, 1 to %SWGPU_HW_MAX_SLOTS (clamped)
 *
 * Context: process context.
 * Return: the device, or NULL without memory.
 */
struct swgpu_hw_dev *swgpu_hw_dev_create(struct device *dev, unsigned int id,
					 bool asid, bool snoop,
					 unsigned int slots)
{
	struct swgpu_hw_dev *hw;

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return NULL;
	hw->dev = dev;
	hw->asid = asid;
	hw->nr_slots = clamp(slots, 1U, SWGPU_HW_MAX_SLOTS);
	spin_lock_init(&hw->lock);
	INIT_LIST_HEAD(&hw->mmus);
	hw->sink = alloc_page(GFP_KERNEL);
	if (!hw->sink)
		goto err_free;
	if (init_srcu_struct(&hw->unplug_srcu))
		goto err_sink;
	/* Fences signal from here: it must make progress under reclaim. */
	hw->engine_wq = alloc_workqueue("swgpu%u-engine",
					WQ_UNBOUND | WQ_MEM_RECLAIM, 0, id);
	if (!hw->engine_wq)
		goto err_srcu;
	if (!snoop) {
		hw->coherency = swgpu_hw_coherency_create(dev);
		if (!hw->coherency)
			goto err_wq;
	}
	return hw;

err_wq:
	destroy_workqueue(hw->engine_wq);
err_srcu:
	cleanup_srcu_struct(&hw->unplug_srcu);
err_sink:
	__free_page(hw->sink);
err_free:
	kfree(hw);
	return NULL;
}

/**
 * swgpu_hw_dev_unplug - the device is gone from the bus
 * @hw: the device
 *
 * Returns once no batch is running: from then on the engine touches no
 * memory, and every ring entry completes with -ENODEV without running.
 *
 * Context: process context; sleeps until the running batches end.
 */
void swgpu_hw_dev_unplug(struct swgpu_hw_dev *hw)
{
	WRITE_ONCE(hw->removed, true);
	synchronize_srcu(&hw->unplug_srcu);
}

/**
 * swgpu_hw_dev_destroy - free a device
 * @hw: the device, or NULL; its rings and contexts are gone
 *
 * Context: process context; sleeps.
 */
void swgpu_hw_dev_destroy(struct swgpu_hw_dev *hw)
{
	if (!hw)
		return;
	WARN_ON(!list_empty(&hw->mmus));
	destroy_workqueue(hw->engine_wq);
	swgpu_hw_coherency_destroy(hw->coherency);
	cleanup_srcu_struct(&hw->unplug_srcu);
	__free_page(hw->sink);
	kfree(hw);
}

static int swgpu_hw_mmu_stats_show(struct seq_file *m, void *unused)
{
	swgpu_hw_dev_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(swgpu_hw_mmu_stats);

/**
 * swgpu_hw_dev_debugfs_init - the device's debugfs files
 * @hw: the device
 * @root: the directory to create them in
 *
 * ``swgpu_mmu``: TLB, walk-cache and context-switch counters, for tests
 * and tuning. ``swgpu_coherency`` (non-snooping models): the checker's
 * violations; writing resets their count.
 */
void swgpu_hw_dev_debugfs_init(struct swgpu_hw_dev *hw, struct dentry *root)
{
	debugfs_create_file("swgpu_mmu", 0444, root, hw,
			    &swgpu_hw_mmu_stats_fops);
	if (hw->coherency)
		swgpu_hw_coherency_debugfs_init(hw->coherency, root);
}

/**
 * swgpu_hw_exit - the model's teardown at module unload
 *
 * Once no device is left: the engine's retired mappings are unmapped.
 *
 * Context: process context; sleeps.
 */
void swgpu_hw_exit(void)
{
	swgpu_hw_alias_drain();
}

/**
 * swgpu_hw_cpu_write - the CPU may have written memory the GPU can reach
 * @hw: the device
 * @phys: first byte
 * @len: bytes, within the page of @phys
 * @uncached: through an uncached (write-combined) mapping
 *
 * See swgpu_hw_coherency_cpu_write(); nothing on a snooping model.
 */
void swgpu_hw_cpu_write(struct swgpu_hw_dev *hw, phys_addr_t phys,
			unsigned int len, bool uncached)
{
	if (hw->coherency)
		swgpu_hw_coherency_cpu_write(hw->coherency, phys, len, uncached);
}

/**
 * swgpu_hw_cpu_access - the CPU reads or writes memory the GPU can reach
 * @hw: the device
 * @phys: first byte
 * @len: bytes, within the page of @phys
 * @uncached: through an uncached (write-combined) mapping
 *
 * See swgpu_hw_coherency_cpu_access(); nothing on a snooping model.
 */
void swgpu_hw_cpu_access(struct swgpu_hw_dev *hw, phys_addr_t phys,
			 unsigned int len, bool uncached)
{
	if (hw->coherency)
		swgpu_hw_coherency_cpu_access(hw->coherency, phys, len,
					      uncached);
}

/**
 * swgpu_hw_cpu_flush - the CPU wrote back and invalidated a range
 * @hw: the device
 * @phys: first byte
 * @len: bytes, within the page of @phys
 *
 * See swgpu_hw_coherency_flush(); nothing on a snooping model.
 */
void swgpu_hw_cpu_flush(struct swgpu_hw_dev *hw, phys_addr_t phys,
			unsigned int len)
{
	if (hw->coherency)
		swgpu_hw_coherency_flush(hw->coherency, phys, len);
}

/**
 * swgpu_hw_page_released - a page the GPU could reach went back to the
 *	system, or came from it
 * @hw: the device
 * @pfn: the page
 * @acquire: it came: it enters a buffer object
 *
 * See swgpu_hw_coherency_release() and swgpu_hw_coherency_acquire();
 * nothing on a snooping model.
 */
void swgpu_hw_page_released(struct swgpu_hw_dev *hw, unsigned long pfn,
			    bool acquire)
{
	if (hw->coherency && acquire)
		swgpu_hw_coherency_acquire(hw->coherency, pfn);
	else if (hw->coherency)
		swgpu_hw_coherency_release(hw->coherency, pfn);
}

