// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Rings
 *
 * A ring feeds the engine the batches of one context, in order. The
 * driver writes an entry and rings the doorbell (swgpu_hw_ring_submit()
 * copies the entry into the next of %SWGPU_HW_RING_SLOTS slots); for each
 * entry, in order, the engine raises the ring's completion interrupt with
 * the batch's status and, after a page fault, the fault record. Rings are
 * independent: a long or stalled batch holds up only its own ring.
 *
 * Where the engine runs: the model's engine is a CPU, and handing a short
 * batch over to another thread costs a wakeup that takes longer than the
 * batch (under QEMU TCG a wakeup on another CPU costs tens of
 * microseconds, a NOP batch a few). So a doorbell rung while the ring is
 * idle starts the engine in the caller's thread, on the CPU that rang it,
 * for at most %SWGPU_HW_RING_INLINE_NS. Past that the engine gives the
 * thread back at its next step (a command, a page, 64 KiB of a COPY), or
 * where a SEMAPHORE_WAIT would sleep, and the ring goes on in its own work
 * item on the device's unbound engine workqueue, as it also does for
 * entries written while it is busy; a command stopped in the middle
 * starts over (swgpu_hw_engine_run()). A caller therefore lends its
 * thread for about that long at most, and must be allowed to sleep.
 *
 * The watchdog (module parameter ``watchdog_ms``, read when an entry
 * starts) ends a batch that runs too long with -ETIMEDOUT.
 *
 * Completions signal fences: everything the engine does is on the
 * fence-signalling path, annotated as such. It allocates no memory and
 * takes no lock that anyone holds while waiting for a fence.
 */
#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>

#include "swgpu_hw_internal.h"

/*
 * How long a doorbell may borrow the caller's thread. Long enough for the
 * short batches that dominate a submission's round trip, short enough
 * that the thread (a scheduler's worker, shared by every queue on its
 * CPU) is soon back.
 */
#define SWGPU_HW_RING_INLINE_NS	(500 * NSEC_PER_USEC)

static unsigned int watchdog_ms = 5000;
module_param(watchdog_ms, uint, 0644);
MODULE_PARM_DESC(watchdog_ms,
		 "engine watchdog: a batch running longer is stopped with -ETIMEDOUT (default 5000)");

/**
 * struct swgpu_hw_ring - a ring of batches for one context
 * @mmu: the context the batches run on
 * @irq: the completion interrupt
 * @lock: protects @slot, @head, @tail and @busy
 * @slot: the entries; slot i % %SWGPU_HW_RING_SLOTS holds entry i
 * @head: the entry the engine runs or runs next
 * @tail: the entry the next doorbell writes
 * @busy: the engine owns the ring, in a doorbell's thread or in @work;
 *	it stays set until the ring is found empty
 * @started: the engine began @head's batch (it yielded in the middle);
 *	owned, as @pc and @deadline, by whoever owns the ring
 * @pc: where @head's batch resumes
 * @deadline: when the watchdog ends @head's batch
 * @work: runs the ring on the engine workqueue
 */
struct swgpu_hw_ring {
	struct swgpu_hw_mmu *mmu;
	swgpu_hw_irq_t irq;
	spinlock_t lock;
	struct swgpu_hw_ring_entry slot[SWGPU_HW_RING_SLOTS];
	u32 head;
	u32 tail;
	bool busy;
	bool started;
	u64 pc;
	unsigned long deadline;
	struct work_struct work;
};

/*
 * Run the ring, its owner, until it is empty (true: it is idle now) or,
 * with @yield_ns, until the engine yields (false: the ring is still busy,
 * and the caller hands it to its work item).
 */
static bool swgpu_hw_ring_run(struct swgpu_hw_ring *ring, u64 yield_ns)
{
	struct swgpu_hw_dev *hw = ring->mmu->hw;
	struct swgpu_hw_ring_entry e;
	struct swgpu_hw_fault fault;
	bool idle = true, signalling;
	int ret, idx;

	signalling = dma_fence_begin_signalling();
	for (;;) {
		spin_lock(&ring->lock);
		if (ring->head == ring->tail) {
			ring->busy = false;
			spin_unlock(&ring->lock);
			break;
		}
		e = ring->slot[ring->head % SWGPU_HW_RING_SLOTS];
		spin_unlock(&ring->lock);

		if (!ring->started) {
			/* A borrowed thread past its time starts nothing. */
			if (yield_ns && local_clock() >= yield_ns) {
				idle = false;
				break;
			}
			ring->started = true;
			ring->pc = e.batch_va;
			ring->deadline = jiffies +
				msecs_to_jiffies(READ_ONCE(watchdog_ms));
		}
		/* An unplugged device touches no memory any more. */
		idx = srcu_read_lock(&hw->unplug_srcu);
		if (READ_ONCE(hw->removed))
			ret = -ENODEV;
		else
			ret = swgpu_hw_engine_run(ring->mmu, &ring->pc,
						  ring->deadline, yield_ns,
						  &fault);
		srcu_read_unlock(&hw->unplug_srcu, idx);
		if (ret == -EAGAIN) {
			idle = false;
			break;
		}
		ring->started = false;
		spin_lock(&ring->lock);
		ring->head++;
		spin_unlock(&ring->lock);
		/* The entry is the driver's again once this is called. */
		ring->irq(e.cookie, ret, ret == -EFAULT ? &fault : NULL);
	}
	dma_fence_end_signalling(signalling);
	return idle;
}

static void swgpu_hw_ring_work(struct work_struct *work)
{
	swgpu_hw_ring_run(container_of(work, struct swgpu_hw_ring, work), 0);
}

/**
 * swgpu_hw_ring_create - a new ring on a context
 * @mmu: the context its batches run on
 * @irq: its completion interrupt
 *
 * Context: process context.
 * Return: the ring, or NULL without memory.
 */
struct swgpu_hw_ring *swgpu_hw_ring_create(struct swgpu_hw_mmu *mmu,
					   swgpu_hw_irq_t irq)
{
	struct swgpu_hw_ring *ring;

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return NULL;
	ring->mmu = mmu;
	ring->irq = irq;
	spin_lock_init(&ring->lock);
	INIT_WORK(&ring->work, swgpu_hw_ring_work);
	return ring;
}

/**
 * swgpu_hw_ring_submit - write an entry and ring the doorbell
 * @ring: the ring
 * @entry: the entry, copied
 *
 * On an idle ring the engine starts in the caller's thread (see "Rings"
 * above), so @ring's completion interrupt may be raised, for this entry
 * or, on a full ring, for none, before this returns.
 *
 * Context: process context; may sleep (the engine runs for up to about
 * %SWGPU_HW_RING_INLINE_NS); on the fence-signalling path, it allocates
 * nothing.
 * Return: 0, or -ENOSPC when the ring's %SWGPU_HW_RING_SLOTS entries are
 * all in use.
 */
int swgpu_hw_ring_submit(struct swgpu_hw_ring *ring,
			 const struct swgpu_hw_ring_entry *entry)
{
	bool start;

	spin_lock(&ring->lock);
	if (ring->tail - ring->head >= SWGPU_HW_RING_SLOTS) {
		spin_unlock(&ring->lock);
		return -ENOSPC;
	}
	ring->slot[ring->tail++ % SWGPU_HW_RING_SLOTS] = *entry;
	start = !ring->busy;
	ring->busy = true;
	spin_unlock(&ring->lock);

	if (start && !swgpu_hw_ring_run(ring, local_clock() +
					SWGPU_HW_RING_INLINE_NS))
		queue_work(ring->mmu->hw->engine_wq, &ring->work);
	return 0;
}

/**
 * swgpu_hw_ring_destroy - take a ring down
 * @ring: the ring, or NULL; every entry written to it has completed, and
 *	no doorbell rings any more
 *
 * Context: process context; sleeps until the ring's work item is done.
 */
void swgpu_hw_ring_destroy(struct swgpu_hw_ring *ring)
{
	if (!ring)
		return;
	flush_work(&ring->work);
	WARN_ON(ring->head != ring->tail);
	kfree(ring);
}
