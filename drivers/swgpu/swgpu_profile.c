// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu profiles
 *
 * The models of the software GPU. They differ as real parts do: whether the
 * GPU snoops CPU caches, how far it can address, which page-table format
 * its MMU walks, which page sizes it has and how many address-space
 * slots (llc: 16, ASID-tagged; atom: one, flushed at every switch).
 */
#include <linux/sizes.h>
#include <linux/string.h>

#include "swgpu_drv.h"

static const struct swgpu_profile swgpu_profiles[] = {
	{
		.name = "llc",
		.id = DRM_SWGPU_PROFILE_LLC,
		.format = "x86-48",
		.coherent = true,
		.dma_bits = 64,
		.va_bits = 48,
		.page_sizes = SZ_4K | SZ_64K | SZ_2M | SZ_1G,
		.asid = true,
		.slots = 16,
	},
	{
		/*
		 * An Atom-style part: behind no LLC, 32-bit DMA, small pages,
		 * no ASIDs (the TLB is flushed on every context switch), and
		 * the two-level, 32-bit-entry tables of gen7-era PPGTTs.
		 */
		.name = "atom",
		.id = DRM_SWGPU_PROFILE_ATOM,
		.format = "x86-32",
		.coherent = false,
		.dma_bits = 32,
		.va_bits = 32,
		.page_sizes = SZ_4K,
		.asid = false,
		.slots = 1,
	},
};

/**
 * swgpu_profile_lookup - find a profile by name
 * @name: the name, not necessarily NUL-terminated
 * @len: its length
 *
 * Return: the profile, or NULL if there is none of that name.
 */
const struct swgpu_profile *swgpu_profile_lookup(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swgpu_profiles); i++)
		if (strlen(swgpu_profiles[i].name) == len &&
		    !strncmp(swgpu_profiles[i].name, name, len))
			return &swgpu_profiles[i];
	return NULL;
}
