// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Cache domains
 *
 * Cache domains of BOs on a device that does not snoop CPU caches. Every
 * transition is here:
 *
 * - entry into the GPU domain (at submission, for every BO the job can
 *   reach): flush the pages the CPU dirtied, mark every page as possibly
 *   written by the GPU, and zap the user PTEs so that the next CPU access
 *   faults;
 * - entry into the CPU domain (a fault on a user mapping, or a kernel
 *   CPU-access bracket): wait for the BO's fences, then invalidate the
 *   pages being accessed if the GPU may have written them since.
 *
 * CPU writes are learnt per page: user mappings are write-protected
 * (pfn_mkwrite makes the mapping want write notification) so that the
 * first write to a page after it was mapped, or after the last GPU-domain
 * entry, is seen; kernel brackets report their range at their end.
 *
 * A write-combined BO (bo->wc) goes through the same transitions, for the
 * waits and the PTE zaps, but never flushes or invalidates: its CPU
 * accesses bypass the caches, so no line of it is ever dirty or stale.
 * The observer is told that its accesses are uncached.
 *
 * All state is under the BO's reservation. A coherent device's BO has no
 * domain state (bo->dom is NULL) until it is exported: a non-snooping
 * importer may then read what the CPU wrote through the exporter's mmap,
 * or write behind the CPU caches what the exporter's CPU reads next, so
 * from its export on the BO is tracked like a non-coherent device's
 * (drm_gmmu_bo_domain_share()), and an importer's GPU-domain entry
 * flushes the exporter BO's dirty pages. Its own device still never
 * flushes for itself, and its faults wait for its jobs only where a
 * page is stale. Every BO shares the fault handler, which gets every
 * page through the backing API (drm_gmmu_backing.c).
 */
#include <linux/bitmap.h>
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "drm_gmmu_bind_internal.h"
#include "drm_gmmu_internal.h"

/**
 * struct drm_gmmu_bo_domain - cache-domain state of a BO of a non-coherent device
 * @cpu_dirty: pages the CPU may have written since they were last flushed
 * @cpu_stale: pages the GPU may have written since the CPU last
 *	invalidated them; set for every page on entry into the GPU domain,
 *	cleared page by page as the CPU enters
 * @gpu: in the GPU domain with nothing done on the CPU side since the
 *	entry: a further entry has nothing to do
 * @user_mapped: a user PTE may exist since the last zap
 */
struct drm_gmmu_bo_domain {
	unsigned long *cpu_dirty;
	unsigned long *cpu_stale;
	bool gpu;
	bool user_mapped;
};

static unsigned long drm_gmmu_bo_npages(struct drm_gmmu_bo *bo)
{
	return bo->base.base.size >> PAGE_SHIFT;
}

int drm_gmmu_bo_domain_init(struct drm_gmmu_bo *bo)
{
	unsigned long n = drm_gmmu_bo_npages(bo);
	struct drm_gmmu_bo_domain *dom;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		return -ENOMEM;
	dom->cpu_dirty = bitmap_alloc(n, GFP_KERNEL);
	dom->cpu_stale = bitmap_zalloc(n, GFP_KERNEL);
	if (!dom->cpu_dirty || !dom->cpu_stale) {
		bitmap_free(dom->cpu_dirty);
		bitmap_free(dom->cpu_stale);
		kfree(dom);
		return -ENOMEM;
	}
	/* New pages are zeroed by the kernel, through the CPU caches. */
	bitmap_fill(dom->cpu_dirty, n);
	/* Faults look before they lock (drm_gmmu_bo_fault()). */
	smp_store_release(&bo->dom, dom);
	return 0;
}

/* The backing pages are gone already (drm_gmmu_backing_fini()). */
void drm_gmmu_bo_domain_fini(struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_bo_domain *dom = bo->dom;

	if (!dom)
		return;
	bitmap_free(dom->cpu_dirty);
	bitmap_free(dom->cpu_stale);
	kfree(dom);
	bo->dom = NULL;
}

/*
 * A page entered the BO: its content was written by the CPU (zeroed, or
 * read back from swap), so it must be flushed before the GPU reads it, and
 * the GPU cannot have written it since.
 *
 * The observers are told so too: what they knew of the page's lines
 * belongs to its previous life (they drop it, counted, if nobody released
 * it), and its zeroing or swap-in was a CPU write.
 */
void drm_gmmu_bo_domain_page_new(struct drm_gmmu_bo *bo, pgoff_t i)
{
	struct drm_gmmu_bo_domain *dom = bo->dom;
	struct page *page = drm_gmmu_bo_page(bo, i);

	if (!dom)
		return;
	drm_gmmu_report(release, page, true);
	drm_gmmu_report(cpu_write, page, 0, PAGE_SIZE, bo->wc);
	/* A WC page was flushed when it became WC: nothing is dirty. */
	if (!bo->wc)
		set_bit(i, dom->cpu_dirty);
	clear_bit(i, dom->cpu_stale);
	dom->gpu = false;
}

/**
 * drm_gmmu_bo_domain_share - track cache domains of a coherent device's BO
 * @bo: the BO, being exported
 *
 * A device that does not snoop may import it: from now on the BO has
 * domain state, its CPU writes are learnt and reported, and its user
 * PTEs, which were mapped writable without notification, are zapped so
 * that the next write is seen. Every page counts as dirty.
 *
 * Return: 0 or -ENOMEM.
 */
int drm_gmmu_bo_domain_share(struct drm_gmmu_bo *bo)
{
	struct drm_gem_object *obj = &bo->base.base;
	int ret = 0;

	dma_resv_lock(obj->resv, NULL);
	if (!bo->dom) {
		ret = drm_gmmu_bo_domain_init(bo);
		if (!ret)
			drm_vma_node_unmap(&obj->vma_node,
					   obj->dev->anon_inode->i_mapping);
	}
	dma_resv_unlock(obj->resv);
	return ret;
}

static bool drm_gmmu_inject(struct drm_gmmu_device *gdev, unsigned int bit);

/*
 * A page leaves the BO. Before an eviction, whose swap-out reads it with
 * the CPU, lines the GPU may have written behind the CPU caches' back are
 * invalidated, or the stale cached copy would be what goes to swap.
 */
void drm_gmmu_bo_domain_page_gone(struct drm_gmmu_bo *bo, pgoff_t i, bool evict)
{
	struct drm_gmmu_bo_domain *dom = bo->dom;
	struct drm_gmmu_device *gdev = bo->gdev;
	struct page *page = drm_gmmu_bo_page(bo, i);

	if (!dom)
		return;
	if (evict && test_and_clear_bit(i, dom->cpu_stale) && !bo->wc &&
	    !drm_gmmu_inject(gdev, DRM_GMMU_INJECT_SKIP_INVALIDATE)) {
		drm_gmmu_flush_page(gdev, page, 0, PAGE_SIZE);
		atomic64_inc(&gdev->stats->coherency.pages_invalidated);
	}
	drm_gmmu_report(release, page, false);
}

/* Consumes one fault-injection bit: true if this step is to be skipped. */
static bool drm_gmmu_inject(struct drm_gmmu_device *gdev, unsigned int bit)
{
	if (likely(!READ_ONCE(gdev->stats->inject)) ||
	    !test_and_clear_bit(bit, &gdev->stats->inject))
		return false;
	atomic64_inc(&gdev->stats->coherency.skipped);
	return true;
}

/*
 * Entry of one BO into the GPU domain of @gdev, the device whose job is
 * being submitted (its counters and fault injection); the BO's
 * reservation is held. An import of another drm_gmmu device's BO enters
 * that BO, which shares the reservation: the exporter's CPU writes are
 * flushed here, whichever mapping made them, since the exporter's own
 * device (which may snoop) has no reason to.
 */
static void drm_gmmu_bo_enter_gpu(struct drm_gmmu_device *gdev,
				  struct drm_gmmu_bo *bo)
{
	struct drm_gmmu_bo_domain *dom;
	unsigned long n, i;
	struct page *page;

	dma_resv_assert_held(bo->base.base.resv);
	/*
	 * Another exporter's pages have no struct pages here: keeping them
	 * coherent is for its end_cpu_access.
	 */
	if (drm_gmmu_bo_is_imported(bo)) {
		bo = drm_gmmu_bo_exporter(bo);
		if (!bo)
			return;
	}
	dom = bo->dom;
	n = drm_gmmu_bo_npages(bo);
	if (!dom || dom->gpu)
		return;
	/*
	 * A bound BO is pinned by its level-1 mapping, so every page is
	 * resident; a page that is not is marked dirty again when it returns.
	 */
	for_each_set_bit(i, dom->cpu_dirty, n) {
		page = drm_gmmu_bo_page(bo, i);
		if (!page || drm_gmmu_inject(gdev, DRM_GMMU_INJECT_SKIP_FLUSH))
			continue;
		drm_gmmu_flush_page(gdev, page, 0, PAGE_SIZE);
		atomic64_inc(&gdev->stats->coherency.pages_flushed);
	}
	bitmap_zero(dom->cpu_dirty, n);
	/* Which pages the job writes is unknown: assume all of them. */
	bitmap_fill(dom->cpu_stale, n);
	/*
	 * Zap rather than write-protect: a read of a page the GPU may be
	 * writing must wait and invalidate too, so reads have to fault.
	 */
	if (dom->user_mapped) {
		drm_vma_node_unmap(&bo->base.base.vma_node,
				   bo->base.base.dev->anon_inode->i_mapping);
		dom->user_mapped = false;
	}
	dom->gpu = true;
	atomic64_inc(&gdev->stats->coherency.gpu_entries);
}

/**
 * drm_gmmu_vm_enter_gpu_domain - every BO bound in a VM enters the GPU domain
 * @vm: the VM a job is being submitted to
 *
 * Called by the driver at submission, before the job is pushed, with the
 * reservations of the VM and of its external BOs held (drm_gpuvm_exec_lock()):
 * for each BO mapped in @vm, the pages the CPU dirtied are flushed through
 * drm_gmmu_flush_page(), every page is marked as possibly written by the
 * GPU (the job may write any BO it can reach), and the user mappings are
 * zapped, so that the next CPU access waits for the job and invalidates.
 * A BO with no CPU access since its last entry costs nothing. The BOs
 * of mappings that pending asynchronous binds removed from the VA tree
 * count too: the tables still point at them until those binds run.
 *
 * Does nothing on a coherent device.
 */
void drm_gmmu_vm_enter_gpu_domain(struct drm_gmmu_vm *vm)
{
	struct drm_gmmu_bind_ctx *ctx;
	struct drm_gpuva *va;
	unsigned int i;

	if (!vm->gdev->noncoherent)
		return;
	/*
	 * Binds change the VA tree, and asynchronous ones join and leave
	 * the pending list, under the VM's reservation too.
	 */
	dma_resv_assert_held(drm_gpuvm_resv(&vm->base));
	drm_gpuvm_for_each_va(va, &vm->base)
		if (va->gem.obj)	/* a sparse mapping has no BO */
			drm_gmmu_bo_enter_gpu(vm->gdev,
					      to_drm_gmmu_bo(va->gem.obj));
	list_for_each_entry(ctx, &vm->bind_pending, link) {
		for (i = 0; i < ctx->dead_count; i++) {
			va = ctx->dead[i];
			if (va->gem.obj)
				drm_gmmu_bo_enter_gpu(vm->gdev,
						      to_drm_gmmu_bo(va->gem.obj));
		}
	}
}
EXPORT_SYMBOL_GPL(drm_gmmu_vm_enter_gpu_domain);

/*
 * Entry of bytes [@off, @off + @len) of page @i into the CPU domain: the
 * BO's fences have signalled and its reservation is held.
 */
static void drm_gmmu_bo_enter_cpu(struct drm_gmmu_bo *bo, pgoff_t i,
				  unsigned int off, unsigned int len,
				  enum dma_data_direction dir)
{
	struct drm_gmmu_bo_domain *dom = bo->dom;
	struct drm_gmmu_device *gdev = bo->gdev;
	struct page *page = drm_gmmu_bo_page(bo, i);

	/* A WC page has no lines to drop: its reads go to memory. */
	if (test_bit(i, dom->cpu_stale) && !bo->wc) {
		/* clflush drops the lines: the next CPU read goes to memory. */
		if (!drm_gmmu_inject(gdev, DRM_GMMU_INJECT_SKIP_INVALIDATE)) {
			drm_gmmu_flush_page(gdev, page, 0, PAGE_SIZE);
			atomic64_inc(&gdev->stats->coherency.pages_invalidated);
		}
		clear_bit(i, dom->cpu_stale);
	}
	clear_bit(i, dom->cpu_stale);
	dom->gpu = false;
	drm_gmmu_report(cpu_access, page, off, len, dir, bo->wc);
}

static void drm_gmmu_bo_cpu_wrote(struct drm_gmmu_bo *bo, pgoff_t i,
				  unsigned int off, unsigned int len)
{
	/* A WC write went to memory: nothing to flush. */
	if (!bo->wc)
		set_bit(i, bo->dom->cpu_dirty);
	bo->dom->gpu = false;
	drm_gmmu_report(cpu_write, drm_gmmu_bo_page(bo, i), off, len, bo->wc);
}

static int drm_gmmu_resv_lock(struct dma_resv *resv, bool intr)
{
	if (intr)
		return dma_resv_lock_interruptible(resv, NULL);
	dma_resv_lock(resv, NULL);
	return 0;
}

/*
 * Waits for every fence of @bo (which jobs write it is unknown, so
 * BOOKKEEP), then takes its reservation, with no fence added meanwhile.
 */
static int drm_gmmu_bo_lock_idle(struct drm_gmmu_bo *bo, bool intr)
{
	struct dma_resv *resv = bo->base.base.resv;
	long t;
	int ret;

	for (;;) {
		t = dma_resv_wait_timeout(resv, DMA_RESV_USAGE_BOOKKEEP, intr,
					  MAX_SCHEDULE_TIMEOUT);
		if (t < 0)
			return t;
		ret = drm_gmmu_resv_lock(resv, intr);
		if (ret)
			return ret;
		if (dma_resv_test_signaled(resv, DMA_RESV_USAGE_BOOKKEEP))
			return 0;
		dma_resv_unlock(resv);
	}
}

/*
 * The reservation of a BO with domain state, for a CPU access to page @i:
 * on a non-coherent device once the BO is idle; on a coherent one (an
 * exported BO) only a page a non-snooping importer's job may have written
 * has to wait for the jobs before it is invalidated.
 */
static int drm_gmmu_bo_lock_for_cpu(struct drm_gmmu_bo *bo, pgoff_t i,
				    bool intr)
{
	struct dma_resv *resv = bo->base.base.resv;
	int ret;

	if (!bo->gdev->noncoherent) {
		ret = drm_gmmu_resv_lock(resv, intr);
		if (ret)
			return ret;
		if (!test_bit(i, bo->dom->cpu_stale))
			return 0;
		dma_resv_unlock(resv);
	}
	return drm_gmmu_bo_lock_idle(bo, intr);
}

/*
 * A fault on a user mapping of a BO: the page is pinned for the time of
 * the fault through the backing API (read back from swap if the BO was
 * evicted) and left unpinned but resident afterwards; eviction shoots the
 * PTE down before letting the page go, and the next access comes here.
 *
 * For a BO with domain state it is also a CPU-domain entry for its page,
 * which is mapped read-only (the VMA's page protection is write-protected
 * because the vm_ops have pfn_mkwrite, see vma_wants_writenotify()), so
 * that the first write is seen. A BO without (a coherent device's, not
 * exported) is mapped writable at once, as the VMA's flags allow: nothing
 * needs to learn of its writes until its export zaps the PTEs.
 *
 * Lock order: mmap_lock (held by the caller) -> dma_resv, the order
 * dma_resv_lockdep() establishes.
 */
static vm_fault_t drm_gmmu_bo_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(vma->vm_private_data);
	struct dma_resv *resv = bo->base.base.resv;
	/* Set once, under the reservation (drm_gmmu_bo_domain_share()). */
	struct drm_gmmu_bo_domain *dom = smp_load_acquire(&bo->dom);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	pgoff_t i = vmf->pgoff - drm_vma_node_start(&bo->base.base.vma_node);
	pgprot_t prot = vma->vm_page_prot;
	vm_fault_t ret;
	int err;

	if (i >= drm_gmmu_bo_npages(bo))
		return VM_FAULT_SIGBUS;
	/* Interrupted: nothing is mapped, the access faults again later. */
	if (dom) {
		if (drm_gmmu_bo_lock_for_cpu(bo, i,
					     vmf->flags & FAULT_FLAG_INTERRUPTIBLE))
			return VM_FAULT_NOPAGE;
	} else if (dma_resv_lock_interruptible(resv, NULL)) {
		return VM_FAULT_NOPAGE;
	}
	/* Exported meanwhile: fault again, the tracked way. */
	if (!dom && bo->dom) {
		ret = VM_FAULT_NOPAGE;
		goto out;
	}
	err = drm_gmmu_bo_get_pages(bo, i, 1);
	if (err) {
		ret = err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
		goto out;
	}
	if (dom)
		drm_gmmu_bo_enter_cpu(bo, i, 0, PAGE_SIZE,
				      write ? DMA_BIDIRECTIONAL : DMA_FROM_DEVICE);
	else	/* writable if the VMA is, without write notification */
		prot = drm_gmmu_bo_page_prot(bo, vma->vm_flags);
	/*
	 * With domain state: read-only even for a write fault: the write is
	 * then retried, takes the write-protect fault and goes through
	 * pfn_mkwrite, which marks the page dirty. One path learns every CPU
	 * write, and the PTE keeps the VMA's cache attributes.
	 */
	ret = vmf_insert_pfn_prot(vma, vmf->address,
				  page_to_pfn(drm_gmmu_bo_page(bo, i)), prot);
	if (dom)
		dom->user_mapped = true;
	drm_gmmu_bo_put_pages(bo, i, 1);
out:
	dma_resv_unlock(resv);
	return ret;
}

/* The first write to a page mapped read-only: it becomes CPU-dirty. */
static vm_fault_t drm_gmmu_bo_pfn_mkwrite(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(vma->vm_private_data);
	pgoff_t i = vmf->pgoff - drm_vma_node_start(&bo->base.base.vma_node);
	vm_fault_t ret = 0;

	/* Not tracked: mapped writable by the fault, unless zapped since. */
	if (!smp_load_acquire(&bo->dom))
		return 0;
	dma_resv_lock(bo->base.base.resv, NULL);
	/*
	 * A GPU-domain entry or an eviction since the page was mapped zapped
	 * the PTE: let the access fault again through drm_gmmu_bo_fault(),
	 * which waits, or brings the page back.
	 */
	if (test_bit(i, bo->dom->cpu_stale) || !drm_gmmu_bo_page(bo, i))
		ret = VM_FAULT_NOPAGE;
	else
		drm_gmmu_bo_cpu_wrote(bo, i, 0, PAGE_SIZE);
	dma_resv_unlock(bo->base.base.resv);
	return ret;
}

/*
 * vm_ops of every BO (see drm_gmmu_bo.c): a coherent device's BO too may
 * get domain state when it is exported, after it was mapped.
 */
const struct vm_operations_struct drm_gmmu_bo_vm_ops = {
	.fault = drm_gmmu_bo_fault,
	.pfn_mkwrite = drm_gmmu_bo_pfn_mkwrite,
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

static int drm_gmmu_cpu_access_check(struct drm_gmmu_bo *bo,
				     enum dma_data_direction dir,
				     size_t offset, size_t len)
{
	if (dir != DMA_TO_DEVICE && dir != DMA_FROM_DEVICE &&
	    dir != DMA_BIDIRECTIONAL)
		return -EINVAL;
	/*
	 * Cache maintenance works on struct pages, which an imported BO
	 * lacks; its CPU access goes through the exporter's dma-buf.
	 */
	if (drm_gmmu_bo_is_imported(bo)) {
		drm_dbg_driver(&bo->gdev->drm,
			       "CPU access bracket on an imported dma-buf BO: use the exporter's\n");
		return -EINVAL;
	}
	if (!len || offset >= bo->base.base.size ||
	    len > bo->base.base.size - offset)
		return -EINVAL;
	return 0;
}

/* Pages that bytes [@offset, @offset + @len) touch. */
static pgoff_t drm_gmmu_range_pages(size_t offset, size_t len)
{
	return (PAGE_ALIGN(offset + len) >> PAGE_SHIFT) - (offset >> PAGE_SHIFT);
}

/* Walks [@offset, @offset + @len) as (page @i, @off, @n) pieces. */
#define drm_gmmu_for_each_piece(i, off, n, offset, len)			\
	for (i = (offset) >> PAGE_SHIFT, off = offset_in_page(offset),	\
	     n = min_t(size_t, (len), PAGE_SIZE - off);			\
	     n; (offset) += n, (len) -= n, i++, off = 0,		\
	     n = min_t(size_t, (len), PAGE_SIZE))

/**
 * drm_gmmu_bo_begin_cpu_access - the kernel is about to access a BO with the CPU
 * @bo: the BO
 * @dir: %DMA_FROM_DEVICE to read what the GPU wrote, %DMA_TO_DEVICE to
 *	write for the GPU, %DMA_BIDIRECTIONAL for both
 * @offset: first byte of the range to be accessed
 * @len: bytes, at least one, within the BO
 *
 * Waits for every fence of the BO (a job may write any BO it can reach),
 * and pins the backing pages of the range; then, on a non-coherent
 * device, invalidates
 * each page of the range the GPU may have written since the CPU last
 * invalidated it, whatever @dir is: a CPU write that fills part of a cache
 * line holding stale data would write the stale rest back later. Must be
 * paired with drm_gmmu_bo_end_cpu_access() of the same range, which unpins. The CPU must not access the
 * range while a job that can reach the BO is submitted in between.
 *
 * Context: process context; takes the BO's reservation, may sleep.
 * Return: 0; -EINVAL for a bad direction or range; -EINTR or
 * -ERESTARTSYS if interrupted; -ENOMEM if the pages cannot be had.
 */
int drm_gmmu_bo_begin_cpu_access(struct drm_gmmu_bo *bo,
				 enum dma_data_direction dir,
				 size_t offset, size_t len)
{
	unsigned int off, n;
	pgoff_t i;
	int ret;

	ret = drm_gmmu_cpu_access_check(bo, dir, offset, len);
	if (ret)
		return ret;
	ret = drm_gmmu_bo_lock_idle(bo, true);
	if (ret)
		return ret;
	if (bo->cpu_access_count == UINT_MAX) {
		ret = -EOVERFLOW;
		goto out;
	}
	/* The bracket pins what it covers, until its end. */
	ret = drm_gmmu_bo_get_pages(bo, offset >> PAGE_SHIFT,
				    drm_gmmu_range_pages(offset, len));
	if (ret)
		goto out;
	if (bo->dom)
		drm_gmmu_for_each_piece(i, off, n, offset, len)
			drm_gmmu_bo_enter_cpu(bo, i, off, n, dir);
	bo->cpu_access_count++;
out:
	dma_resv_unlock(bo->base.base.resv);
	return ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_begin_cpu_access);

/**
 * drm_gmmu_bo_end_cpu_access - the kernel is done accessing a BO with the CPU
 * @bo: the BO
 * @dir: as given to drm_gmmu_bo_begin_cpu_access()
 * @offset: first byte of the range accessed
 * @len: bytes
 *
 * With %DMA_TO_DEVICE or %DMA_BIDIRECTIONAL, the pages of the range are
 * marked CPU-dirty: they are flushed when the BO next enters the GPU
 * domain, not now, so that several brackets cost one flush per page.
 *
 * Context: process context; takes the BO's reservation.
 * Return: 0; -EINVAL for a bad direction or range, or if no bracket is
 * open on @bo (an end without its begin), or if the range is not pinned
 * (an end whose range is not that of a begin).
 */
int drm_gmmu_bo_end_cpu_access(struct drm_gmmu_bo *bo,
			       enum dma_data_direction dir,
			       size_t offset, size_t len)
{
	unsigned int off, n;
	pgoff_t i;
	int ret;

	ret = drm_gmmu_cpu_access_check(bo, dir, offset, len);
	if (ret)
		return ret;
	dma_resv_lock(bo->base.base.resv, NULL);
	if (!bo->cpu_access_count) {
		dma_resv_unlock(bo->base.base.resv);
		drm_dbg_driver(bo->base.base.dev,
			       "end_cpu_access on a BO with no CPU access begun\n");
		return -EINVAL;
	}
	/* Unpinned, the pages stay resident while the reservation is held. */
	ret = drm_gmmu_bo_put_pages(bo, offset >> PAGE_SHIFT,
				    drm_gmmu_range_pages(offset, len));
	if (ret) {
		dma_resv_unlock(bo->base.base.resv);
		return ret;
	}
	bo->cpu_access_count--;
	if (bo->dom && dir != DMA_FROM_DEVICE)
		drm_gmmu_for_each_piece(i, off, n, offset, len)
			drm_gmmu_bo_cpu_wrote(bo, i, off, n);
	dma_resv_unlock(bo->base.base.resv);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_bo_end_cpu_access);
