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
 */
#include <linux/pci.h>
#include <linux/string.h>

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
