// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: VM debugfs
 *
 * ``gmmu_vms`` in the device's debugfs directory: what binds cost the
 * device (level-1 mappings made and undone, bind arrays and their
 * operations), then its open VMs, in total and one line each, with the GPU
 * address space each maps and the page-table memory it holds (iommu-ctx's
 * count: the tree, spare and reserved tables). A test reads it to prove
 * that a BO bound in many VMs is mapped once at level 1, and that
 * destroying VMs gives every table page back.
 */
#include <linux/debugfs.h>
#include <linux/iommu_ctx.h>
#include <linux/seq_file.h>

#include <drm/drm_gmmu.h>

#include "drm_gmmu_internal.h"

static int drm_gmmu_vms_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_device *gdev = m->private;
	struct drm_gmmu_vm_stats *s = &gdev->stats->vm;
	u64 n = 0, mapped = 0, tables = 0, table_bytes = 0;
	struct iommu_ctx_stats is;
	struct drm_gmmu_vm *vm;

	seq_printf(m, "level1_maps: %lld\n", atomic64_read(&s->level1_maps));
	seq_printf(m, "level1_unmaps: %lld\n", atomic64_read(&s->level1_unmaps));
	seq_printf(m, "bind_arrays: %lld\n", atomic64_read(&s->bind_arrays));
	seq_printf(m, "bind_ops: %lld\n", atomic64_read(&s->bind_ops));
	seq_printf(m, "bind_async: %lld\n", atomic64_read(&s->bind_async));
	seq_printf(m, "bind_reverted: %lld\n", atomic64_read(&s->bind_reverted));
	/* A VM leaves the list before its domain goes (drm_gmmu_vm_close()). */
	spin_lock(&gdev->vm_lock);
	list_for_each_entry(vm, &gdev->vms, link) {
		iommu_ctx_get_stats(vm->domain, &is);
		n++;
		mapped += data_race(vm->mapped_bytes);
		tables += is.tables;
		table_bytes += is.table_bytes;
	}
	seq_printf(m, "vms: %llu\n", n);
	seq_printf(m, "mapped_bytes: %llu\n", mapped);
	seq_printf(m, "tables: %llu\n", tables);
	seq_printf(m, "table_bytes: %llu\n", table_bytes);
	list_for_each_entry(vm, &gdev->vms, link) {
		iommu_ctx_get_stats(vm->domain, &is);
		seq_printf(m, "vm %u: mapped_bytes %llu tables %llu table_bytes %llu\n",
			   vm->id, data_race(vm->mapped_bytes), is.tables,
			   is.table_bytes);
	}
	spin_unlock(&gdev->vm_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(drm_gmmu_vms);

/**
 * drm_gmmu_vm_debugfs_init - add ``gmmu_vms`` to a device's debugfs
 * @gdev: the device
 * @root: its debugfs directory
 */
void drm_gmmu_vm_debugfs_init(struct drm_gmmu_device *gdev,
			      struct dentry *root)
{
	debugfs_create_file("gmmu_vms", 0444, root, gdev, &drm_gmmu_vms_fops);
}
