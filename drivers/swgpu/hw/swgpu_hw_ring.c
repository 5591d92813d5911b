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
 * Address-space slots: an entry runs in the slot it names, which the
 * engine checks is bound to the ring's context before it starts or
 * resumes the batch, every slice included (swgpu_hw_slot.c). Where a
 * SEMAPHORE_WAIT does not hold, the work item asks the driver, through
 * the ring's &swgpu_hw_slot_yield_t handler, for the slot to go on in:
 * the driver may let another context's batch have the slot meanwhile.
 *
 * Ring reset: swgpu_hw_ring_reset() stops a ring whatever its batch does
 * and completes every entry on it with -ECANCELED, as a driver's hang
 * recovery needs; other rings go on. So that a reset is seen soon, the
 * ring's work item runs the engine in slices of
 * %SWGPU_HW_RING_SLICE_NS and looks at the reset between two: a
 * SEMAPHORE_WAIT that does not hold gives the slice back at once, and the
 * ring polls it again after a pause that doubles from
 * %SWGPU_HW_RING_POLL_MIN_US to %SWGPU_HW_RING_POLL_MAX_US (the engine's
 * own poll, moved out of it); a command longer than a slice starts over
 * (see swgpu_hw_engine_run()) with a slice twice as long, so every
 * command ends in at most about twice its time.
 *
 * Completions signal fences: everything the engine does is on the
 * fence-signalling path, annotated as such. It allocates no memory and
 * takes no lock that anyone holds while waiting for a fence.
 */
#include <linux/delay.h>
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

/* The work item's slice of engine time between two looks at a reset. */
#define SWGPU_HW_RING_SLICE_NS	(100 * NSEC_PER_MSEC)
/* Pauses between two polls of a SEMAPHORE_WAIT by the work item. */
#define SWGPU_HW_RING_POLL_MIN_US	20
#define SWGPU_HW_RING_POLL_MAX_US	1000

static unsigned int watchdog_ms = 5000;
module_param(watchdog_ms, uint, 0644);
MODULE_PARM_DESC(watchdog_ms,
		 "engine watchdog: a batch running longer is stopped with -ETIMEDOUT (default 5000)");

/**
 * struct swgpu_hw_ring - a ring of batches for one context
 * @mmu: the context the batches run on
 * @irq: the completion interrupt
 * @yield: asks the driver for the slot when @head's batch stalls
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
 * @cur_slot: the address-space slot @head's batch runs in (its entry's,
 *	or the one @yield gave it)
 * @resetting: swgpu_hw_ring_reset() wants the engine off the ring
 * @work: runs the ring on the engine workqueue
 * @last_batch: batch address of the last entry completed (a register)
 * @last_status: its status (a register)
 * @fault: the last page fault on the ring (registers)
 */
struct swgpu_hw_ring {
	struct swgpu_hw_mmu *mmu;
	swgpu_hw_irq_t irq;
	swgpu_hw_slot_yield_t yield;
	spinlock_t lock;
	struct swgpu_hw_ring_entry slot[SWGPU_HW_RING_SLOTS];
	u32 head;
	u32 tail;
	bool busy;
	bool started;
	u64 pc;
	unsigned long deadline;
	unsigned int cur_slot;
	bool resetting;
	struct work_struct work;
	u64 last_batch;
	int last_status;
	struct swgpu_hw_fault fault;
};

/*
 * The engine on @ring's head entry from the work item: in slices, so that
 * a reset is seen between two (see "Ring reset"). -EAGAIN: reset; -ENXIO:
 * the slot the batch runs in is not its context's any more.
 */
static int swgpu_hw_ring_engine_sliced(struct swgpu_hw_ring *ring,
				       void *cookie,
				       struct swgpu_hw_fault *fault)
{
	unsigned long delay = SWGPU_HW_RING_POLL_MIN_US;
	u64 slice = SWGPU_HW_RING_SLICE_NS, pc, end;
	int ret;

	for (;;) {
		if (!swgpu_hw_slot_enter(ring->mmu, ring->cur_slot))
			return -ENXIO;
		pc = ring->pc;
		end = local_clock() + slice;
		ret = swgpu_hw_engine_run(ring->mmu, &ring->pc, ring->deadline,
					  end, fault);
		if (ret != -EAGAIN || READ_ONCE(ring->resetting))
			return ret;
		if (local_clock() < end) {
			/*
			 * A SEMAPHORE_WAIT that does not hold yet: another
			 * context may have the slot meanwhile.
			 */
			ring->cur_slot = ring->yield(cookie, ring->cur_slot);
			usleep_range(delay, delay + delay / 2);
			delay = min(delay * 2, SWGPU_HW_RING_POLL_MAX_US);
		} else if (ring->pc == pc) {
			/* A command longer than the slice: it starts over. */
			slice *= 2;
		} else {
			delay = SWGPU_HW_RING_POLL_MIN_US;
		}
	}
}

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

		/* A reset takes the ring from the engine. */
		if (READ_ONCE(ring->resetting)) {
			idle = false;
			break;
		}
		if (!ring->started) {
			/* A borrowed thread past its time starts nothing. */
			if (yield_ns && local_clock() >= yield_ns) {
				idle = false;
				break;
			}
			ring->started = true;
			ring->pc = e.batch_va;
			ring->cur_slot = e.slot;
			ring->deadline = jiffies +
				msecs_to_jiffies(READ_ONCE(watchdog_ms));
		}
		/* An unplugged device touches no memory any more. */
		idx = srcu_read_lock(&hw->unplug_srcu);
		if (READ_ONCE(hw->removed))
			ret = -ENODEV;
		else if (!swgpu_hw_slot_enter(ring->mmu, ring->cur_slot))
			ret = -ENXIO;
		else if (!yield_ns)
			ret = swgpu_hw_ring_engine_sliced(ring, e.cookie,
							  &fault);
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
		ring->last_batch = e.batch_va;
		ring->last_status = ret;
		if (ret == -EFAULT)
			ring->fault = fault;
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
 * @yield: its stalled-batch handler
 *
 * Context: process context.
 * Return: the ring, or NULL without memory.
 */
struct swgpu_hw_ring *swgpu_hw_ring_create(struct swgpu_hw_mmu *mmu,
					   swgpu_hw_irq_t irq,
					   swgpu_hw_slot_yield_t yield)
{
	struct swgpu_hw_ring *ring;

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return NULL;
	ring->mmu = mmu;
	ring->irq = irq;
	ring->yield = yield;
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
 * swgpu_hw_ring_reset - stop a ring and cancel every entry on it
 * @ring: the ring; no doorbell rings it until this returns
 *
 * The engine gives the ring up at its next step (see "Ring reset"); then
 * the completion interrupt is raised, in ring order, for every entry the
 * ring holds, the one the engine was running included, with -ECANCELED.
 * The ring is idle and takes entries again afterwards.
 *
 * Context: process context; sleeps until the engine is off the ring; the
 * fence-signalling path (it allocates nothing).
 */
void swgpu_hw_ring_reset(struct swgpu_hw_ring *ring)
{
	struct swgpu_hw_ring_entry e;
	bool signalling;

	WRITE_ONCE(ring->resetting, true);
	/* The engine runs a busy ring only in its work item by now. */
	flush_work(&ring->work);
	signalling = dma_fence_begin_signalling();
	spin_lock(&ring->lock);
	while (ring->head != ring->tail) {
		e = ring->slot[ring->head++ % SWGPU_HW_RING_SLOTS];
		spin_unlock(&ring->lock);
		ring->irq(e.cookie, -ECANCELED, NULL);
		spin_lock(&ring->lock);
	}
	ring->started = false;
	ring->busy = false;
	WRITE_ONCE(ring->resetting, false);
	spin_unlock(&ring->lock);
	dma_fence_end_signalling(signalling);
}

/**
 * swgpu_hw_ring_read_regs - read a ring's registers
 * @ring: the ring
 * @regs: out, its registers
 *
 * The engine may be running: @regs->pc is where it was as it was read.
 *
 * Context: any context that may take a spinlock; the fence-signalling
 * path included (a completion interrupt may call it).
 */
void swgpu_hw_ring_read_regs(struct swgpu_hw_ring *ring,
			     struct swgpu_hw_ring_regs *regs)
{
	spin_lock(&ring->lock);
	regs->head = ring->head;
	regs->tail = ring->tail;
	regs->busy = ring->busy;
	regs->active_batch = ring->head != ring->tail &&
			     data_race(ring->started) ?
			     ring->slot[ring->head % SWGPU_HW_RING_SLOTS].batch_va : 0;
	regs->last_batch = ring->last_batch;
	regs->last_status = ring->last_status;
	regs->fault_va = ring->fault.va;
	regs->fault_access = ring->fault.access;
	spin_unlock(&ring->lock);
	/* The engine's own, written by whoever runs the ring. */
	regs->pc = data_race(READ_ONCE(ring->pc));
	regs->root = data_race(READ_ONCE(ring->mmu->root));
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
