// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Format x86-32
 *
 * Format "x86-32": the two-level tables of 32-bit x86 paging without PAE,
 * which gen7-era GPUs (Atom-class integrated graphics) walk for their
 * per-process GTT: a directory of 1024 32-bit entries, each linking a
 * table of 1024 32-bit entries of 4 KiB pages; 32-bit VA and 32-bit
 * output addresses (level-1 DMA addresses below 4 GiB: the device's DMA
 * mask must not be wider). Entry bits as x86's: present (bit 0),
 * writable (bit 1), user (bit 2), cache disable (PCD, bit 4).
 *
 * 4 KiB pages only: x86's 4 MiB directory pages (PSE) are left out, and
 * there is no no-execute bit (IOMMU_NOEXEC is ignored, as on the
 * hardware). The tables are 4 KiB, one page each, like every format's.
 */
#include "iommu_ctx_pt.h"

#define X86_32_P	BIT_ULL(0)
#define X86_32_RW	BIT_ULL(1)
#define X86_32_US	BIT_ULL(2)
#define X86_32_PCD	BIT_ULL(4)
#define X86_32_SPARSE	BIT_ULL(9)	/* software bit: a sparse leaf (no memory) */
#define X86_32_ADDR	GENMASK_ULL(31, 12)

/* Geometry: the table below is written with these, and checked here. */
#define X86_32_ENTRY	4
#define X86_32_BITS	10
#define X86_32_VA	32
#define X86_32_SHIFT0	22	/* 4 MiB per directory entry */
#define X86_32_SHIFT1	12	/* 4 KiB pages */

static_assert((X86_32_ENTRY << X86_32_BITS) == 4096);
static_assert(X86_32_SHIFT1 + X86_32_BITS == X86_32_SHIFT0);
static_assert(X86_32_SHIFT0 + X86_32_BITS == X86_32_VA);
static_assert(!(X86_32_ADDR >> (8 * X86_32_ENTRY)));	/* fits the entry */
static_assert(!(X86_32_ADDR & (X86_32_P | X86_32_RW | X86_32_US |
			       X86_32_PCD)));

const struct iommu_ctx_format iommu_ctx_fmt_x86_32 = {
	.name = "x86-32",
	.levels = 2,
	.va_bits = X86_32_VA,
	.entry_size = X86_32_ENTRY,
	.level = {
		{ .shift = X86_32_SHIFT0, .bits = X86_32_BITS },
		{ .shift = X86_32_SHIFT1, .bits = X86_32_BITS },
	},
	.addr_mask = X86_32_ADDR,
	.valid = X86_32_P,
	.table = X86_32_RW | X86_32_US,
	.leaf = 0,
	.page = 0,
	.type_mask = 0,
	.block = 0,
	.read = 0,
	.write = X86_32_RW,
	.rdonly = 0,
	.nx = 0,
	.user = X86_32_US,
	.uncached = X86_32_PCD,
	.sparse = X86_32_SPARSE,
	.contig = 0,
	.contig_order = 0,
	.table_align = 4096,
};
