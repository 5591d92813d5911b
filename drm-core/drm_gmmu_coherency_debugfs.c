// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Cache maintenance debugfs
 *
 * debugfs of drm_gmmu's cache maintenance: counters that let tests prove
 * that only what was dirtied is flushed, and a fault-injection knob that
 * lets them prove a coherency checker catches a missing flush.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_gmmu.h>

#include "drm_gmmu_internal.h"

static int drm_gmmu_coherency_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_device *gdev = m->private;
	struct drm_gmmu_coherency_stats *s = &gdev->stats->coherency;

	seq_printf(m, "noncoherent: %d\n", gdev->noncoherent);
	seq_printf(m, "flush_calls: %lld\n", atomic64_read(&s->flush_calls));
	seq_printf(m, "flush_bytes: %lld\n", atomic64_read(&s->flush_bytes));
	seq_printf(m, "gpu_entries: %lld\n", atomic64_read(&s->gpu_entries));
	seq_printf(m, "pages_flushed: %lld\n", atomic64_read(&s->pages_flushed));
	seq_printf(m, "pages_invalidated: %lld\n",
		   atomic64_read(&s->pages_invalidated));
	seq_printf(m, "skipped: %lld\n", atomic64_read(&s->skipped));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(drm_gmmu_coherency);

static int drm_gmmu_inject_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_device *gdev = m->private;

	seq_printf(m, "skip_flush: %d\nskip_invalidate: %d\n",
		   test_bit(DRM_GMMU_INJECT_SKIP_FLUSH, &gdev->stats->inject),
		   test_bit(DRM_GMMU_INJECT_SKIP_INVALIDATE, &gdev->stats->inject));
	return 0;
}

static int drm_gmmu_inject_open(struct inode *inode, struct file *file)
{
	return single_open(file, drm_gmmu_inject_show, inode->i_private);
}

/* "flush", "invalidate": skip the next one; "none": cancel both. */
static ssize_t drm_gmmu_inject_write(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	struct drm_gmmu_device *gdev = file_inode(file)->i_private;
	char buf[16];

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	if (!strcmp(buf, "flush"))
		set_bit(DRM_GMMU_INJECT_SKIP_FLUSH, &gdev->stats->inject);
	else if (!strcmp(buf, "invalidate"))
		set_bit(DRM_GMMU_INJECT_SKIP_INVALIDATE, &gdev->stats->inject);
	else if (!strcmp(buf, "none")) {
		clear_bit(DRM_GMMU_INJECT_SKIP_FLUSH, &gdev->stats->inject);
		clear_bit(DRM_GMMU_INJECT_SKIP_INVALIDATE, &gdev->stats->inject);
	}
	else
		return -EINVAL;
	return len;
}

static const struct file_operations drm_gmmu_inject_fops = {
	.owner = THIS_MODULE,
	.open = drm_gmmu_inject_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = drm_gmmu_inject_write,
};

/**
 * drm_gmmu_debugfs_init - &drm_driver.debugfs_init for drm_gmmu drivers
 * @minor: the DRM minor whose debugfs directory (&drm_minor.debugfs_root)
 *	gets the files; its device is a &drm_gmmu_device.drm
 *
 * Creates ``gmmu_coherency`` (counters of &struct drm_gmmu_coherency_stats)
 * and ``gmmu_inject`` (fault injection for tests: writing ``flush`` or
 * ``invalidate`` makes the next flush or invalidation of one page not
 * happen; ``none`` cancels), ``gmmu_backing`` (counters of &struct
 * drm_gmmu_backing_stats), ``gmmu_evict`` (writing ``all`` runs
 * drm_gmmu_device_evict(), ``offset N`` or ``offset N wait`` runs
 * drm_gmmu_bo_evict() on the BO whose mmap offset is N, -ENOENT if there
 * is none; anything else fails with -EINVAL; reading gives the pages the
 * last of them released), ``gmmu_pins`` (the pinned-memory
 * limit and each file's pinned bytes, see "Pins by purpose"),
 * ``gmmu_coredump`` (error states captured and events skipped, see
 * "Error state"), and ``gmmu_slots`` on a device with a slot manager;
 * then &drm_gmmu_device_funcs.debugfs_init, if the driver has one, adds
 * the hardware's. %DRM_GMMU_DRIVER_OPS sets it.
 */
void drm_gmmu_debugfs_init(struct drm_minor *minor)
{
	struct drm_gmmu_device *gdev = to_drm_gmmu_device(minor->dev);
	struct dentry *root = minor->debugfs_root;

	debugfs_create_file("gmmu_coherency", 0444, root, gdev,
			    &drm_gmmu_coherency_fops);
	if (gdev->noncoherent)
		debugfs_create_file("gmmu_inject", 0600, root, gdev,
				    &drm_gmmu_inject_fops);
	drm_gmmu_backing_debugfs_init(gdev, root);
	drm_gmmu_pins_debugfs_init(gdev, root);
	drm_gmmu_vm_debugfs_init(gdev, root);
	drm_gmmu_coredump_debugfs_init(gdev, root);
	if (gdev->slots)
		drm_gmmu_slots_debugfs_init(gdev->slots, root);
	if (gdev->funcs && gdev->funcs->debugfs_init)
		gdev->funcs->debugfs_init(gdev, root);
}
EXPORT_SYMBOL_GPL(drm_gmmu_debugfs_init);
