// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: bind benchmark
 *
 * bind benchmark (``drm_gmmu_bind_bench.ko``): on load, compares what a
 * bind of a whole 64 MiB BO costs with what the DMA API alone costs for
 * the same pages, and prints "bench NAME VALUE UNIT" and "ratio NAME
 * VALUE" lines. It runs on two drm_gmmu devices without a driver, side
 * by side in the same boot: ``vtd``, whose DMA device is an edu PCI
 * device that no driver is bound to (behind VT-d on the VT-d lane, its
 * default DMA domain translating), and ``direct``, a platform device,
 * never behind an IOMMU (dma-direct). Each device has two VMs (x86-48,
 * coherent, a TLB whose callbacks do nothing) whose page sizes are
 * limited to 4 KiB, so that level 2 writes one entry per page and no
 * block.
 *
 * The comparison is per 4 KiB page at both levels, so the BOs are on
 * 4 KiB pages that are never neighbours: ``make bench`` loads drm_gmmu
 * with huge=0 for this module (on its huge-page backing, level 1 maps
 * 2 MiB runs with one VT-d superpage each), and each BO's pages are
 * allocated one at a time, alternately with those of a spacer BO freed
 * afterwards (the page allocator hands out neighbouring pages otherwise,
 * which VT-d maps with 2 MiB pages where they are aligned).
 * ``segments_64m_*`` is the number of segments of the BO's sg table (its
 * CPU side): 16384 when no two pages are neighbours.
 *
 * One repetition, on each device in turn, BENCH_REPS times; each figure
 * is the median of its repetitions, in microseconds:
 *
 * bind_first_64m (``bind_first_64m_vtd_us``, ``..._direct_us``): a new
 *	BO whose pages were made resident and pinned before the timer
 *	(drm_gmmu_bo_get_pages()); one drm_gmmu_vm_bind() of all of it into
 *	the first VM. It makes the BO's level-1 mapping
 *	(drm_gmmu_bo_dma_map(): pin, sg table, dma_map_sgtable()), then
 *	writes level 2.
 * dma_map_64m: dma_map_sgtable() alone, on a table with the very
 *	segments of the BO's own level-1 table (copied from it, so the
 *	same kind of table), DMA_BIDIRECTIONAL; unmapped untimed.
 * bind_again_64m: drm_gmmu_vm_bind() of the same BO into the second VM:
 *	the level-1 mapping is the one the BO cached, so this is level 2
 *	and the bind's bookkeeping.
 * l2_map_64m: level 2 alone: iommu_ctx_map_sgtable() of the BO's DMA
 *	segments (one walk, as a bind makes) into a bare iommu-ctx domain
 *	of the same device and configuration as the VMs (without drm_gpuvm,
 *	locks or reservations); unmapped untimed.
 * l1_pin_64m, l1_sgt_64m: two steps of drm_gmmu_bo_dma_map() on their
 *	own, on the same BO: pinning its pages again, and building an sg
 *	table of them for the device (drm_gmmu_bo_build_sgt()).
 * l1_bo_map_64m: drm_gmmu_bo_dma_map() alone, on a second BO made the
 *	same way: the level-1 part of bind_first_64m.
 *
 * Both VMs are unbound and the BO freed, untimed, before the next
 * repetition; the VMs and the bare domain live through all of them, so
 * their page tables come from iommu-ctx's spare-table cache after the
 * first (VT-d frees and allocates its own, as it does).
 *
 * The ratios are dma_map over bind (above 1: the bind is faster):
 * ``bind_again_vs_dma_map_vtd`` (dma_map_64m_vtd / bind_again_64m_vtd),
 * ``bind_first_vs_dma_map_vtd`` and ``bind_first_vs_dma_map_direct``.
 * Without an unbound edu device, or when its DMA is not translated (a
 * lane without VT-d), only the ``direct`` figures are printed, and a
 * "# bench:" line in the kernel log says why.
 */
#include <linux/dma-mapping.h>
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_gmmu.h>

#define BENCH_SIZE	SZ_64M
#define BENCH_PAGES	(BENCH_SIZE >> PAGE_SHIFT)
#define BENCH_VA	SZ_1G
#define BENCH_REPS	7
#define BENCH_VA_BITS	48

static const struct drm_driver bench_driver = {
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA,
	.name = "drm_gmmu_bind_bench",
	.desc = "drm_gmmu bind benchmark",
};

static void bench_nop_all(void *cookie)
{
}

static void bench_nop_range(unsigned long iova, size_t size, size_t granule,
			    void *cookie)
{
}

static const struct iommu_ctx_tlb_ops bench_tlb = {
	.flush_all = bench_nop_all,
	.flush_range = bench_nop_range,
};

enum { FIG_FIRST, FIG_DMA_MAP, FIG_AGAIN, FIG_L2, FIG_PIN, FIG_SGT, FIG_L1,
       FIG_COUNT };

static const char *const fig_names[FIG_COUNT] = {
	[FIG_FIRST] = "bind_first_64m",
	[FIG_DMA_MAP] = "dma_map_64m",
	[FIG_AGAIN] = "bind_again_64m",
	[FIG_L2] = "l2_map_64m",
	[FIG_PIN] = "l1_pin_64m",
	[FIG_SGT] = "l1_sgt_64m",
	[FIG_L1] = "l1_bo_map_64m",
};

/* One device measured: its DRM device, two VMs, a bare domain. */
struct bench_side {
	const char *name;
	struct device *dev;
	struct platform_device *pdev;
	struct pci_dev *edu;
	void *devres;
	struct drm_gmmu_device *gdev;
	struct drm_gmmu_vm *vm[2];
	struct iommu_domain *l2;
	u64 ns[FIG_COUNT][BENCH_REPS];
	unsigned int segs[BENCH_REPS];
	bool ready;
};

static void bench_vm_free(struct drm_gmmu_vm *vm)
{
	kfree(vm);
}

static const struct drm_gmmu_vm_cfg bench_vm_cfg = {
	.format = "x86-48",
	.va_bits = BENCH_VA_BITS,
	.va_start = SZ_64K,
	.pgsize_bitmap = SZ_4K,
	.coherent = true,
	.tlb = &bench_tlb,
	.free = bench_vm_free,
};

/*
 * The drm_gmmu device with its DRM device, VMs and bare domain on s->dev.
 * The device is allocated as a driver allocates its own, in a group of
 * managed resources of s->dev that bench_side_fini() releases: the edu
 * device has no driver whose unbinding would.
 */
static int bench_side_init(struct bench_side *s)
{
	struct iommu_ctx_cfg icfg = {
		.format = bench_vm_cfg.format,
		.dma_dev = s->dev,
		.va_bits = BENCH_VA_BITS,
		.pgsize_bitmap = SZ_4K,
		.coherent_walk = true,
		.tlb = &bench_tlb,
	};
	int i, ret;

	s->devres = devres_open_group(s->dev, NULL, GFP_KERNEL);
	if (!s->devres)
		return -ENOMEM;
	s->gdev = devm_drm_dev_alloc(s->dev, &bench_driver,
				     struct drm_gmmu_device, drm);
	devres_close_group(s->dev, s->devres);
	if (IS_ERR(s->gdev)) {
		ret = PTR_ERR(s->gdev);
		s->gdev = NULL;
		return ret;
	}
	ret = drm_gmmu_device_init(s->gdev);
	if (ret)
		return ret;
	for (i = 0; i < 2; i++) {
		struct drm_gmmu_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);

		if (!vm)
			return -ENOMEM;
		ret = drm_gmmu_vm_init(vm, s->gdev, "bench", &bench_vm_cfg);
		if (ret) {
			kfree(vm);
			return ret;
		}
		s->vm[i] = vm;
	}
	s->l2 = iommu_ctx_domain_alloc(&icfg);
	if (IS_ERR(s->l2)) {
		ret = PTR_ERR(s->l2);
		s->l2 = NULL;
		return ret;
	}
	s->ready = true;
	return 0;
}

static void bench_side_fini(struct bench_side *s)
{
	int i;

	if (s->l2)
		iommu_domain_free(s->l2);
	for (i = 0; i < 2; i++) {
		if (!s->vm[i])
			continue;
		drm_gmmu_vm_close(s->vm[i]);
		drm_gmmu_vm_put(s->vm[i]);
	}
	if (s->devres)
		devres_release_group(s->dev, s->devres);
}

/* A table with the CPU-side segments of @src, not DMA-mapped. */
static struct sg_table *bench_sgt_copy(struct sg_table *src)
{
	struct scatterlist *from, *to;
	struct sg_table *sgt;
	unsigned int i;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return NULL;
	if (sg_alloc_table(sgt, src->orig_nents, GFP_KERNEL)) {
		kfree(sgt);
		return NULL;
	}
	to = sgt->sgl;
	for_each_sgtable_sg(src, from, i) {
		sg_set_page(to, sg_page(from), from->length, from->offset);
		to = sg_next(to);
	}
	return sgt;
}

static void bench_sgt_free(struct sg_table *sgt)
{
	sg_free_table(sgt);
	kfree(sgt);
}

/* dma_map_sgtable() of a copy of the BO's table; ns, or 0. */
static u64 bench_dma_map(struct bench_side *s, struct drm_gmmu_bo *bo)
{
	struct sg_table *sgt = bench_sgt_copy(bo->sgt);
	u64 t0, t;
	int ret;

	if (!sgt)
		return 0;
	t0 = ktime_get_ns();
	ret = dma_map_sgtable(s->dev, sgt, DMA_BIDIRECTIONAL, 0);
	t = ktime_get_ns() - t0;
	if (!ret)
		dma_unmap_sgtable(s->dev, sgt, DMA_BIDIRECTIONAL, 0);
	bench_sgt_free(sgt);
	return ret ? 0 : t;
}

/* Level 2 alone: the BO's DMA segments into the bare domain; ns, or 0. */
static u64 bench_l2_map(struct bench_side *s, struct drm_gmmu_bo *bo)
{
	int prot = IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE;
	u64 t0, t;
	int ret;

	t0 = ktime_get_ns();
	ret = iommu_ctx_map_sgtable(s->l2, BENCH_VA, bo->sgt, prot, GFP_KERNEL);
	t = ktime_get_ns() - t0;
	if (ret)
		return 0;
	if (iommu_unmap(s->l2, BENCH_VA, BENCH_SIZE) != BENCH_SIZE)
		return 0;
	return t;
}

/* A timed drm_gmmu_bo_dma_map(); ns, or 0. */
static u64 bench_bo_dma_map(struct drm_gmmu_bo *bo)
{
	struct sg_table *sgt;
	u64 t0, t;

	t0 = ktime_get_ns();
	sgt = drm_gmmu_bo_dma_map(bo);
	t = ktime_get_ns() - t0;
	return IS_ERR(sgt) ? 0 : t;
}

/* A timed drm_gmmu_vm_bind() of the whole BO; ns, or 0. */
static u64 bench_bind(struct drm_gmmu_vm *vm, struct drm_gmmu_bo *bo)
{
	u64 t0, t;
	int ret;

	t0 = ktime_get_ns();
	ret = drm_gmmu_vm_bind(vm, bo, 0, BENCH_VA, BENCH_SIZE, 0);
	t = ktime_get_ns() - t0;
	return ret ? 0 : t;
}

/* Pin @count pages of @bo from @i, making them resident. */
static int bench_get_page(struct drm_gmmu_bo *bo, pgoff_t i, pgoff_t count)
{
	int ret;

	dma_resv_lock(bo->base.base.resv, NULL);
	ret = drm_gmmu_bo_get_pages(bo, i, count);
	dma_resv_unlock(bo->base.base.resv);
	return ret;
}

/* Unpin the first @count pages of @bo. */
static void bench_put_pages(struct drm_gmmu_bo *bo, pgoff_t count)
{
	dma_resv_lock(bo->base.base.resv, NULL);
	drm_gmmu_bo_put_pages(bo, 0, count);
	dma_resv_unlock(bo->base.base.resv);
}

/*
 * The two other steps of a BO's first level-1 mapping, for where the time
 * goes: pinning the pages again (drm_gmmu_bo_get_pages()) and building an
 * sg table of them for the device (drm_gmmu_bo_build_sgt()), each with
 * the BO's reservation held; ns, or 0.
 */
static u64 bench_pin(struct drm_gmmu_bo *bo)
{
	u64 t0, t;
	int ret;

	t0 = ktime_get_ns();
	ret = bench_get_page(bo, 0, BENCH_PAGES);
	t = ktime_get_ns() - t0;
	if (ret)
		return 0;
	bench_put_pages(bo, BENCH_PAGES);
	return t;
}

static u64 bench_sgt(struct bench_side *s, struct drm_gmmu_bo *bo)
{
	struct sg_table *sgt;
	u64 t0, t;

	dma_resv_lock(bo->base.base.resv, NULL);
	t0 = ktime_get_ns();
	sgt = drm_gmmu_bo_build_sgt(bo, s->dev);
	t = ktime_get_ns() - t0;
	dma_resv_unlock(bo->base.base.resv);
	if (IS_ERR(sgt))
		return 0;
	bench_sgt_free(sgt);
	return t;
}

/*
 * Drops the last reference of @bo and gives its pages back now: the
 * benchmark runs in a worker, whose final fput() of the backing file is
 * delayed to a work item otherwise, and 2 GiB fill up with 64 MiB BOs.
 */
static void bench_bo_free(struct drm_gmmu_bo *bo)
{
	drm_gem_object_put(&bo->base.base);
	flush_delayed_fput();
}

/*
 * A BO of resident, pinned pages, no two of them neighbours: allocated
 * one at a time, alternately with those of a spacer BO freed afterwards.
 */
static struct drm_gmmu_bo *bench_bo(struct bench_side *s)
{
	struct drm_gmmu_bo *bo, *spacer;
	pgoff_t nbo = 0, nsp = 0;
	int ret;

	bo = drm_gmmu_bo_create(s->gdev, BENCH_SIZE);
	if (IS_ERR(bo))
		return bo;
	spacer = drm_gmmu_bo_create(s->gdev, BENCH_SIZE);
	if (IS_ERR(spacer)) {
		ret = PTR_ERR(spacer);
		goto out;
	}
	while (nsp < BENCH_PAGES) {
		ret = bench_get_page(bo, nbo, 1);
		if (ret)
			break;
		nbo++;
		ret = bench_get_page(spacer, nsp, 1);
		if (ret)
			break;
		nsp++;
	}
	if (nsp)
		bench_put_pages(spacer, nsp);
	bench_bo_free(spacer);
	if (ret && nbo)
		bench_put_pages(bo, nbo);
out:
	if (!ret)
		return bo;
	bench_bo_free(bo);
	return ERR_PTR(ret);
}

/* One repetition on one device; 0 or -errno. */
static int bench_rep(struct bench_side *s, int rep)
{
	struct drm_gmmu_bo *bo;
	u64 *ns[FIG_COUNT];
	int i, ret = 0;

	for (i = 0; i < FIG_COUNT; i++)
		ns[i] = &s->ns[i][rep];
	/* Resident and pinned before the timer: the bind only pins again. */
	bo = bench_bo(s);
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	*ns[FIG_FIRST] = bench_bind(s->vm[0], bo);
	if (*ns[FIG_FIRST]) {
		s->segs[rep] = bo->sgt->orig_nents;
		*ns[FIG_DMA_MAP] = bench_dma_map(s, bo);
		*ns[FIG_AGAIN] = bench_bind(s->vm[1], bo);
		*ns[FIG_L2] = bench_l2_map(s, bo);
		*ns[FIG_PIN] = bench_pin(bo);
		*ns[FIG_SGT] = bench_sgt(s, bo);
	}
	for (i = 0; i < FIG_L1; i++)
		if (!*ns[i])
			ret = -EIO;
	for (i = 0; i < 2; i++)
		if (drm_gmmu_vm_unbind(s->vm[i], BENCH_VA, BENCH_SIZE))
			ret = -EIO;
	bench_put_pages(bo, BENCH_PAGES);
	bench_bo_free(bo);
	if (ret)
		return ret;

	/* Level 1 alone as drm-core makes it, on another such BO. */
	bo = bench_bo(s);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	*ns[FIG_L1] = bench_bo_dma_map(bo);
	if (!*ns[FIG_L1])
		ret = -EIO;
	bench_put_pages(bo, BENCH_PAGES);
	bench_bo_free(bo);
	return ret;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 bench_median(u64 *v)
{
	sort(v, BENCH_REPS, sizeof(*v), bench_cmp_u64, NULL);
	return v[BENCH_REPS / 2];
}

static u64 bench_median_uint(unsigned int *v)
{
	u64 w[BENCH_REPS];
	int i;

	for (i = 0; i < BENCH_REPS; i++)
		w[i] = v[i];
	return bench_median(w);
}

static void bench_ratio(const char *name, u64 theirs, u64 ours)
{
	u64 r;

	if (!ours || !theirs)
		return;
	r = div64_u64(theirs * 100, ours);
	pr_info("ratio %s %llu.%02llu\n", name, r / 100, r % 100);
}

/* The medians of one device, and their ratios. */
static void bench_print(struct bench_side *s)
{
	u64 med[FIG_COUNT];
	char name[64];
	int i;

	pr_info("bench segments_64m_%s %llu segments\n", s->name,
		bench_median_uint(s->segs));
	for (i = 0; i < FIG_COUNT; i++) {
		med[i] = bench_median(s->ns[i]);
		pr_info("bench %s_%s_us %llu.%02llu us\n", fig_names[i],
			s->name, med[i] / 1000, med[i] % 1000 / 10);
	}
	if (s->edu) {
		bench_ratio("bind_again_vs_dma_map_vtd", med[FIG_DMA_MAP],
			    med[FIG_AGAIN]);
		bench_ratio("bind_first_vs_dma_map_vtd", med[FIG_DMA_MAP],
			    med[FIG_FIRST]);
	} else {
		snprintf(name, sizeof(name), "bind_first_vs_dma_map_%s",
			 s->name);
		bench_ratio(name, med[FIG_DMA_MAP], med[FIG_FIRST]);
	}
}

static struct pci_dev *bench_find_edu(void)
{
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(0x1234, 0x11e8, pdev)))
		if (!pdev->dev.driver)
			return pdev;
	return NULL;
}

/* The edu device's DMA settings, put back at the end. */
struct bench_edu {
	struct pci_dev *pdev;
	u64 mask, coherent_mask;
	unsigned int max_seg;
};

/* The VT-d side on an unbound edu device; false (and why) if none. */
static bool bench_vtd_setup(struct bench_side *s, struct bench_edu *e)
{
	struct iommu_domain *dom;
	int ret;

	e->pdev = bench_find_edu();
	if (!e->pdev) {
		pr_info("# bench: no unbound edu device: only the dma-direct figures\n");
		return false;
	}
	dom = iommu_get_domain_for_dev(&e->pdev->dev);
	if (!dom || !(dom->type & __IOMMU_DOMAIN_DMA_API)) {
		pr_info("# bench: %s is not behind a translating IOMMU: only the dma-direct figures\n",
			pci_name(e->pdev));
		return false;
	}
	s->dev = &e->pdev->dev;
	s->edu = e->pdev;
	e->mask = dma_get_mask(s->dev);
	e->coherent_mask = s->dev->coherent_dma_mask;
	e->max_seg = dma_get_max_seg_size(s->dev);
	ret = drm_gmmu_dma_setup(s->dev, 64);
	if (!ret)
		ret = bench_side_init(s);
	if (ret) {
		pr_info("# bench: setup on %s failed: %d\n",
			pci_name(e->pdev), ret);
		return false;
	}
	return true;
}

static void bench_vtd_teardown(struct bench_side *s, struct bench_edu *e)
{
	if (!e->pdev)
		return;
	if (s->dev) {
		bench_side_fini(s);
		dma_set_mask(s->dev, e->mask);
		dma_set_coherent_mask(s->dev, e->coherent_mask);
		dma_set_max_seg_size(s->dev, e->max_seg);
	}
	pci_dev_put(e->pdev);
}

static bool bench_direct_setup(struct bench_side *s)
{
	int ret;

	s->pdev = platform_device_register_simple(bench_driver.name, -1,
						  NULL, 0);
	if (IS_ERR(s->pdev)) {
		ret = PTR_ERR(s->pdev);
		s->pdev = NULL;
		goto err;
	}
	s->dev = &s->pdev->dev;
	/* A platform device has no DMA mask to set: point it at its own. */
	s->dev->dma_mask = &s->dev->coherent_dma_mask;
	ret = drm_gmmu_dma_setup(s->dev, 64);
	if (!ret)
		ret = bench_side_init(s);
	if (!ret)
		return true;
err:
	pr_info("# bench: setup of the platform device failed: %d\n", ret);
	return false;
}

static void bench_direct_teardown(struct bench_side *s)
{
	if (!s->pdev)
		return;
	bench_side_fini(s);
	platform_device_unregister(s->pdev);
}

/*
 * The benchmark, in a worker: a BO's backing file is released when its
 * last reference goes, not when the loading process returns to userspace.
 */
static void bench_run(struct work_struct *work)
{
	static struct bench_side vtd = { .name = "vtd" };
	static struct bench_side direct = { .name = "direct" };
	struct bench_side *sides[] = { &vtd, &direct };
	struct bench_edu edu = { };
	int rep, i, ret;

	bench_vtd_setup(&vtd, &edu);
	bench_direct_setup(&direct);
	/* Alternate the devices so that neither gets the quieter time. */
	for (rep = 0; rep < BENCH_REPS; rep++) {
		for (i = 0; i < ARRAY_SIZE(sides); i++) {
			struct bench_side *s = sides[(rep + i) % 2];

			if (!s->ready)
				continue;
			ret = bench_rep(s, rep);
			if (!ret)
				continue;
			pr_info("# bench: %s repetition %d failed: %d\n",
				s->name, rep, ret);
			s->ready = false;
		}
	}
	for (i = 0; i < ARRAY_SIZE(sides); i++)
		if (sides[i]->ready)
			bench_print(sides[i]);
	bench_vtd_teardown(&vtd, &edu);
	bench_direct_teardown(&direct);
}

static int __init drm_gmmu_bind_bench_init(void)
{
	struct work_struct work;

	INIT_WORK_ONSTACK(&work, bench_run);
	queue_work(system_unbound_wq, &work);
	flush_work(&work);
	destroy_work_on_stack(&work);
	return 0;
}

static void __exit drm_gmmu_bind_bench_exit(void)
{
}

module_init(drm_gmmu_bind_bench_init);
module_exit(drm_gmmu_bind_bench_exit);

MODULE_DESCRIPTION("drm_gmmu bind against dma_map_sgtable() benchmark");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
