// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: dma-buf export and import
 *
 * dma-buf export of drm_gmmu BOs: drm_prime's GEM helpers for the
 * mapping itself, plus CPU
 * access brackets (DMA_BUF_IOCTL_SYNC, dma_buf_begin_cpu_access()) that
 * do drm_gmmu's cache maintenance. The dma-buf core does not pair them:
 * an END the BO's dma-buf did not open fails with -EINVAL rather than
 * close another user's bracket, and a START never closed keeps the BO
 * pinned until it is freed. mmaps of the dma-buf need nothing
 * more: drm_gem_dmabuf_export() points the dma-buf file at the DRM
 * device's address space, so the GPU-domain entry's shootdown
 * (drm_vma_node_unmap()) reaches their PTEs too.
 */

/**
 * DOC: Dynamic dma-buf
 *
 * drm_gmmu's dma-bufs are dynamic, and so are its imports, so that an
 * exported BO can still be evicted.
 *
 * As exporter (&dma_buf_ops.pin and .unpin set): an attachment pins
 * nothing by itself. Each mapping of an attachment, made and unmade
 * under the dma-buf's reservation (which is the BO's), pins every page
 * of the BO for as long as it exists (&drm_gmmu_bo.export_maps). An
 * importer's pin keeps the BO where it is: eviction passes it over and
 * counts it (``skipped_importer_pin``). The dma-buf core pins for every
 * static importer, at attach time, and for every dynamic importer that
 * maps the buffer on a kernel built without ``CONFIG_DMABUF_MOVE_NOTIFY``,
 * which is Debian's (and, so far, the project's debug kernel): there an
 * exported BO that another device mapped is not evicted. Where the
 * option is set, eviction of a BO whose dynamic importers mapped it
 * calls dma_buf_move_notify() under the reservation (``move_notifies``);
 * once they have all unmapped, it goes as any BO does. One that an
 * importer still maps afterwards is passed over
 * (``skipped_import_mapped``).
 *
 * drm_gmmu's own importer never calls dma_buf_pin(), so every pin of its
 * attachments is the core's, taken for a mapping and dropped when the
 * importer unmaps (&drm_gmmu_bo.export_own_pins, apart from other
 * importers' &drm_gmmu_bo.export_pins). With the ``move_own_imports``
 * module parameter set, those pins do not stop an eviction on a kernel
 * without the option either: the exporter calls dma_buf_move_notify(),
 * drm_gmmu's importers unmap (which drops the core's pins), and only
 * then does the BO go, so nothing moves while a mapping pins it; any
 * other importer's pin still keeps the BO. It is off by default, so that
 * Debian's kernel behaves as its configuration asks, and the tests turn
 * it on to run the moving path on kernels without the option.
 *
 * As importer (drm_gmmu_gem_prime_import() of another device's dma-buf):
 * the attachment is dynamic, with no peer-to-peer, and is mapped at
 * import. A static exporter (vgem, udmabuf, Mesa's) gets a static
 * attachment from the core, mapped once for its life, as before. From a
 * dynamic exporter, move_notify (called with the dma-buf's reservation
 * held, which the imported BO shares) first waits for every fence of
 * the reservation: a job that uses the buffer finishes on the old
 * translation. Then the BO's mappings in every VM of the device are
 * taken away as an eviction takes them (tables cleared, TLB
 * invalidated, &drm_gpuvm_bo marked evicted) and the attachment is
 * unmapped (``import_invalidations``). The next job of a VM that maps
 * the BO maps the attachment again (``import_rebuilds``) and rewrites
 * the tables in drm_gpuvm_validate(), with the reservations held, before
 * it is armed; so does a bind that touches the BO. A move_notify that
 * finds the mapping held by an asynchronous bind array not settled yet
 * leaves it (``import_deferred``): drm_gmmu's exporter then passes the
 * BO over; another dynamic exporter would move it from under that
 * array's table writes, which drm_gmmu does not guard against yet.
 *
 * Debugfs ``gmmu_dmabuf`` shows the counters and, as ``move_notify``,
 * whether the kernel has ``CONFIG_DMABUF_MOVE_NOTIFY``.
 */
#include <linux/debugfs.h>
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-resv.h>
#include <linux/iommu.h>
#include <linux/seq_file.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_prime.h>

#include "drm_gmmu_internal.h"

/*
 * The GEM pin (drm_gem_pin(): fbdev, a kernel user) pins every page of
 * the BO, with the reservation held.
 */
int drm_gmmu_bo_pin_locked(struct drm_gem_object *obj)
{
	return drm_gmmu_bo_get_pages(to_drm_gmmu_bo(obj), 0,
				     obj->size >> PAGE_SHIFT);
}

void drm_gmmu_bo_unpin_locked(struct drm_gem_object *obj)
{
	drm_gmmu_bo_put_pages(to_drm_gmmu_bo(obj), 0, obj->size >> PAGE_SHIFT);
}

/* The pages of a BO they are pinned for, for an importer's own device. */
struct sg_table *drm_gmmu_bo_get_sg_table(struct drm_gem_object *obj)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);

	dma_resv_assert_held(obj->resv);
	return drm_prime_pages_to_sg(obj->dev, bo->pages,
				     obj->size >> PAGE_SHIFT);
}

/*
 * The dma-buf core calls this before its own fence wait, which covers
 * only the implicit-sync usages; invalidating before the GPU is done
 * would be useless, so drm_gmmu_bo_begin_cpu_access() waits for every
 * fence itself first.
 */
static int drm_gmmu_dmabuf_begin_cpu_access(struct dma_buf *dmabuf,
					    enum dma_data_direction dir)
{
	struct drm_gem_object *obj = dmabuf->priv;
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	int ret;

	ret = drm_gmmu_bo_begin_cpu_access(bo, dir, 0, obj->size);
	if (ret)
		return ret;
	dma_resv_lock(obj->resv, NULL);
	bo->dmabuf_cpu_access++;
	dma_resv_unlock(obj->resv);
	return 0;
}

/*
 * Userspace may send DMA_BUF_IOCTL_SYNC's END without a START: only a
 * bracket the dma-buf opened is closed here, never the pins of a file's
 * bracket (drm_gmmu_file_cpu_access()) or of a kernel user on the same
 * BO, whose own END would then find nothing to close.
 */
static int drm_gmmu_dmabuf_end_cpu_access(struct dma_buf *dmabuf,
					  enum dma_data_direction dir)
{
	struct drm_gem_object *obj = dmabuf->priv;
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	int ret;

	dma_resv_lock(obj->resv, NULL);
	if (!bo->dmabuf_cpu_access) {
		dma_resv_unlock(obj->resv);
		return -EINVAL;
	}
	bo->dmabuf_cpu_access--;
	dma_resv_unlock(obj->resv);
	ret = drm_gmmu_bo_end_cpu_access(bo, dir, 0, obj->size);
	if (ret) {
		dma_resv_lock(obj->resv, NULL);
		bo->dmabuf_cpu_access++;
		dma_resv_unlock(obj->resv);
	}
	return ret;
}

static bool move_own_imports;
module_param(move_own_imports, bool, 0644);
MODULE_PARM_DESC(move_own_imports,
		 "Evict exported BOs that drm_gmmu's own importers map even where the dma-buf core pins them for it (no CONFIG_DMABUF_MOVE_NOTIFY): they are told to move and unmap first");

static const struct dma_buf_attach_ops drm_gmmu_import_attach_ops;

/*
 * The pin counter of @attach's importer: drm_gmmu's own importer never
 * calls dma_buf_pin(), so each of its pins is the core's, for a mapping.
 */
static unsigned int *drm_gmmu_dmabuf_pins(struct dma_buf_attachment *attach)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(attach->dmabuf->priv);

	return attach->importer_ops == &drm_gmmu_import_attach_ops ?
	       &bo->export_own_pins : &bo->export_pins;
}

/* An importer's pin: see "Dynamic dma-buf". */
static int drm_gmmu_dmabuf_pin(struct dma_buf_attachment *attach)
{
	unsigned int *pins = drm_gmmu_dmabuf_pins(attach);

	dma_resv_assert_held(attach->dmabuf->resv);
	if (*pins == UINT_MAX)
		return -EOVERFLOW;
	++*pins;
	drm_gmmu_backing_update(to_drm_gmmu_bo(attach->dmabuf->priv));
	return 0;
}

static void drm_gmmu_dmabuf_unpin(struct dma_buf_attachment *attach)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(attach->dmabuf->priv);
	unsigned int *pins = drm_gmmu_dmabuf_pins(attach);

	dma_resv_assert_held(attach->dmabuf->resv);
	if (drm_WARN_ON(bo->base.base.dev, !*pins))
		return;
	--*pins;
	drm_gmmu_backing_update(bo);
}

/**
 * drm_gmmu_bo_export_pinned - do importers' pins keep the BO where it is?
 * @bo: the BO, its reservation held
 *
 * See "Dynamic dma-buf": any pin of another importer does; those the
 * dma-buf core took for drm_gmmu's own importers' mappings do unless
 * ``move_own_imports`` is set.
 *
 * Return: true if the BO must not be evicted for them.
 */
bool drm_gmmu_bo_export_pinned(struct drm_gmmu_bo *bo)
{
	return bo->export_pins ||
	       (bo->export_own_pins && !READ_ONCE(move_own_imports));
}

/*
 * An attacher whose DMA cannot reach every page: the BO's pages are
 * placed for it (see "Importer constraints"). The dma-buf core calls
 * attach and detach without the reservation. The attachment's exporter
 * data is the BO when the attacher counts in its
 * &drm_gmmu_bo.dma32_attachers.
 */
static int drm_gmmu_export_attach(struct dma_buf *dmabuf,
				  struct dma_buf_attachment *attach)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(dmabuf->priv);
	int ret;

	if (!drm_gmmu_dev_needs_dma32(attach->dev))
		return 0;
	ret = dma_resv_lock_interruptible(dmabuf->resv, NULL);
	if (ret)
		return ret;
	ret = drm_gmmu_bo_place_for(bo, attach->dev);
	dma_resv_unlock(dmabuf->resv);
	if (ret < 0)
		return ret;
	if (ret)
		attach->priv = bo;
	return 0;
}

static void drm_gmmu_export_detach(struct dma_buf *dmabuf,
				   struct dma_buf_attachment *attach)
{
	struct drm_gmmu_bo *bo = attach->priv;

	if (!bo)
		return;
	dma_resv_lock(dmabuf->resv, NULL);
	drm_gmmu_bo_unplace_for(bo);
	dma_resv_unlock(dmabuf->resv);
}

/*
 * A mapping for an importer's device pins every page for as long as it
 * lasts; the dma-buf core calls both under the reservation. Its segments
 * are the importer's device's, and a mapping that dma-direct would bounce
 * is refused, as for the BO's own device (drm_gmmu_bo_l1_map_locked()).
 * Another mapping of the same pages may exist (the BO's own level-1
 * mapping, another importer's): each skips the CPU sync, which the
 * cache-domain code does (see "Cache domains").
 */
static struct sg_table *drm_gmmu_dmabuf_map(struct dma_buf_attachment *attach,
					    enum dma_data_direction dir)
{
	struct drm_gem_object *obj = attach->dmabuf->priv;
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	struct sg_table *sgt;

	dma_resv_assert_held(obj->resv);
	if (bo->export_maps == UINT_MAX)
		return ERR_PTR(-EOVERFLOW);
	sgt = drm_gmmu_bo_map_for(bo, attach->dev, dir);
	if (IS_ERR(sgt))
		return sgt;
	bo->dmabuf = attach->dmabuf;
	bo->export_maps++;
	drm_gmmu_backing_update(bo);
	return sgt;
}

static void drm_gmmu_dmabuf_unmap(struct dma_buf_attachment *attach,
				  struct sg_table *sgt,
				  enum dma_data_direction dir)
{
	struct drm_gem_object *obj = attach->dmabuf->priv;
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);

	dma_resv_assert_held(obj->resv);
	bo->export_maps--;
	drm_gmmu_bo_unmap_for(bo, attach->dev, sgt, dir);
}

static const struct dma_buf_ops drm_gmmu_dmabuf_ops = {
	.attach = drm_gmmu_export_attach,
	.detach = drm_gmmu_export_detach,
	.pin = drm_gmmu_dmabuf_pin,
	.unpin = drm_gmmu_dmabuf_unpin,
	.map_dma_buf = drm_gmmu_dmabuf_map,
	.unmap_dma_buf = drm_gmmu_dmabuf_unmap,
	.release = drm_gem_dmabuf_release,
	.mmap = drm_gem_dmabuf_mmap,
	.vmap = drm_gem_dmabuf_vmap,
	.vunmap = drm_gem_dmabuf_vunmap,
	.begin_cpu_access = drm_gmmu_dmabuf_begin_cpu_access,
	.end_cpu_access = drm_gmmu_dmabuf_end_cpu_access,
};

/*
 * The drm_gmmu BO behind an import of another drm_gmmu device's dma-buf,
 * or NULL for any other exporter's. It shares the import's reservation.
 */
struct drm_gmmu_bo *drm_gmmu_bo_exporter(struct drm_gmmu_bo *bo)
{
	struct dma_buf *dmabuf = bo->base.base.import_attach->dmabuf;

	return dmabuf->ops == &drm_gmmu_dmabuf_ops ?
	       to_drm_gmmu_bo(dmabuf->priv) : NULL;
}

/*
 * An import's mapping goes, before it is unmapped: its pages go back to
 * their exporter, so whatever the importer's observer knows of their lines
 * is stale from now on (its device's jobs may have written them). Only
 * the importer's DMA addresses are known here (the dma-buf core may hide
 * the pages of the table): they are translated back to pages as the
 * device's DMA is (the system IOMMU's domain, or dma-direct). A drm_gmmu
 * exporter's BO tracks its own pages and reports their release itself.
 */
void drm_gmmu_import_release(struct drm_gmmu_bo *bo, struct sg_table *sgt)
{
	const struct drm_gmmu_coherency_ops *ops = bo->gdev->coherency_ops;
	struct device *dev = bo->gdev->drm.dev;
	struct iommu_domain *l1 = iommu_get_domain_for_dev(dev);
	struct scatterlist *sg;
	phys_addr_t phys;
	dma_addr_t dma;
	unsigned int i;
	size_t off;

	if (!ops || !ops->release || drm_gmmu_bo_exporter(bo))
		return;
	if (l1 && l1->type == IOMMU_DOMAIN_IDENTITY)
		l1 = NULL;
	for_each_sgtable_dma_sg(sgt, sg, i) {
		for (off = 0; off < sg_dma_len(sg); off += PAGE_SIZE) {
			dma = sg_dma_address(sg) + off;
			phys = l1 ? iommu_iova_to_phys(l1, dma) :
				    dma_to_phys(dev, dma);
			if (phys && pfn_valid(PHYS_PFN(phys)))
				ops->release(bo->gdev, pfn_to_page(PHYS_PFN(phys)),
					     false);
		}
	}
}

/**
 * drm_gmmu_gem_prime_export - &drm_gem_object_funcs.export of drm_gmmu BOs
 * @obj: the BO's GEM object
 * @flags: flags of the dma-buf file (O_CLOEXEC, O_RDWR)
 *
 * Like drm_gem_prime_export(), with drm_gmmu's own &dma_buf_ops: a
 * dynamic exporter (see "Dynamic dma-buf"), whose
 * begin_cpu_access/end_cpu_access bracket the whole BO with
 * drm_gmmu_bo_begin_cpu_access()/drm_gmmu_bo_end_cpu_access(). A
 * VM-private BO shares its VM's reservation object, which another device
 * or process must not lock and fence: it cannot be exported. A BO of a
 * coherent device gets cache-domain state here (drm_gmmu_bo_domain_share()):
 * an importer that does not snoop relies on it.
 *
 * Return: the dma-buf, or an ERR_PTR: -EINVAL for a VM-private BO,
 * -ENOMEM.
 */
struct dma_buf *drm_gmmu_gem_prime_export(struct drm_gem_object *obj,
					  int flags)
{
	struct drm_gmmu_bo *bo = to_drm_gmmu_bo(obj);
	struct dma_buf_export_info exp_info = {
		.exp_name = KBUILD_MODNAME,
		.owner = obj->dev->driver->fops->owner,
		.ops = &drm_gmmu_dmabuf_ops,
		.size = obj->size,
		.flags = flags,
		.priv = obj,
		.resv = obj->resv,
	};

	int ret;

	if (bo->vm_resv_obj)
		return ERR_PTR(-EINVAL);
	ret = drm_gmmu_bo_domain_share(bo);
	if (ret)
		return ERR_PTR(ret);
	return drm_gem_dmabuf_export(obj->dev, &exp_info);
}
EXPORT_SYMBOL_GPL(drm_gmmu_gem_prime_export);

/**
 * drm_gmmu_gem_prime_import - &drm_driver.gem_prime_import for drm_gmmu drivers
 * @drm: the importing device, a &drm_gmmu_device.drm
 * @dmabuf: the dma-buf
 *
 * A dma-buf exported by drm_gmmu_gem_prime_export() for @drm is its own
 * GEM object again. Any other dma-buf (another device's, drm_gmmu or not)
 * becomes a BO without struct pages (drm_gmmu_bo_import_sg()): it is
 * attached to @drm's device and mapped once, and the DMA addresses of
 * that mapping are the BO's level-1 mapping, so it can be bound in a VM.
 * The BO shares the dma-buf's reservation object, so the fences of jobs
 * that use it are seen by the exporter and every other importer.
 * %DRM_GMMU_DRIVER_OPS sets it.
 *
 * Return: the GEM object with a new reference, or an ERR_PTR.
 */
struct drm_gem_object *drm_gmmu_gem_prime_import(struct drm_device *drm,
						 struct dma_buf *dmabuf)
{
	struct drm_gem_object *obj = dmabuf->priv;

	if (dmabuf->ops == &drm_gmmu_dmabuf_ops && obj->dev == drm) {
		drm_gem_object_get(obj);
		return obj;
	}
	return drm_gmmu_bo_import_sg(to_drm_gmmu_device(drm), dmabuf);
}
EXPORT_SYMBOL_GPL(drm_gmmu_gem_prime_import);

/* move_notify of drm_gmmu's imports: see "Dynamic dma-buf". */
static void drm_gmmu_import_move_notify(struct dma_buf_attachment *attach)
{
	drm_gmmu_bo_import_invalidate_locked(attach->importer_priv);
}

static const struct dma_buf_attach_ops drm_gmmu_import_attach_ops = {
	.allow_peer2peer = false,
	.move_notify = drm_gmmu_import_move_notify,
};

/* A dynamic attachment of @dmabuf for @dev, on behalf of the import @bo. */
struct dma_buf_attachment *drm_gmmu_dmabuf_attach(struct dma_buf *dmabuf,
						  struct device *dev,
						  struct drm_gmmu_bo *bo)
{
	return dma_buf_dynamic_attach(dmabuf, dev, &drm_gmmu_import_attach_ops,
				      bo);
}

static int drm_gmmu_dmabuf_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_device *gdev = m->private;
	struct drm_gmmu_dmabuf_stats *s = &gdev->stats->dmabuf;

	seq_printf(m, "move_notify: %d\n",
		   IS_ENABLED(CONFIG_DMABUF_MOVE_NOTIFY));
	seq_printf(m, "move_notifies: %lld\n",
		   atomic64_read(&s->move_notifies));
	seq_printf(m, "skipped_importer_pin: %lld\n",
		   atomic64_read(&s->skipped_importer_pin));
	seq_printf(m, "skipped_import_mapped: %lld\n",
		   atomic64_read(&s->skipped_import_mapped));
	seq_printf(m, "import_invalidations: %lld\n",
		   atomic64_read(&s->import_invalidations));
	seq_printf(m, "import_deferred: %lld\n",
		   atomic64_read(&s->import_deferred));
	seq_printf(m, "import_rebuilds: %lld\n",
		   atomic64_read(&s->import_rebuilds));
	seq_printf(m, "place_shaped: %lld\n", atomic64_read(&s->place_shaped));
	seq_printf(m, "place_migrations: %lld\n",
		   atomic64_read(&s->place_migrations));
	seq_printf(m, "place_pages_moved: %lld\n",
		   atomic64_read(&s->place_pages_moved));
	seq_printf(m, "place_refused: %lld\n",
		   atomic64_read(&s->place_refused));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(drm_gmmu_dmabuf);

/*
 * debugfs ``gmmu_dmabuf`` of a device: whether the kernel has
 * CONFIG_DMABUF_MOVE_NOTIFY, and the counters of "Dynamic dma-buf".
 */
void drm_gmmu_dmabuf_debugfs_init(struct drm_gmmu_device *gdev,
				  struct dentry *root)
{
	debugfs_create_file("gmmu_dmabuf", 0444, root, gdev,
			    &drm_gmmu_dmabuf_fops);
}
