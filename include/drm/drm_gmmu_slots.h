/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Address-space slot interface
 *
 * The slot manager's structures and calls (drm-core/drm_gmmu_slots.c):
 * a driver whose hardware has a few address-space slots fills in a
 * &struct drm_gmmu_slots_ops and hangs a manager on its device
 * (&drm_gmmu_device.slots); drm_gmmu then gives every job of a VM a slot
 * before the job reaches the hardware (&drm_gmmu_job.slot).
 */
#ifndef __DRM_GMMU_SLOTS_H__
#define __DRM_GMMU_SLOTS_H__

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct dentry;
struct drm_gmmu_slots;
struct drm_gmmu_slot_ctx;

/** DRM_GMMU_MAX_SLOTS - most address-space slots a manager handles */
#define DRM_GMMU_MAX_SLOTS	32

/**
 * struct drm_gmmu_slots_ops - what the hardware does with its slots
 * @bind: program slot @slot with @ctx's address space (its page-table
 *	root and format, in the driver's own context structure, which
 *	embeds @ctx), or clear the slot when @ctx is NULL. A slot that
 *	changes owner was flushed (@flush) just before.
 * @flush: invalidate everything the hardware caches under slot @slot
 *	(its TLB, or its ASID's entries of a tagged TLB)
 *
 * Both are called with the manager's spinlock held, from the job's run
 * path, which is on the fence-signalling path: they must not sleep nor
 * allocate memory.
 */
struct drm_gmmu_slots_ops {
	void (*bind)(struct drm_gmmu_slots *s, unsigned int slot,
		     struct drm_gmmu_slot_ctx *ctx);
	void (*flush)(struct drm_gmmu_slots *s, unsigned int slot);
};

/**
 * struct drm_gmmu_slot - one address-space slot (internal)
 * @owner: the context bound to the slot, or NULL
 * @lru: in &drm_gmmu_slots.lru while no job of @owner is on the hardware
 * @steals: times the slot was taken from an idle owner
 */
struct drm_gmmu_slot {
	struct drm_gmmu_slot_ctx *owner;
	struct list_head lru;
	unsigned long steals;
};

/**
 * struct drm_gmmu_slots - the slot manager of one device
 * @lock: protects everything below, and the &struct drm_gmmu_slot_ctx of
 *	the device's contexts
 * @wait: where a job waits while every slot is busy
 * @ops: the driver's hooks
 * @priv: the driver's, for its hooks
 * @max: slots the hardware has
 * @count: slots in use (at most @max; lowered by tests, see debugfs)
 * @lru: slots that may be taken: free ones first, then idle ones, least
 *	recently used first
 * @next_id: the id the next context gets, for debugfs
 * @acquires: jobs that got a slot
 * @binds: slots bound to a context that did not hold one
 * @steals: slots taken from an idle context
 * @waits: jobs that had to wait because every slot was busy
 * @slot: the slots
 */
struct drm_gmmu_slots {
	spinlock_t lock;
	wait_queue_head_t wait;
	const struct drm_gmmu_slots_ops *ops;
	void *priv;
	unsigned int max;
	unsigned int count;
	struct list_head lru;
	u64 next_id;
	unsigned long acquires;
	unsigned long binds;
	unsigned long steals;
	unsigned long waits;
	struct drm_gmmu_slot slot[DRM_GMMU_MAX_SLOTS];
};

/**
 * struct drm_gmmu_slot_ctx - a context's claim on the slots
 * @slots: the manager, or NULL for a context of a device without one
 * @slot: the slot the context is bound to, or -1
 * @busy: jobs of the context on the hardware, each holding @slot
 * @id: a number for debugfs
 *
 * &struct drm_gmmu_vm embeds one; all fields are the manager's.
 */
struct drm_gmmu_slot_ctx {
	struct drm_gmmu_slots *slots;
	int slot;
	unsigned int busy;
	u64 id;
};

void drm_gmmu_slots_init(struct drm_gmmu_slots *s, unsigned int count,
			 const struct drm_gmmu_slots_ops *ops, void *priv);
int drm_gmmu_slots_set_count(struct drm_gmmu_slots *s, unsigned int count);
void drm_gmmu_slot_ctx_init(struct drm_gmmu_slot_ctx *ctx,
			    struct drm_gmmu_slots *s);
void drm_gmmu_slot_ctx_fini(struct drm_gmmu_slot_ctx *ctx);
unsigned int drm_gmmu_slot_acquire(struct drm_gmmu_slot_ctx *ctx);
bool drm_gmmu_slot_try_acquire(struct drm_gmmu_slot_ctx *ctx,
			       unsigned int *slot);
void drm_gmmu_slot_release(struct drm_gmmu_slot_ctx *ctx);
unsigned int drm_gmmu_slot_yield(struct drm_gmmu_slot_ctx *ctx);
bool drm_gmmu_slot_may_run(struct drm_gmmu_slot_ctx *ctx);
bool drm_gmmu_slot_ctx_flush(struct drm_gmmu_slot_ctx *ctx);
void drm_gmmu_slots_debugfs_init(struct drm_gmmu_slots *s,
				 struct dentry *root);

#endif /* __DRM_GMMU_SLOTS_H__ */
