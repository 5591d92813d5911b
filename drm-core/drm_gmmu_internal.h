/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */
#ifndef __DRM_GMMU_INTERNAL_H__
#define __DRM_GMMU_INTERNAL_H__

#include <linux/dma-fence.h>
#include <linux/mm_types.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct dentry;
struct file;
struct drm_gem_object;
struct drm_gmmu_bo;
struct drm_gmmu_device;
struct iosys_map;

void drm_gmmu_bo_dma_unmap_locked(struct drm_gmmu_bo *bo);
bool drm_gmmu_cpu_access_flags_valid(u32 flags);
struct dma_buf;
struct drm_gem_object *drm_gmmu_bo_import_sg(struct drm_gmmu_device *gdev,
					     struct dma_buf *dmabuf);

void drm_gmmu_hugefs_init(void);
void drm_gmmu_hugefs_fini(void);
struct file *drm_gmmu_bo_file_setup(size_t size, bool wc);
int drm_gmmu_backing_init(struct drm_gmmu_bo *bo);
void drm_gmmu_backing_fini(struct drm_gmmu_bo *bo);
struct page *drm_gmmu_bo_page(struct drm_gmmu_bo *bo, pgoff_t i);
unsigned long drm_gmmu_bo_evict_locked(struct drm_gmmu_bo *bo);
int drm_gmmu_bo_vmap_locked(struct drm_gem_object *obj, struct iosys_map *map);
int drm_gmmu_bo_pin_locked(struct drm_gem_object *obj);
void drm_gmmu_bo_unpin_locked(struct drm_gem_object *obj);
struct sg_table *drm_gmmu_bo_get_sg_table(struct drm_gem_object *obj);
void drm_gmmu_bo_vunmap_locked(struct drm_gem_object *obj,
			       struct iosys_map *map);

int drm_gmmu_shrinker_init(struct drm_gmmu_device *gdev);
void drm_gmmu_bo_shrinker_add(struct drm_gmmu_bo *bo);
void drm_gmmu_bo_shrinker_del(struct drm_gmmu_bo *bo);
void drm_gmmu_backing_debugfs_init(struct drm_gmmu_device *gdev,
				   struct dentry *root);

int drm_gmmu_bo_domain_init(struct drm_gmmu_bo *bo);
void drm_gmmu_bo_domain_fini(struct drm_gmmu_bo *bo);
void drm_gmmu_bo_domain_page_new(struct drm_gmmu_bo *bo, pgoff_t i);
void drm_gmmu_bo_domain_page_gone(struct drm_gmmu_bo *bo, pgoff_t i,
				  bool evict);
extern const struct vm_operations_struct drm_gmmu_bo_vm_ops;
extern const struct vm_operations_struct drm_gmmu_bo_nc_vm_ops;

/*
 * The fence userspace gets for a job: follows the scheduler's finished
 * fence, owns its lock and names (drm_gmmu_queue.c). @base comes first:
 * dma_fence_free() frees the structure through it.
 */
struct drm_gmmu_out_fence {
	struct dma_fence base;
	struct dma_fence_cb cb;
	spinlock_t lock;
};

struct drm_gmmu_job;
struct drm_gmmu_queue;
void drm_gmmu_out_fence_init(struct drm_gmmu_out_fence *of,
			     struct drm_gmmu_queue *q);
void drm_gmmu_out_fence_arm(struct drm_gmmu_out_fence *of,
			    struct dma_fence *job_fence);
void drm_gmmu_job_free(struct drm_gmmu_job *job);

#endif
