/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Hang and ban interface
 *
 * What a VM records of its jobs' hangs, and the query userspace reads it
 * with. See drm-core/drm_gmmu_reset.c.
 */
#ifndef __DRM_GMMU_RESET_H__
#define __DRM_GMMU_RESET_H__

#include <linux/atomic.h>
#include <linux/types.h>

struct drm_device;
struct drm_file;

/**
 * struct drm_gmmu_vm_reset - what hangs did to a VM
 * @banned: a job of the VM hung: nothing more of it runs
 * @hangs: jobs of the VM that ran past their queue's timeout
 * @cancelled: jobs of the VM completed with -ECANCELED because of a hang
 * @guilty_queue: queue id of the last hung job
 * @guilty_seqno: seqno of the last hung job, 0 before any
 *
 * Zero in a new VM (drm_gmmu_vm_init() takes a zeroed VM); written by the
 * queue's timeout handler, read without a lock.
 */
struct drm_gmmu_vm_reset {
	bool banned;
	atomic_t hangs;
	atomic_t cancelled;
	u32 guilty_queue;
	u64 guilty_seqno;
};

int drm_gmmu_vm_get_reset_stats_ioctl(struct drm_device *drm, void *data,
				      struct drm_file *file);

#endif /* __DRM_GMMU_RESET_H__ */
