// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu driver and hardware slots
 *
 * swgpu: the reference driver of the gmmu framework. Each QEMU "edu" PCI
 * device is a hardware slot; the ``profiles`` parameter says which model of
 * GPU sits in each slot, in PCI address order. A slot with no profile stays
 * unbound, free for other uses (reference measurements against VT-d).
 */
#include <linux/module.h>
#include <linux/pci.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>

#include "swgpu_drv.h"

#define PCI_VENDOR_ID_QEMU_EDU	0x1234
#define PCI_DEVICE_ID_QEMU_EDU	0x11e8

static char *profiles = "llc,atom";
module_param(profiles, charp, 0444);
MODULE_PARM_DESC(profiles,
		 "GPU model per edu slot in PCI address order, comma separated: llc, atom or none (default: llc,atom)");

static const struct drm_ioctl_desc swgpu_ioctls[] = {
	DRM_IOCTL_DEF_DRV(SWGPU_GET_PARAM, drm_gmmu_get_param_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_BO_CREATE, drm_gmmu_bo_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_BO_MMAP_OFFSET, drm_gmmu_bo_mmap_offset_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_CREATE, drm_gmmu_vm_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_DESTROY, drm_gmmu_vm_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_BIND, drm_gmmu_vm_bind_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_EXEC, swgpu_exec_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_WAIT_BO, drm_gmmu_bo_wait_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_GET_FAULT, drm_gmmu_vm_get_fault_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_QUEUE_CREATE, drm_gmmu_queue_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_QUEUE_DESTROY, drm_gmmu_queue_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_BO_CPU_ACCESS, drm_gmmu_bo_cpu_access_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_READ_FAULTS, drm_gmmu_vm_read_faults_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_GET_RESET_STATS, drm_gmmu_vm_get_reset_stats_ioctl, DRM_RENDER_ALLOW),
};

static int swgpu_open(struct drm_device *drm, struct drm_file *file)
{
	return drm_gmmu_file_open(&to_swgpu(drm)->gmmu, file);
}

DEFINE_DRM_GMMU_FOPS(swgpu_fops);

static void swgpu_debugfs_init(struct drm_minor *minor)
{
	struct swgpu_device *sdev = to_swgpu(minor->dev);

	drm_gmmu_device_debugfs_init(&sdev->gmmu, minor->debugfs_root);
	swgpu_hw_dev_debugfs_init(sdev->hw, minor->debugfs_root);
}

/* drm_gmmu imports for the GPU's drm_gmmu state, which the DRM core lacks. */
static struct drm_gem_object *swgpu_gem_prime_import(struct drm_device *drm,
						     struct dma_buf *dmabuf)
{
	return drm_gmmu_gem_prime_import(&to_swgpu(drm)->gmmu, dmabuf);
}

static const struct drm_driver swgpu_drm_driver = {
	.driver_features = DRM_GMMU_DRIVER_FEATURES,
	.open = swgpu_open,
	DRM_GMMU_DRIVER_OPS,
	.ioctls = swgpu_ioctls,
	.num_ioctls = ARRAY_SIZE(swgpu_ioctls),
	.fops = &swgpu_fops,
	.gem_prime_import = swgpu_gem_prime_import,
	.debugfs_init = swgpu_debugfs_init,
	.name = "swgpu",
	.desc = "Reference software GPU (gmmu)",
	.major = 0,
	.minor = 1,
};

static void swgpu_hw_release(struct drm_device *drm, void *hw)
{
	swgpu_hw_dev_destroy(hw);
}

static int swgpu_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const struct swgpu_profile *profile;
	struct swgpu_device *sdev;
	unsigned int slot;
	const char *name;
	size_t len;
	int ret;

	name = drm_gmmu_pci_slot_param(pdev, profiles, &slot, &len);
	if (!name)
		return -ENODEV;
	profile = swgpu_profile_lookup(name, len);
	if (!profile) {
		dev_err(&pdev->dev, "slot %u: unknown profile in \"%s\"\n",
			slot, profiles);
		return -EINVAL;
	}

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = drm_gmmu_dma_setup(&pdev->dev, profile->dma_bits);
	if (ret)
		return ret;
	sdev = devm_drm_dev_alloc(&pdev->dev, &swgpu_drm_driver,
				  struct swgpu_device, drm);
	if (IS_ERR(sdev))
		return PTR_ERR(sdev);
	sdev->pdev = pdev;
	sdev->profile = profile;
	sdev->slot = slot;
	pci_set_drvdata(pdev, sdev);
	ret = drm_gmmu_device_init(&sdev->gmmu, &sdev->drm);
	if (ret)
		return ret;
	sdev->gmmu.funcs = &swgpu_gmmu_funcs;
	sdev->gmmu.va_bits = profile->va_bits;
	sdev->gmmu.pgsize_bitmap = profile->page_sizes;
	sdev->gmmu.format = profile->format;
	sdev->hw = swgpu_hw_dev_create(&pdev->dev, slot, profile->asid,
				       profile->coherent, profile->slots);
	if (!sdev->hw)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(&sdev->drm, swgpu_hw_release, sdev->hw);
	if (ret)
		return ret;
	/* Every job runs in one of the hardware's address-space slots. */
	drm_gmmu_slots_init(&sdev->slots, profile->slots, &swgpu_slots_ops,
			    sdev->hw);
	sdev->gmmu.slots = &sdev->slots;
	/* A GPU that does not snoop needs drm_gmmu's cache maintenance. */
	if (!profile->coherent)
		drm_gmmu_device_set_noncoherent(&sdev->gmmu,
						&swgpu_coherency_ops);

	ret = drm_dev_register(&sdev->drm, 0);
	if (ret)
		return ret;

	drm_info(&sdev->drm, "slot %u: %s profile, %u-bit DMA, %u-bit VA, %s\n",
		 slot, profile->name, profile->dma_bits, profile->va_bits,
		 profile->coherent ? "coherent" : "not snooping CPU caches");
	return 0;
}

static void swgpu_pci_remove(struct pci_dev *pdev)
{
	struct swgpu_device *sdev = pci_get_drvdata(pdev);

	/* Open files keep the drm_device; their ioctls now fail with -ENODEV. */
	drm_dev_unplug(&sdev->drm);
	/* The engine stops reaching memory before level 1 goes. */
	swgpu_hw_dev_unplug(sdev->hw);
	/* BOs outlive the device; their level-1 mappings must not. */
	drm_gmmu_device_unplug(&sdev->gmmu);
}

static const struct pci_device_id swgpu_pci_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_QEMU_EDU, PCI_DEVICE_ID_QEMU_EDU) },
	{ }
};
MODULE_DEVICE_TABLE(pci, swgpu_pci_ids);

static struct pci_driver swgpu_pci_driver = {
	.name = "swgpu",
	.id_table = swgpu_pci_ids,
	.probe = swgpu_pci_probe,
	.remove = swgpu_pci_remove,
};

static int __init swgpu_init(void)
{
	return pci_register_driver(&swgpu_pci_driver);
}
module_init(swgpu_init);

static void __exit swgpu_exit(void)
{
	pci_unregister_driver(&swgpu_pci_driver);
	swgpu_hw_exit();
}
module_exit(swgpu_exit);

MODULE_DESCRIPTION("Reference software GPU for the gmmu framework");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
