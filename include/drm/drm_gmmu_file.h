/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Per-file state interface
 *
 * drm_gmmu's per-open-file state: the file's VMs by id, and the CPU-access
 * brackets it has open. See drm-core/drm_gmmu_file.c.
 */
#ifndef __DRM_GMMU_FILE_H__
#define __DRM_GMMU_FILE_H__

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/drm_file.h>

struct drm_gmmu_device;
struct drm_gmmu_vm;

/**
 * struct drm_gmmu_busy - time a file's jobs spent on the hardware
 * @lock: protects the rest; taken from the fence-signalling path
 * @running: the file's jobs on the hardware now
 * @since: when @running last went from 0 to 1, ktime_get_raw_ns()
 * @total_ns: busy time up to the last time @running dropped to 0
 *
 * Busy means at least one of the file's jobs is on the hardware, from
 * the job's hand-over (&drm_gmmu_queue_ops.run) to drm_gmmu_job_done():
 * jobs running side by side on several queues count once, so the figure
 * never grows faster than the clock.
 */
struct drm_gmmu_busy {
	spinlock_t lock;
	unsigned int running;
	u64 since;
	u64 total_ns;
};

/**
 * struct drm_gmmu_file - drm_gmmu's state of one open DRM file
 * @gdev: the device the file was opened on
 * @file: the DRM file
 * @vms: the file's VMs by id, from 1 to %DRM_GMMU_MAX_VMS_PER_FILE; an id
 *	reserved by drm_gmmu_file_vm_reserve() holds no VM yet, and lookups
 *	do not see it. The xarray's lock makes lookup-and-reference and
 *	removal atomic against each other.
 * @cpu_access_lock: protects @cpu_access and @cpu_access_count
 * @cpu_access: the CPU-access brackets this file opened and has not closed
 * @cpu_access_count: entries of @cpu_access, at most
 *	%DRM_GMMU_MAX_CPU_ACCESS_PER_FILE
 * @busy: how long the file's jobs kept the hardware busy, for fdinfo
 * @pinned: bytes of BOs the file's VMs map, each BO counted once per VM
 *	that maps it: what their level-1 mappings pin, evicted or not
 *	(see "Pins by purpose"); limited by the ``pin_limit_mb`` parameter
 *
 * A driver embeds this in its per-file structure, calls
 * drm_gmmu_file_init() from &drm_driver.open and drm_gmmu_file_fini() from
 * &drm_driver.postclose; or, with no per-file state of its own, has
 * drm_gmmu_file_open() as &drm_driver.open and
 * drm_gmmu_driver_postclose() as &drm_driver.postclose
 * (%DRM_GMMU_DRIVER_OPS).
 */
struct drm_gmmu_file {
	struct drm_gmmu_device *gdev;
	struct drm_file *file;
	struct xarray vms;
	struct mutex cpu_access_lock;
	struct list_head cpu_access;
	unsigned int cpu_access_count;
	struct drm_gmmu_busy busy;
	atomic64_t pinned;
};

struct drm_device;

void drm_gmmu_file_init(struct drm_gmmu_file *gfile,
			struct drm_gmmu_device *gdev, struct drm_file *file);
int drm_gmmu_file_open(struct drm_device *drm, struct drm_file *file);
void drm_gmmu_driver_postclose(struct drm_device *drm, struct drm_file *file);

/**
 * to_drm_gmmu_file - the drm_gmmu state of a file opened with
 *	drm_gmmu_file_open()
 * @file: the DRM file
 *
 * Return: its &struct drm_gmmu_file.
 */
static inline struct drm_gmmu_file *to_drm_gmmu_file(struct drm_file *file)
{
	return file->driver_priv;
}
void drm_gmmu_file_fini(struct drm_gmmu_file *gfile);

int drm_gmmu_file_vm_reserve(struct drm_gmmu_file *gfile, u32 *id);
void drm_gmmu_file_vm_unreserve(struct drm_gmmu_file *gfile, u32 id);
void drm_gmmu_file_vm_publish(struct drm_gmmu_file *gfile, u32 id,
			      struct drm_gmmu_vm *vm);
struct drm_gmmu_vm *drm_gmmu_file_vm_get(struct drm_gmmu_file *gfile, u32 id);
int drm_gmmu_file_vm_destroy(struct drm_gmmu_file *gfile, u32 id);

int drm_gmmu_file_cpu_access(struct drm_gmmu_file *gfile, u32 handle,
			     u32 flags, u64 offset, u64 size);

#endif /* __DRM_GMMU_FILE_H__ */
