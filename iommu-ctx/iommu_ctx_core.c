// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: iommu-ctx domains
 *
 * iommu-ctx core: a struct iommu_domain (IOMMU_DOMAIN_UNMANAGED) owned
 * by iommu-ctx, never attached to a device, whose iommu_domain_ops walk
 * per-context GPU page tables. iommu_map(), iommu_unmap(),
 * iommu_iova_to_phys() and iommu_domain_free() work on it; the "physical"
 * addresses it maps are level-1 DMA addresses of the GPU device.
 */
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include "iommu_ctx_internal.h"

static const struct iommu_domain_ops ictx_domain_ops;
static DEFINE_IDA(ictx_ida);

/**
 * ictx_domain_check() - is this an iommu-ctx domain
 * @domain: any iommu domain
 *
 * Return: true if @domain was allocated by iommu_ctx_domain_alloc().
 */
bool ictx_domain_check(struct iommu_domain *domain)
{
	return domain && domain->ops == &ictx_domain_ops;
}

/**
 * iommu_ctx_is_ctx_domain() - is this an iommu-ctx domain
 * @domain: any iommu domain, or NULL
 *
 * Return: true if @domain was allocated by iommu_ctx_domain_alloc().
 */
bool iommu_ctx_is_ctx_domain(struct iommu_domain *domain)
{
	return ictx_domain_check(domain);
}
EXPORT_SYMBOL_GPL(iommu_ctx_is_ctx_domain);

static unsigned long ictx_min_pgsize(struct iommu_ctx_dom *d)
{
	return 1UL << __ffs(d->domain.pgsize_bitmap);
}

static bool ictx_range_ok(struct iommu_ctx_dom *d, unsigned long iova,
			  u64 addr, u64 size)
{
	unsigned long align = ictx_min_pgsize(d) - 1;
	u64 top = 1ULL << d->pt.va_bits;
	u64 amask = d->pt.fmt->addr_mask | align;

	if (!size || ((iova | addr | size) & align))
		return false;
	if (iova >= top || size > top - iova)
		return false;
	/* The level-1 addresses must fit the entries' address field. */
	if ((addr & ~amask) || ((addr + size - 1) & ~amask) ||
	    addr + size - 1 < addr)
		return false;
	return true;
}

/* Merge a finished walker op into the iommu gather. */
static void ictx_gather_op(struct iommu_ctx_dom *d, struct ictx_op *op,
			   struct iommu_iotlb_gather *gather)
{
	if (ictx_op_has_inv(op)) {
		iommu_iotlb_gather_add_range(gather, op->inv_start,
					     op->inv_end - op->inv_start + 1);
		if (!gather->pgsize || op->granule < gather->pgsize)
			gather->pgsize = op->granule;
	}
	list_splice_tail_init(&op->freelist, &gather->freelist);
}

/*
 * Allocate the tables a map walk found missing into the spares: the
 * directory tables it wants exactly (a walk that needs more comes back,
 * and a worst-case count would allocate tables a block mapping never
 * uses), last-level tables by batches of ICTX_REFILL_LEAF within the
 * spare cap, since a walk that wants one is mapping small pages and a
 * page-by-page map of a range would otherwise come back for every table.
 */
static int ictx_refill(struct iommu_ctx_dom *d, struct ictx_op *op, gfp_t gfp)
{
	unsigned int ndir = op->want_dir, nleaf = op->want_leaf;
	struct ictx_table *t;
	LIST_HEAD(list);

	if (nleaf) {
		/* A hint only: the cap is enforced under the lock. */
		unsigned int have = data_race(d->pt.spare.nleaf);
		unsigned int room = have < ICTX_SPARE_MAX_LEAF ?
			ICTX_SPARE_MAX_LEAF - have : 0;

		nleaf = max(nleaf, min_t(unsigned int, ICTX_REFILL_LEAF, room));
	}

	while (ndir + nleaf) {
		bool dir = ndir > 0;

		t = ictx_table_alloc(&d->pt, dir, gfp);
		if (!t)
			break;
		list_add(&t->link, &list);
		if (dir)
			ndir--;
		else
			nleaf--;
	}
	if (list_empty(&list))
		return -ENOMEM;
	spin_lock(&d->lock);
	while (!list_empty(&list)) {
		t = list_first_entry(&list, struct ictx_table, link);
		list_del_init(&t->link);
		ictx_res_add(&d->pt.spare, t);
	}
	spin_unlock(&d->lock);
	return 0;
}

/* Called with @d->lock: reservation accounting after a walk. */
static void ictx_res_consumed(struct iommu_ctx_dom *d,
			      struct iommu_ctx_reservation *res,
			      unsigned int before)
{
	if (res)
		atomic_long_sub(before - (res->ndir + res->nleaf), &d->reserved);
}

/**
 * ictx_do_map_src() - map a run of segments, allocating or reserving tables
 * @d: the domain
 * @iova: GPU virtual address
 * @size: bytes
 * @src: the level-1 DMA addresses (struct ictx_src); each segment is
 *	checked when the walk takes it, a current one by the caller, with
 *	@iova and @size (ictx_range_ok())
 * @prot: IOMMU_* flags
 * @gfp: for table allocation when @res is NULL
 * @res: take tables from this reservation only (never allocate), or NULL
 * @mapped: bytes mapped from @iova, also on error
 *
 * On error, tables this call created that stayed empty are freed (after
 * an invalidation), but the first @mapped bytes stay mapped: the caller
 * unmaps them (the iommu core does for iommu_map()).
 *
 * Return: 0 or a negative errno.
 */
static int ictx_do_map_src(struct iommu_ctx_dom *d, unsigned long iova,
			   u64 size, struct ictx_src *src, int prot, gfp_t gfp,
			   struct iommu_ctx_reservation *res, size_t *mapped)
{
	struct ictx_op op;
	unsigned int before;
	u64 done = 0;
	int ret;

	*mapped = 0;
	if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if ((prot & IOMMU_CTX_SPARSE) && !d->pt.fmt->sparse)
		return -EINVAL;

	for (;;) {
		ictx_op_init(&op, res, false);
		spin_lock(&d->lock);
		before = res ? res->ndir + res->nleaf : 0;
		ret = ictx_pt_map_src(&d->pt, &op, iova + done, size - done,
				      src, prot);
		ictx_res_consumed(d, res, before);
		spin_unlock(&d->lock);
		done += op.done;
		if (ret != -EAGAIN)
			break;
		ret = ictx_refill(d, &op, gfp);
		if (ret)
			break;
	}
	*mapped = done;

	if (ret) {
		struct iommu_iotlb_gather gather;

		iommu_iotlb_gather_init(&gather);
		ictx_op_init(&op, NULL, false);
		spin_lock(&d->lock);
		ictx_pt_prune(&d->pt, &op, iova + done, size - done);
		spin_unlock(&d->lock);
		ictx_gather_op(d, &op, &gather);
		iommu_iotlb_sync(&d->domain, &gather);
	}
	if (unlikely(data_race(d->pt.spare.ndir) > ICTX_SPARE_MAX_DIR ||
		     data_race(d->pt.spare.nleaf) > ICTX_SPARE_MAX_LEAF))
		ictx_spares_trim(d);
	return ret;
}

/**
 * ictx_do_map() - map a range, allocating or reserving tables
 * @d: the domain
 * @iova: GPU virtual address
 * @addr: level-1 DMA address
 * @size: bytes
 * @prot: IOMMU_* flags
 * @gfp: for table allocation when @res is NULL
 * @res: take tables from this reservation only (never allocate), or NULL
 * @mapped: bytes mapped from @iova, also on error
 *
 * ictx_do_map_src() of one segment.
 *
 * Return: 0 or a negative errno.
 */
int ictx_do_map(struct iommu_ctx_dom *d, unsigned long iova, u64 addr,
		u64 size, int prot, gfp_t gfp,
		struct iommu_ctx_reservation *res, size_t *mapped)
{
	struct ictx_src src = { .addr = addr, .left = size };

	*mapped = 0;
	if (!ictx_range_ok(d, iova, addr, size))
		return -EINVAL;
	return ictx_do_map_src(d, iova, size, &src, prot, gfp, res, mapped);
}

/**
 * ictx_src_load() - the next DMA segment of a scatterlist source
 * @src: its @next is the segment to load, a struct scatterlist
 *
 * Return: false if @src has no segment left.
 */
bool ictx_src_load(struct ictx_src *src)
{
	struct scatterlist *sg = src->next;

	if (!sg || !src->nents)
		return false;
	src->addr = sg_dma_address(sg);
	src->left = sg_dma_len(sg);
	src->nents--;
	src->next = src->nents ? sg_next(sg) : NULL;
	return true;
}

/**
 * ictx_do_unmap() - unmap a range into a gather
 * @d: the domain
 * @iova: GPU virtual address
 * @size: bytes
 * @res: take split tables from this reservation (never allocate), or
 *	NULL to use spares, then GFP_ATOMIC
 * @gather: collects the range to invalidate and the removed tables
 *
 * Return: bytes unmapped from @iova (stops at the first hole, or where
 * a block split found no memory).
 */
size_t ictx_do_unmap(struct iommu_ctx_dom *d, unsigned long iova, u64 size,
		     struct iommu_ctx_reservation *res,
		     struct iommu_iotlb_gather *gather)
{
	struct ictx_op op;
	unsigned int before;

	if (!ictx_range_ok(d, iova, 0, size))
		return 0;
	ictx_op_init(&op, res, !res);
	spin_lock(&d->lock);
	before = res ? res->ndir + res->nleaf : 0;
	ictx_pt_unmap(&d->pt, &op, iova, size);
	ictx_res_consumed(d, res, before);
	spin_unlock(&d->lock);
	ictx_gather_op(d, &op, gather);
	return op.done;
}

/*
 * Everything but the lockless single-page map. First, if that kept a pin
 * on @orphan, the last count of a table whose other entries were
 * unmapped meanwhile (see ictx_pt_map_one()), drop it under the lock and
 * invalidate and recycle what that removed, as an unmap does. Out of
 * line, so that the fast path saves no registers.
 */
static noinline int ictx_map_slow(struct iommu_ctx_dom *d, unsigned long iova,
				  phys_addr_t paddr, u64 size, int prot,
				  gfp_t gfp, size_t *mapped,
				  struct ictx_table *orphan)
{
	if (unlikely(orphan)) {
		struct iommu_iotlb_gather gather;
		struct ictx_op op;

		ictx_op_init(&op, NULL, false);
		spin_lock(&d->lock);
		ictx_pt_unpin(&d->pt, &op, orphan);
		spin_unlock(&d->lock);
		iommu_iotlb_gather_init(&gather);
		ictx_gather_op(d, &op, &gather);
		iommu_iotlb_sync(&d->domain, &gather);
	}
	return ictx_do_map(d, iova, paddr, size, prot, gfp, NULL, mapped);
}

static int ictx_map_pages(struct iommu_domain *domain, unsigned long iova,
			  phys_addr_t paddr, size_t pgsize, size_t pgcount,
			  int prot, gfp_t gfp, size_t *mapped)
{
	struct iommu_ctx_dom *d = to_ictx(domain);
	struct ictx_table *orphan = NULL;

	/*
	 * One smallest page into the last-level table last used: the
	 * common case of iommu_map() per page, without the domain lock
	 * (see ictx_pt_map_one(); the structures of last-level tables are
	 * not freed while the domain lives, see ictx_husk_put()).
	 * Everything else takes the lock and walks.
	 */
	if (likely(pgcount == 1 && pgsize == d->fast_pgsize &&
		   !(prot & ~(ICTX_PROT_COMBOS - 1)) &&
		   !(iova & (pgsize - 1)) && !(paddr & ~d->pt.wc_amask))) {
		u64 attrs = d->fast_attrs[prot & (ICTX_PROT_COMBOS - 1)];

		if (likely(attrs) &&
		    likely(!ictx_pt_map_one(&d->pt, iova, paddr | attrs,
					    &orphan))) {
			this_cpu_inc(d->pcpu->lockless_maps);
			*mapped = pgsize;
			return 0;
		}
	}
	return ictx_map_slow(d, iova, paddr, (u64)pgsize * pgcount, prot, gfp,
			     mapped, orphan);
}

static size_t ictx_unmap_pages(struct iommu_domain *domain, unsigned long iova,
			       size_t pgsize, size_t pgcount,
			       struct iommu_iotlb_gather *gather)
{
	struct iommu_ctx_dom *d = to_ictx(domain);

	/* One smallest page of the cached table that stays non-empty. */
	if (likely(pgcount == 1 && pgsize == d->pt.wc_pgsize &&
		   !(iova & (pgsize - 1)))) {
		int ret;

		spin_lock(&d->lock);
		ret = ictx_pt_unmap_one(&d->pt, iova);
		spin_unlock(&d->lock);
		if (!ret) {
			iommu_iotlb_gather_add_range(gather, iova, pgsize);
			if (!gather->pgsize || pgsize < gather->pgsize)
				gather->pgsize = pgsize;
			return pgsize;
		}
	}
	return ictx_do_unmap(d, iova, (u64)pgsize * pgcount, NULL, gather);
}

static void ictx_flush_iotlb_all(struct iommu_domain *domain)
{
	struct iommu_ctx_dom *d = to_ictx(domain);

	atomic_long_inc(&d->flush_all);
	d->tlb->flush_all(d->cookie);
}

static void ictx_iotlb_sync(struct iommu_domain *domain,
			    struct iommu_iotlb_gather *gather)
{
	struct iommu_ctx_dom *d = to_ictx(domain);

	if (gather->end >= gather->start && gather->start != ULONG_MAX) {
		atomic_long_inc(&d->flush_range);
		d->tlb->flush_range(gather->start,
				    gather->end - gather->start + 1,
				    gather->pgsize ?: ictx_min_pgsize(d),
				    d->cookie);
	} else if (!list_empty(&gather->freelist)) {
		/* Tables without a range: cannot happen, be safe anyway. */
		ictx_flush_iotlb_all(domain);
	}
	/* Only now may removed tables be reused or freed. */
	ictx_tables_release(d, &gather->freelist);
	INIT_LIST_HEAD(&gather->freelist);
}

static phys_addr_t ictx_iova_to_phys(struct iommu_domain *domain,
				     dma_addr_t iova)
{
	struct iommu_ctx_dom *d = to_ictx(domain);
	u64 addr, pgsize;
	bool ok;

	if (iova >> d->pt.va_bits)
		return 0;
	spin_lock(&d->lock);
	ok = ictx_pt_lookup(&d->pt, iova, &addr, &pgsize);
	spin_unlock(&d->lock);
	return ok ? addr : 0;
}

static void ictx_domain_free(struct iommu_domain *domain)
{
	struct iommu_ctx_dom *d = to_ictx(domain);

	ictx_debugfs_remove(d);
	ictx_shrinker_del(d);
	ictx_pt_destroy(&d->pt);
	WARN_ON(atomic_long_read(&d->tables));
	ictx_husks_free(d);
	free_percpu(d->pcpu);
	ida_free(&ictx_ida, d->id);
	put_device(d->dev);
	kfree(d);
}

static const struct iommu_domain_ops ictx_domain_ops = {
	.map_pages = ictx_map_pages,
	.unmap_pages = ictx_unmap_pages,
	.flush_iotlb_all = ictx_flush_iotlb_all,
	.iotlb_sync = ictx_iotlb_sync,
	.iova_to_phys = ictx_iova_to_phys,
	.free = ictx_domain_free,
};

/**
 * iommu_ctx_domain_alloc() - allocate the page tables of one GPU context
 * @cfg: format, GPU device, VA width, page sizes, coherency, TLB callbacks
 *
 * The result is an IOMMU_DOMAIN_UNMANAGED &struct iommu_domain owned by
 * iommu-ctx. It is never attached to a device: the driver points the
 * GPU's page-table base at iommu_ctx_root_dma(). iommu_map(),
 * iommu_unmap(), iommu_unmap_fast() + iommu_iotlb_sync(),
 * iommu_iova_to_phys() and iommu_domain_free() work on it.
 *
 * Contract: the "paddr" given to iommu_map() is a level-1 DMA address of
 * @cfg->dma_dev (dma_addr_t from dma_map_*() of that device), not a CPU
 * physical address, and iommu_iova_to_phys() returns such an address.
 * For this reason do not use iommu_map_sg() or iommu_map_sgtable(),
 * which pass sg_phys(): use iommu_ctx_map_sgtable().
 *
 * Tables removed by an unmap are freed only in iommu_iotlb_sync(), after
 * the driver's flush_range callback returned. iommu_unmap() of part of a
 * block splits it; that needs a table, which iommu_unmap() takes from
 * the domain's spares or allocates with GFP_ATOMIC and may therefore
 * unmap less than asked; use iommu_ctx_reserve() and
 * iommu_ctx_unmap_reserved() where an unmap must not fail.
 *
 * Calls on disjoint ranges of one domain may run concurrently: they are
 * serialised on a per-domain spinlock, taken without disabling
 * interrupts, so no call on a domain may come from hard or soft
 * interrupt context. A map of one smallest page into the last-level
 * table last used does not take the lock (coherent walks only).
 * Tables freed by an unmap are cached (up to 64 last-level and 16
 * directory tables) for later maps, and released with the domain.
 * For a non-coherent walk, &iommu_ctx_cfg.walk sees every table store,
 * sync and release.
 *
 * Return: the domain, or an ERR_PTR(): -EINVAL (bad configuration),
 * -ENODEV (unknown format), -ENOMEM.
 */
struct iommu_domain *iommu_ctx_domain_alloc(const struct iommu_ctx_cfg *cfg)
{
	const struct iommu_ctx_format *fmt;
	unsigned long pgsizes;
	struct iommu_ctx_dom *d;
	unsigned int va_bits, l, maxbits = 0;
	int ret;

	if (!cfg || !cfg->dma_dev || !cfg->tlb || !cfg->tlb->flush_all ||
	    !cfg->tlb->flush_range)
		return ERR_PTR(-EINVAL);
	if (cfg->walk && (!cfg->walk->write || !cfg->walk->flush ||
			  !cfg->walk->release))
		return ERR_PTR(-EINVAL);
	fmt = iommu_ctx_format_find(cfg->format);
	if (!fmt)
		return ERR_PTR(-ENODEV);
	va_bits = cfg->va_bits ?: fmt->va_bits;
	pgsizes = cfg->pgsize_bitmap ?: iommu_ctx_format_pgsizes(fmt);
	if (ictx_pt_check_cfg(fmt, pgsizes, va_bits))
		return ERR_PTR(-EINVAL);
	for (l = 0; l < fmt->levels; l++) {
		if (iommu_ctx_format_table_size(fmt, l) > PAGE_SIZE)
			return ERR_PTR(-EINVAL);
		maxbits = max_t(unsigned int, maxbits, fmt->level[l].bits);
	}
	/* Page sizes above the VA width are of no use. */
	if (va_bits < BITS_PER_LONG)
		pgsizes &= (1UL << va_bits) | ((1UL << va_bits) - 1);

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->pcpu = alloc_percpu(struct ictx_pcpu);
	if (!d->pcpu) {
		kfree(d);
		return ERR_PTR(-ENOMEM);
	}
	ret = ida_alloc(&ictx_ida, GFP_KERNEL);
	if (ret < 0) {
		free_percpu(d->pcpu);
		kfree(d);
		return ERR_PTR(ret);
	}
	d->id = ret;
	spin_lock_init(&d->lock);
	spin_lock_init(&d->husk_lock);
	INIT_LIST_HEAD(&d->husks);
	d->dev = get_device(cfg->dma_dev);
	d->tlb = cfg->tlb;
	d->cookie = cfg->cookie;
	d->table_size = PAGE_SIZE;
	d->shadow_size = sizeof(struct ictx_table *) << maxbits;
	if (!cfg->coherent_walk && cfg->walk) {
		/* Set before the root table is allocated: it is reported too. */
		d->pt.walk = cfg->walk;
		d->pt.walk_cookie = cfg->walk_cookie;
	}

	ret = ictx_pt_init(&d->pt, fmt, pgsizes, va_bits, cfg->coherent_walk,
			   GFP_KERNEL);
	if (ret) {
		ictx_pt_destroy(&d->pt);
		ictx_husks_free(d);
		ida_free(&ictx_ida, d->id);
		put_device(d->dev);
		free_percpu(d->pcpu);
		kfree(d);
		return ERR_PTR(ret);
	}
	if (d->pt.wc_pgsize && d->pt.coherent)
		d->fast_pgsize = d->pt.wc_pgsize;
	for (l = 0; l < ICTX_PROT_COMBOS; l++)
		if (l & (IOMMU_READ | IOMMU_WRITE))
			d->fast_attrs[l] = ictx_prot_bits(fmt, l);

	d->domain.type = IOMMU_DOMAIN_UNMANAGED;
	d->domain.ops = &ictx_domain_ops;
	d->domain.pgsize_bitmap = pgsizes;
	d->domain.geometry.aperture_start = 0;
	d->domain.geometry.aperture_end = (dma_addr_t)((1ULL << va_bits) - 1);
	d->domain.geometry.force_aperture = true;
	ictx_debugfs_add(d);
	ictx_shrinker_add(d);
	return &d->domain;
}
EXPORT_SYMBOL_GPL(iommu_ctx_domain_alloc);

/**
 * iommu_ctx_root_dma() - where the GPU's page-table base must point
 * @domain: an iommu-ctx domain
 *
 * Return: the level-1 DMA address of the root table (an IOVA behind a
 * system IOMMU), or 0 if @domain is not an iommu-ctx domain.
 */
dma_addr_t iommu_ctx_root_dma(struct iommu_domain *domain)
{
	if (!ictx_domain_check(domain))
		return 0;
	return to_ictx(domain)->pt.root->dma;
}
EXPORT_SYMBOL_GPL(iommu_ctx_root_dma);

/**
 * iommu_ctx_domain_format() - the page-table format of a domain
 * @domain: an iommu-ctx domain
 *
 * Return: the format descriptor, or NULL if @domain is not an iommu-ctx
 * domain.
 */
const struct iommu_ctx_format *iommu_ctx_domain_format(struct iommu_domain *domain)
{
	if (!ictx_domain_check(domain))
		return NULL;
	return to_ictx(domain)->pt.fmt;
}
EXPORT_SYMBOL_GPL(iommu_ctx_domain_format);

/*
 * Bytes @offset to @offset + @size of @sgt's DMA segments at @iova, in one
 * walk; all or nothing. @size 0: to the end of the table.
 */
static int ictx_map_sgt(struct iommu_domain *domain, unsigned long iova,
			struct sg_table *sgt, u64 offset, u64 size, int prot,
			gfp_t gfp, struct iommu_ctx_reservation *res)
{
	struct ictx_src src = { };
	struct iommu_ctx_dom *d;
	size_t mapped;
	int ret;

	if (!ictx_domain_check(domain) || !sgt || !sgt->nents)
		return -EINVAL;
	d = to_ictx(domain);
	if (!size) {
		struct scatterlist *sg;
		unsigned int i;

		for_each_sgtable_dma_sg(sgt, sg, i)
			size += sg_dma_len(sg);
		if (size <= offset)
			return -EINVAL;
		size -= offset;
	}
	src.next = sgt->sgl;
	src.nents = sgt->nents;
	src.skip = offset;
	if (!ictx_range_ok(d, iova, 0, size))
		return -EINVAL;
	ret = ictx_do_map_src(d, iova, size, &src, prot, gfp, res, &mapped);
	if (ret && mapped) {
		struct iommu_iotlb_gather gather;

		iommu_iotlb_gather_init(&gather);
		ictx_do_unmap(d, iova, mapped, res, &gather);
		iommu_iotlb_sync(domain, &gather);
	}
	return ret;
}

/**
 * iommu_ctx_map_sgtable() - map the DMA segments of a mapped sg_table
 * @domain: an iommu-ctx domain
 * @iova: GPU virtual address of the first segment; segments follow each
 *	other without gaps
 * @sgt: an sg_table mapped with dma_map_sgtable() for the GPU device
 * @prot: IOMMU_READ, IOMMU_WRITE, ... flags
 * @gfp: for page-table allocation
 *
 * Maps sg_dma_address()/sg_dma_len() of every DMA segment (not
 * sg_phys(), as iommu_map_sgtable() would), each with the largest page
 * sizes the alignment of the segment allows, in one walk (see
 * iommu_ctx_map_sgtable_range_reserved()). Every segment must be aligned
 * to the smallest page size of the domain, its address and its length.
 * All or nothing: on error, nothing of the range stays mapped.
 *
 * Return: 0, -EINVAL (also for a table with no DMA segment or no byte),
 * -EEXIST (something already mapped) or -ENOMEM.
 */
int iommu_ctx_map_sgtable(struct iommu_domain *domain, unsigned long iova,
			  struct sg_table *sgt, int prot, gfp_t gfp)
{
	return ictx_map_sgt(domain, iova, sgt, 0, 0, prot, gfp, NULL);
}
EXPORT_SYMBOL_GPL(iommu_ctx_map_sgtable);

/**
 * iommu_ctx_map_sgtable_reserved() - iommu_ctx_map_sgtable() that never
 *	allocates
 * @domain: an iommu-ctx domain
 * @iova: GPU virtual address of the first segment
 * @sgt: an sg_table mapped with dma_map_sgtable() for the GPU device
 * @prot: IOMMU_* flags
 * @res: tables reserved by iommu_ctx_reserve() with IOMMU_CTX_RES_MAP
 *	for the whole range
 *
 * Return: 0, -EINVAL, -EEXIST or -ENOMEM (the reservation was short).
 */
int iommu_ctx_map_sgtable_reserved(struct iommu_domain *domain,
				   unsigned long iova, struct sg_table *sgt,
				   int prot, struct iommu_ctx_reservation *res)
{
	if (!res)
		return -EINVAL;
	return ictx_map_sgt(domain, iova, sgt, 0, 0, prot, GFP_NOWAIT, res);
}
EXPORT_SYMBOL_GPL(iommu_ctx_map_sgtable_reserved);

/**
 * iommu_ctx_map_sgtable_range_reserved() - map part of a mapped sg_table
 *	with reserved tables only
 * @domain: an iommu-ctx domain
 * @iova: GPU virtual address of byte @offset
 * @sgt: an sg_table mapped with dma_map_sgtable() for the GPU device
 * @offset: first byte of the table's DMA segments (counted as if they
 *	followed each other) to map; aligned to the smallest page size
 * @size: bytes, not 0, equally aligned
 * @prot: IOMMU_* flags
 * @res: tables reserved by iommu_ctx_reserve() with IOMMU_CTX_RES_MAP
 *	for [@iova, @iova + @size)
 *
 * What a bind of part of a buffer does. The range is written in one walk
 * under the domain lock, however many segments it spans: a last-level
 * table is filled (and, for a non-coherent walker, synced) once, not once
 * per segment, which is what a buffer of scattered pages on a device
 * without an IOMMU (one segment per page) needs. The lock is held for the
 * whole walk, as for one range of the same size. Every DMA segment the
 * range touches must be aligned to the smallest page size, its address
 * and its length, as the segments of a mapped table of pages are. Never
 * allocates. All or nothing: on error, nothing of the range stays mapped.
 *
 * Return: 0, -EINVAL (also when the table holds fewer than @offset +
 * @size bytes, or a segment is not aligned), -EEXIST (something already
 * mapped) or -ENOMEM (the reservation was short).
 */
int iommu_ctx_map_sgtable_range_reserved(struct iommu_domain *domain,
					 unsigned long iova,
					 struct sg_table *sgt, u64 offset,
					 u64 size, int prot,
					 struct iommu_ctx_reservation *res)
{
	if (!res || !size)
		return -EINVAL;
	return ictx_map_sgt(domain, iova, sgt, offset, size, prot, GFP_NOWAIT,
			    res);
}
EXPORT_SYMBOL_GPL(iommu_ctx_map_sgtable_range_reserved);

/**
 * iommu_ctx_get_stats() - read a domain's counters
 * @domain: an iommu-ctx domain
 * @s: filled with the counters (zeroed if @domain is not one)
 */
void iommu_ctx_get_stats(struct iommu_domain *domain,
			 struct iommu_ctx_stats *s)
{
	struct iommu_ctx_dom *d;
	int cpu;

	memset(s, 0, sizeof(*s));
	if (!ictx_domain_check(domain))
		return;
	d = to_ictx(domain);
	for_each_possible_cpu(cpu)
		s->lockless_maps += data_race(per_cpu_ptr(d->pcpu, cpu)->lockless_maps);
	spin_lock(&d->lock);
	s->spare_tables = d->pt.spare.ndir + d->pt.spare.nleaf;
	s->leaf_writes = d->pt.leaf_writes + s->lockless_maps;
	s->split_writes = d->pt.split_writes;
	s->splits = d->pt.splits;
	s->tables_freed = d->pt.tables_freed;
	s->table_syncs = d->pt.table_syncs;
	spin_unlock(&d->lock);
	s->tables = atomic_long_read(&d->tables);
	s->spare_max = ICTX_SPARE_MAX_DIR + ICTX_SPARE_MAX_LEAF;
	s->table_allocs = atomic_long_read(&d->table_allocs);
	s->table_bytes = s->tables * d->table_size;
	s->reserved_tables = atomic_long_read(&d->reserved);
	s->flush_range = atomic_long_read(&d->flush_range);
	s->flush_all = atomic_long_read(&d->flush_all);
	/* Shadow arrays: not tracked per table kind; an upper bound. */
	s->shadow_bytes = s->tables * d->shadow_size;
}
EXPORT_SYMBOL_GPL(iommu_ctx_get_stats);

/**
 * iommu_ctx_inject_alloc_failure() - test hook: fail a table allocation
 * @domain: an iommu-ctx domain
 * @nth: the @nth next table allocation of @domain and every one after
 *	it fail (1: from the next on), until called again with 0
 *
 * For self-tests of error paths; not for production use.
 */
void iommu_ctx_inject_alloc_failure(struct iommu_domain *domain,
				    unsigned int nth)
{
	if (ictx_domain_check(domain))
		atomic_set(&to_ictx(domain)->fail_nth, nth);
}
EXPORT_SYMBOL_GPL(iommu_ctx_inject_alloc_failure);

static int __init iommu_ctx_init(void)
{
	int ret = ictx_shrinker_init(ictx_debugfs_init());

	if (ret)
		ictx_debugfs_exit();
	return ret;
}

static void __exit iommu_ctx_exit(void)
{
	ictx_shrinker_exit();
	ictx_debugfs_exit();
}

module_init(iommu_ctx_init);
module_exit(iommu_ctx_exit);

MODULE_DESCRIPTION("Per-context GPU page tables behind struct iommu_domain");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
