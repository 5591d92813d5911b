// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Format registry
 *
 * iommu-ctx format registry and helpers that only read format data.
 */
#ifdef __KERNEL__
#include <linux/export.h>
#include <linux/string.h>
#endif
#include "iommu_ctx_pt.h"

static const struct iommu_ctx_format *const ictx_formats[] = {
	&iommu_ctx_fmt_x86_48,
	&iommu_ctx_fmt_x86_32,
	&iommu_ctx_fmt_lpae_40,
};

/**
 * iommu_ctx_format_find() - look a page-table format up by name
 * @name: the format's name, e.g. "x86-48"
 *
 * Return: the format descriptor, or NULL if there is no such format.
 * Descriptors are static data of this module.
 */
const struct iommu_ctx_format *iommu_ctx_format_find(const char *name)
{
	unsigned int i;

	if (!name)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(ictx_formats); i++)
		if (!strcmp(ictx_formats[i]->name, name))
			return ictx_formats[i];
	return NULL;
}
EXPORT_SYMBOL_GPL(iommu_ctx_format_find);

/**
 * iommu_ctx_format_pgsizes() - page sizes a format can map
 * @fmt: the format
 *
 * Return: a bitmap of sizes in the style of &iommu_domain.pgsize_bitmap:
 * the span of each level whose entries may be leaves, plus the size of a
 * contiguous group of last-level entries if the format has one.
 */
unsigned long iommu_ctx_format_pgsizes(const struct iommu_ctx_format *fmt)
{
	unsigned int last = fmt->levels - 1, l;
	unsigned long sizes = 0;

	for (l = 0; l < fmt->levels; l++)
		if (l == last || fmt->level[l].block)
			sizes |= 1UL << fmt->level[l].shift;
	if (fmt->contig)
		sizes |= 1UL << (fmt->level[last].shift + fmt->contig_order);
	return sizes;
}
EXPORT_SYMBOL_GPL(iommu_ctx_format_pgsizes);

/**
 * iommu_ctx_format_oa_bits() - width of the addresses a format's entries hold
 * @fmt: the format
 *
 * Every table and every page a domain of @fmt maps must have a level-1
 * DMA address below 2^bits: a driver sets its device's DMA mask no wider
 * (table memory iommu-ctx allocates beyond it is refused, not bounced).
 *
 * Return: the number of output address bits, e.g. 32 for "x86-32".
 */
unsigned int iommu_ctx_format_oa_bits(const struct iommu_ctx_format *fmt)
{
	u64 m = fmt->addr_mask;
	unsigned int bits = 0;

	while (m) {
		m >>= 1;
		bits++;
	}
	return bits;
}
EXPORT_SYMBOL_GPL(iommu_ctx_format_oa_bits);

/**
 * iommu_ctx_format_table_size() - bytes of one table of a level
 * @fmt: the format
 * @level: the level, 0 for the root
 *
 * Return: the size of a table of @level in bytes.
 */
size_t iommu_ctx_format_table_size(const struct iommu_ctx_format *fmt,
				   unsigned int level)
{
	return (size_t)fmt->entry_size << fmt->level[level].bits;
}
EXPORT_SYMBOL_GPL(iommu_ctx_format_table_size);

/**
 * iommu_ctx_format_decode() - decode one page-table entry
 * @fmt: the format
 * @level: the level the entry was read from, 0 for the root
 * @pte: the entry, as read from table memory (zero-extended if 32-bit)
 * @info: filled with the decoded entry
 *
 * For device models and debugging tools that walk the tables the way
 * the GPU does: the address in @info is a level-1 DMA address, to be
 * translated through the device's DMA mapping.
 */
void iommu_ctx_format_decode(const struct iommu_ctx_format *fmt,
			     unsigned int level, u64 pte,
			     struct iommu_ctx_pte_info *info)
{
	unsigned int last = fmt->levels - 1;
	u64 span = 1ULL << fmt->level[level].shift;

	info->valid = pte & fmt->valid;
	/* A last-level entry without the page bits translates nothing. */
	if (level == last && (pte & fmt->page) != fmt->page)
		info->valid = false;
	info->addr = pte & fmt->addr_mask;
	info->leaf = info->valid &&
		(level == last || (fmt->level[level].block &&
				   (pte & fmt->type_mask) == fmt->block));
	info->contig = info->leaf && level == last && fmt->contig &&
		(pte & fmt->contig);
	info->writable = info->leaf && (!fmt->write || (pte & fmt->write)) &&
		!(pte & fmt->rdonly);
	info->sparse = info->leaf && (pte & fmt->sparse);
	if (!info->valid)
		info->size = 0;
	else if (info->contig)
		info->size = span << fmt->contig_order;
	else
		info->size = span;
}
EXPORT_SYMBOL_GPL(iommu_ctx_format_decode);
