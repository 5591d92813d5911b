/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Page-table format descriptors
 *
 * iommu-ctx page-table format descriptors. This header has no kernel
 * dependency beyond <linux/types.h> so that the format and walker code
 * also builds in userspace (for fuzzing) against a small shim.
 */
#ifndef __LINUX_IOMMU_CTX_FORMAT_H__
#define __LINUX_IOMMU_CTX_FORMAT_H__

#include <linux/types.h>

#define IOMMU_CTX_MAX_LEVELS	6

/**
 * struct iommu_ctx_fmt_level - one level of a page-table format
 * @shift: log2 of the VA span of one entry at this level (12 for 4 KiB)
 * @bits: number of VA bits that index a table of this level
 * @block: entries of this level may be leaves (a page or a block).
 *	The last level always holds leaves, whatever this says.
 */
struct iommu_ctx_fmt_level {
	u8 shift;
	u8 bits;
	bool block;
};

/**
 * struct iommu_ctx_format - a GPU page-table format, described by data
 * @name: the name drivers ask for in &iommu_ctx_cfg.format, e.g. "x86-48"
 * @levels: number of levels; level 0 is the root, @levels - 1 the last
 * @va_bits: the largest VA width the format translates
 * @entry_size: bytes per entry, 4 or 8
 * @level: per-level geometry, index 0 is the root
 * @addr_mask: the entry bits that hold an address (a level-1 DMA address
 *	of a table or of a page)
 * @valid: the bit that marks an entry as present
 * @table: bits set in every table link, besides @valid
 * @leaf: bits set in every leaf (page or block), besides @valid
 * @page: bits set in every last-level leaf only (ARM's page descriptor
 *	bit 1; 0 for x86). A last-level entry without all of them is not
 *	a valid translation.
 * @type_mask: the bits that tell a block from a table link above the
 *	last level: a valid entry of a level that may hold blocks is a
 *	block if (entry & @type_mask) == @block, else a table link
 * @block: the value of @type_mask bits in a block: x86's "PS" bit set
 *	(@type_mask == @block == PS), or ARM's bit 1 clear (@type_mask is
 *	bit 1, @block is 0)
 * @read: bit set when IOMMU_READ is asked for (0: reads always allowed)
 * @write: bit set when IOMMU_WRITE is asked for
 * @rdonly: bit set when IOMMU_WRITE is not asked for (ARM's AP[2])
 * @nx: bit set when IOMMU_NOEXEC is asked for
 * @user: bit set unless IOMMU_PRIV is asked for
 * @uncached: bit set unless IOMMU_CACHE is asked for (or with IOMMU_MMIO)
 * @contig: "contiguous" hint bit of last-level leaves (0: none). An
 *	aligned group of (1 << @contig_order) last-level entries that map
 *	physically contiguous, equally aligned memory with the same
 *	attributes carries it in every entry of the group, and a TLB may
 *	cache the group as one translation.
 * @contig_order: log2 of the number of entries of a contiguous group
 * @sparse: bit set in a sparse (NULL) leaf, asked for with
 *	%IOMMU_CTX_SPARSE: a valid translation of no memory, whose reads
 *	return zeros and whose writes are dropped, without a fault (Vulkan's
 *	sparse residency). Its address bits mean nothing. 0: the format has
 *	none.
 * @table_align: required alignment of the DMA address of a table
 *
 * A format is pure data; one generic walker handles every format.
 */
struct iommu_ctx_format {
	const char *name;
	u8 levels;
	u8 va_bits;
	u8 entry_size;
	struct iommu_ctx_fmt_level level[IOMMU_CTX_MAX_LEVELS];
	u64 addr_mask;
	u64 valid;
	u64 table;
	u64 leaf;
	u64 page;
	u64 type_mask;
	u64 block;
	u64 read;
	u64 write;
	u64 rdonly;
	u64 nx;
	u64 user;
	u64 uncached;
	u64 contig;
	u8 contig_order;
	u64 sparse;
	u32 table_align;
};

/**
 * struct iommu_ctx_pte_info - decoded page-table entry
 * @addr: the level-1 DMA address the entry holds (table or page)
 * @size: for a leaf, the VA span of the translation (including a
 *	contiguous group); for a table link, the VA span of the table
 * @valid: the entry is present
 * @leaf: the entry is a leaf (else a table link)
 * @contig: the leaf is part of a contiguous group
 * @writable: the leaf allows writes
 * @sparse: the leaf is sparse: it maps no memory (&iommu_ctx_format.sparse)
 */
struct iommu_ctx_pte_info {
	u64 addr;
	u64 size;
	bool valid;
	bool leaf;
	bool contig;
	bool writable;
	bool sparse;
};

const struct iommu_ctx_format *iommu_ctx_format_find(const char *name);
unsigned long iommu_ctx_format_pgsizes(const struct iommu_ctx_format *fmt);
unsigned int iommu_ctx_format_oa_bits(const struct iommu_ctx_format *fmt);
size_t iommu_ctx_format_table_size(const struct iommu_ctx_format *fmt,
				   unsigned int level);
void iommu_ctx_format_decode(const struct iommu_ctx_format *fmt,
			     unsigned int level, u64 pte,
			     struct iommu_ctx_pte_info *info);

#endif /* __LINUX_IOMMU_CTX_FORMAT_H__ */
