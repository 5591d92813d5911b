// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: BO backing storage
 *
 * Backing storage of BOs, by page range, on the BO's shmem file.
 *
 * A page of a BO is either absent (in shmem's page cache or in swap, not
 * ours), resident (we hold a reference; a user PTE may map it) or pinned
 * (resident with a non-zero pin count). Pins are what keep a page: the
 * level-1 mapping pins the whole BO for as long as it exists, a vmap does
 * too, and CPU access (a fault, a kernel bracket) pins what it touches.
 * Resident pages that nobody pins stay until eviction, which shoots down
 * their user PTEs before letting them go (user PTEs of BOs hold no page
 * references: the mapping is VM_PFNMAP). The level-1 mapping's pin is
 * the one that eviction may take away (see "Eviction"): a BO whose only
 * pins are its level-1 mapping's counts as evictable.
 *
 * Pages enter a BO in drm_gmmu_backing_obtain() and leave it in
 * drm_gmmu_backing_drop(), and nowhere else, so that whatever must happen
 * to a page while a BO owns it (a cache mode change, say) has one place.
 *
 * Everything here is under the BO's reservation.
 */
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>
#include <linux/writeback.h>

#ifdef CONFIG_X86
#include <asm/set_memory.h>
#endif

#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "drm_gmmu_internal.h"

static pgoff_t drm_gmmu_bo_pages(struct drm_gmmu_bo *bo)
{
	return bo->base.base.size >> PAGE_SHIFT;
}

int drm_gmmu_backing_init(struct drm_gmmu_bo *bo)
{
	pgoff_t n = drm_gmmu_bo_pages(bo);

	bo->pages = kvcalloc(n, sizeof(*bo->pages), GFP_KERNEL);
	bo->pin = kvcalloc(n, sizeof(*bo->pin), GFP_KERNEL);
	bo->evicted = bitmap_zalloc(n, GFP_KERNEL);
	if (!bo->pages || !bo->pin || !bo->evicted) {
		drm_gmmu_backing_fini(bo);
		return -ENOMEM;
	}
	return 0;
}

/**
 * drm_gmmu_backing_update - recount what a BO adds to the device's evictable pages
 * @bo: the BO, its reservation held
 *
 * Keeps &drm_gmmu_device.evictable equal to the resident pages of BOs whose
 * only pins, if any, are their level-1 mapping's, whatever changed: pages,
 * pins, or the level-1 mapping itself.
 */
void drm_gmmu_backing_update(struct drm_gmmu_bo *bo)
{
	unsigned int soft = (bo->sgt && !drm_gmmu_bo_is_imported(bo)) +
			    bo->export_maps;
	bool hard;
	long now;

	/*
	 * With several mappings pinning every page, whether anything else
	 * pins one would take a scan: counted evictable, the eviction looks.
	 */
	if (drm_gmmu_bo_export_pinned(bo))
		hard = true;
	else
		hard = !soft ? bo->pinned : soft == 1 && bo->pinned_more;
	now = hard ? 0 : bo->resident;

	if (now != bo->evictable) {
		atomic_long_add(now - bo->evictable, &bo->gdev->evictable);
		bo->evictable = now;
	}
}

/**
 * drm_gmmu_bo_pinned_otherwise - is a page of the BO pinned for another
 *	reason than its mappings?
 * @bo: a BO of its own (not imported), its reservation held
 *
 * Its level-1 mapping and the mappings of its dma-buf attachments pin
 * every page once each, and eviction takes them away; anything else (a
 * vmap, CPU access, a kernel user of the level-1 mapping) keeps the BO.
 *
 * Return: true if the BO must not be evicted for such a pin.
 */
bool drm_gmmu_bo_pinned_otherwise(struct drm_gmmu_bo *bo)
{
	unsigned int soft = !!bo->sgt + bo->export_maps;
	pgoff_t i;

	dma_resv_assert_held(bo->base.base.resv);
	if (bo->l1_kernel)
		return true;
	if (soft <= 1)
		return soft ? bo->pinned_more : bo->pinned;
	for (i = 0; i < drm_gmmu_bo_pages(bo); i++)
		if (bo->pin[i] > soft)
			return true;
	return false;
}

static void drm_gmmu_backing_pin(struct drm_gmmu_bo *bo, pgoff_t i)
{
	if (!bo->pin[i]++)
		bo->pinned++;
	else if (bo->pin[i] == 2)
		bo->pinned_more++;
}

static void drm_gmmu_backing_unpin(struct drm_gmmu_bo *bo, pgoff_t i)
{
	if (!--bo->pin[i])
		bo->pinned--;
	else if (bo->pin[i] == 1)
		bo->pinned_more--;
}

/*
 * Cache modes. On x86 the memory type of a user or kernel mapping of RAM
 * is checked by PAT against the page's own (that of the linear map): a WC
 * PTE of a page whose type is WB silently becomes WB, and two mappings of
 * one page with different types are undefined. So a WC BO's pages are
 * turned WC, linear map included, as they enter the BO, and back to WB
 * before they leave it (to shmem's page cache, to swap, to the allocator).
 * set_pages_array_wc() also flushes the page from the caches, so no dirty
 * line of its zeroing or swap-in is left behind.
 */
static int drm_gmmu_backing_set_wc(struct page *page)
{
#ifdef CONFIG_X86
	return set_pages_array_wc(&page, 1);
#else
	return -EOPNOTSUPP;
#endif
}

static void drm_gmmu_backing_set_wb(struct page *page)
{
#ifdef CONFIG_X86
	/* Only fails to allocate the tracking it is dropping. */
	WARN_ON_ONCE(set_pages_array_wb(&page, 1));
#endif
}

/* The one place a page enters the BO. */
static int drm_gmmu_backing_obtain(struct drm_gmmu_bo *bo, pgoff_t i)
{
	struct address_space *mapping = bo->base.base.filp->f_mapping;
	struct drm_gmmu_device *gdev = bo->gdev;
	struct page *page;

	if (unlikely(READ_ONCE(gdev->stats->inject_enomem)) &&
	    !--gdev->stats->inject_enomem)
		return -ENOMEM;
	/* The mask carries the dma32 policy set at creation. */
	page = shmem_read_mapping_page_gfp(mapping, i, mapping_gfp_mask(mapping));
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (bo->wc) {
		int ret = drm_gmmu_backing_set_wc(page);

		if (ret) {
			put_page(page);
			return ret;
		}
	}
	bo->pages[i] = page;
	bo->resident++;
	/* The BO's reference keeps a huge folio from being split. */
	if (folio_test_large(page_folio(page)))
		atomic64_inc(&gdev->stats->backing.pages_huge);
	if (test_and_clear_bit(i, bo->evicted))
		atomic64_inc(&gdev->stats->backing.pages_restored);
	/* Its content came through the CPU (zeroing, or a swap-in). */
	drm_gmmu_bo_domain_page_new(bo, i);
	return 0;
}

/* The one place a page leaves the BO; its user PTEs are gone. */
static void drm_gmmu_backing_drop(struct drm_gmmu_bo *bo, pgoff_t i, bool evict)
{
	struct page *page = bo->pages[i];

	drm_gmmu_bo_domain_page_gone(bo, i, evict);
	/* Written by the GPU or the CPU for all we know: it must be kept. */
	set_page_dirty(page);
	mark_page_accessed(page);
	if (bo->wc)
		drm_gmmu_backing_set_wb(page);
	if (folio_test_large(page_folio(page)))
		atomic64_dec(&bo->gdev->stats->backing.pages_huge);
	put_page(page);
	bo->pages[i] = NULL;
	bo->resident--;
	if (evict)
		set_bit(i, bo->evicted);
}

/*
 * Releases the resident, unpinned pages of [@first, @first + @count),
 * after shooting down every user PTE of the range: the PTEs hold no
 * references, so a page must not be let go while one maps it.
 */
static pgoff_t drm_gmmu_backing_release(struct drm_gmmu_bo *bo, pgoff_t first,
					pgoff_t count, bool evict)
{
	struct drm_gem_object *obj = &bo->base.base;
	pgoff_t i, released = 0;

	if (drm_mm_node_allocated(&obj->vma_node.vm_node))
		unmap_mapping_range(obj->dev->anon_inode->i_mapping,
				    drm_vma_node_offset_addr(&obj->vma_node) +
				    ((loff_t)first << PAGE_SHIFT),
				    (loff_t)count << PAGE_SHIFT, 1);
	for (i = first; i < first + count; i++) {
		if (!bo->pages[i] || bo->pin[i])
			continue;
		drm_gmmu_backing_drop(bo, i, evict);
		released++;
	}
	drm_gmmu_backing_update(bo);
	return released;
}

/*
 * Every unpinned page of an evicted BO goes back to its file, as in
 * drm_gmmu_bo_evict_locked() but without the writeback to swap: for a
 * caller about to move the file's pages ("Importer constraints").
 */
void drm_gmmu_backing_release_all(struct drm_gmmu_bo *bo)
{
	dma_resv_assert_held(bo->base.base.resv);
	if (bo->resident)
		atomic64_add(drm_gmmu_backing_release(bo, 0, drm_gmmu_bo_pages(bo),
						      true),
			     &bo->gdev->stats->backing.pages_evicted);
}

static bool drm_gmmu_backing_range_ok(struct drm_gmmu_bo *bo, pgoff_t first,
				      pgoff_t count)
{
	pgoff_t n = drm_gmmu_bo_pages(bo);

	return count && first < n && count <= n - first;
}

/**
 * drm_gmmu_bo_get_pages - pin a range of a BO's backing pages
 * @bo: the BO
 * @first: first page
 * @count: pages, at least one, within the BO
 *
 * Makes every page of the range resident (reading it back from swap if it
 * was evicted) and takes one pin on each: they stay resident, at the same
 * physical address, until drm_gmmu_bo_put_pages() of the same range. The
 * pages are allocated with the gfp mask of the BO's shmem mapping, which
 * holds the BO's placement policy (below 4 GiB for a 32-bit device on
 * dma-direct). On failure nothing is left pinned, and the pages of the range
 * that this call left unpinned are released.
 *
 * Context: the BO's reservation is held; may sleep and reclaim.
 * Return: 0; -EINVAL for a bad range or an imported BO (it has no struct
 * pages, drm_gmmu_bo_is_imported()); -EOVERFLOW if a pin count would
 * overflow; -ENOMEM (or shmem's error) if a page cannot be had.
 */
int drm_gmmu_bo_get_pages(struct drm_gmmu_bo *bo, pgoff_t first, pgoff_t count)
{
	pgoff_t i;
	int ret = 0;

	dma_resv_assert_held(bo->base.base.resv);
	/*
	 * Every user of pages (vmap, pin for export, faults, level-1
	 * mapping) comes through here: an imported BO has none to give.
	 */
	if (drm_gmmu_bo_is_imported(bo)) {
		drm_dbg_driver(&bo->gdev->drm,
			       "imported dma-buf BO has no struct pages: refusing page access\n");
		return -EINVAL;
	}
	if (!drm_gmmu_backing_range_ok(bo, first, count))
		return -EINVAL;
	for (i = first; i < first + count; i++) {
		if (bo->pin[i] == UINT_MAX) {
			ret = -EOVERFLOW;
			break;
		}
		if (!bo->pages[i]) {
			ret = drm_gmmu_backing_obtain(bo, i);
			if (ret)
				break;
		}
		drm_gmmu_backing_pin(bo, i);
	}
	if (!ret) {
		drm_gmmu_backing_update(bo);
		return 0;
	}

	count = i - first;
	for (i = first; i < first + count; i++)
		drm_gmmu_backing_unpin(bo, i);
	if (count)
		drm_gmmu_backing_release(bo, first, count, false);
	drm_gmmu_backing_update(bo);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_get_pages);

/**
 * drm_gmmu_bo_put_pages - unpin a range of a BO's backing pages
 * @bo: the BO
 * @first: first page
 * @count: pages, at least one, within the BO
 *
 * Drops one pin on each page of the range, taken by
 * drm_gmmu_bo_get_pages(). Pages left without pins stay resident (and
 * mapped where they were) until the BO is evicted.
 *
 * Context: the BO's reservation is held.
 * Return: 0; -EINVAL for a bad range, or if a page of the range holds no
 * pin (nothing is unpinned then).
 */
int drm_gmmu_bo_put_pages(struct drm_gmmu_bo *bo, pgoff_t first, pgoff_t count)
{
	pgoff_t i;

	dma_resv_assert_held(bo->base.base.resv);
	/* Nothing was pinned: drm_gmmu_bo_get_pages() refused it. */
	if (drm_gmmu_bo_is_imported(bo) ||
	    !drm_gmmu_backing_range_ok(bo, first, count))
		return -EINVAL;
	for (i = first; i < first + count; i++) {
		if (!bo->pin[i]) {
			drm_dbg_driver(bo->base.base.dev,
				       "put_pages: page %lu of [%lu, %lu) is not pinned\n",
				       i, first, first + count);
			return -EINVAL;
		}
	}
	for (i = first; i < first + count; i++)
		drm_gmmu_backing_unpin(bo, i);
	drm_gmmu_backing_update(bo);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_put_pages);

/*
 * The page backing page @i of @bo, or NULL if it is not resident; the
 * caller holds a pin on it, or its reservation and knows it resident.
 */
struct page *drm_gmmu_bo_page(struct drm_gmmu_bo *bo, pgoff_t i)
{
	dma_resv_assert_held(bo->base.base.resv);
	return bo->pages[i];
}

/*
 * Pushes the folios of evicted pages towards swap, as reclaim would, so
 * that they leave RAM now rather than when the LRU reaches them. Returns
 * how many shmem accepted (it refuses without swap).
 */
static pgoff_t drm_gmmu_backing_writeback(struct drm_gmmu_bo *bo)
{
	struct address_space *mapping = bo->base.base.filp->f_mapping;
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = SWAP_CLUSTER_MAX,
		.range_end = LLONG_MAX,
		/* shmem writes to swap only on behalf of reclaim. */
		.for_reclaim = 1,
	};
	pgoff_t i, n = drm_gmmu_bo_pages(bo), written = 0;
	struct folio *folio;
	int ret;

	if (get_nr_swap_pages() <= 0)
		return 0;
	for_each_set_bit(i, bo->evicted, n) {
		folio = filemap_lock_folio(mapping, i);
		if (IS_ERR(folio))
			continue;	/* Already in swap. */
		if (folio_mapped(folio) || !folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		/* Freed as soon as the write completes, not left on the LRU. */
		folio_set_reclaim(folio);
		ret = mapping->a_ops->writepage(&folio->page, &wbc);
		if (!folio_test_writeback(folio))
			folio_clear_reclaim(folio);
		if (ret == AOP_WRITEPAGE_ACTIVATE)
			folio_unlock(folio);
		else if (!ret)
			/* One page if shmem split the folio, all if not. */
			written += folio_nr_pages(folio);
		folio_put(folio);
		/* A synchronous swap device (zram) compresses in this loop. */
		cond_resched();
	}
	return written;
}

/**
 * drm_gmmu_bo_evict_locked - swap out a BO that nothing but its bindings holds
 * @bo: the BO, its reservation held
 *
 * A BO with unsignalled fences, with bind arrays not settled yet, or with
 * pins other than its level-1 mapping's (vmapped, under CPU access,
 * attached by an importer, mapped by a kernel user) is left alone and
 * counted. Otherwise its mappings in every VM and its level-1 mapping go
 * (drm_gmmu_bo_unbind_evict_locked()), every user PTE is shot down, and
 * every resident page is released and written towards swap; the next
 * access, or the next job of a VM that maps it, brings the pages back
 * with their content.
 *
 * Return: pages released.
 */
unsigned long drm_gmmu_bo_evict_locked(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_backing_stats *s = &bo->gdev->stats->backing;
	pgoff_t released;

	dma_resv_assert_held(bo->base.base.resv);
	if (!bo->resident)
		return 0;
	if (!dma_resv_test_signaled(bo->base.base.resv, DMA_RESV_USAGE_BOOKKEEP)) {
		atomic64_inc(&s->skipped_busy);
		return 0;
	}
	if (!drm_gmmu_bo_unbind_evict_locked(bo))
		return 0;
	released = drm_gmmu_backing_release(bo, 0, drm_gmmu_bo_pages(bo), true);
	atomic64_add(released, &s->pages_evicted);
	atomic64_add(drm_gmmu_backing_writeback(bo), &s->pages_swapped_out);
	return released;
}

/* At free: everything goes, pins or not; no user mapping is left. */
void drm_gmmu_backing_fini(struct drm_gmmu_bo *bo)
{
	pgoff_t i;

	if (bo->pages && bo->pin) {
		if (bo->vmap_count)
			vunmap(bo->vaddr);
		for (i = 0; i < drm_gmmu_bo_pages(bo); i++) {
			if (bo->pin[i] > 1)
				bo->pinned_more--;
			if (bo->pin[i])
				bo->pinned--;
			bo->pin[i] = 0;
			if (bo->pages[i])
				drm_gmmu_backing_drop(bo, i, false);
		}
		drm_gmmu_backing_update(bo);
	}
	kvfree(bo->pages);
	kvfree(bo->pin);
	bitmap_free(bo->evicted);
	bo->pages = NULL;
	bo->pin = NULL;
	bo->evicted = NULL;
}

/*
 * vmap and vunmap of the GEM object (called with its reservation held):
 * no kernel mapping exists until someone asks, and the last user's
 * vunmap removes it and lets the pages be evicted again.
 */
int drm_gmmu_bo_vmap_locked(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	pgoff_t n = drm_gmmu_bo_pages(bo);
	int ret;

	dma_resv_assert_held(obj->resv);
	if (bo->vmap_count) {
		if (bo->vmap_count == UINT_MAX)
			return -EOVERFLOW;
		bo->vmap_count++;
		iosys_map_set_vaddr(map, bo->vaddr);
		return 0;
	}
	ret = drm_gmmu_bo_get_pages(bo, 0, n);
	if (ret)
		return ret;
	/* Of the pages' own memory type, as PAT requires. */
	bo->vaddr = vmap(bo->pages, n, VM_MAP,
			 bo->wc ? pgprot_writecombine(PAGE_KERNEL) : PAGE_KERNEL);
	if (!bo->vaddr) {
		drm_gmmu_bo_put_pages(bo, 0, n);
		return -ENOMEM;
	}
	bo->vmap_count = 1;
	iosys_map_set_vaddr(map, bo->vaddr);
	return 0;
}

void drm_gmmu_bo_vunmap_locked(struct drm_gem_object *obj,
			       struct iosys_map *map)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);

	dma_resv_assert_held(obj->resv);
	if (!bo->vmap_count || map->vaddr != bo->vaddr) {
		drm_dbg_driver(obj->dev, "vunmap of a BO that is not vmapped\n");
		return;
	}
	if (--bo->vmap_count)
		return;
	vunmap(bo->vaddr);
	bo->vaddr = NULL;
	drm_gmmu_bo_put_pages(bo, 0, drm_gmmu_bo_pages(bo));
}
