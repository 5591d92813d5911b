// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Sync arrays
 *
 * Every driver on drm_gmmu takes the fences a job waits for and the
 * syncobjs it signals as arrays of &struct drm_gmmu_sync (uapi
 * gmmu_drm.h): binary syncobjs, timeline points, and sync_files to wait
 * for. drm_gmmu_syncs_get() reads and checks both arrays and takes
 * everything that can fail before the job is armed: the in-fences, the
 * out-syncobjs and a chain node for every timeline point to be added, so
 * that drm_gmmu_syncs_signal() after the point of no return cannot fail.
 * A syncobj with nothing to wait for yet is refused: a job may only wait
 * for work already submitted, never for a future fence.
 */
#include <linux/dma-fence-chain.h>
#include <linux/slab.h>
#include <linux/sync_file.h>

#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_sync.h>
#include <drm/drm_syncobj.h>
#include <drm/gmmu_drm.h>

static int drm_gmmu_syncs_copy(struct drm_gmmu_sync **out, u64 uptr,
			       u32 count, u32 stride, bool in)
{
	struct drm_gmmu_sync *syncs;
	u32 i;
	int ret;

	*out = NULL;
	if (!count)
		return 0;
	syncs = kvmalloc_array(count, sizeof(*syncs), GFP_KERNEL);
	if (!syncs)
		return -ENOMEM;
	ret = drm_gmmu_copy_user_array(syncs, sizeof(*syncs), sizeof(*syncs),
				       uptr, count, stride);
	for (i = 0; !ret && i < count; i++) {
		u32 flags = syncs[i].flags;

		if (flags & ~DRM_GMMU_SYNC_SYNC_FILE)
			ret = -EINVAL;
		/* A sync_file has no point; a job signals none. */
		else if (flags && (!in || syncs[i].point))
			ret = -EINVAL;
	}
	if (ret) {
		kvfree(syncs);
		return ret;
	}
	*out = syncs;
	return 0;
}

static int drm_gmmu_sync_in_fence(struct drm_file *file,
				  const struct drm_gmmu_sync *sync,
				  struct dma_fence **fence)
{
	if (sync->flags & DRM_GMMU_SYNC_SYNC_FILE) {
		*fence = sync_file_get_fence(sync->handle);
		return *fence ? 0 : -EINVAL;
	}
	return drm_syncobj_find_fence(file, sync->handle, sync->point, 0,
				      fence);
}

/**
 * drm_gmmu_syncs_get - read a submission's sync arrays and take what they name
 * @s: zeroed; filled with the in-fences and the out-syncobjs
 * @file: the submitting file, whose syncobj handles these are
 * @in: user pointer to @in_count &struct drm_gmmu_sync to wait for
 * @in_count: at most %DRM_GMMU_MAX_SYNCS
 * @out: user pointer to @out_count &struct drm_gmmu_sync to signal
 * @out_count: at most %DRM_GMMU_MAX_SYNCS
 * @stride: sizeof(struct drm_gmmu_sync) as userspace knows it; ignored
 *	when both counts are 0
 *
 * Return: 0; -EINVAL for too many syncs, a bad stride, non-zero unknown
 * bytes or flags, a sync_file with a point, a sync_file to signal, a
 * descriptor that is not a sync_file, or a syncobj with nothing to wait
 * for; -ENOENT for an unknown syncobj; -EFAULT; -ENOMEM. On error @s
 * holds nothing (drm_gmmu_syncs_put() is still safe).
 */
int drm_gmmu_syncs_get(struct drm_gmmu_syncs *s, struct drm_file *file,
		       u64 in, u32 in_count, u64 out, u32 out_count, u32 stride)
{
	struct drm_gmmu_sync *isync = NULL, *osync = NULL;
	u32 i;
	int ret;

	if (in_count > DRM_GMMU_MAX_SYNCS || out_count > DRM_GMMU_MAX_SYNCS)
		return -EINVAL;
	ret = drm_gmmu_syncs_copy(&isync, in, in_count, stride, true);
	if (ret)
		return ret;
	ret = drm_gmmu_syncs_copy(&osync, out, out_count, stride, false);
	if (ret)
		goto out;

	if (in_count) {
		s->in = kcalloc(in_count, sizeof(*s->in), GFP_KERNEL);
		if (!s->in) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < in_count; i++) {
		ret = drm_gmmu_sync_in_fence(file, &isync[i], &s->in[i]);
		if (ret)
			goto out;
		s->num_in++;
	}

	if (out_count) {
		s->out = kcalloc(out_count, sizeof(*s->out), GFP_KERNEL);
		if (!s->out) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < out_count; i++) {
		struct drm_gmmu_out_sync *o = &s->out[i];

		o->syncobj = drm_syncobj_find(file, osync[i].handle);
		if (!o->syncobj) {
			ret = -ENOENT;
			goto out;
		}
		s->num_out++;
		o->point = osync[i].point;
		if (o->point) {
			o->chain = dma_fence_chain_alloc();
			if (!o->chain) {
				ret = -ENOMEM;
				goto out;
			}
		}
	}
out:
	kvfree(isync);
	kvfree(osync);
	if (ret)
		drm_gmmu_syncs_put(s);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_syncs_get);

/**
 * drm_gmmu_syncs_signal - give a job's fence to the out-syncobjs
 * @s: from drm_gmmu_syncs_get()
 * @fence: the job's fence
 *
 * Cannot fail: the timeline nodes were allocated by drm_gmmu_syncs_get().
 */
void drm_gmmu_syncs_signal(struct drm_gmmu_syncs *s, struct dma_fence *fence)
{
	unsigned int i;

	for (i = 0; i < s->num_out; i++) {
		struct drm_gmmu_out_sync *o = &s->out[i];

		if (o->chain) {
			drm_syncobj_add_point(o->syncobj, o->chain, fence,
					      o->point);
			o->chain = NULL;
		} else {
			drm_syncobj_replace_fence(o->syncobj, fence);
		}
	}
}
EXPORT_SYMBOL_GPL(drm_gmmu_syncs_signal);

/**
 * drm_gmmu_syncs_put - release what drm_gmmu_syncs_get() took
 * @s: the syncs; in-fences handed on must have been taken out (@s->num_in
 *	set to 0) first
 */
void drm_gmmu_syncs_put(struct drm_gmmu_syncs *s)
{
	unsigned int i;

	for (i = 0; i < s->num_in; i++)
		dma_fence_put(s->in[i]);
	kfree(s->in);
	for (i = 0; i < s->num_out; i++) {
		dma_fence_chain_free(s->out[i].chain);
		drm_syncobj_put(s->out[i].syncobj);
	}
	kfree(s->out);
	memset(s, 0, sizeof(*s));
}
EXPORT_SYMBOL_GPL(drm_gmmu_syncs_put);
