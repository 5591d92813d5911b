/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */
#ifndef __SWGPU_DRV_H__
#define __SWGPU_DRV_H__

#include <linux/pci.h>
#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>

#include <drm/swgpu_drm.h>

struct drm_file;

/**
 * struct swgpu_profile - what differs between models of the software GPU
 * @name: name used in the ``profiles`` module parameter
 * @id: the &enum drm_swgpu_profile reported to userspace
 * @coherent: the GPU snoops CPU caches
 * @dma_bits: width of the DMA mask the device can drive (level 1)
 * @va_bits: width of a context's GPU virtual address (level 2)
 * @page_sizes: GPU page sizes the MMU supports
 */
struct swgpu_profile {
	const char *name;
	enum drm_swgpu_profile id;
	bool coherent;
	unsigned int dma_bits;
	unsigned int va_bits;
	u64 page_sizes;
};

/**
 * struct swgpu_device - one software GPU, bound to one edu PCI slot
 * @drm: the DRM device
 * @pdev: the PCI device that is this GPU's hardware slot
 * @profile: the model of GPU in this slot
 * @slot: index of the slot among all edu devices, in PCI address order
 * @gmmu: the drm_gmmu state: level-1 mappings of this GPU's BOs
 */
struct swgpu_device {
	struct drm_device drm;
	struct drm_gmmu_device gmmu;
	struct pci_dev *pdev;
	const struct swgpu_profile *profile;
	unsigned int slot;
};

static inline struct swgpu_device *to_swgpu(struct drm_device *drm)
{
	return container_of(drm, struct swgpu_device, drm);
}

const struct swgpu_profile *swgpu_profile_lookup(const char *name, size_t len);

int swgpu_get_param_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file);
int swgpu_bo_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file);
int swgpu_bo_mmap_offset_ioctl(struct drm_device *drm, void *data,
			       struct drm_file *file);
u64 swgpu_max_bo_size(struct swgpu_device *sdev);

#endif /* __SWGPU_DRV_H__ */
