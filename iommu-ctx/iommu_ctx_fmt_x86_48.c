// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Format x86-48
 *
 * Format "x86-48": four levels of 512 64-bit entries, 48-bit VA, entries
 * laid out like x86-64 paging entries (present, writable, user, PCD, PS,
 * NX), 4 KiB pages, 2 MiB and 1 GiB blocks, and 64 KiB pages made of 16
 * aligned 4 KiB entries that carry a contiguous hint in bit 52 (one of
 * the bits x86 leaves to software).
 */
#include "iommu_ctx_pt.h"

#define X86_48_P	BIT_ULL(0)
#define X86_48_RW	BIT_ULL(1)
#define X86_48_US	BIT_ULL(2)
#define X86_48_PCD	BIT_ULL(4)
#define X86_48_PS	BIT_ULL(7)
#define X86_48_SPARSE	BIT_ULL(9)	/* software bit: a sparse leaf (no memory) */
#define X86_48_CONT	BIT_ULL(52)
#define X86_48_NX	BIT_ULL(63)
#define X86_48_ADDR	GENMASK_ULL(51, 12)

/* Geometry: the table below is written with these, and checked here. */
#define X86_48_ENTRY	8
#define X86_48_BITS	9
#define X86_48_VA	48
#define X86_48_SHIFT(l)	(39 - 9 * (l))

static_assert((X86_48_ENTRY << X86_48_BITS) == 4096);
static_assert(X86_48_SHIFT(0) + X86_48_BITS == X86_48_VA);
static_assert(X86_48_SHIFT(3) == 12 && X86_48_SHIFT(2) == 21 &&
	      X86_48_SHIFT(1) == 30);
static_assert(!(X86_48_ADDR & (X86_48_P | X86_48_RW | X86_48_US |
			       X86_48_PCD | X86_48_PS | X86_48_CONT |
			       X86_48_NX)));
static_assert((X86_48_ADDR & GENMASK_ULL(11, 0)) == 0);
static_assert((16 << X86_48_SHIFT(3)) == 64 * 1024);	/* contig_order 4 */

const struct iommu_ctx_format iommu_ctx_fmt_x86_48 = {
	.name = "x86-48",
	.levels = 4,
	.va_bits = X86_48_VA,
	.entry_size = X86_48_ENTRY,
	.level = {
		{ .shift = X86_48_SHIFT(0), .bits = X86_48_BITS },	/* 512 GiB */
		{ .shift = X86_48_SHIFT(1), .bits = X86_48_BITS, .block = true },	/* 1 GiB */
		{ .shift = X86_48_SHIFT(2), .bits = X86_48_BITS, .block = true },	/* 2 MiB */
		{ .shift = X86_48_SHIFT(3), .bits = X86_48_BITS, .block = true },	/* 4 KiB */
	},
	.addr_mask = X86_48_ADDR,
	.valid = X86_48_P,
	.table = X86_48_RW | X86_48_US,
	.leaf = 0,
	.page = 0,
	.type_mask = X86_48_PS,
	.block = X86_48_PS,
	.read = 0,
	.write = X86_48_RW,
	.rdonly = 0,
	.nx = X86_48_NX,
	.user = X86_48_US,
	.uncached = X86_48_PCD,
	.sparse = X86_48_SPARSE,
	.contig = X86_48_CONT,
	.contig_order = 4,
	.table_align = 4096,
};
