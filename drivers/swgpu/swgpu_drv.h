/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu driver structures
 *
 * What the swgpu driver's files share: the device (a DRM device on one edu
 * PCI slot, with its profile and hardware model), its queues as
 * drm_gmmu queues with the engine's ring attached, its contexts
 * as drm_gmmu VMs with an MMU context, and its two ioctls of its own.
 * Everything else a driver needs comes from drm_gmmu's headers.
 */
#ifndef __SWGPU_DRV_H__
#define __SWGPU_DRV_H__

#include <linux/pci.h>
#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>

#include <drm/swgpu_drm.h>

#include "hw/swgpu_hw.h"

struct drm_file;

/**
 * struct swgpu_profile - what differs between models of the software GPU
 * @name: name used in the ``profiles`` module parameter
 * @id: the &enum drm_swgpu_profile reported to userspace
 * @format: the iommu-ctx page-table format its MMU walks; its output
 *	addresses are at least @dma_bits wide
 * @coherent: the GPU snoops CPU caches
 * @dma_bits: width of the DMA mask the device can drive (level 1)
 * @va_bits: width of a context's GPU virtual address (level 2)
 * @page_sizes: GPU page sizes the MMU supports
 * @asid: the MMU tags TLB and walk-cache entries by context; without,
 *	the engine flushes them on every context switch
 * @slots: address-space slots the device runs contexts in
 */
struct swgpu_profile {
	const char *name;
	enum drm_swgpu_profile id;
	const char *format;
	bool coherent;
	unsigned int dma_bits;
	unsigned int va_bits;
	u64 page_sizes;
	bool asid;
	unsigned int slots;
};

/**
 * struct swgpu_device - one software GPU, bound to one edu PCI slot
 * @gmmu: the drm_gmmu state, with the DRM device in it
 * @pdev: the PCI device that is this GPU's hardware slot
 * @profile: the model of GPU in this slot
 * @slot: index of the slot among all edu devices, in PCI address order
 * @hw: the hardware (drivers/swgpu/hw/swgpu_hw.h)
 * @slots: drm_gmmu's manager of the hardware's address-space slots
 */
struct swgpu_device {
	struct drm_gmmu_device gmmu;
	struct pci_dev *pdev;
	const struct swgpu_profile *profile;
	unsigned int slot;
	struct swgpu_hw_dev *hw;
	struct drm_gmmu_slots slots;
};

static inline struct swgpu_device *to_swgpu(struct drm_gmmu_device *gdev)
{
	return container_of(gdev, struct swgpu_device, gmmu);
}

/**
 * struct swgpu_queue - a drm_gmmu queue fed to one hardware ring
 * @base: the drm_gmmu queue (scheduler, fences, submission)
 * @ring: the ring its jobs go to
 */
struct swgpu_queue {
	struct drm_gmmu_queue base;
	struct swgpu_hw_ring *ring;
};

extern const struct drm_gmmu_queue_cfg swgpu_queue_cfg;

/**
 * struct swgpu_vm - a GPU context: a drm_gmmu VM and its MMU context
 * @gvm: the drm_gmmu VM (drm_gpuvm bookkeeping, level-2 tables, queues,
 *	fault records)
 * @mmu: the hardware context the VM's jobs run on
 */
struct swgpu_vm {
	struct drm_gmmu_vm gvm;
	struct swgpu_hw_mmu *mmu;
};

const struct swgpu_profile *swgpu_profile_lookup(const char *name, size_t len);
extern const struct drm_gmmu_coherency_ops swgpu_coherency_ops;
extern const struct drm_gmmu_device_funcs swgpu_gmmu_funcs;
extern const struct drm_gmmu_slots_ops swgpu_slots_ops;

int swgpu_get_param(struct drm_gmmu_device *gdev, u32 param, u64 *value);
int swgpu_exec_ioctl(struct drm_device *drm, void *data,
		     struct drm_file *file);

#endif /* __SWGPU_DRV_H__ */
