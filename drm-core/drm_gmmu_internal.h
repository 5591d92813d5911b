/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */
#ifndef __DRM_GMMU_INTERNAL_H__
#define __DRM_GMMU_INTERNAL_H__

#include <linux/mm_types.h>

struct drm_gmmu_bo;

void drm_gmmu_bo_dma_unmap_locked(struct drm_gmmu_bo *bo);

int drm_gmmu_bo_domain_init(struct drm_gmmu_bo *bo);
void drm_gmmu_bo_domain_fini(struct drm_gmmu_bo *bo);
extern const struct vm_operations_struct drm_gmmu_bo_nc_vm_ops;

#endif
