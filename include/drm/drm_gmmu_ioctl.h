/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Shared ioctl handlers interface
 *
 * The handlers of the shared ioctls of uapi/drm/gmmu_drm.h, for a driver's
 * &drm_ioctl_desc table under its own ioctl numbers:
 *
 *	DRM_IOCTL_DEF_DRV(MYGPU_BO_CREATE, drm_gmmu_bo_create_ioctl,
 *			  DRM_RENDER_ALLOW),
 *
 * They need the file's &struct drm_gmmu_file (drm_gmmu_file_open()) and,
 * for VM_CREATE, the driver's &drm_gmmu_device_funcs. A driver's own
 * submission ioctl embeds &struct drm_gmmu_submit and hands it to
 * drm_gmmu_submit_ioctl() with a callback that fills in its job. See
 * drm-core/drm_gmmu_param.c, drm-core/drm_gmmu_bo_ioctl.c,
 * drm-core/drm_gmmu_vm_ioctl.c and drm-core/drm_gmmu_submit.c.
 */
#ifndef __DRM_GMMU_IOCTL_H__
#define __DRM_GMMU_IOCTL_H__

#include <linux/types.h>

struct drm_device;
struct drm_file;
struct drm_gmmu_device;
struct drm_gmmu_job;
struct drm_gmmu_submit;

u32 drm_gmmu_bo_create_flags_valid(struct drm_gmmu_device *gdev);

int drm_gmmu_get_param_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file);

int drm_gmmu_bo_create_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file);
int drm_gmmu_bo_mmap_offset_ioctl(struct drm_device *drm, void *data,
				  struct drm_file *file);
int drm_gmmu_bo_wait_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file);
int drm_gmmu_bo_cpu_access_ioctl(struct drm_device *drm, void *data,
				 struct drm_file *file);

int drm_gmmu_vm_create_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file);
int drm_gmmu_vm_destroy_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file);
int drm_gmmu_vm_bind_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file);
int drm_gmmu_vm_get_fault_ioctl(struct drm_device *drm, void *data,
				struct drm_file *file);
int drm_gmmu_vm_read_faults_ioctl(struct drm_device *drm, void *data,
				  struct drm_file *file);
int drm_gmmu_queue_create_ioctl(struct drm_device *drm, void *data,
				struct drm_file *file);
int drm_gmmu_queue_destroy_ioctl(struct drm_device *drm, void *data,
				 struct drm_file *file);

int drm_gmmu_submit_ioctl(struct drm_file *file, struct drm_gmmu_submit *args,
			  int (*fill)(struct drm_gmmu_job *job, void *data),
			  void *data);

#endif /* __DRM_GMMU_IOCTL_H__ */
