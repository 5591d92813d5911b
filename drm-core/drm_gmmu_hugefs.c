// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Huge-page backing mount
 *
 * Where BO backing lives: a private tmpfs mount with transparent huge
 * pages for every 2 MiB of a file that lies within its size
 * ("huge=within_size"). The kernel's own shm mount has huge pages off by
 * default, and a BO on 4 KiB pages costs a device one translation per
 * 4 KiB at both levels; on huge pages, level 1 maps 2 MiB runs of physical
 * memory (one scatterlist segment, one IOMMU superpage) and level 2 can
 * map them with 2 MiB pages. Small BOs and the tails of large ones still
 * get small pages, and shmem falls back to small pages when no huge page
 * can be had, so nothing depends on getting them.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/shmem_fs.h>

#include "drm_gmmu_internal.h"

static bool huge = true;
module_param(huge, bool, 0444);
MODULE_PARM_DESC(huge, "Back BOs with transparent huge pages where their size allows (default: true)");

static struct vfsmount *drm_gmmu_hugefs;

/* Called once at module load; without THP, BOs go on the shm mount. */
void drm_gmmu_hugefs_init(void)
{
	/* vfs_kern_mount() may modify the option string. */
	char opts[] = "huge=within_size";
	struct file_system_type *type;
	struct vfsmount *mnt;

	if (!huge || !IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE))
		return;
	type = get_fs_type("tmpfs");
	if (!type)
		return;
	/* tmpfs is built in: get_fs_type() took no module reference. */
	mnt = vfs_kern_mount(type, SB_KERNMOUNT, type->name, opts);
	if (IS_ERR(mnt)) {
		pr_notice("drm_gmmu: no huge-page tmpfs (%pe), BOs use 4 KiB pages\n",
			  mnt);
		return;
	}
	drm_gmmu_hugefs = mnt;
}

/* Called at module unload, when every BO (hence every file) is gone. */
void drm_gmmu_hugefs_fini(void)
{
	if (drm_gmmu_hugefs)
		kern_unmount(drm_gmmu_hugefs);
	drm_gmmu_hugefs = NULL;
}

/*
 * The shmem file of a new BO. A WC BO stays on small pages: x86 PAT keeps
 * a memory type per struct page, which the tail pages of a huge folio do
 * not carry on their own.
 *
 * shmem reports a failed inode allocation as -ENOSPC, a file system's
 * "no inode left". Both mounts here are kernel mounts, which have no inode
 * or size limit, and VM_NORESERVE accounts nothing up front, so -ENOSPC
 * can only mean that memory ran out: BO_CREATE says -ENOMEM (found by the
 * allocation-failure lane, Documentation/debug-kernel.rst).
 */
struct file *drm_gmmu_bo_file_setup(size_t size, bool wc)
{
	struct file *filp;

	if (drm_gmmu_hugefs && !wc)
		filp = shmem_file_setup_with_mnt(drm_gmmu_hugefs, "gmmu bo",
						 size, VM_NORESERVE);
	else
		filp = shmem_file_setup("gmmu bo", size, VM_NORESERVE);
	if (IS_ERR(filp) && PTR_ERR(filp) == -ENOSPC)
		return ERR_PTR(-ENOMEM);
	return filp;
}
