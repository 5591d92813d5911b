/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Sync array interface
 *
 * The sync arrays of a submission (struct drm_gmmu_sync, uapi
 * gmmu_drm.h), read and taken before the point of no return. See
 * drm-core/drm_gmmu_sync.c.
 */
#ifndef __DRM_GMMU_SYNC_H__
#define __DRM_GMMU_SYNC_H__

#include <linux/types.h>

struct dma_fence;
struct dma_fence_chain;
struct drm_file;
struct drm_syncobj;

/**
 * struct drm_gmmu_out_sync - a syncobj a job signals
 * @syncobj: the syncobj, with a reference
 * @chain: for a timeline point, the node that will hold the fence
 * @point: the timeline point, or 0 for a binary syncobj
 */
struct drm_gmmu_out_sync {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	u64 point;
};

/**
 * struct drm_gmmu_syncs - the sync arrays of one submission, taken
 * @in: fences the job waits for, with a reference each
 * @num_in: entries of @in
 * @out: syncobjs the job's fence goes to
 * @num_out: entries of @out
 */
struct drm_gmmu_syncs {
	struct dma_fence **in;
	unsigned int num_in;
	struct drm_gmmu_out_sync *out;
	unsigned int num_out;
};

int drm_gmmu_syncs_get(struct drm_gmmu_syncs *s, struct drm_file *file,
		       u64 in, u32 in_count, u64 out, u32 out_count,
		       u32 stride);
void drm_gmmu_syncs_signal(struct drm_gmmu_syncs *s, struct dma_fence *fence);
void drm_gmmu_syncs_put(struct drm_gmmu_syncs *s);

#endif /* __DRM_GMMU_SYNC_H__ */
