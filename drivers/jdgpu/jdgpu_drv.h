/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: jdgpu driver structures
 *
 * What jdgpu's files share: the device (a DRM device on one edu PCI slot,
 * with its hardware and drm_gmmu's manager of its four address-space
 * slots), its contexts as drm_gmmu VMs, its queues as drm_gmmu queues fed
 * to hardware job queues.
 */
#ifndef __JDGPU_DRV_H__
#define __JDGPU_DRV_H__

#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>

#include <drm/jdgpu_drm.h>

#include "hw/jdgpu_hw.h"

struct drm_file;
struct pci_dev;

/**
 * struct jdgpu_device - one job-descriptor GPU
 * @drm: the DRM device
 * @gmmu: its drm_gmmu state
 * @pdev: the edu PCI device it is bound to
 * @pci_slot: index of that device among the edu devices
 * @hw: the hardware
 * @slots: drm_gmmu's manager of the hardware's address-space slots
 */
struct jdgpu_device {
	struct drm_device drm;
	struct drm_gmmu_device gmmu;
	struct pci_dev *pdev;
	unsigned int pci_slot;
	struct jdgpu_hw *hw;
	struct drm_gmmu_slots slots;
};

/**
 * struct jdgpu_queue - a drm_gmmu queue fed to a hardware job queue
 * @base: the drm_gmmu queue
 * @jq: the hardware's
 */
struct jdgpu_queue {
	struct drm_gmmu_queue base;
	struct jdgpu_hw_jq *jq;
};

static inline struct jdgpu_device *to_jdgpu(struct drm_gmmu_device *gdev)
{
	return container_of(gdev, struct jdgpu_device, gmmu);
}

extern const struct drm_gmmu_device_funcs jdgpu_gmmu_funcs;
extern const struct drm_gmmu_slots_ops jdgpu_slots_ops;
extern const struct drm_gmmu_queue_cfg jdgpu_queue_cfg;

int jdgpu_submit_ioctl(struct drm_device *drm, void *data,
		       struct drm_file *file);

#endif /* __JDGPU_DRV_H__ */
