// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The syncobjs of a submission: the fences a job waits for and the
 * syncobjs its fence goes to, binary or timeline. Everything that can fail
 * (lookups, timeline chain nodes) happens before the job is armed, so that
 * signalling afterwards cannot.
 */
#include <linux/dma-fence-chain.h>
#include <linux/slab.h>

#include <drm/drm_gmmu.h>
#include <drm/drm_syncobj.h>

#include "swgpu_sync.h"

static int swgpu_syncs_copy(struct drm_swgpu_sync **out, u64 uptr, u32 count,
			    u32 stride)
{
	struct drm_swgpu_sync *syncs;
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
	for (i = 0; !ret && i < count; i++)
		if (syncs[i].flags)
			ret = -EINVAL;
	if (ret) {
		kvfree(syncs);
		return ret;
	}
	*out = syncs;
	return 0;
}

/**
 * swgpu_syncs_get - look up the syncobjs of an EXEC
 * @s: zeroed; filled with the in-fences and the out-syncobjs
 * @file: the submitting file, whose syncobj handles these are
 * @args: the ioctl's argument
 *
 * Return: 0; -EINVAL for too many syncs, a bad stride, non-zero sync flags
 * or an in-syncobj with nothing to wait for; -ENOENT for an unknown
 * handle; -EFAULT; -ENOMEM. On error @s holds nothing (swgpu_syncs_put()
 * is still safe).
 */
int swgpu_syncs_get(struct swgpu_syncs *s, struct drm_file *file,
		    const struct drm_swgpu_exec *args)
{
	struct drm_swgpu_sync *in = NULL, *out = NULL;
	u32 i;
	int ret;

	if (args->in_sync_count > DRM_SWGPU_EXEC_MAX_SYNCS ||
	    args->out_sync_count > DRM_SWGPU_EXEC_MAX_SYNCS)
		return -EINVAL;
	ret = swgpu_syncs_copy(&in, args->in_syncs, args->in_sync_count,
			       args->sync_stride);
	if (ret)
		return ret;
	ret = swgpu_syncs_copy(&out, args->out_syncs, args->out_sync_count,
			       args->sync_stride);
	if (ret)
		goto out;

	if (args->in_sync_count) {
		s->in = kcalloc(args->in_sync_count, sizeof(*s->in), GFP_KERNEL);
		if (!s->in) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < args->in_sync_count; i++) {
		ret = drm_syncobj_find_fence(file, in[i].handle, in[i].point, 0,
					     &s->in[i]);
		if (ret)
			goto out;
		s->num_in++;
	}

	if (args->out_sync_count) {
		s->out = kcalloc(args->out_sync_count, sizeof(*s->out),
				 GFP_KERNEL);
		if (!s->out) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < args->out_sync_count; i++) {
		struct swgpu_out_sync *o = &s->out[i];

		o->syncobj = drm_syncobj_find(file, out[i].handle);
		if (!o->syncobj) {
			ret = -ENOENT;
			goto out;
		}
		s->num_out++;
		o->point = out[i].point;
		if (o->point) {
			o->chain = dma_fence_chain_alloc();
			if (!o->chain) {
				ret = -ENOMEM;
				goto out;
			}
		}
	}
out:
	kvfree(in);
	kvfree(out);
	if (ret)
		swgpu_syncs_put(s);
	return ret;
}

/**
 * swgpu_syncs_signal - give the job's fence to the out-syncobjs
 * @s: from swgpu_syncs_get()
 * @fence: the job's fence
 *
 * Cannot fail: the timeline nodes were allocated by swgpu_syncs_get().
 */
void swgpu_syncs_signal(struct swgpu_syncs *s, struct dma_fence *fence)
{
	unsigned int i;

	for (i = 0; i < s->num_out; i++) {
		struct swgpu_out_sync *o = &s->out[i];

		if (o->chain) {
			drm_syncobj_add_point(o->syncobj, o->chain, fence,
					      o->point);
			o->chain = NULL;
		} else {
			drm_syncobj_replace_fence(o->syncobj, fence);
		}
	}
}

/**
 * swgpu_syncs_put - release what swgpu_syncs_get() took
 * @s: the syncs; in-fences handed to the job must have been taken out
 *	(@s->num_in set to 0) first
 */
void swgpu_syncs_put(struct swgpu_syncs *s)
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
