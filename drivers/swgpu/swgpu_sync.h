/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */
#ifndef __SWGPU_SYNC_H__
#define __SWGPU_SYNC_H__

#include <linux/types.h>

#include <drm/swgpu_drm.h>

struct dma_fence;
struct dma_fence_chain;
struct drm_file;
struct drm_syncobj;

/**
 * struct swgpu_out_sync - a syncobj a job signals
 * @syncobj: the syncobj, with a reference
 * @chain: for a timeline point, the node that will hold the fence
 * @point: the timeline point, or 0 for a binary syncobj
 */
struct swgpu_out_sync {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	u64 point;
};

/**
 * struct swgpu_syncs - the syncobjs of one submission
 * @in: fences the job waits for, with a reference each
 * @num_in: entries of @in
 * @out: syncobjs the job's fence goes to
 * @num_out: entries of @out
 */
struct swgpu_syncs {
	struct dma_fence **in;
	unsigned int num_in;
	struct swgpu_out_sync *out;
	unsigned int num_out;
};

int swgpu_syncs_get(struct swgpu_syncs *s, struct drm_file *file,
		    const struct drm_swgpu_exec *args);
void swgpu_syncs_signal(struct swgpu_syncs *s, struct dma_fence *fence);
void swgpu_syncs_put(struct swgpu_syncs *s);

#endif /* __SWGPU_SYNC_H__ */
