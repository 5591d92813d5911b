// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Address-space slots
 *
 * Much GPU hardware runs a job only in one of a few address-space slots
 * (AS registers, ASIDs): a slot holds a context's page-table root, and the
 * TLB caches translations per slot. With more contexts than slots, a
 * driver needs what this file is: an allocator that binds a context to a
 * slot when one of its jobs is about to run, keeps it bound (held) while
 * any of its jobs is on the hardware, and otherwise lets another context
 * take it over, least recently used first, with the flush the hardware
 * needs (&drm_gmmu_slots_ops).
 *
 * Why in drm-core and not iommu-ctx: a slot is held for the life of a job
 * on the hardware, from &drm_gmmu_queue_ops.run to drm_gmmu_job_done(),
 * and a job that finds every slot busy waits for another job to complete.
 * Both ends are drm_gmmu queue events, so drm_gmmu calls the manager
 * itself: a driver never acquires nor releases, it only reads the slot
 * its job got (&drm_gmmu_job.slot) and says how to program and flush one.
 * The manager itself knows no DRM object and no driver: its contexts are
 * &struct drm_gmmu_slot_ctx, which &struct drm_gmmu_vm embeds, and its
 * self-test drives it with a fake backend.
 *
 * Rules:
 *
 * - A context is bound to at most one slot, and a slot to at most one
 *   context. A job gets its context's slot if it has one (no flush, no
 *   programming), else the first slot of the LRU list: a free slot if
 *   there is one, else the slot idle for longest. Taking a slot from its
 *   idle owner flushes it (&drm_gmmu_slots_ops.flush) before binding the
 *   new owner (&drm_gmmu_slots_ops.bind); the former owner gets a slot
 *   again, and is programmed again, when it next runs.
 * - A slot is held (&drm_gmmu_slot_ctx.busy counts its owner's jobs on
 *   the hardware) from acquisition to the job's completion, and a held
 *   slot is never taken: a job never runs in a slot another context owns.
 * - When every slot is held, the job waits, in its run path, for a
 *   completion to release one; it never fails. No deadlock: a slot is
 *   released by drm_gmmu_job_done(), which takes only the manager's
 *   spinlock, and a waiting job holds no slot (its context has none, or
 *   it would have gone ahead) and no lock that completions take. The wait
 *   is in the scheduler's run_job work item or, for a direct submission,
 *   in the submitting thread: both may sleep, and neither allocates. A
 *   submission that would wait (drm_gmmu_slot_may_run()) goes through the
 *   scheduler rather than directly, so an EXEC seldom waits for a slot.
 * - Time-slicing: a job the hardware stalls (a semaphore wait that does
 *   not hold yet) may hold a slot another context's job waits for, even
 *   the job it waits for. Hardware that can stop a context there lets it
 *   go: the driver calls drm_gmmu_job_slot_yield() from where the job
 *   stalls, which, if a job waits for a slot, releases the stalled job's
 *   slot, lets the waiter take it, and then acquires a slot again (waiting
 *   as any job does) and returns the one to resume in. Contexts then take
 *   turns instead of waiting for the hardware's watchdog.
 * - Per-slot invalidation: drm_gmmu_slot_ctx_flush() flushes the slot of
 *   a context, if it has one, for hardware whose TLB is per slot; a
 *   context without a slot has nothing cached, since a slot is flushed
 *   whenever it changes owner.
 * - A context leaves its slot (flushed and cleared) when it goes
 *   (drm_gmmu_slot_ctx_fini()), after its last job.
 *
 * debugfs (drm_gmmu_slots_debugfs_init()): ``gmmu_slots`` shows the
 * counters and, per slot, its owner's id and busy count; writing a number
 * from 1 to the hardware's count sets how many slots are used, which
 * tests do to run a part with many slots as one with few. It is refused
 * (-EBUSY) while any job holds a slot.
 */
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include <drm/drm_gmmu_slots.h>

/* Rebuild the LRU list with the first @count slots, all unbound. */
static void drm_gmmu_slots_reset_lru(struct drm_gmmu_slots *s)
{
	unsigned int i;

	INIT_LIST_HEAD(&s->lru);
	for (i = 0; i < s->count; i++)
		list_add_tail(&s->slot[i].lru, &s->lru);
}

/**
 * drm_gmmu_slots_init - set up a device's slot manager
 * @s: the manager, zeroed or not
 * @count: slots the hardware has, 1 to %DRM_GMMU_MAX_SLOTS (clamped)
 * @ops: the driver's hooks
 * @priv: the driver's, for its hooks
 *
 * Context: any; nothing to undo.
 */
void drm_gmmu_slots_init(struct drm_gmmu_slots *s, unsigned int count,
			 const struct drm_gmmu_slots_ops *ops, void *priv)
{
	memset(s, 0, sizeof(*s));
	spin_lock_init(&s->lock);
	init_waitqueue_head(&s->wait);
	s->ops = ops;
	s->priv = priv;
	s->max = clamp(count, 1U, DRM_GMMU_MAX_SLOTS);
	s->count = s->max;
	drm_gmmu_slots_reset_lru(s);
}
EXPORT_SYMBOL_GPL(drm_gmmu_slots_init);

/**
 * drm_gmmu_slots_set_count - use fewer (or again all) of the slots
 * @s: the manager
 * @count: slots to use, 1 to &drm_gmmu_slots.max
 *
 * Every bound slot is flushed and cleared; contexts get slots again when
 * they next run.
 *
 * Context: any; takes the manager's spinlock.
 * Return: 0, -EINVAL for a bad @count, -EBUSY while a job holds a slot.
 */
int drm_gmmu_slots_set_count(struct drm_gmmu_slots *s, unsigned int count)
{
	unsigned long flags;
	unsigned int i;

	if (!count || count > s->max)
		return -EINVAL;
	spin_lock_irqsave(&s->lock, flags);
	for (i = 0; i < s->max; i++) {
		if (s->slot[i].owner && s->slot[i].owner->busy) {
			spin_unlock_irqrestore(&s->lock, flags);
			return -EBUSY;
		}
	}
	for (i = 0; i < s->max; i++) {
		struct drm_gmmu_slot_ctx *owner = s->slot[i].owner;

		if (!owner)
			continue;
		s->ops->flush(s, i);
		s->ops->bind(s, i, NULL);
		owner->slot = -1;
		s->slot[i].owner = NULL;
	}
	s->count = count;
	drm_gmmu_slots_reset_lru(s);
	spin_unlock_irqrestore(&s->lock, flags);
	/* Waiters may have more slots now. */
	wake_up_all(&s->wait);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_slots_set_count);

/**
 * drm_gmmu_slot_ctx_init - a new context of a device
 * @ctx: the context's claim
 * @s: the device's manager, or NULL if the device has none
 */
void drm_gmmu_slot_ctx_init(struct drm_gmmu_slot_ctx *ctx,
			    struct drm_gmmu_slots *s)
{
	unsigned long flags;

	ctx->slots = s;
	ctx->slot = -1;
	ctx->busy = 0;
	if (!s)
		return;
	spin_lock_irqsave(&s->lock, flags);
	ctx->id = ++s->next_id;
	spin_unlock_irqrestore(&s->lock, flags);
}
EXPORT_SYMBOL_GPL(drm_gmmu_slot_ctx_init);

/**
 * drm_gmmu_slot_ctx_fini - a context leaves its slot
 * @ctx: the context, none of whose jobs is on the hardware; may be
 *	called more than once
 *
 * Its slot, if it has one, is flushed, cleared and becomes the first to
 * be taken.
 */
void drm_gmmu_slot_ctx_fini(struct drm_gmmu_slot_ctx *ctx)
{
	struct drm_gmmu_slots *s = ctx->slots;
	struct drm_gmmu_slot *slot;
	unsigned long flags;

	if (!s)
		return;
	spin_lock_irqsave(&s->lock, flags);
	WARN_ON(ctx->busy);
	if (ctx->slot >= 0) {
		slot = &s->slot[ctx->slot];
		s->ops->flush(s, ctx->slot);
		s->ops->bind(s, ctx->slot, NULL);
		slot->owner = NULL;
		list_move(&slot->lru, &s->lru);
		ctx->slot = -1;
	}
	spin_unlock_irqrestore(&s->lock, flags);
}
EXPORT_SYMBOL_GPL(drm_gmmu_slot_ctx_fini);

/* Give @ctx a slot, or return false; the caller holds the lock. */
static bool __drm_gmmu_slot_take(struct drm_gmmu_slots *s,
				 struct drm_gmmu_slot_ctx *ctx,
				 unsigned int *out)
{
	struct drm_gmmu_slot *slot;
	unsigned int i;

	lockdep_assert_held(&s->lock);
	if (ctx->slot >= 0) {
		/* Bound already: an idle slot leaves the LRU list. */
		if (!ctx->busy++)
			list_del_init(&s->slot[ctx->slot].lru);
		goto out;
	}
	slot = list_first_entry_or_null(&s->lru, struct drm_gmmu_slot, lru);
	if (!slot)
		return false;
	i = slot - s->slot;
	list_del_init(&slot->lru);
	if (slot->owner) {
		/* Only an idle owner's slot is on the list. */
		WARN_ON(slot->owner->busy);
		slot->owner->slot = -1;
		slot->steals++;
		s->steals++;
		s->ops->flush(s, i);
	}
	slot->owner = ctx;
	ctx->slot = i;
	ctx->busy = 1;
	s->binds++;
	s->ops->bind(s, i, ctx);
out:
	s->acquires++;
	*out = ctx->slot;
	return true;
}

/**
 * drm_gmmu_slot_try_acquire - hold a slot for a job of @ctx, if one is free
 * @ctx: the job's context
 * @slot: out, the slot
 *
 * Context: any; takes the manager's spinlock.
 * Return: true with the slot held (drm_gmmu_slot_release() once the job
 * is done), false when every slot is held by other contexts.
 */
bool drm_gmmu_slot_try_acquire(struct drm_gmmu_slot_ctx *ctx,
			       unsigned int *slot)
{
	struct drm_gmmu_slots *s = ctx->slots;
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&s->lock, flags);
	ok = __drm_gmmu_slot_take(s, ctx, slot);
	spin_unlock_irqrestore(&s->lock, flags);
	return ok;
}
EXPORT_SYMBOL_GPL(drm_gmmu_slot_try_acquire);

/**
 * drm_gmmu_slot_acquire - hold a slot for a job of @ctx, waiting if need be
 * @ctx: the job's context, of a device with a manager
 *
 * Waits, uninterruptibly, while every slot is held by other contexts'
 * jobs (see "Address-space slots" for why that cannot deadlock).
 *
 * Context: process context; may sleep; allocates nothing.
 * Return: the slot, held until drm_gmmu_slot_release().
 */
unsigned int drm_gmmu_slot_acquire(struct drm_gmmu_slot_ctx *ctx)
{
	struct drm_gmmu_slots *s = ctx->slots;
	unsigned long flags;
	unsigned int slot;
	bool counted = false;
	DEFINE_WAIT(wait);

	for (;;) {
		prepare_to_wait(&s->wait, &wait, TASK_UNINTERRUPTIBLE);
		spin_lock_irqsave(&s->lock, flags);
		if (__drm_gmmu_slot_take(s, ctx, &slot)) {
			spin_unlock_irqrestore(&s->lock, flags);
			break;
		}
		if (!counted) {
			s->waits++;
			counted = true;
		}
		spin_unlock_irqrestore(&s->lock, flags);
		schedule();
	}
	finish_wait(&s->wait, &wait);
	return slot;
}
EXPORT_SYMBOL_GPL(drm_gmmu_slot_acquire);

/**
 * drm_gmmu_slot_release - a job of @ctx left the hardware
 * @ctx: the job's context, holding its slot for the job
 *
 * The context's last job on the hardware makes its slot idle: most
 * recently used, last to be taken. Wakes jobs waiting for a slot.
 *
 * Context: any, the fence-signalling path included; takes the manager's
 * spinlock.
 */
void drm_gmmu_slot_release(struct drm_gmmu_slot_ctx *ctx)
{
	struct drm_gmmu_slots *s = ctx->slots;
	unsigned long flags;
	bool idle = false;

	spin_lock_irqsave(&s->lock, flags);
	if (!WARN_ON(ctx->slot < 0 || !ctx->busy) && !--ctx->busy) {
		list_add_tail(&s->slot[ctx->slot].lru, &s->lru);
		idle = true;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	if (idle)
		wake_up_all(&s->wait);
}
EXPORT_SYMBOL_GPL(drm_gmmu_slot_release);

/**
 * drm_gmmu_slot_may_run - would a job of @ctx get a slot without waiting?
 * @ctx: the context
 *
 * For a submission that would rather not wait: true without a manager,
 * when @ctx is bound to a slot, or when a slot is free or idle. Only a
 * hint: it may have changed by the time the job acquires.
 *
 * Return: whether drm_gmmu_slot_acquire() would return at once now.
 */
bool drm_gmmu_slot_may_run(struct drm_gmmu_slot_ctx *ctx)
{
	struct drm_gmmu_slots *s = ctx->slots;
	unsigned long flags;
	bool ok;

	if (!s)
		return true;
	spin_lock_irqsave(&s->lock, flags);
	ok = ctx->slot >= 0 || !list_empty(&s->lru);
	spin_unlock_irqrestore(&s->lock, flags);
	return ok;
}
EXPORT_SYMBOL_GPL(drm_gmmu_slot_may_run);

/**
 * drm_gmmu_slot_yield - a stalled job of @ctx lets a waiting job have its slot
 * @ctx: the job's context, holding its slot for the job
 *
 * Without a job waiting for a slot, returns the slot at once, still held.
 * Else releases it, gives the waiters a moment (until the slot is taken,
 * at most two jiffies) so the yielding context does not take it back
 * first, and acquires a slot again, waiting if need be.
 *
 * Context: process context; may sleep; allocates nothing.
 * Return: the slot to resume in, held.
 */
unsigned int drm_gmmu_slot_yield(struct drm_gmmu_slot_ctx *ctx)
{
	struct drm_gmmu_slots *s = ctx->slots;

	if (!waitqueue_active(&s->wait))
		return ctx->slot;
	drm_gmmu_slot_release(ctx);
	wait_event_timeout(s->wait, READ_ONCE(ctx->slot) < 0,
			   msecs_to_jiffies(2) ?: 1);
	return drm_gmmu_slot_acquire(ctx);
}
EXPORT_SYMBOL_GPL(drm_gmmu_slot_yield);

/**
 * drm_gmmu_slot_ctx_flush - invalidate what the hardware caches for @ctx
 * @ctx: the context
 *
 * Per-slot invalidation, for hardware whose TLB is per slot: flushes the
 * context's slot if it has one.
 *
 * Context: any; takes the manager's spinlock.
 * Return: true if a slot was flushed.
 */
bool drm_gmmu_slot_ctx_flush(struct drm_gmmu_slot_ctx *ctx)
{
	struct drm_gmmu_slots *s = ctx->slots;
	unsigned long flags;
	bool bound;

	if (!s)
		return false;
	spin_lock_irqsave(&s->lock, flags);
	bound = ctx->slot >= 0;
	if (bound)
		s->ops->flush(s, ctx->slot);
	spin_unlock_irqrestore(&s->lock, flags);
	return bound;
}
EXPORT_SYMBOL_GPL(drm_gmmu_slot_ctx_flush);

static int drm_gmmu_slots_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_slots *s = m->private;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&s->lock, flags);
	seq_printf(m, "slots: %u\n", s->count);
	seq_printf(m, "max: %u\n", s->max);
	seq_printf(m, "acquires: %lu\n", s->acquires);
	seq_printf(m, "binds: %lu\n", s->binds);
	seq_printf(m, "steals: %lu\n", s->steals);
	seq_printf(m, "waits: %lu\n", s->waits);
	for (i = 0; i < s->count; i++) {
		struct drm_gmmu_slot_ctx *owner = s->slot[i].owner;

		seq_printf(m, "slot%u: owner %llu busy %u steals %lu\n", i,
			   owner ? owner->id : 0, owner ? owner->busy : 0,
			   s->slot[i].steals);
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

static int drm_gmmu_slots_open(struct inode *inode, struct file *file)
{
	return single_open(file, drm_gmmu_slots_show, inode->i_private);
}

static ssize_t drm_gmmu_slots_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *pos)
{
	struct drm_gmmu_slots *s = file_inode(file)->i_private;
	unsigned int count;
	int ret;

	ret = kstrtouint_from_user(ubuf, len, 0, &count);
	if (ret)
		return ret;
	ret = drm_gmmu_slots_set_count(s, count);
	return ret ?: len;
}

static const struct file_operations drm_gmmu_slots_fops = {
	.owner = THIS_MODULE,
	.open = drm_gmmu_slots_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = drm_gmmu_slots_write,
};

/**
 * drm_gmmu_slots_debugfs_init - the manager's debugfs file
 * @s: the manager
 * @root: the DRM device's debugfs directory
 *
 * Creates ``gmmu_slots`` (see "Address-space slots"). drm_gmmu's
 * drm_gmmu_debugfs_init() calls it for a device with a manager.
 */
void drm_gmmu_slots_debugfs_init(struct drm_gmmu_slots *s, struct dentry *root)
{
	debugfs_create_file("gmmu_slots", 0600, root, s, &drm_gmmu_slots_fops);
}
EXPORT_SYMBOL_GPL(drm_gmmu_slots_debugfs_init);
