// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Format lpae-40
 *
 * Format "lpae-40": ARM long-descriptor (LPAE, VMSAv8-64) stage-1
 * translation with the 4 KiB granule, as Mali-class GPUs walk it: three
 * levels of 512 64-bit entries (ARM's levels 1, 2 and 3), 4 KiB pages and
 * 2 MiB blocks, 40-bit output addresses, 39-bit VA (T0SZ = 25: the walk
 * starts at level 1).
 *
 * Descriptors: bit 0 valid; above the last level bit 1 set is a table
 * link and bit 1 clear a block; at the last level bit 1 must be set (a
 * page), an entry without it is invalid. Leaves carry the access flag
 * (AF, bit 10) and inner shareability (SH = 0b11, bits 9:8), since a GPU
 * that faulted on AF could not be served; AP[1] (bit 6) allows
 * unprivileged access, AP[2] (bit 7) makes the leaf read-only, XN (bit 54)
 * forbids execution, and AttrIndx (bits 4:2) selects MAIR entry 0
 * (write-back cacheable) or, without IOMMU_CACHE, entry 1 (which the
 * driver programs as non-cacheable). ARM's 1 GiB level-1 blocks and the
 * contiguous hint are not used.
 *
 * A 40-bit VA with this granule needs either a fourth level (a 2-entry
 * level-0 table) or a first level of 1024 entries (two level-1 tables
 * concatenated, 8 KiB, which ARM allows at stage 2 only). Both would
 * work on this walker as data (levels and bits are per level), but
 * iommu-ctx allocates every table as one page, so the format stops at 39
 * bits rather than add a 2-entry level to every walk.
 */
#include "iommu_ctx_pt.h"

#define LPAE_VALID	BIT_ULL(0)
#define LPAE_TABLE	BIT_ULL(1)	/* above the last level: a link */
#define LPAE_PAGE	BIT_ULL(1)	/* at the last level: a page */
#define LPAE_ATTRIDX(n)	((u64)(n) << 2)	/* MAIR index, bits 4:2 */
#define LPAE_AP_USER	BIT_ULL(6)	/* AP[1]: EL0 access */
#define LPAE_AP_RDONLY	BIT_ULL(7)	/* AP[2]: read-only */
#define LPAE_SH_INNER	(3ULL << 8)	/* SH: inner shareable */
#define LPAE_AF		BIT_ULL(10)	/* access flag */
#define LPAE_XN		BIT_ULL(54)	/* execute never (UXN) */
#define LPAE_SPARSE	BIT_ULL(55)	/* software bit: a sparse leaf (no memory) */
#define LPAE_ADDR	GENMASK_ULL(39, 12)

/* Geometry: the table below is written with these, and checked here. */
#define LPAE_ENTRY	8
#define LPAE_BITS	9
#define LPAE_VA		39
#define LPAE_SHIFT(l)	(30 - 9 * (l))	/* ARM level l + 1 */

static_assert((LPAE_ENTRY << LPAE_BITS) == 4096);
static_assert(LPAE_SHIFT(0) + LPAE_BITS == LPAE_VA);
static_assert(LPAE_SHIFT(2) == 12 && LPAE_SHIFT(1) == 21);
static_assert(!(LPAE_ADDR & (LPAE_VALID | LPAE_TABLE | LPAE_ATTRIDX(7) |
			     LPAE_AP_USER | LPAE_AP_RDONLY | LPAE_SH_INNER |
			     LPAE_AF | LPAE_XN)));
static_assert(LPAE_ADDR == GENMASK_ULL(39, 12));	/* 40-bit output */

const struct iommu_ctx_format iommu_ctx_fmt_lpae_40 = {
	.name = "lpae-40",
	.levels = 3,
	.va_bits = LPAE_VA,
	.entry_size = LPAE_ENTRY,
	.level = {
		{ .shift = LPAE_SHIFT(0), .bits = LPAE_BITS },	/* 1 GiB */
		{ .shift = LPAE_SHIFT(1), .bits = LPAE_BITS, .block = true },	/* 2 MiB */
		{ .shift = LPAE_SHIFT(2), .bits = LPAE_BITS },	/* 4 KiB */
	},
	.addr_mask = LPAE_ADDR,
	.valid = LPAE_VALID,
	.table = LPAE_TABLE,
	.leaf = LPAE_AF | LPAE_SH_INNER,
	.page = LPAE_PAGE,
	.type_mask = LPAE_TABLE,
	.block = 0,
	.read = 0,
	.write = 0,
	.rdonly = LPAE_AP_RDONLY,
	.nx = LPAE_XN,
	.user = LPAE_AP_USER,
	.uncached = LPAE_ATTRIDX(1),
	.sparse = LPAE_SPARSE,
	.contig = 0,
	.contig_order = 0,
	.table_align = 4096,
};
