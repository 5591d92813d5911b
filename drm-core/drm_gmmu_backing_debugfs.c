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
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_gmmu.h>

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
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(drm_gmmu_backing);

static int drm_gmmu_evict_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_device *gdev = m->private;

	seq_printf(m, "%lld\n", atomic64_read(&gdev->stats->backing.last_evict));
	return 0;
}

static int drm_gmmu_evict_open(struct inode *inode, struct file *file)
{
	return single_open(file, drm_gmmu_evict_show, inode->i_private);
}

/* "all": evict every BO nobody pins; reading gives the pages that went. */
static ssize_t drm_gmmu_evict_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	struct drm_gmmu_device *gdev = file_inode(file)->i_private;
	char buf[8];

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (strcmp(strim(buf), "all"))
		return -EINVAL;
	drm_gmmu_device_evict(gdev);
	return len;
}

static const struct file_operations drm_gmmu_evict_fops = {
	.owner = THIS_MODULE,
	.open = drm_gmmu_evict_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = drm_gmmu_evict_write,
};

void drm_gmmu_backing_debugfs_init(struct drm_gmmu_device *gdev,
				   struct dentry *root)
{
	debugfs_create_file("gmmu_backing", 0444, root, gdev,
			    &drm_gmmu_backing_fops);
	debugfs_create_file("gmmu_evict", 0600, root, gdev,
			    &drm_gmmu_evict_fops);
}
