// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Device state
 *
 * Per-device state: which BOs hold a level-1 mapping for the device, so
 * that all of them are torn down when the device goes away, while the BOs
 * themselves live on as long as userspace holds them.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/iommu.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>

#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_managed.h>

#include "drm_gmmu_internal.h"

/**
 * drm_gmmu_dma_setup - set up a GPU's DMA device for drm_gmmu
 * @dev: the device that does the GPU's DMA
 * @dma_bits: how many address bits its DMA can drive
 *
 * Sets the DMA mask, and lifts the maximum DMA segment size: the GPU
 * reaches memory through its own page tables, so a segment may have any
 * length. BO sg tables (drm_prime_pages_to_sg()) merge contiguous pages up
 * to dma_max_mapping_size(), not up to this limit, and long segments let
 * level 2 use 2M and 1G pages; PCI's default of 64 KiB would be exceeded
 * (a DMA-API debug error) and would cap the IOVA segments dma-iommu
 * merges. Call it before drm_gmmu_device_init().
 *
 * Return: 0, or the error of dma_set_mask_and_coherent() (reported).
 */
int drm_gmmu_dma_setup(struct device *dev, unsigned int dma_bits)
{
	int ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(dma_bits));

	if (ret) {
		dev_err(dev, "cannot set a %u-bit DMA mask: %d\n", dma_bits, ret);
		return ret;
	}
	if (dev->dma_parms)
		dma_set_max_seg_size(dev, UINT_MAX);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_dma_setup);

/**
 * drm_gmmu_device_init - set up the drm_gmmu state of a GPU device
 * @gdev: the state, embedded in the driver's device structure; its
 *	&drm_gmmu_device.drm was allocated with it (devm_drm_dev_alloc()),
 *	and ``drm.dev`` is the device that does DMA, set up with
 *	drm_gmmu_dma_setup() (or with its DMA mask and maximum segment size
 *	set as it does: BO sg tables merge contiguous pages without looking
 *	at the latter, and DMA-API debug reports a longer segment)
 *
 * Registers a shrinker for the device's BOs, freed with the DRM device.
 *
 * Return: 0 or a negative errno.
 */
int drm_gmmu_device_init(struct drm_gmmu_device *gdev)
{
	int ret;

	gdev->stats = drmm_kzalloc(&gdev->drm, sizeof(*gdev->stats),
				   GFP_KERNEL);
	if (!gdev->stats)
		return -ENOMEM;
	INIT_LIST_HEAD(&gdev->maps);
	INIT_LIST_HEAD(&gdev->vms);
	spin_lock_init(&gdev->vm_lock);
	gdev->unplugged = false;
	spin_lock_init(&gdev->lock);
	ret = drm_gmmu_coredump_init(gdev);
	if (ret)
		return ret;
	return drm_gmmu_shrinker_init(gdev);
}
EXPORT_SYMBOL_GPL(drm_gmmu_device_init);

/**
 * drm_gmmu_device_unplug - tear down every level-1 mapping of a device
 * @gdev: the device, being removed
 *
 * Called from the driver's remove path, after drm_dev_unplug(): no new
 * level-1 mapping is made afterwards (drm_gmmu_bo_dma_map() returns
 * -ENODEV), and every existing one is unmapped now, while the device is
 * still bound, as the DMA API requires: first every open VM is closed (its
 * page tables are level-1 mappings too), then the BOs' mappings go. The
 * BOs stay valid for the CPU, and the VMs as empty shells, until userspace
 * lets go of them. The device's error state, if any, is removed, and no
 * new one is taken (see "Error state").
 *
 * The driver must have stopped its hardware from reaching memory first
 * (drm_dev_unplug() waits for every drm_dev_enter() section).
 */
void drm_gmmu_device_unplug(struct drm_gmmu_device *gdev)
{
	struct drm_gmmu_bo *bo;
	struct drm_gmmu_vm *vm;

	spin_lock(&gdev->lock);
	gdev->unplugged = true;
	spin_unlock(&gdev->lock);
	drm_gmmu_coredump_unplug(gdev);

	for (;;) {
		spin_lock(&gdev->vm_lock);
		vm = list_first_entry_or_null(&gdev->vms, struct drm_gmmu_vm, link);
		if (!vm) {
			spin_unlock(&gdev->vm_lock);
			break;
		}
		list_del_init(&vm->link);
		/* Closed VMs leave the list, so this one is still referenced. */
		drm_gmmu_vm_get(vm);
		spin_unlock(&gdev->vm_lock);
		drm_gmmu_vm_close(vm);
		drm_gmmu_vm_put(vm);
	}

	/*
	 * A mapping is dropped under its BO's reservation, which nests
	 * outside the list's lock: take a reference first. A BO whose last
	 * reference is gone is being freed, and its free drops the mapping
	 * (and leaves the list) on its own: wait for that.
	 */
	for (;;) {
		spin_lock(&gdev->lock);
		bo = list_first_entry_or_null(&gdev->maps, struct drm_gmmu_bo,
					      map_link);
		if (bo && !kref_get_unless_zero(&bo->base.base.refcount))
			bo = ERR_PTR(-EBUSY);
		spin_unlock(&gdev->lock);
		if (!bo)
			break;
		if (IS_ERR(bo)) {
			schedule_timeout_uninterruptible(1);
			continue;
		}
		dma_resv_lock(bo->base.base.resv, NULL);
		drm_gmmu_bo_dma_unmap_locked(bo);
		dma_resv_unlock(bo->base.base.resv);
		drm_gem_object_put(&bo->base.base);
	}
}
EXPORT_SYMBOL_GPL(drm_gmmu_device_unplug);

/**
 * drm_gmmu_device_dma_is_direct - does the device's DMA go untranslated?
 * @gdev: the device
 *
 * Return: true if DMA addresses are physical addresses (dma-direct, or an
 * identity IOMMU domain), so that the DMA mask limits which memory the
 * device can reach; false behind a translating IOMMU.
 */
bool drm_gmmu_device_dma_is_direct(struct drm_gmmu_device *gdev)
{
	return drm_gmmu_dma_is_direct(gdev->drm.dev);
}
EXPORT_SYMBOL_GPL(drm_gmmu_device_dma_is_direct);

/**
 * drm_gmmu_device_set_noncoherent - the device does not snoop CPU caches
 * @gdev: the device, before any BO is created for it
 * @ops: observer told of every flush and CPU access, or NULL
 *
 * BOs created afterwards track cache domains: their user mappings fault
 * through drm_gmmu (CPU writes are learnt per page), drm_gmmu_vm_enter_gpu_domain()
 * flushes what the CPU dirtied and drm_gmmu_bo_begin_cpu_access() and
 * faults invalidate what the GPU may have written, all through
 * drm_gmmu_flush_page(). See Documentation/coherency.rst.
 *
 * @ops joins drm_gmmu's list of observers until @gdev's DRM device is
 * released: it sees the cache events of every page drm_gmmu tracks, the
 * pages of other devices' BOs included (an exported BO of a coherent
 * device is read by this one through its import). Call it after setting
 * up what @ops uses, which must outlive the DRM device's managed
 * release actions registered before this call.
 */
void drm_gmmu_device_set_noncoherent(struct drm_gmmu_device *gdev,
				     const struct drm_gmmu_coherency_ops *ops)
{
	gdev->noncoherent = true;
	gdev->coherency_ops = ops;
	if (ops)
		drm_gmmu_observer_add(gdev);
}
EXPORT_SYMBOL_GPL(drm_gmmu_device_set_noncoherent);
