// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: The coherency checker
 *
 * The coherency checker of the non-snooping ("atom") GPU model: a
 * sanitizer for cache maintenance. Under QEMU TCG clflush does nothing
 * visible, so a missing flush would go unnoticed; this model keeps, per
 * physical page and per 64-byte cache line, what real caches would hold:
 *
 * - CPU-dirty lines: the CPU may have written them and nobody has flushed
 *   them since. The engine reads memory, not the CPU's caches, so a GPU
 *   read or fetch of such a line sees stale data; a GPU write to one is
 *   lost when the dirty line is later written back. Both are violations.
 * - GPU-written lines: the engine wrote memory behind the CPU's caches,
 *   which may still hold the old contents. A CPU access (a fault on a user
 *   mapping or a kernel CPU-access bracket) to such a line before it was
 *   invalidated is a violation.
 *
 * It learns CPU writes and accesses and flushes only from what the flush
 * primitive and the fault/bracket paths report, and GPU accesses from the
 * MMU's translations: never from the helpers' own bookkeeping, so a
 * helper that forgets a flush is caught.
 *
 * Granularity: CPU events and flushes carry byte ranges and are kept per
 * line. A GPU access is known per translated 4 KiB page (the MMU sees a
 * page, not a length), so it counts as touching every line of the page.
 * Each violation is reported once: the offending lines are then forgotten
 * (a GPU write leaves the lines GPU-written, the dirty state moot), so one
 * missed flush gives one report.
 *
 * Page tables: the level-2 tables of a context are memory the walker
 * reads. drm_gmmu reports each entry iommu-ctx stores as a CPU write and
 * each table sync as a flush, and the MMU shows the checker each entry it
 * loads (swgpu_hw_coherency_walk()), exactly: an entry loaded from a line
 * still CPU-dirty is a stale entry, which the walker may have read as the
 * old translation. ``walk_violations`` counts those apart.
 *
 * Per page, not per device: drm_gmmu reports the CPU events of every page
 * it tracks to every non-snooping GPU's checker, so a page of another
 * GPU's BO that this one imported is known here, whichever device's mmap
 * the CPU wrote it through.
 *
 * Dropped tracking: state the checker had to give up is counted, so that
 * a test can tell a silent checker from a blind one. ``dropped_nomem``:
 * an event came when no tracking memory could be had. ``dropped_reused``:
 * a page entered a buffer object (swgpu_hw_coherency_acquire()) while
 * state of its previous life was still kept, i.e. it was freed without
 * its release being reported; that state is forgotten rather than turned
 * into a false report. ``dropped`` is their sum.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <drm/swgpu_drm.h>

#include "swgpu_hw_internal.h"

#define SWGPU_HW_LINE_SHIFT	6
#define SWGPU_HW_COH_PAGE	4096u
#define SWGPU_HW_COH_LOG	8

/* One 4 KiB page: a bit per 64-byte line. */
struct swgpu_hw_coh_page {
	u64 cpu_dirty;
	u64 gpu_written;
};

enum swgpu_hw_coh_kind {
	SWGPU_HW_COH_GPU_READ_DIRTY,
	SWGPU_HW_COH_GPU_WRITE_DIRTY,
	SWGPU_HW_COH_CPU_ACCESS_STALE,
	SWGPU_HW_COH_WALK_READ_DIRTY,
};

static const char *const swgpu_hw_coh_kind_name[] = {
	[SWGPU_HW_COH_GPU_READ_DIRTY] = "gpu read of CPU-dirty unflushed lines",
	[SWGPU_HW_COH_GPU_WRITE_DIRTY] = "gpu write over CPU-dirty unflushed lines",
	[SWGPU_HW_COH_CPU_ACCESS_STALE] = "cpu access to GPU-written lines not invalidated",
	[SWGPU_HW_COH_WALK_READ_DIRTY] = "table walk read of CPU-dirty unflushed entry",
};

struct swgpu_hw_coh_violation {
	enum swgpu_hw_coh_kind kind;
	phys_addr_t phys;
	u64 lines;
	u64 va;
	bool va_known;
};

/**
 * struct swgpu_hw_coherency - the checker of one non-snooping GPU
 * @dev: the device, for reports
 * @pages: pfn -> &struct swgpu_hw_coh_page, for pages with any line in
 *	either state; its lock protects everything below and the entries
 * @violations: violations counted since the last reset
 * @walk_violations: those of them by the table walker
 * @dropped_nomem: events lost because tracking memory could not be had
 * @dropped_reused: pages that entered a buffer object with state of a
 *	previous life still tracked (freed without a release)
 * @log_next: total violations logged; the last few are in @log
 * @log: the most recent violations
 */
struct swgpu_hw_coherency {
	struct device *dev;
	struct xarray pages;
	u64 violations;
	u64 walk_violations;
	u64 dropped_nomem;
	u64 dropped_reused;
	u64 log_next;
	struct swgpu_hw_coh_violation log[SWGPU_HW_COH_LOG];
};

static u64 swgpu_hw_coh_lines(phys_addr_t phys, unsigned int len)
{
	unsigned int off = phys & (SWGPU_HW_COH_PAGE - 1);
	unsigned int first = off >> SWGPU_HW_LINE_SHIFT;
	unsigned int last = (off + len - 1) >> SWGPU_HW_LINE_SHIFT;

	return GENMASK_ULL(last, first);
}

static unsigned long swgpu_hw_coh_pfn(phys_addr_t phys)
{
	return phys >> 12;
}

/* The page's entry, created if @create; xa_lock held. */
static struct swgpu_hw_coh_page *
swgpu_hw_coh_get(struct swgpu_hw_coherency *c, unsigned long pfn, bool create)
{
	struct swgpu_hw_coh_page *p = xa_load(&c->pages, pfn);

	if (p || !create)
		return p;
	/* Called under spinlocks, on the engine's fence-signalling path too. */
	p = kzalloc(sizeof(*p), GFP_NOWAIT | __GFP_NOWARN);
	if (!p || xa_err(__xa_store(&c->pages, pfn, p, GFP_NOWAIT | __GFP_NOWARN))) {
		kfree(p);
		c->dropped_nomem++;
		return NULL;
	}
	return p;
}

static void swgpu_hw_coh_put(struct swgpu_hw_coherency *c, unsigned long pfn,
			     struct swgpu_hw_coh_page *p)
{
	if (p->cpu_dirty || p->gpu_written)
		return;
	__xa_erase(&c->pages, pfn);
	kfree(p);
}

static void swgpu_hw_coh_violation(struct swgpu_hw_coherency *c,
				   enum swgpu_hw_coh_kind kind, phys_addr_t phys,
				   u64 lines, const u64 *va)
{
	struct swgpu_hw_coh_violation *v = &c->log[c->log_next++ % SWGPU_HW_COH_LOG];

	c->violations++;
	if (kind == SWGPU_HW_COH_WALK_READ_DIRTY)
		c->walk_violations++;
	v->kind = kind;
	v->phys = phys;
	v->lines = lines;
	v->va_known = va;
	v->va = va ? *va : 0;
	if (va)
		dev_warn_ratelimited(c->dev,
				     "swgpu: coherency violation: %s: phys %pa lines %#llx GPU VA %#llx\n",
				     swgpu_hw_coh_kind_name[kind], &phys, lines, *va);
	else
		dev_warn_ratelimited(c->dev,
				     "swgpu: coherency violation: %s: phys %pa lines %#llx\n",
				     swgpu_hw_coh_kind_name[kind], &phys, lines);
}

/**
 * swgpu_hw_coherency_create - a checker for a non-snooping GPU
 * @dev: the GPU's device, named in reports
 *
 * Return: the checker, or NULL if memory ran out.
 */
struct swgpu_hw_coherency *swgpu_hw_coherency_create(struct device *dev)
{
	struct swgpu_hw_coherency *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	c->dev = dev;
	xa_init(&c->pages);
	return c;
}

/**
 * swgpu_hw_coherency_destroy - free a checker
 * @c: the checker, or NULL; no event may arrive any more
 */
void swgpu_hw_coherency_destroy(struct swgpu_hw_coherency *c)
{
	struct swgpu_hw_coh_page *p;
	unsigned long pfn;

	if (!c)
		return;
	xa_for_each(&c->pages, pfn, p)
		kfree(p);
	xa_destroy(&c->pages);
	kfree(c);
}

/**
 * swgpu_hw_coherency_cpu_write - the CPU may have written a range
 * @c: the checker
 * @phys: first byte
 * @len: bytes, within the page of @phys
 * @uncached: the write went through an uncached (write-combined) mapping
 *
 * The lines are CPU-dirty until flushed, unless the write was uncached:
 * it reached memory, leaving no line behind (once the WC buffer drains,
 * which the fence of the submission that follows does).
 */
void swgpu_hw_coherency_cpu_write(struct swgpu_hw_coherency *c,
				  phys_addr_t phys, unsigned int len,
				  bool uncached)
{
	struct swgpu_hw_coh_page *p;

	if (uncached)
		return;

	xa_lock(&c->pages);
	p = swgpu_hw_coh_get(c, swgpu_hw_coh_pfn(phys), true);
	if (p)
		p->cpu_dirty |= swgpu_hw_coh_lines(phys, len);
	xa_unlock(&c->pages);
}

/**
 * swgpu_hw_coherency_cpu_access - the CPU side begins accessing a range
 * @c: the checker
 * @phys: first byte
 * @len: bytes, within the page of @phys
 * @uncached: through an uncached (write-combined) mapping
 *
 * A line the GPU wrote that was not invalidated since is a violation,
 * unless the access is uncached: it reads memory, where the GPU wrote.
 */
void swgpu_hw_coherency_cpu_access(struct swgpu_hw_coherency *c,
				   phys_addr_t phys, unsigned int len,
				   bool uncached)
{
	unsigned long pfn = swgpu_hw_coh_pfn(phys);
	struct swgpu_hw_coh_page *p;
	u64 bad;

	xa_lock(&c->pages);
	p = swgpu_hw_coh_get(c, pfn, false);
	if (p) {
		bad = p->gpu_written & swgpu_hw_coh_lines(phys, len);
		if (bad && uncached) {
			p->gpu_written &= ~bad;
			swgpu_hw_coh_put(c, pfn, p);
		} else if (bad) {
			swgpu_hw_coh_violation(c, SWGPU_HW_COH_CPU_ACCESS_STALE,
					       phys, bad, NULL);
			p->gpu_written &= ~bad;
			swgpu_hw_coh_put(c, pfn, p);
		}
	}
	xa_unlock(&c->pages);
}

/**
 * swgpu_hw_coherency_flush - a range was written back and invalidated
 * @c: the checker
 * @phys: first byte
 * @len: bytes, within the page of @phys
 *
 * Only the flush primitive reports this: the lines are neither dirty nor
 * stale afterwards.
 */
void swgpu_hw_coherency_flush(struct swgpu_hw_coherency *c, phys_addr_t phys,
			      unsigned int len)
{
	unsigned long pfn = swgpu_hw_coh_pfn(phys);
	u64 lines = swgpu_hw_coh_lines(phys, len);
	struct swgpu_hw_coh_page *p;

	xa_lock(&c->pages);
	p = swgpu_hw_coh_get(c, pfn, false);
	if (p) {
		p->cpu_dirty &= ~lines;
		p->gpu_written &= ~lines;
		swgpu_hw_coh_put(c, pfn, p);
	}
	xa_unlock(&c->pages);
}

/**
 * swgpu_hw_coherency_release - a page is no longer GPU memory
 * @c: the checker
 * @pfn: the page frame
 *
 * Its lines' states no longer matter: the kernel overwrites a freed page
 * whole before anyone reads it.
 */
void swgpu_hw_coherency_release(struct swgpu_hw_coherency *c, unsigned long pfn)
{
	struct swgpu_hw_coh_page *p;

	xa_lock(&c->pages);
	p = __xa_erase(&c->pages, pfn);
	xa_unlock(&c->pages);
	kfree(p);
}

/**
 * swgpu_hw_coherency_acquire - a page enters a buffer object
 * @c: the checker
 * @pfn: the page frame
 *
 * Nothing can be known about it yet: state still kept from its previous
 * life is forgotten and counted as dropped (its release was never seen).
 */
void swgpu_hw_coherency_acquire(struct swgpu_hw_coherency *c,
				unsigned long pfn)
{
	struct swgpu_hw_coh_page *p;

	xa_lock(&c->pages);
	p = __xa_erase(&c->pages, pfn);
	if (p)
		c->dropped_reused++;
	xa_unlock(&c->pages);
	kfree(p);
}

/**
 * swgpu_hw_coherency_walk - the MMU's walker loads a table entry
 * @c: the checker
 * @va: GPU virtual address being translated
 * @phys: physical address of the entry
 * @len: bytes of the entry
 *
 * Called by the MMU for every entry it loads from memory, under its lock.
 */
void swgpu_hw_coherency_walk(struct swgpu_hw_coherency *c, u64 va,
			     phys_addr_t phys, unsigned int len)
{
	unsigned long pfn = swgpu_hw_coh_pfn(phys);
	struct swgpu_hw_coh_page *p;
	u64 bad;

	xa_lock(&c->pages);
	p = swgpu_hw_coh_get(c, pfn, false);
	if (p) {
		bad = p->cpu_dirty & swgpu_hw_coh_lines(phys, len);
		if (bad) {
			swgpu_hw_coh_violation(c, SWGPU_HW_COH_WALK_READ_DIRTY,
					       phys, bad, &va);
			p->cpu_dirty &= ~bad;
			swgpu_hw_coh_put(c, pfn, p);
		}
	}
	xa_unlock(&c->pages);
}

/**
 * __swgpu_hw_coherency_access - the engine accesses a page
 * @c: the checker
 * @va: GPU virtual address of the access
 * @access: DRM_SWGPU_FAULT_READ, _WRITE or _FETCH
 * @phys: physical address the MMU translated @va to
 *
 * Called by the MMU for every successful translation, under its lock.
 */
void __swgpu_hw_coherency_access(struct swgpu_hw_coherency *c, u64 va,
				 u32 access, phys_addr_t phys)
{
	unsigned long pfn = swgpu_hw_coh_pfn(phys);
	bool write = access & DRM_SWGPU_FAULT_WRITE;
	struct swgpu_hw_coh_page *p;

	xa_lock(&c->pages);
	p = swgpu_hw_coh_get(c, pfn, write);
	if (p) {
		if (p->cpu_dirty) {
			swgpu_hw_coh_violation(c, write ?
					       SWGPU_HW_COH_GPU_WRITE_DIRTY :
					       SWGPU_HW_COH_GPU_READ_DIRTY,
					       phys, p->cpu_dirty, &va);
			p->cpu_dirty = 0;
		}
		if (write)
			p->gpu_written = ~0ull;
		swgpu_hw_coh_put(c, pfn, p);
	}
	xa_unlock(&c->pages);
}

static int swgpu_hw_coherency_show(struct seq_file *m, void *unused)
{
	struct swgpu_hw_coherency *c = m->private;
	struct swgpu_hw_coh_violation log[SWGPU_HW_COH_LOG];
	u64 violations, walk, nomem, reused, next, i, first;
	unsigned long pfn, tracked = 0;
	struct swgpu_hw_coh_page *p;

	xa_lock(&c->pages);
	violations = c->violations;
	walk = c->walk_violations;
	nomem = c->dropped_nomem;
	reused = c->dropped_reused;
	next = c->log_next;
	memcpy(log, c->log, sizeof(log));
	xa_for_each(&c->pages, pfn, p)
		tracked++;
	xa_unlock(&c->pages);

	seq_printf(m, "violations: %llu\n", violations);
	seq_printf(m, "walk_violations: %llu\n", walk);
	seq_printf(m, "dropped: %llu\n", nomem + reused);
	seq_printf(m, "dropped_nomem: %llu\n", nomem);
	seq_printf(m, "dropped_reused: %llu\n", reused);
	seq_printf(m, "tracked_pages: %lu\n", tracked);
	first = next > SWGPU_HW_COH_LOG ? next - SWGPU_HW_COH_LOG : 0;
	for (i = first; i < next; i++) {
		struct swgpu_hw_coh_violation *v = &log[i % SWGPU_HW_COH_LOG];

		seq_printf(m, "violation: %s: pfn %#lx lines %#llx",
			   swgpu_hw_coh_kind_name[v->kind],
			   swgpu_hw_coh_pfn(v->phys), v->lines);
		if (v->va_known)
			seq_printf(m, " va %#llx", v->va);
		seq_putc(m, '\n');
	}
	return 0;
}

static int swgpu_hw_coherency_open(struct inode *inode, struct file *file)
{
	return single_open(file, swgpu_hw_coherency_show, inode->i_private);
}

/* Any write resets the count and the log, not the lines' states. */
static ssize_t swgpu_hw_coherency_write(struct file *file,
					const char __user *ubuf, size_t len,
					loff_t *ppos)
{
	struct swgpu_hw_coherency *c = file_inode(file)->i_private;

	xa_lock(&c->pages);
	c->violations = 0;
	c->walk_violations = 0;
	c->log_next = 0;
	xa_unlock(&c->pages);
	return len;
}

static const struct file_operations swgpu_hw_coherency_fops = {
	.owner = THIS_MODULE,
	.open = swgpu_hw_coherency_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = swgpu_hw_coherency_write,
};

/**
 * swgpu_hw_coherency_debugfs_init - the checker's debugfs file
 * @c: the checker
 * @root: directory to create ``swgpu_coherency`` in
 *
 * Reading gives the violation count, lost events, pages tracked and the
 * last violations; writing anything resets the count.
 */
void swgpu_hw_coherency_debugfs_init(struct swgpu_hw_coherency *c,
				     struct dentry *root)
{
	debugfs_create_file("swgpu_coherency", 0600, root, c,
			    &swgpu_hw_coherency_fops);
}
