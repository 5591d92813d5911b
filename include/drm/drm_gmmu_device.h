/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Device interface
 *
 * The drm_gmmu state of a GPU device: its level-1 mappings, its VMs, its
 * BOs for eviction, and whether it snoops CPU caches. See
 * drm-core/drm_gmmu_device.c.
 */
#ifndef __DRM_GMMU_DEVICE_H__
#define __DRM_GMMU_DEVICE_H__

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct dentry;
struct drm_gmmu_device;
struct device;
struct drm_device;
struct drm_gmmu_coherency_ops;
struct drm_gmmu_coredump;
struct drm_gmmu_device_stats;
struct drm_gmmu_slots;
struct drm_gmmu_vm;
struct pci_dev;
struct shrinker;

/**
 * struct drm_gmmu_device_funcs - the driver's part of the shared ioctls
 * @vm_create: VM_CREATE's constructor (drm_gmmu_vm_create_ioctl()): builds
 *	the driver's context structure around a new VM (drm_gmmu_vm_init()
 *	and whatever the hardware needs) and returns the VM with one
 *	reference, or an ERR_PTR. Called in process context inside
 *	drm_dev_enter(), after the file's VM limit was checked; drm_gmmu
 *	creates the VM's queue 0 afterwards if &drm_gmmu_vm_cfg.queue is set.
 * @get_param: optional; GET_PARAM of a parameter drm_gmmu does not know
 *	(drm_gmmu_get_param_ioctl()): the driver's own, from
 *	%DRM_GMMU_PARAM_DRIVER_BASE. Sets *@value and returns 0, or returns
 *	-EINVAL for a parameter it does not know either.
 */
struct drm_gmmu_device_funcs {
	struct drm_gmmu_vm *(*vm_create)(struct drm_gmmu_device *gdev);
	int (*get_param)(struct drm_gmmu_device *gdev, u32 param, u64 *value);
};

/**
 * struct drm_gmmu_device - drm_gmmu state of one GPU device
 * @drm: the DRM device; its ``dev`` is the device that does DMA
 * @lock: protects @maps, @unplugged and every BO's level-1 mapping
 * @maps: BOs that hold a level-1 (DMA API) mapping for this device
 * @unplugged: set by drm_gmmu_device_unplug(): no new level-1 mappings
 * @vm_lock: protects @vms
 * @vms: open VMs (&drm_gmmu_vm.link), closed at unplug
 * @noncoherent: the device does not snoop CPU caches: BOs track cache
 *	domains and drm_gmmu flushes for it (drm_gmmu_device_set_noncoherent())
 * @coherency_ops: observer of cache maintenance, or NULL
 * @stats: counters and test-only fault injection, drm_gmmu-internal
 *	(read through debugfs: ``gmmu_coherency``, ``gmmu_backing``)
 * @bo_lock: protects @bos
 * @bos: every BO of the device (&drm_gmmu_bo.bo_link), for eviction
 * @evictable: resident pages of BOs that hold no pin, what the shrinker
 *	reports it could free
 * @shrinker: evicts unpinned BOs under memory pressure
 * @funcs: what the shared ioctls (gmmu_drm.h) need of the driver; set by
 *	the driver before it registers the DRM device
 * @va_bits: width of the GPU's virtual addresses, for GET_PARAM and the
 *	largest BO (drm_gmmu_device_max_bo_size()); set by the driver
 * @pgsize_bitmap: GPU page sizes its MMU has, for GET_PARAM; set by the
 *	driver
 * @format: the iommu-ctx page-table format its MMU walks (e.g.
 *	"x86-48"), for GET_PARAM and as its VMs' format unless
 *	&drm_gmmu_vm_cfg.format names another; set by the driver
 * @coredump: the device's error-state capture (drm-core/drm_gmmu_coredump.c),
 *	drm_gmmu-internal
 * @slots: the address-space slot manager of hardware that runs jobs in a
 *	few slots (drm_gmmu_slots_init()), or NULL; set by the driver
 *	before it creates VMs. With it, every job of a VM runs in a slot
 *	(&drm_gmmu_job.slot).
 *
 * A driver embeds this in its device structure, calls drm_gmmu_device_init()
 * before creating BOs and drm_gmmu_device_unplug() in its remove path.
 */
struct drm_gmmu_device {
	struct drm_device *drm;
	struct mutex lock;
	struct list_head maps;
	bool unplugged;
	spinlock_t vm_lock;
	struct list_head vms;
	bool noncoherent;
	const struct drm_gmmu_coherency_ops *coherency_ops;
	struct drm_gmmu_device_stats *stats;
	spinlock_t bo_lock;
	struct list_head bos;
	atomic_long_t evictable;
	struct shrinker *shrinker;
	const struct drm_gmmu_device_funcs *funcs;
	unsigned int va_bits;
	unsigned long pgsize_bitmap;
	const char *format;
	struct drm_gmmu_coredump *coredump;
	struct drm_gmmu_slots *slots;
};

int drm_gmmu_dma_setup(struct device *dev, unsigned int dma_bits);
int drm_gmmu_device_init(struct drm_gmmu_device *gdev, struct drm_device *drm);
void drm_gmmu_device_unplug(struct drm_gmmu_device *gdev);
bool drm_gmmu_device_dma_is_direct(struct drm_gmmu_device *gdev);
u64 drm_gmmu_device_max_bo_size(struct drm_gmmu_device *gdev);
const char *drm_gmmu_pci_slot_param(struct pci_dev *pdev, const char *list,
				    unsigned int *slot, size_t *len);
unsigned long drm_gmmu_device_evict(struct drm_gmmu_device *gdev);
void drm_gmmu_device_debugfs_init(struct drm_gmmu_device *gdev,
				  struct dentry *root);

#endif /* __DRM_GMMU_DEVICE_H__ */
