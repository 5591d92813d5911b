// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Reservations
 *
 * iommu-ctx reservations: page-table memory set aside when an operation
 * is prepared, so that carrying it out later (an asynchronous bind or
 * unbind, in a dma-fence signalling path) never allocates. An unmap may
 * need memory, to split a block it covers in part; with a reservation it
 * cannot fail for lack of it.
 */
#include <linux/export.h>
#include "iommu_ctx_internal.h"

/**
 * iommu_ctx_reserve_count() - worst-case tables an operation needs
 * @domain: an iommu-ctx domain
 * @iova: start of the range
 * @size: bytes
 * @flags: IOMMU_CTX_RES_MAP (map the range), IOMMU_CTX_RES_UNMAP (unmap
 *	it, splitting the blocks its ends cut), or both
 *
 * Does not look at the current tables: the bound holds whatever else is
 * mapped or unmapped meanwhile (outside the range).
 *
 * Return: the number of tables, 0 if @domain is not an iommu-ctx domain.
 */
size_t iommu_ctx_reserve_count(struct iommu_domain *domain,
			       unsigned long iova, size_t size,
			       unsigned int flags)
{
	unsigned int ndir = 0, nleaf = 0;

	if (!ictx_domain_check(domain))
		return 0;
	ictx_pt_count(&to_ictx(domain)->pt, iova, size, flags, &ndir, &nleaf);
	return (size_t)ndir + nleaf;
}
EXPORT_SYMBOL_GPL(iommu_ctx_reserve_count);

/**
 * iommu_ctx_reserve() - set tables aside for a later operation
 * @domain: an iommu-ctx domain
 * @iova: start of the range the operation will touch
 * @size: bytes
 * @flags: IOMMU_CTX_RES_MAP and/or IOMMU_CTX_RES_UNMAP, as for
 *	iommu_ctx_reserve_count()
 * @gfp: allocation flags (GFP_KERNEL where the operation is prepared)
 * @res: the reservation, set up with iommu_ctx_reservation_init(); tables
 *	are added to what it already holds, so one reservation can cover
 *	several operations
 *
 * Takes spare tables of the domain first, then allocates.
 *
 * Return: 0, -EINVAL or -ENOMEM (@res is left as it was).
 */
int iommu_ctx_reserve(struct iommu_domain *domain, unsigned long iova,
		      size_t size, unsigned int flags, gfp_t gfp,
		      struct iommu_ctx_reservation *res)
{
	unsigned int ndir = 0, nleaf = 0, n;
	struct iommu_ctx_reservation tmp;
	struct iommu_ctx_dom *d;
	struct ictx_table *t;

	if (!ictx_domain_check(domain) || !res || !size)
		return -EINVAL;
	d = to_ictx(domain);
	ictx_pt_count(&d->pt, iova, size, flags, &ndir, &nleaf);
	iommu_ctx_reservation_init(&tmp);

	spin_lock(&d->lock);
	while (tmp.ndir < ndir && (t = ictx_res_take(&d->pt.spare, true)))
		ictx_res_add(&tmp, t);
	while (tmp.nleaf < nleaf && (t = ictx_res_take(&d->pt.spare, false)))
		ictx_res_add(&tmp, t);
	spin_unlock(&d->lock);

	while (tmp.ndir < ndir || tmp.nleaf < nleaf) {
		t = ictx_table_alloc(&d->pt, tmp.ndir < ndir, gfp);
		if (!t) {
			n = tmp.ndir + tmp.nleaf;
			atomic_long_add(n, &d->reserved);
			iommu_ctx_unreserve(domain, &tmp);
			return -ENOMEM;
		}
		ictx_res_add(&tmp, t);
	}
	n = tmp.ndir + tmp.nleaf;
	list_splice(&tmp.dir, &res->dir);
	list_splice(&tmp.leaf, &res->leaf);
	res->ndir += tmp.ndir;
	res->nleaf += tmp.nleaf;
	atomic_long_add(n, &d->reserved);
	return 0;
}
EXPORT_SYMBOL_GPL(iommu_ctx_reserve);

/**
 * iommu_ctx_unreserve() - give back what a reservation still holds
 * @domain: the domain the reservation was made on
 * @res: the reservation; empty afterwards, and reusable
 *
 * Unused tables become spares of the domain or are freed. May sleep
 * only as much as dma_free_pages() does; call it where the operation
 * is cleaned up, not in a fence-signalling path if that is a concern
 * for the platform's DMA API.
 */
void iommu_ctx_unreserve(struct iommu_domain *domain,
			 struct iommu_ctx_reservation *res)
{
	struct iommu_ctx_dom *d;
	LIST_HEAD(list);

	if (!ictx_domain_check(domain) || !res)
		return;
	d = to_ictx(domain);
	atomic_long_sub(res->ndir + res->nleaf, &d->reserved);
	list_splice_init(&res->dir, &list);
	list_splice_init(&res->leaf, &list);
	res->ndir = 0;
	res->nleaf = 0;
	ictx_tables_release(d, &list);
	ictx_spares_trim(d);
}
EXPORT_SYMBOL_GPL(iommu_ctx_unreserve);

/**
 * iommu_ctx_map_reserved() - map with reserved tables only
 * @domain: an iommu-ctx domain
 * @iova: GPU virtual address
 * @addr: level-1 DMA address of @domain's device
 * @size: bytes
 * @prot: IOMMU_* flags
 * @res: reservation made with IOMMU_CTX_RES_MAP for a range covering
 *	this one
 *
 * Never allocates memory. All or nothing: on error, nothing of the range
 * stays mapped. Tables removed on the error path are freed after an
 * invalidation, as usual.
 *
 * Return: 0, -EINVAL, -EEXIST or -ENOMEM (the reservation was short).
 */
int iommu_ctx_map_reserved(struct iommu_domain *domain, unsigned long iova,
			   dma_addr_t addr, size_t size, int prot,
			   struct iommu_ctx_reservation *res)
{
	struct iommu_ctx_dom *d;
	size_t mapped;
	int ret;

	if (!ictx_domain_check(domain) || !res)
		return -EINVAL;
	d = to_ictx(domain);
	ret = ictx_do_map(d, iova, addr, size, prot, GFP_NOWAIT, res, &mapped);
	if (ret && mapped) {
		struct iommu_iotlb_gather gather;

		iommu_iotlb_gather_init(&gather);
		ictx_do_unmap(d, iova, mapped, res, &gather);
		iommu_iotlb_sync(domain, &gather);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_ctx_map_reserved);

/**
 * iommu_ctx_unmap_reserved() - unmap with reserved tables for splits
 * @domain: an iommu-ctx domain
 * @iova: GPU virtual address
 * @size: bytes
 * @res: reservation made with IOMMU_CTX_RES_UNMAP for this range
 * @gather: collects the invalidation; the caller ends with
 *	iommu_iotlb_sync(), which frees the removed tables
 *
 * Never allocates memory, so it does not fail for lack of it.
 *
 * Return: bytes unmapped from @iova; less than @size only at a hole.
 */
size_t iommu_ctx_unmap_reserved(struct iommu_domain *domain,
				unsigned long iova, size_t size,
				struct iommu_ctx_reservation *res,
				struct iommu_iotlb_gather *gather)
{
	if (!ictx_domain_check(domain) || !res || !gather)
		return 0;
	return ictx_do_unmap(to_ictx(domain), iova, size, res, gather);
}
EXPORT_SYMBOL_GPL(iommu_ctx_unmap_reserved);
