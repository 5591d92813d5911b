/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Driver structure helpers
 *
 * What a &struct drm_driver on drm_gmmu points at, in one place, so that
 * every driver gets what the DRM core expects of a GPU driver without
 * writing it: the file's open and release, per-file usage statistics in
 * fdinfo (Documentation/gpu/drm-usage-stats.rst), dumb buffers on the
 * card node, dma-buf import and debugfs. The
 * DRM core of 6.12 prints fdinfo only for a file whose file_operations
 * have &file_operations.show_fdinfo, which DEFINE_DRM_GEM_FOPS() does not
 * set: DEFINE_DRM_GMMU_FOPS() does. See drm-core/drm_gmmu_fdinfo.c.
 */
#ifndef __DRM_GMMU_DRIVER_H__
#define __DRM_GMMU_DRIVER_H__

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

struct drm_printer;

struct drm_device;
struct drm_minor;
struct drm_mode_create_dumb;

void drm_gmmu_show_fdinfo(struct drm_printer *p, struct drm_file *file);
int drm_gmmu_dumb_create(struct drm_file *file, struct drm_device *drm,
			 struct drm_mode_create_dumb *args);
void drm_gmmu_debugfs_init(struct drm_minor *minor);

/** DRM_GMMU_DUMB_PITCH_ALIGN - bytes a dumb buffer's pitch is a multiple of */
#define DRM_GMMU_DUMB_PITCH_ALIGN	64

/**
 * DEFINE_DRM_GMMU_FOPS - the file_operations of a driver on drm_gmmu
 * @name: name of the (static) structure
 *
 * DEFINE_DRM_GEM_FOPS() and fdinfo: with it /proc/<pid>/fdinfo/<fd> of a
 * DRM file shows the DRM core's keys and &drm_driver.show_fdinfo's.
 */
#define DEFINE_DRM_GMMU_FOPS(name) \
	static const struct file_operations name = {\
		.owner		= THIS_MODULE,\
		DRM_GEM_FOPS,\
		.show_fdinfo	= drm_show_fdinfo,\
	}

/**
 * DRM_GMMU_DRIVER_FEATURES - &drm_driver.driver_features of a driver on
 *	drm_gmmu
 *
 * GEM BOs, GPU VA management (drm_gpuvm), a render node, and binary and
 * timeline syncobjs, which drm_gmmu's submission signals and waits for.
 * A driver with more (a display) ORs its own in.
 */
#define DRM_GMMU_DRIVER_FEATURES \
	(DRIVER_GEM | DRIVER_GEM_GPUVA | DRIVER_RENDER | DRIVER_SYNCOBJ | \
	 DRIVER_SYNCOBJ_TIMELINE)

/**
 * DRM_GMMU_DRIVER_OPS - &struct drm_driver callbacks drm_gmmu provides
 *
 * For a driver whose DRM device is a &drm_gmmu_device.drm and whose
 * per-file state is drm_gmmu's alone: &drm_driver.open and
 * &drm_driver.postclose (drm_gmmu_file_open(), drm_gmmu_driver_postclose()),
 * &drm_driver.show_fdinfo, &drm_driver.dumb_create (MAP_DUMB then takes
 * the DRM core's default path), &drm_driver.gem_prime_import
 * (drm_gmmu_gem_prime_import()) and &drm_driver.debugfs_init
 * (drm_gmmu_debugfs_init(), which calls
 * &drm_gmmu_device_funcs.debugfs_init for the hardware's files). Use it
 * inside the driver's &struct drm_driver initialiser, which then only
 * adds its features, ioctls, file operations and names. A driver with
 * per-file state of its own sets these callbacks one by one instead, with
 * its own open and postclose.
 */
#define DRM_GMMU_DRIVER_OPS \
	.open = drm_gmmu_file_open, \
	.postclose = drm_gmmu_driver_postclose, \
	.show_fdinfo = drm_gmmu_show_fdinfo, \
	.dumb_create = drm_gmmu_dumb_create, \
	.gem_prime_import = drm_gmmu_gem_prime_import, \
	.debugfs_init = drm_gmmu_debugfs_init

#endif /* __DRM_GMMU_DRIVER_H__ */
