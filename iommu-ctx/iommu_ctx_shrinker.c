// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Spare tables under memory pressure
 *
 * An unmap that empties tables keeps them as spares (up to 16 directory
 * and 64 last-level tables per domain, see ictx_tables_release()), so
 * that the next map of the range allocates and DMA-maps nothing. With
 * thousands of contexts that is up to 320 KiB each the system cannot use.
 * A shrinker gives them back under memory pressure: it counts the spares
 * of every domain and frees them, oldest domain first, taking each
 * domain's lock with a trylock only (a domain busy mapping is passed
 * over; it needs its spares now anyway). Tables that hold entries are
 * never freed here: an empty last-level table is unlinked by the unmap
 * that empties it, so every empty table is a spare.
 *
 * iommu_ctx_drop_spares() runs the same scan on demand (a driver going
 * to suspend, a test). debugfs ``iommu_ctx/spares`` shows the spares of
 * every domain and how many the shrinker freed; writing a number frees
 * up to that many.
 */
#include <linux/debugfs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>

#include "iommu_ctx_internal.h"

/*
 * Every live domain, for the shrinker. ictx_domains_lock protects the
 * list and is held across a scan, so a domain cannot be freed while its
 * spares are freed; the scan only trylocks it.
 */
static LIST_HEAD(ictx_domains);
static DEFINE_MUTEX(ictx_domains_lock);
static struct shrinker *ictx_shrinker;
static atomic_long_t ictx_spares_shrunk;

/**
 * ictx_shrinker_add() - make a new domain's spares reclaimable
 * @d: the domain
 */
void ictx_shrinker_add(struct iommu_ctx_dom *d)
{
	mutex_lock(&ictx_domains_lock);
	list_add_tail(&d->node, &ictx_domains);
	mutex_unlock(&ictx_domains_lock);
}

/**
 * ictx_shrinker_del() - a domain goes: the shrinker forgets it
 * @d: the domain
 *
 * Waits for a scan in progress, which may be freeing @d's spares.
 */
void ictx_shrinker_del(struct iommu_ctx_dom *d)
{
	mutex_lock(&ictx_domains_lock);
	list_del(&d->node);
	mutex_unlock(&ictx_domains_lock);
}

/* Spares of every domain; 0 while a scan or a domain change runs. */
static unsigned long ictx_spares_count(void)
{
	struct iommu_ctx_dom *d;
	unsigned long n = 0;

	if (!mutex_trylock(&ictx_domains_lock))
		return 0;
	list_for_each_entry(d, &ictx_domains, node)
		n += data_race(d->pt.spare.ndir) + data_race(d->pt.spare.nleaf);
	mutex_unlock(&ictx_domains_lock);
	return n;
}

/* Free up to @nr spares of @d, if its lock is free. */
static unsigned long ictx_domain_drop_spares(struct iommu_ctx_dom *d,
					     unsigned long nr)
{
	struct ictx_table *t, *tmp;
	unsigned long n = 0;
	LIST_HEAD(list);

	if (!spin_trylock(&d->lock))
		return 0;
	while (n < nr && (t = ictx_res_take(&d->pt.spare, false) ?:
				ictx_res_take(&d->pt.spare, true))) {
		list_add(&t->link, &list);
		n++;
	}
	spin_unlock(&d->lock);
	list_for_each_entry_safe(t, tmp, &list, link)
		ictx_table_free(&d->pt, t);
	return n;
}

/**
 * iommu_ctx_drop_spares() - give spare tables back to the system
 * @nr: at most this many tables
 *
 * Frees spare (empty, unlinked) tables of every iommu-ctx domain whose
 * lock is free, as the shrinker does under memory pressure.
 *
 * Context: process context; may sleep. Returns at once, freeing nothing,
 * while another scan runs.
 * Return: the number of tables freed.
 */
unsigned long iommu_ctx_drop_spares(unsigned long nr)
{
	struct iommu_ctx_dom *d;
	unsigned long n = 0;

	if (!mutex_trylock(&ictx_domains_lock))
		return 0;
	list_for_each_entry(d, &ictx_domains, node) {
		if (n >= nr)
			break;
		n += ictx_domain_drop_spares(d, nr - n);
	}
	mutex_unlock(&ictx_domains_lock);
	atomic_long_add(n, &ictx_spares_shrunk);
	return n;
}
EXPORT_SYMBOL_GPL(iommu_ctx_drop_spares);

static unsigned long ictx_shrink_count(struct shrinker *s,
				       struct shrink_control *sc)
{
	return ictx_spares_count() ?: SHRINK_EMPTY;
}

static unsigned long ictx_shrink_scan(struct shrinker *s,
				      struct shrink_control *sc)
{
	unsigned long n = iommu_ctx_drop_spares(sc->nr_to_scan);

	return n ?: SHRINK_STOP;
}

static int ictx_spares_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "spare_tables: %lu\n", ictx_spares_count());
	seq_printf(m, "shrunk: %ld\n", atomic_long_read(&ictx_spares_shrunk));
	return 0;
}

static int ictx_spares_open(struct inode *inode, struct file *file)
{
	return single_open(file, ictx_spares_show, NULL);
}

static ssize_t ictx_spares_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *pos)
{
	unsigned long nr;
	int ret;

	ret = kstrtoul_from_user(ubuf, len, 0, &nr);
	if (ret)
		return ret;
	iommu_ctx_drop_spares(nr);
	return len;
}

static const struct file_operations ictx_spares_fops = {
	.owner = THIS_MODULE,
	.open = ictx_spares_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = ictx_spares_write,
};

/**
 * ictx_shrinker_init() - register the spare-table shrinker
 * @debugfs: iommu-ctx's debugfs directory, for ``spares``
 *
 * Return: 0 or -ENOMEM.
 */
int ictx_shrinker_init(struct dentry *debugfs)
{
	ictx_shrinker = shrinker_alloc(0, "iommu_ctx-spares");
	if (!ictx_shrinker)
		return -ENOMEM;
	ictx_shrinker->count_objects = ictx_shrink_count;
	ictx_shrinker->scan_objects = ictx_shrink_scan;
	shrinker_register(ictx_shrinker);
	debugfs_create_file("spares", 0600, debugfs, NULL, &ictx_spares_fops);
	return 0;
}

/** ictx_shrinker_exit() - unregister the spare-table shrinker */
void ictx_shrinker_exit(void)
{
	shrinker_free(ictx_shrinker);
}
