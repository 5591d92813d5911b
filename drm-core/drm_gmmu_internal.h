/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */
#ifndef __DRM_GMMU_INTERNAL_H__
#define __DRM_GMMU_INTERNAL_H__

struct drm_gmmu_bo;

void drm_gmmu_bo_dma_unmap_locked(struct drm_gmmu_bo *bo);

#endif
