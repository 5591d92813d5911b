// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: jdgpu device and job queues
 *
 * The device: its address-space slots, the workqueue its job queues run
 * on, and its counters (debugfs ``jdgpu_hw``). A job queue holds up to
 * %JDGPU_HW_JQ_DEPTH jobs; pushing one queues the queue's work item, which
 * runs the jobs in order, each in the slot its entry names, and raises
 * the completion interrupt for each. Queues run concurrently, on an
 * unbound workqueue. Before a job starts, and at every access it makes,
 * the engine checks that its slot still holds the TRANSTAB the job was
 * pushed with; a job that finds another context's tables there ends with
 * -ENXIO and is counted (``wrong``): a slot manager that let two contexts
 * share a slot would show there.
 *
 * Unplug (jdgpu_hw_unplug()) returns once no job runs: from then on jobs
 * end with -ENODEV without touching memory. A queue reset
 * (jdgpu_hw_jq_reset()) stops the queue's running job at its next step
 * and completes every job it holds with -ECANCELED.
 */
#include <linux/debugfs.h>
#include <linux/dma-fence.h>
#include <linux/iommu.h>
#include <linux/jiffies.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "jdgpu_hw_internal.h"

/* A job running longer is ended with -ETIMEDOUT. */
#define JDGPU_HW_WATCHDOG_MS	10000

struct jdgpu_hw_jq_entry {
	u64 head;
	dma_addr_t transtab;
	void *cookie;
	unsigned int as;
};

/**
 * struct jdgpu_hw_jq - a job queue
 * @hw: the device
 * @done: the completion interrupt
 * @lock: protects @e, @head, @tail
 * @e: the jobs; entry i is at i % %JDGPU_HW_JQ_DEPTH
 * @head: the job the engine runs or runs next
 * @tail: where the next push goes
 * @reset: jdgpu_hw_jq_reset() wants the engine off the queue
 * @work: runs the queue
 * @buf: the engine's staging page for this queue's jobs
 */
struct jdgpu_hw_jq {
	struct jdgpu_hw *hw;
	jdgpu_hw_done_t done;
	spinlock_t lock;
	struct jdgpu_hw_jq_entry e[JDGPU_HW_JQ_DEPTH];
	unsigned int head;
	unsigned int tail;
	bool reset;
	struct work_struct work;
	u8 *buf;
};

static int jdgpu_hw_jq_run_one(struct jdgpu_hw_jq *jq,
			       const struct jdgpu_hw_jq_entry *e,
			       struct jdgpu_hw_fault *fault)
{
	struct jdgpu_hw_run r = {
		.hw = jq->hw,
		.transtab = e->transtab,
		.jq_reset = &jq->reset,
		.deadline = jiffies + msecs_to_jiffies(JDGPU_HW_WATCHDOG_MS),
		.fault = fault,
		.buf = jq->buf,
	};

	if (READ_ONCE(jq->hw->removed))
		return -ENODEV;
	if (e->as >= JDGPU_HW_AS_SLOTS || !e->transtab) {
		atomic_long_inc(&jq->hw->wrong);
		return -ENXIO;
	}
	r.as = &jq->hw->as[e->as];
	atomic_long_inc(&jq->hw->jobs);
	return jdgpu_hw_run_chain(&r, e->head);
}

static void jdgpu_hw_jq_work(struct work_struct *work)
{
	struct jdgpu_hw_jq *jq = container_of(work, struct jdgpu_hw_jq, work);
	struct jdgpu_hw_fault fault;
	struct jdgpu_hw_jq_entry e;
	bool cookie;
	int status;

	cookie = dma_fence_begin_signalling();
	for (;;) {
		spin_lock(&jq->lock);
		if (jq->head == jq->tail || jq->reset) {
			spin_unlock(&jq->lock);
			break;
		}
		e = jq->e[jq->head % JDGPU_HW_JQ_DEPTH];
		spin_unlock(&jq->lock);

		status = jdgpu_hw_jq_run_one(jq, &e, &fault);
		/* A reset completes the job itself. */
		if (status == -ECANCELED)
			break;
		spin_lock(&jq->lock);
		jq->head++;
		spin_unlock(&jq->lock);
		jq->done(e.cookie, status, status == -EFAULT ? &fault : NULL);
	}
	dma_fence_end_signalling(cookie);
}

/**
 * jdgpu_hw_jq_create - a new job queue
 * @hw: the device
 * @done: its completion interrupt
 *
 * Context: process context.
 * Return: the queue, or NULL without memory.
 */
struct jdgpu_hw_jq *jdgpu_hw_jq_create(struct jdgpu_hw *hw,
				       jdgpu_hw_done_t done)
{
	struct jdgpu_hw_jq *jq = kzalloc(sizeof(*jq), GFP_KERNEL);

	if (!jq)
		return NULL;
	jq->buf = (u8 *)__get_free_page(GFP_KERNEL);
	if (!jq->buf) {
		kfree(jq);
		return NULL;
	}
	jq->hw = hw;
	jq->done = done;
	spin_lock_init(&jq->lock);
	INIT_WORK(&jq->work, jdgpu_hw_jq_work);
	return jq;
}

/**
 * jdgpu_hw_jq_push - hand a job to a queue
 * @jq: the queue
 * @head: GPU address of the job's first descriptor
 * @as: the address-space slot it runs in
 * @transtab: the TRANSTAB the driver programmed in @as for the job
 * @cookie: handed back by the completion interrupt
 *
 * Context: any; allocates nothing (the fence-signalling path).
 * Return: 0, or -ENOSPC when the queue holds %JDGPU_HW_JQ_DEPTH jobs.
 */
int jdgpu_hw_jq_push(struct jdgpu_hw_jq *jq, u64 head, unsigned int as,
		     dma_addr_t transtab, void *cookie)
{
	spin_lock(&jq->lock);
	if (jq->tail - jq->head >= JDGPU_HW_JQ_DEPTH) {
		spin_unlock(&jq->lock);
		return -ENOSPC;
	}
	jq->e[jq->tail++ % JDGPU_HW_JQ_DEPTH] = (struct jdgpu_hw_jq_entry) {
		.head = head, .transtab = transtab, .cookie = cookie, .as = as,
	};
	spin_unlock(&jq->lock);
	queue_work(jq->hw->wq, &jq->work);
	return 0;
}

/**
 * jdgpu_hw_jq_reset - stop a queue and cancel its jobs
 * @jq: the queue; nothing is pushed to it until this returns
 *
 * Every job it holds, the running one included, completes with
 * -ECANCELED, in order. The queue takes jobs again afterwards.
 *
 * Context: process context; sleeps until the engine is off the queue.
 */
void jdgpu_hw_jq_reset(struct jdgpu_hw_jq *jq)
{
	struct jdgpu_hw_jq_entry e;
	bool cookie;

	WRITE_ONCE(jq->reset, true);
	flush_work(&jq->work);
	cookie = dma_fence_begin_signalling();
	spin_lock(&jq->lock);
	while (jq->head != jq->tail) {
		e = jq->e[jq->head++ % JDGPU_HW_JQ_DEPTH];
		spin_unlock(&jq->lock);
		jq->done(e.cookie, -ECANCELED, NULL);
		spin_lock(&jq->lock);
	}
	WRITE_ONCE(jq->reset, false);
	spin_unlock(&jq->lock);
	dma_fence_end_signalling(cookie);
}

/**
 * jdgpu_hw_jq_destroy - free a job queue
 * @jq: the queue, or NULL; every job pushed to it has completed
 *
 * Context: process context; sleeps until its work item is done.
 */
void jdgpu_hw_jq_destroy(struct jdgpu_hw_jq *jq)
{
	if (!jq)
		return;
	flush_work(&jq->work);
	WARN_ON(jq->head != jq->tail);
	free_page((unsigned long)jq->buf);
	kfree(jq);
}

/**
 * jdgpu_hw_create - power on a device
 * @dev: the PCI device whose DMA addresses the GPU issues
 * @id: its number, for the workqueue's name
 *
 * Context: process context.
 * Return: the device, or NULL without memory.
 */
struct jdgpu_hw *jdgpu_hw_create(struct device *dev, unsigned int id)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);
	struct jdgpu_hw *hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	unsigned int i;

	if (!hw)
		return NULL;
	hw->dev = dev;
	/* An identity domain translates nothing: dma-direct's rules. */
	if (dom && dom->type != IOMMU_DOMAIN_IDENTITY)
		hw->l1 = dom;
	for (i = 0; i < JDGPU_HW_AS_SLOTS; i++)
		spin_lock_init(&hw->as[i].lock);
	hw->wq = alloc_workqueue("jdgpu%u", WQ_UNBOUND | WQ_MEM_RECLAIM, 0, id);
	if (!hw->wq) {
		kfree(hw);
		return NULL;
	}
	return hw;
}

/**
 * jdgpu_hw_unplug - the device is gone from the bus
 * @hw: the device
 *
 * Context: process context; sleeps until no job runs.
 */
void jdgpu_hw_unplug(struct jdgpu_hw *hw)
{
	WRITE_ONCE(hw->removed, true);
	flush_workqueue(hw->wq);
}

/**
 * jdgpu_hw_destroy - free a device
 * @hw: the device, or NULL; its queues are gone
 *
 * Context: process context.
 */
void jdgpu_hw_destroy(struct jdgpu_hw *hw)
{
	if (!hw)
		return;
	destroy_workqueue(hw->wq);
	kfree(hw);
}

static int jdgpu_hw_show(struct seq_file *m, void *unused)
{
	struct jdgpu_hw *hw = m->private;
	unsigned int i;

	seq_printf(m, "as_slots: %u\n", JDGPU_HW_AS_SLOTS);
	seq_printf(m, "programs: %ld\n", atomic_long_read(&hw->programs));
	seq_printf(m, "wrong: %ld\n", atomic_long_read(&hw->wrong));
	seq_printf(m, "stale: %ld\n", atomic_long_read(&hw->stale));
	seq_printf(m, "jobs: %ld\n", atomic_long_read(&hw->jobs));
	seq_printf(m, "descs: %ld\n", atomic_long_read(&hw->descs));
	for (i = 0; i < JDGPU_HW_AS_SLOTS; i++) {
		struct jdgpu_hw_as *as = &hw->as[i];

		spin_lock(&as->lock);
		seq_printf(m, "as%u: hits %lu misses %lu flushes %lu\n", i,
			   as->hits, as->misses, as->flushes);
		spin_unlock(&as->lock);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(jdgpu_hw);

/**
 * jdgpu_hw_debugfs_init - the device's debugfs file, ``jdgpu_hw``
 * @hw: the device
 * @root: the directory
 *
 * Its counters, "name: value" a line, and a line per slot.
 */
void jdgpu_hw_debugfs_init(struct jdgpu_hw *hw, struct dentry *root)
{
	debugfs_create_file("jdgpu_hw", 0444, root, hw, &jdgpu_hw_fops);
}
