/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: drm_gmmu headers
 *
 * drm_gmmu: DRM helpers for GPUs with two-level address spaces. This
 * header brings in every part; each part has its own header, by concept:
 *
 *  drm_gmmu_device.h     the device: level-1 mappings, unplug, eviction
 *  drm_gmmu_coherency.h  cache maintenance for GPUs that do not snoop
 *  drm_gmmu_bo.h         buffer objects, CPU access, dma-buf
 *  drm_gmmu_vm.h         VMs: bind/unbind, fault records
 *  drm_gmmu_queue.h      queues, jobs, submission, sync policies
 *  drm_gmmu_reset.h      hangs, queue resets and bans of VMs
 *  drm_gmmu_slots.h      address-space slots shared by contexts
 *  drm_gmmu_sync.h       sync arrays of a submission
 *  drm_gmmu_file.h       per-file state: VMs by id, CPU-access brackets
 *  drm_gmmu_driver.h     what a drm_driver points at: fdinfo, file ops
 *  drm_gmmu_uapi.h       the uapi rules' helpers
 */
#ifndef __DRM_GMMU_H__
#define __DRM_GMMU_H__

#include <drm/drm_gmmu_bind.h>
#include <drm/drm_gmmu_bo.h>
#include <drm/drm_gmmu_coherency.h>
#include <drm/drm_gmmu_device.h>
#include <drm/drm_gmmu_driver.h>
#include <drm/drm_gmmu_file.h>
#include <drm/drm_gmmu_ioctl.h>
#include <drm/drm_gmmu_queue.h>
#include <drm/drm_gmmu_reset.h>
#include <drm/drm_gmmu_slots.h>
#include <drm/drm_gmmu_sync.h>
#include <drm/drm_gmmu_uapi.h>
#include <drm/drm_gmmu_vm.h>

#endif /* __DRM_GMMU_H__ */
