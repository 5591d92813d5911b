// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: jdgpu driver
 *
 * jdgpu: a job-descriptor GPU of the ARM class on the gmmu framework:
 * lpae-40 tables, four address-space slots shared by every context
 * through drm_gmmu's slot manager, snooping CPU caches, a 40-bit DMA
 * mask. It binds the edu PCI devices the ``models`` parameter names, in
 * PCI address order ("none" or an empty entry leaves a slot alone); swgpu
 * binds others of the same ID by its ``profiles``.
 */
#include <linux/module.h>
#include <linux/pci.h>

#include <drm/drm_drv.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>

#include "jdgpu_drv.h"

static char *models = "none,none,none,jd";
module_param(models, charp, 0444);
MODULE_PARM_DESC(models,
		 "per edu slot in PCI address order, comma separated: jd or none (default: none,none,none,jd)");

static const struct drm_ioctl_desc jdgpu_ioctls[] = {
	DRM_IOCTL_DEF_DRV(JDGPU_GET_PARAM, drm_gmmu_get_param_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_BO_CREATE, drm_gmmu_bo_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_BO_MMAP_OFFSET, drm_gmmu_bo_mmap_offset_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_VM_CREATE, drm_gmmu_vm_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_VM_DESTROY, drm_gmmu_vm_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_VM_BIND, drm_gmmu_vm_bind_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_SUBMIT, jdgpu_submit_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_WAIT_BO, drm_gmmu_bo_wait_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_VM_READ_FAULTS, drm_gmmu_vm_read_faults_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_QUEUE_CREATE, drm_gmmu_queue_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(JDGPU_QUEUE_DESTROY, drm_gmmu_queue_destroy_ioctl, DRM_RENDER_ALLOW),
};

static int jdgpu_open(struct drm_device *drm, struct drm_file *file)
{
	return drm_gmmu_file_open(&container_of(drm, struct jdgpu_device, drm)->gmmu,
				  file);
}

DEFINE_DRM_GMMU_FOPS(jdgpu_fops);

static void jdgpu_debugfs_init(struct drm_minor *minor)
{
	struct jdgpu_device *jdev = container_of(minor->dev, struct jdgpu_device,
						 drm);

	drm_gmmu_device_debugfs_init(&jdev->gmmu, minor->debugfs_root);
	jdgpu_hw_debugfs_init(jdev->hw, minor->debugfs_root);
}

static struct drm_gem_object *jdgpu_prime_import(struct drm_device *drm,
						 struct dma_buf *dmabuf)
{
	return drm_gmmu_gem_prime_import(&container_of(drm, struct jdgpu_device,
						       drm)->gmmu, dmabuf);
}

static const struct drm_driver jdgpu_drm_driver = {
	.driver_features = DRM_GMMU_DRIVER_FEATURES,
	.open = jdgpu_open,
	DRM_GMMU_DRIVER_OPS,
	.ioctls = jdgpu_ioctls,
	.num_ioctls = ARRAY_SIZE(jdgpu_ioctls),
	.fops = &jdgpu_fops,
	.gem_prime_import = jdgpu_prime_import,
	.debugfs_init = jdgpu_debugfs_init,
	.name = "jdgpu",
	.desc = "Job-descriptor software GPU (gmmu)",
	.major = 0,
	.minor = 1,
};

static void jdgpu_hw_release(struct drm_device *drm, void *hw)
{
	jdgpu_hw_destroy(hw);
}

static int jdgpu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct jdgpu_device *jdev;
	unsigned int slot;
	const char *name;
	size_t len;
	int ret;

	name = drm_gmmu_pci_slot_param(pdev, models, &slot, &len);
	if (!name)
		return -ENODEV;
	if (len != 2 || strncmp(name, "jd", 2)) {
		dev_err(&pdev->dev, "slot %u: unknown model in \"%s\"\n", slot,
			models);
		return -EINVAL;
	}
	ret = pcim_enable_device(pdev) ?: drm_gmmu_dma_setup(&pdev->dev, 40);
	if (ret)
		return ret;
	jdev = devm_drm_dev_alloc(&pdev->dev, &jdgpu_drm_driver,
				  struct jdgpu_device, drm);
	if (IS_ERR(jdev))
		return PTR_ERR(jdev);
	jdev->pdev = pdev;
	jdev->pci_slot = slot;
	pci_set_drvdata(pdev, jdev);
	ret = drm_gmmu_device_init(&jdev->gmmu, &jdev->drm);
	if (ret)
		return ret;
	jdev->gmmu.funcs = &jdgpu_gmmu_funcs;
	jdev->gmmu.va_bits = 39;
	jdev->gmmu.pgsize_bitmap = SZ_4K | SZ_2M;
	jdev->gmmu.format = "lpae-40";
	jdev->hw = jdgpu_hw_create(&pdev->dev, slot);
	if (!jdev->hw)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(&jdev->drm, jdgpu_hw_release, jdev->hw);
	if (ret)
		return ret;
	drm_gmmu_slots_init(&jdev->slots, JDGPU_HW_AS_SLOTS, &jdgpu_slots_ops,
			    jdev->hw);
	jdev->gmmu.slots = &jdev->slots;

	ret = drm_dev_register(&jdev->drm, 0);
	if (ret)
		return ret;
	drm_info(&jdev->drm, "slot %u: lpae-40, %u address spaces, 40-bit DMA, coherent\n",
		 slot, JDGPU_HW_AS_SLOTS);
	return 0;
}

static void jdgpu_remove(struct pci_dev *pdev)
{
	struct jdgpu_device *jdev = pci_get_drvdata(pdev);

	drm_dev_unplug(&jdev->drm);
	jdgpu_hw_unplug(jdev->hw);
	drm_gmmu_device_unplug(&jdev->gmmu);
}

static const struct pci_device_id jdgpu_pci_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },	/* QEMU's edu */
	{ }
};
MODULE_DEVICE_TABLE(pci, jdgpu_pci_ids);

static struct pci_driver jdgpu_pci_driver = {
	.name = "jdgpu",
	.id_table = jdgpu_pci_ids,
	.probe = jdgpu_probe,
	.remove = jdgpu_remove,
};
module_pci_driver(jdgpu_pci_driver);

MODULE_DESCRIPTION("Job-descriptor software GPU for the gmmu framework");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
