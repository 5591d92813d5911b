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
#define X86_48_CONT	BIT_ULL(52)
#define X86_48_NX	BIT_ULL(63)

const struct iommu_ctx_format iommu_ctx_fmt_x86_48 = {
	.name = "x86-48",
	.levels = 4,
	.va_bits = 48,
	.entry_size = 8,
	.level = {
		{ .shift = 39, .bits = 9, .block = false },	/* 512 GiB */
		{ .shift = 30, .bits = 9, .block = true },	/* 1 GiB */
		{ .shift = 21, .bits = 9, .block = true },	/* 2 MiB */
		{ .shift = 12, .bits = 9, .block = true },	/* 4 KiB */
	},
	.addr_mask = GENMASK_ULL(51, 12),
	.valid = X86_48_P,
	.table = X86_48_RW | X86_48_US,
	.leaf = 0,
	.block = X86_48_PS,
	.read = 0,
	.write = X86_48_RW,
	.nx = X86_48_NX,
	.user = X86_48_US,
	.uncached = X86_48_PCD,
	.contig = X86_48_CONT,
	.contig_order = 4,
	.table_align = 4096,
};
