// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Module
 *
 * drm_gmmu.ko: the module's init and exit. Loading sets up the private
 * tmpfs mount BO backing lives on (see "Huge-page backing mount");
 * everything else is per device and per file, set up by the drivers
 * that use the helpers.
 */
#include <linux/module.h>

#include "drm_gmmu_internal.h"

static int __init drm_gmmu_init(void)
{
	int ret = drm_gmmu_queue_module_init();

	if (ret)
		return ret;
	drm_gmmu_hugefs_init();
	return 0;
}

static void __exit drm_gmmu_exit(void)
{
	drm_gmmu_hugefs_fini();
	drm_gmmu_queue_module_exit();
}

module_init(drm_gmmu_init);
module_exit(drm_gmmu_exit);

MODULE_DESCRIPTION("DRM helpers for GPUs with two-level address spaces");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
/* Imports of foreign dma-bufs attach to and map them (drm_gmmu_bo.c). */
MODULE_IMPORT_NS(DMA_BUF);
