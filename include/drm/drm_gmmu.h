/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * drm_gmmu: DRM helpers for GPUs with two-level address spaces.
 */
#ifndef __DRM_GMMU_H__
#define __DRM_GMMU_H__

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <drm/drm_gem_shmem_helper.h>

/**
 * struct drm_gmmu_ext_handler - handles one extension name of an ioctl
 * @name: the &drm_gmmu_user_extension.name this handler takes
 * @fn: called with the user pointer of the extension (its header first)
 *	and the ioctl's private data; returns 0 or a negative errno
 */
struct drm_gmmu_ext_handler {
	u32 name;
	int (*fn)(u64 uptr, void *data);
};

int drm_gmmu_user_ext_walk(u64 extensions,
			   const struct drm_gmmu_ext_handler *handlers,
			   unsigned int count, void *data);

bool drm_gmmu_mem_is_zero(const void *p, size_t len);

int drm_gmmu_copy_user_array(void *dst, size_t elem_size, size_t min_stride,
			     u64 uptr, u32 count, u32 stride);


struct drm_device;
struct sg_table;

/**
 * struct drm_gmmu_device - drm_gmmu state of one GPU device
 * @drm: the DRM device; its ``dev`` is the device that does DMA
 * @lock: protects @maps, @unplugged and every BO's level-1 mapping
 * @maps: BOs that hold a level-1 (DMA API) mapping for this device
 * @unplugged: set by drm_gmmu_device_unplug(): no new level-1 mappings
 *
 * A driver embeds this in its device structure, calls drm_gmmu_device_init()
 * before creating BOs and drm_gmmu_device_unplug() in its remove path.
 */
struct drm_gmmu_device {
	struct drm_device *drm;
	struct mutex lock;
	struct list_head maps;
	bool unplugged;
};

/**
 * struct drm_gmmu_bo - a buffer object with shmem backing
 * @base: the shmem GEM object
 * @gdev: the device the BO was created for
 * @sgt: the level-1 mapping of the backing pages for @gdev, DMA_BIDIRECTIONAL,
 *	made on first use and kept; NULL when unmapped. Under @gdev->lock.
 * @map_link: in @gdev->maps while @sgt is set
 * @pinned: the level-1 mapping holds a pin on the backing pages
 * @dma32: backing pages come from below 4 GiB (the device's DMA cannot
 *	reach all memory and nothing translates for it)
 */
struct drm_gmmu_bo {
	struct drm_gem_shmem_object base;
	struct drm_gmmu_device *gdev;
	struct sg_table *sgt;
	struct list_head map_link;
	bool pinned;
	bool dma32;
};

static inline struct drm_gmmu_bo *to_drm_gmmu_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct drm_gmmu_bo, base.base);
}

int drm_gmmu_device_init(struct drm_gmmu_device *gdev, struct drm_device *drm);
void drm_gmmu_device_unplug(struct drm_gmmu_device *gdev);
bool drm_gmmu_device_dma_is_direct(struct drm_gmmu_device *gdev);

struct drm_gmmu_bo *drm_gmmu_bo_create(struct drm_gmmu_device *gdev, size_t size);
struct sg_table *drm_gmmu_bo_dma_map(struct drm_gmmu_bo *bo);

#endif /* __DRM_GMMU_H__ */
