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
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
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

/* The slot of @pdev: how many edu devices have a lower PCI address. */
static unsigned int swgpu_slot_of(struct pci_dev *pdev)
{
	struct pci_dev *other = NULL;
	unsigned int slot = 0;

	while ((other = pci_get_device(PCI_VENDOR_ID_QEMU_EDU,
				       PCI_DEVICE_ID_QEMU_EDU, other))) {
		if (pci_domain_nr(other->bus) < pci_domain_nr(pdev->bus) ||
		    (pci_domain_nr(other->bus) == pci_domain_nr(pdev->bus) &&
		     PCI_DEVID(other->bus->number, other->devfn) <
		     PCI_DEVID(pdev->bus->number, pdev->devfn)))
			slot++;
	}
	return slot;
}

/*
 * The profile named for @slot in the ``profiles`` parameter; NULL if the
 * slot is to stay unbound; an ERR_PTR for a name no profile has.
 */
static const struct swgpu_profile *swgpu_slot_profile(unsigned int slot)
{
	const struct swgpu_profile *p;
	const char *s = profiles, *end;
	unsigned int i;
	size_t len;

	for (i = 0; s && i < slot; i++) {
		s = strchr(s, ',');
		if (s)
			s++;
	}
	if (!s || !*s)
		return NULL;
	end = strchrnul(s, ',');
	len = end - s;
	if (len == 4 && !strncmp(s, "none", 4))
		return NULL;
	p = swgpu_profile_lookup(s, len);
	return p ?: ERR_PTR(-EINVAL);
}

static const struct drm_ioctl_desc swgpu_ioctls[] = {
	DRM_IOCTL_DEF_DRV(SWGPU_GET_PARAM, swgpu_get_param_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_BO_CREATE, swgpu_bo_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_BO_MMAP_OFFSET, swgpu_bo_mmap_offset_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_CREATE, swgpu_vm_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_DESTROY, swgpu_vm_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_BIND, swgpu_vm_bind_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_EXEC, swgpu_exec_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_WAIT_BO, swgpu_wait_bo_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_GET_FAULT, swgpu_vm_get_fault_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_QUEUE_CREATE, swgpu_queue_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_QUEUE_DESTROY, swgpu_queue_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_BO_CPU_ACCESS, swgpu_bo_cpu_access_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SWGPU_VM_READ_FAULTS, swgpu_vm_read_faults_ioctl, DRM_RENDER_ALLOW),
};

DEFINE_DRM_GEM_FOPS(swgpu_fops);

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
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA | DRIVER_RENDER |
			   DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,
	.open = drm_gmmu_driver_open,
	.postclose = drm_gmmu_driver_postclose,
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
	int ret;

	slot = swgpu_slot_of(pdev);
	profile = swgpu_slot_profile(slot);
	if (IS_ERR(profile)) {
		dev_err(&pdev->dev, "slot %u: unknown profile in \"%s\"\n",
			slot, profiles);
		return PTR_ERR(profile);
	}
	if (!profile)
		return -ENODEV;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(profile->dma_bits));
	if (ret) {
		dev_err(&pdev->dev, "cannot set a %u-bit DMA mask: %d\n",
			profile->dma_bits, ret);
		return ret;
	}
	/*
	 * The GPU reaches memory through its own page tables, so a DMA
	 * segment may have any length. BO sg tables (drm_prime_pages_to_sg())
	 * merge contiguous pages up to dma_max_mapping_size(), not up to this
	 * limit, and long segments let level 2 use 2M and 1G pages; PCI's
	 * default of 64 KiB would be exceeded (a DMA-API debug error) and
	 * would cap the IOVA segments dma-iommu merges.
	 */
	dma_set_max_seg_size(&pdev->dev, UINT_MAX);

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
	sdev->hw = swgpu_hw_dev_create(&pdev->dev, slot, profile->asid,
				       profile->coherent);
	if (!sdev->hw)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(&sdev->drm, swgpu_hw_release, sdev->hw);
	if (ret)
		return ret;
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
