// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Usage statistics in fdinfo
 *
 * Every driver on drm_gmmu shows the keys of
 * Documentation/gpu/drm-usage-stats.rst in /proc/<pid>/fdinfo/<fd> of
 * its DRM files, so that a gputop-style tool reads them without knowing
 * the driver. It sets &drm_driver.show_fdinfo to drm_gmmu_show_fdinfo()
 * (DRM_GMMU_DRIVER_OPS) and its file_operations with
 * DEFINE_DRM_GMMU_FOPS(). The DRM core prints ``drm-driver``,
 * ``drm-client-id`` and, for a PCI device, ``drm-pdev``; drm_gmmu adds:
 *
 * ``drm-engine-render``
 *	nanoseconds during which at least one job of the file was on the
 *	hardware: from the job's hand-over to the driver
 *	(&drm_gmmu_queue_ops.run) to drm_gmmu_job_done(). A job that runs
 *	now counts up to the moment of reading, so a tool sees a spinning
 *	batch's time grow. Jobs of the file on several queues at once count
 *	once: the value never grows faster than the clock. A job whose
 *	dependency failed never reaches the hardware and adds nothing; so
 *	does a job the kernel submits on its own behalf (it has no file).
 *	drm_gmmu has one engine class, since its queues are all alike.
 * ``drm-{total,shared,active,resident,purgeable}-memory``
 *	the DRM core's drm_show_memory_stats() over the file's GEM handles,
 *	with drm_gmmu BOs' &drm_gem_object_funcs.status and
 *	&drm_gem_object_funcs.rss: a BO is resident once it has backing
 *	pages and counts as many bytes as it has resident (eviction and
 *	lazy population make that less than its size); an imported BO is
 *	resident whole, its pages being the exporter's. Nothing is
 *	purgeable: drm_gmmu BOs have no madvise, so the purgeable figure is
 *	always 0. Active means the BO's reservation holds an unsignalled
 *	READ or WRITE fence: a shared BO a running job of publish or
 *	implicit policy maps; VM-private BOs carry their jobs' fences as
 *	BOOKKEEP, which the DRM core does not count as activity.
 */
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_print.h>

#include "drm_gmmu_internal.h"

/**
 * drm_gmmu_busy_init - set up a file's busy time
 * @busy: the counters, in the file's &struct drm_gmmu_file
 */
void drm_gmmu_busy_init(struct drm_gmmu_busy *busy)
{
	spin_lock_init(&busy->lock);
	busy->running = 0;
	busy->since = 0;
	busy->total_ns = 0;
}

/**
 * drm_gmmu_busy_begin - a job of the file goes to the hardware
 * @busy: the file's counters
 *
 * Context: any; the fence-signalling path.
 */
void drm_gmmu_busy_begin(struct drm_gmmu_busy *busy)
{
	unsigned long flags;

	spin_lock_irqsave(&busy->lock, flags);
	if (!busy->running++)
		busy->since = ktime_get_raw_ns();
	spin_unlock_irqrestore(&busy->lock, flags);
}

/**
 * drm_gmmu_busy_end - a job of the file is done with the hardware
 * @busy: the file's counters, after drm_gmmu_busy_begin()
 *
 * Context: any; the fence-signalling path.
 */
void drm_gmmu_busy_end(struct drm_gmmu_busy *busy)
{
	unsigned long flags;

	spin_lock_irqsave(&busy->lock, flags);
	if (!WARN_ON(!busy->running) && !--busy->running)
		busy->total_ns += ktime_get_raw_ns() - busy->since;
	spin_unlock_irqrestore(&busy->lock, flags);
}

static u64 drm_gmmu_busy_ns(struct drm_gmmu_busy *busy)
{
	unsigned long flags;
	u64 ns;

	spin_lock_irqsave(&busy->lock, flags);
	ns = busy->total_ns;
	if (busy->running)
		ns += ktime_get_raw_ns() - busy->since;
	spin_unlock_irqrestore(&busy->lock, flags);
	return ns;
}

/**
 * drm_gmmu_show_fdinfo - &drm_driver.show_fdinfo of a driver on drm_gmmu
 * @p: where the DRM core prints the file's fdinfo
 * @file: the DRM file, opened with drm_gmmu_file_open()
 *
 * Prints the file's engine busy time and memory statistics (see "Usage
 * statistics in fdinfo"), after the DRM core's own keys.
 *
 * Context: process context, inside drm_dev_enter().
 */
void drm_gmmu_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct drm_gmmu_file *gfile = to_drm_gmmu_file(file);

	drm_printf(p, "drm-engine-render:\t%llu ns\n",
		   drm_gmmu_busy_ns(&gfile->busy));
	drm_show_memory_stats(p, file);
}
EXPORT_SYMBOL_GPL(drm_gmmu_show_fdinfo);

/**
 * drm_gmmu_bo_status - &drm_gem_object_funcs.status of a drm_gmmu BO
 * @obj: the BO
 *
 * Context: under the file's table lock (a spinlock): reads without locks.
 * Return: %DRM_GEM_OBJECT_RESIDENT once the BO has a backing page, or
 * always for an imported BO; never %DRM_GEM_OBJECT_PURGEABLE.
 */
enum drm_gem_object_status drm_gmmu_bo_status(struct drm_gem_object *obj)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);

	if (drm_gmmu_bo_is_imported(bo) || READ_ONCE(bo->resident))
		return DRM_GEM_OBJECT_RESIDENT;
	return 0;
}

/**
 * drm_gmmu_bo_rss - &drm_gem_object_funcs.rss of a drm_gmmu BO
 * @obj: the BO
 *
 * Context: as drm_gmmu_bo_status().
 * Return: bytes of the BO that are resident; an imported BO's size.
 */
size_t drm_gmmu_bo_rss(struct drm_gem_object *obj)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);

	if (drm_gmmu_bo_is_imported(bo))
		return obj->size;
	return (size_t)READ_ONCE(bo->resident) << PAGE_SHIFT;
}
