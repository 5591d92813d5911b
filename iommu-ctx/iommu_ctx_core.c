// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <linux/module.h>

static int __init iommu_ctx_init(void)
{
	return 0;
}

static void __exit iommu_ctx_exit(void)
{
}

module_init(iommu_ctx_init);
module_exit(iommu_ctx_exit);

MODULE_DESCRIPTION("Per-context GPU page tables behind struct iommu_domain");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
