// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: PCI slots told apart by a parameter
 *
 * Several GPUs can sit behind one PCI vendor and device ID and differ only
 * in what the platform says of each: the software GPUs of this tree all
 * bind QEMU's "edu" device, and a module parameter lists, slot by slot,
 * which model each one is. drm_gmmu_pci_slot_param() gives a probe its
 * slot (its rank among the devices of its ID, in PCI address order, so it
 * does not depend on probe order) and that slot's entry of the list, so
 * that every such driver reads the list the same way.
 *
 * What every PCI probe then does before anything of its hardware's
 * (enable the device, set up its DMA, allocate the driver's device
 * structure with its DRM device, initialise the drm_gmmu state) is
 * devm_drm_gmmu_pci_alloc().
 */
#include <linux/pci.h>
#include <linux/string.h>

#include <drm/drm_drv.h>
#include <drm/drm_gmmu_device.h>

/* How many devices of @pdev's ID have a lower PCI address. */
static unsigned int drm_gmmu_pci_slot(struct pci_dev *pdev)
{
	struct pci_dev *other = NULL;
	unsigned int slot = 0;

	while ((other = pci_get_device(pdev->vendor, pdev->device, other))) {
		if (pci_domain_nr(other->bus) < pci_domain_nr(pdev->bus) ||
		    (pci_domain_nr(other->bus) == pci_domain_nr(pdev->bus) &&
		     PCI_DEVID(other->bus->number, other->devfn) <
		     PCI_DEVID(pdev->bus->number, pdev->devfn)))
			slot++;
	}
	return slot;
}

/**
 * drm_gmmu_pci_slot_param - a PCI device's slot and its entry in a list
 * @pdev: the device being probed
 * @list: comma-separated entries, one per slot in PCI address order
 * @slot: out, the slot of @pdev among the devices of its vendor and
 *	device ID
 * @len: out, the length of the entry returned
 *
 * Return: the start of @slot's entry in @list (not NUL-terminated: @len
 * long), or NULL if the list has no entry for it or the entry is empty or
 * "none": the slot is not this driver's to bind.
 */
const char *drm_gmmu_pci_slot_param(struct pci_dev *pdev, const char *list,
				    unsigned int *slot, size_t *len)
{
	const char *s = list;
	unsigned int i;

	*slot = drm_gmmu_pci_slot(pdev);
	for (i = 0; s && i < *slot; i++) {
		s = strchr(s, ',');
		if (s)
			s++;
	}
	if (!s || !*s)
		return NULL;
	*len = strchrnul(s, ',') - s;
	if (!*len || (*len == 4 && !strncmp(s, "none", 4)))
		return NULL;
	return s;
}
EXPORT_SYMBOL_GPL(drm_gmmu_pci_slot_param);

/**
 * __devm_drm_gmmu_pci_alloc - devm_drm_gmmu_pci_alloc()'s work
 * @pdev: the PCI device being probed
 * @driver: the DRM driver
 * @dma_bits: how many address bits the device's DMA can drive
 * @size: size of the driver's device structure
 * @offset: offset of the &drm_gmmu_device.drm of its &struct
 *	drm_gmmu_device in it
 *
 * Return: the new structure, or an ERR_PTR.
 */
void *__devm_drm_gmmu_pci_alloc(struct pci_dev *pdev,
				const struct drm_driver *driver,
				unsigned int dma_bits, size_t size,
				size_t offset)
{
	struct drm_gmmu_device *gdev;
	void *container;
	int ret;

	ret = pcim_enable_device(pdev) ?: drm_gmmu_dma_setup(&pdev->dev,
							      dma_bits);
	if (ret)
		return ERR_PTR(ret);
	container = __devm_drm_dev_alloc(&pdev->dev, driver, size, offset);
	if (IS_ERR(container))
		return container;
	gdev = to_drm_gmmu_device(container + offset);
	ret = drm_gmmu_device_init(gdev);
	if (ret)
		return ERR_PTR(ret);
	pci_set_drvdata(pdev, container);
	return container;
}
EXPORT_SYMBOL_GPL(__devm_drm_gmmu_pci_alloc);
