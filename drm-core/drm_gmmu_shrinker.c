// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Eviction and the shrinker
 *
 * Eviction of a device's idle BOs, bound or not (see "Eviction"): by its
 * shrinker under memory pressure, and on demand (debugfs). The shrinker runs inside fs_reclaim,
 * so it only trylocks reservations: a thread holding one may be
 * allocating, and waiting for it would deadlock reclaim against itself.
 */
#include <linux/dma-resv.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/swap.h>
#include <linux/wait_bit.h>

#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_managed.h>

#include "drm_gmmu_internal.h"

/*
 * Evicts BOs of @gdev until @target pages went or every BO was looked at
 * once. A BO being looked at is marked (@shrinking) under the list lock,
 * so that its free waits for the scan to let go of it rather than freeing
 * a reservation the scan is unlocking.
 */
static unsigned long drm_gmmu_evict_some(struct drm_gmmu_device *gdev,
					 unsigned long target)
{
	unsigned long freed = 0;
	struct drm_gmmu_bo *bo;
	LIST_HEAD(seen);

	spin_lock(&gdev->bo_lock);
	while (freed < target &&
	       (bo = list_first_entry_or_null(&gdev->bos, struct drm_gmmu_bo,
					      bo_link))) {
		/* Seen BOs go back at the tail: the next scan starts elsewhere. */
		list_move_tail(&bo->bo_link, &seen);
		bo->shrinking = true;
		spin_unlock(&gdev->bo_lock);

		if (dma_resv_trylock(bo->base.base.resv)) {
			freed += drm_gmmu_bo_evict_locked(bo);
			dma_resv_unlock(bo->base.base.resv);
		} else {
			atomic64_inc(&gdev->stats->backing.shrinker_skipped);
		}
		cond_resched();

		spin_lock(&gdev->bo_lock);
		bo->shrinking = false;
		wake_up_var(&bo->shrinking);
	}
	list_splice_tail(&seen, &gdev->bos);
	spin_unlock(&gdev->bo_lock);
	return freed;
}

static bool drm_gmmu_bo_shrinking(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_device *gdev = bo->gdev;
	bool ret;

	spin_lock(&gdev->bo_lock);
	ret = bo->shrinking;
	spin_unlock(&gdev->bo_lock);
	return ret;
}

void drm_gmmu_bo_shrinker_add(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_device *gdev = bo->gdev;

	spin_lock(&gdev->bo_lock);
	list_add_tail(&bo->bo_link, &gdev->bos);
	spin_unlock(&gdev->bo_lock);
}

/* At free: the BO leaves the list, and no scan holds it any more. */
void drm_gmmu_bo_shrinker_del(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_device *gdev = bo->gdev;

	spin_lock(&gdev->bo_lock);
	list_del_init(&bo->bo_link);
	spin_unlock(&gdev->bo_lock);
	wait_var_event(&bo->shrinking, !drm_gmmu_bo_shrinking(bo));
}

/**
 * drm_gmmu_device_evict - evict every BO of a device that may go
 * @gdev: the device
 *
 * What the shrinker does under memory pressure, for all of the device's
 * BOs at once (drm_gmmu_bo_evict_locked()): bound BOs go too, their
 * mappings first; a BO that is busy, pinned for another reason than its
 * bindings, or whose reservation is taken is left alone. For tests and
 * debugfs.
 *
 * Context: process context, no reservation held.
 * Return: pages released.
 */
unsigned long drm_gmmu_device_evict(struct drm_gmmu_device *gdev)
{
	unsigned long freed = drm_gmmu_evict_some(gdev, ULONG_MAX);

	atomic64_set(&gdev->stats->backing.last_evict, freed);
	return freed;
}
EXPORT_SYMBOL_GPL(drm_gmmu_device_evict);

static unsigned long drm_gmmu_shrinker_count(struct shrinker *shrinker,
					     struct shrink_control *sc)
{
	struct drm_gmmu_device *gdev = shrinker->private_data;
	long n;

	/* Without free swap, releasing shmem pages frees nothing. */
	if (get_nr_swap_pages() <= 0)
		return SHRINK_EMPTY;
	n = atomic_long_read(&gdev->evictable);
	return n > 0 ? n : SHRINK_EMPTY;
}

static unsigned long drm_gmmu_shrinker_scan(struct shrinker *shrinker,
					    struct shrink_control *sc)
{
	struct drm_gmmu_device *gdev = shrinker->private_data;
	unsigned long freed;

	/* Writing to swap needs I/O, and the PTE shootdown i_mmap_rwsem. */
	if (!(sc->gfp_mask & __GFP_IO) || !(sc->gfp_mask & __GFP_FS))
		return SHRINK_STOP;
	atomic64_inc(&gdev->stats->backing.shrinker_scans);
	freed = drm_gmmu_evict_some(gdev, sc->nr_to_scan);
	sc->nr_scanned = freed;
	return freed ?: SHRINK_STOP;
}

static void drm_gmmu_shrinker_fini(struct drm_device *drm, void *data)
{
	struct drm_gmmu_device *gdev = data;

	shrinker_free(gdev->shrinker);
}

int drm_gmmu_shrinker_init(struct drm_gmmu_device *gdev)
{
	struct drm_device *drm = &gdev->drm;

	spin_lock_init(&gdev->bo_lock);
	INIT_LIST_HEAD(&gdev->bos);
	atomic_long_set(&gdev->evictable, 0);
	gdev->shrinker = shrinker_alloc(0, "drm-gmmu:%s", dev_name(drm->dev));
	if (!gdev->shrinker)
		return -ENOMEM;
	gdev->shrinker->count_objects = drm_gmmu_shrinker_count;
	gdev->shrinker->scan_objects = drm_gmmu_shrinker_scan;
	gdev->shrinker->private_data = gdev;
	shrinker_register(gdev->shrinker);
	return drmm_add_action_or_reset(drm, drm_gmmu_shrinker_fini, gdev);
}
