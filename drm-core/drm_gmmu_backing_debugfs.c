// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Backing storage debugfs
 *
 * debugfs of BO backing storage: counters that let tests prove pages
 * really went to swap and came back, and a trigger that evicts on demand
 * so that they need not create memory pressure to get there.
 */
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_vma_manager.h>

#include "drm_gmmu_internal.h"

static int drm_gmmu_backing_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_device *gdev = m->private;
	struct drm_gmmu_backing_stats *s = &gdev->stats->backing;

	seq_printf(m, "evictable: %ld\n", atomic_long_read(&gdev->evictable));
	seq_printf(m, "pages_evicted: %lld\n", atomic64_read(&s->pages_evicted));
	seq_printf(m, "pages_swapped_out: %lld\n",
		   atomic64_read(&s->pages_swapped_out));
	seq_printf(m, "pages_restored: %lld\n", atomic64_read(&s->pages_restored));
	seq_printf(m, "shrinker_scans: %lld\n", atomic64_read(&s->shrinker_scans));
	seq_printf(m, "shrinker_skipped: %lld\n",
		   atomic64_read(&s->shrinker_skipped));
	seq_printf(m, "pages_huge: %lld\n", atomic64_read(&s->pages_huge));
	seq_printf(m, "bound_evictions: %lld\n",
		   atomic64_read(&s->bound_evictions));
	seq_printf(m, "restores: %lld\n", atomic64_read(&s->restores));
	seq_printf(m, "skipped_busy: %lld\n", atomic64_read(&s->skipped_busy));
	seq_printf(m, "skipped_pinned: %lld\n",
		   atomic64_read(&s->skipped_pinned));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(drm_gmmu_backing);

static int drm_gmmu_evict_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_device *gdev = m->private;

	seq_printf(m, "%lld\n", atomic64_read(&gdev->stats->backing.last_evict));
	return 0;
}

/* The BO whose fake mmap offset is @offset, with a reference, or NULL. */
static struct drm_gmmu_bo *drm_gmmu_evict_lookup(struct drm_gmmu_device *gdev,
						 u64 offset)
{
	struct drm_vma_offset_manager *mgr = gdev->drm.vma_offset_manager;
	struct drm_gem_object *obj = NULL;
	struct drm_vma_offset_node *node;

	drm_vma_offset_lock_lookup(mgr);
	node = drm_vma_offset_exact_lookup_locked(mgr, offset >> PAGE_SHIFT, 1);
	if (node) {
		obj = container_of(node, struct drm_gem_object, vma_node);
		if (!kref_get_unless_zero(&obj->refcount))
			obj = NULL;
	}
	drm_vma_offset_unlock_lookup(mgr);
	return obj ? to_drm_gmmu_bo(obj) : NULL;
}

/*
 * "all": evict every BO that may go; "offset N" (the BO's mmap offset,
 * as userspace gets it) or "offset N wait": that BO, passed over if busy
 * or waited for. Reading gives the pages that went. Anything else, an
 * offset that is not a number or not page-aligned included, is -EINVAL;
 * an offset no BO of the device has is -ENOENT.
 */
static ssize_t drm_gmmu_evict_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	struct drm_gmmu_device *gdev = file_inode(file)->i_private;
	struct drm_gmmu_bo *bo;
	char buf[64], *p, *word;
	bool wait = false;
	u64 offset;
	long ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	p = strim(buf);
	if (!strcmp(p, "all")) {
		drm_gmmu_device_evict(gdev);
		return len;
	}
	word = strsep(&p, " ");
	if (strcmp(word, "offset") || !p)
		return -EINVAL;
	word = strsep(&p, " ");
	if (kstrtou64(word, 0, &offset) || !PAGE_ALIGNED(offset))
		return -EINVAL;
	if (p) {
		if (strcmp(p, "wait"))
			return -EINVAL;
		wait = true;
	}
	bo = drm_gmmu_evict_lookup(gdev, offset);
	if (!bo)
		return -ENOENT;
	ret = drm_gmmu_bo_evict(bo, wait);
	drm_gem_object_put(&bo->base.base);
	return ret < 0 ? ret : len;
}

DEFINE_SHOW_STORE_ATTRIBUTE(drm_gmmu_evict);

void drm_gmmu_backing_debugfs_init(struct drm_gmmu_device *gdev,
				   struct dentry *root)
{
	debugfs_create_file("gmmu_backing", 0444, root, gdev,
			    &drm_gmmu_backing_fops);
	debugfs_create_file("gmmu_evict", 0600, root, gdev,
			    &drm_gmmu_evict_fops);
	drm_gmmu_dmabuf_debugfs_init(gdev, root);
}
