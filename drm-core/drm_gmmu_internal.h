/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: drm_gmmu internals
 *
 * What drm_gmmu's own files share and drivers must not use: the level-1
 * unmap under the device lock, backing storage internals, the shrinker's
 * list, counters and test-only fault injection (read and driven through
 * debugfs), and the out-fence of a job.
 */
#ifndef __DRM_GMMU_INTERNAL_H__
#define __DRM_GMMU_INTERNAL_H__

#include <linux/dma-fence.h>
#include <linux/mm_types.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <drm/drm_gem.h>
#include <drm/gpu_scheduler.h>

struct dentry;
struct file;
struct drm_gem_object;
struct drm_gmmu_bo;
struct drm_gmmu_device;
struct drm_gmmu_vm;
struct iosys_map;

/**
 * struct drm_gmmu_coherency_stats - what the cache maintenance of a device did
 * @flush_calls: calls of the flush primitive
 * @flush_bytes: bytes it flushed
 * @gpu_entries: BOs that entered the GPU domain with CPU accesses behind them
 * @pages_flushed: CPU-dirty pages flushed on entry into the GPU domain
 * @pages_invalidated: pages invalidated on entry into the CPU domain
 * @skipped: flushes or invalidations skipped by fault injection
 */
struct drm_gmmu_coherency_stats {
	atomic64_t flush_calls;
	atomic64_t flush_bytes;
	atomic64_t gpu_entries;
	atomic64_t pages_flushed;
	atomic64_t pages_invalidated;
	atomic64_t skipped;
};

/**
 * struct drm_gmmu_backing_stats - what happened to the backing pages of a device's BOs
 * @pages_evicted: resident, unpinned pages released by eviction (shrinker
 *	or debugfs), their user PTEs shot down first
 * @pages_swapped_out: of those, pages that shmem accepted to write to swap
 * @pages_restored: evicted pages obtained again (from swap or, if they
 *	had not been written out yet, from the page cache)
 * @shrinker_scans: calls of the shrinker's scan
 * @shrinker_skipped: BOs the shrinker (or drm_gmmu_device_evict()) passed
 *	over because their reservation was taken (it only trylocks)
 * @last_evict: pages released by the last drm_gmmu_device_evict() or
 *	drm_gmmu_bo_evict()
 * @bound_evictions: evictions that took a BO's mappings away: its
 *	level-2 mappings in every VM and its level-1 mapping
 * @restores: mappings of evicted BOs in a VM made again (one per BO and
 *	VM), before a job of the VM or a bind that touches them
 * @skipped_busy: BOs an eviction passed over because a job had not
 *	finished with them (unsignalled fences) or a bind array that maps,
 *	splits or removes one of their mappings was not settled yet
 * @skipped_pinned: BOs an eviction passed over because something other
 *	than their bindings pins them: a vmap, CPU access, an importer's
 *	attachment (an import pins its dma-buf on Debian's kernel), a
 *	kernel user's drm_gmmu_bo_dma_map()
 * @pages_huge: resident pages that are part of a transparent huge page
 *	(see the ``huge`` module parameter)
 */
struct drm_gmmu_backing_stats {
	atomic64_t pages_evicted;
	atomic64_t pages_swapped_out;
	atomic64_t pages_restored;
	atomic64_t shrinker_scans;
	atomic64_t shrinker_skipped;
	atomic64_t last_evict;
	atomic64_t pages_huge;
	atomic64_t bound_evictions;
	atomic64_t restores;
	atomic64_t skipped_busy;
	atomic64_t skipped_pinned;
};

/**
 * struct drm_gmmu_dmabuf_stats - what dynamic dma-buf did on a device
 * @move_notifies: evictions of an exported BO that told its dynamic
 *	importers to drop their mappings (dma_buf_move_notify())
 * @skipped_importer_pin: evictions passed over because an importer
 *	pinned the BO (&dma_buf_ops.pin: a static importer, or a dynamic
 *	one mapping it on a kernel without ``CONFIG_DMABUF_MOVE_NOTIFY``)
 * @skipped_import_mapped: evictions passed over because an importer
 *	still had the BO mapped after move_notify
 * @import_invalidations: imports whose mappings went on move_notify:
 *	their tables in every VM cleared, their attachment unmapped
 * @import_deferred: move_notify calls that found the import's mapping
 *	held by a bind array not settled yet, and left it
 * @import_rebuilds: attachments of moved imports mapped again, before a
 *	job or a bind that needed them
 * @place_shaped: attachments of a device that needs pages below 4 GiB
 *	that made an exported BO with no page above allocate there from then
 *	on (see "Importer constraints")
 * @place_migrations: exported BOs moved below 4 GiB for such an attacher
 * @place_pages_moved: pages those migrations copied
 * @place_refused: attachments refused with -ERANGE: the BO had to move
 *	and was pinned, or the device's DMA mask is below 32 bits
 */
struct drm_gmmu_dmabuf_stats {
	atomic64_t move_notifies;
	atomic64_t skipped_importer_pin;
	atomic64_t skipped_import_mapped;
	atomic64_t import_invalidations;
	atomic64_t import_deferred;
	atomic64_t import_rebuilds;
	atomic64_t place_shaped;
	atomic64_t place_migrations;
	atomic64_t place_pages_moved;
	atomic64_t place_refused;
};

/* Fault injection bits of &drm_gmmu_device.inject (debugfs, tests only). */
#define DRM_GMMU_INJECT_SKIP_FLUSH	0
#define DRM_GMMU_INJECT_SKIP_INVALIDATE	1

/**
 * struct drm_gmmu_vm_stats - what the binds of a device's VMs cost
 * @level1_maps: BOs given a level-1 mapping (dma_map_sgtable()) for the
 *	device: a BO bound in many VMs is mapped once
 * @level1_unmaps: level-1 mappings undone
 * @bind_arrays: bind arrays committed
 * @bind_ops: operations of those arrays
 * @bind_async: arrays submitted as jobs of a bind queue
 * @bind_reverted: arrays undone after their job failed (or could not be
 *	submitted)
 */
struct drm_gmmu_vm_stats {
	atomic64_t level1_maps;
	atomic64_t level1_unmaps;
	atomic64_t bind_arrays;
	atomic64_t bind_ops;
	atomic64_t bind_async;
	atomic64_t bind_reverted;
};

/**
 * struct drm_gmmu_device_stats - counters and test-only fault injection
 *	of a device, internal to drm_gmmu
 * @coherency: what the cache maintenance did (debugfs ``gmmu_coherency``)
 * @backing: what happened to backing pages (debugfs ``gmmu_backing``)
 * @vm: what binds cost (debugfs ``gmmu_vms``)
 * @dmabuf: what dynamic dma-buf did (debugfs ``gmmu_dmabuf``)
 * @inject: fault injection for tests: each bit makes the next flush
 *	(%DRM_GMMU_INJECT_SKIP_FLUSH) or invalidation
 *	(%DRM_GMMU_INJECT_SKIP_INVALIDATE) of one page not happen
 * @inject_enomem: tests only: if non-zero, counts down at every backing
 *	page obtained, and the one that brings it to zero fails with -ENOMEM
 */
struct drm_gmmu_device_stats {
	struct drm_gmmu_coherency_stats coherency;
	struct drm_gmmu_backing_stats backing;
	struct drm_gmmu_vm_stats vm;
	struct drm_gmmu_dmabuf_stats dmabuf;
	unsigned long inject;
	unsigned int inject_enomem;
};

void drm_gmmu_bo_dma_unmap_locked(struct drm_gmmu_bo *bo);
struct sg_table *drm_gmmu_bo_l1_map_locked(struct drm_gmmu_bo *bo);
struct sg_table *drm_gmmu_bo_l1_get_locked(struct drm_gmmu_bo *bo);
void drm_gmmu_bo_l1_put_locked(struct drm_gmmu_bo *bo);
void drm_gmmu_bo_l1_release_unused(struct drm_gmmu_bo *bo);
bool drm_gmmu_bo_in_vm(struct drm_gmmu_bo *bo);
void drm_gmmu_backing_update(struct drm_gmmu_bo *bo);
bool drm_gmmu_bo_unbind_evict_locked(struct drm_gmmu_bo *bo);
bool drm_gmmu_bo_pinned_otherwise(struct drm_gmmu_bo *bo);
bool drm_gmmu_bo_export_pinned(struct drm_gmmu_bo *bo);
void drm_gmmu_bo_import_invalidate_locked(struct drm_gmmu_bo *bo);
struct sg_table *drm_gmmu_bo_import_map_locked(struct drm_gmmu_bo *bo);
void drm_gmmu_dmabuf_debugfs_init(struct drm_gmmu_device *gdev,
				  struct dentry *root);

struct drm_gpuvm_bo;
struct drm_exec;
struct drm_gmmu_file;
int drm_gmmu_vm_prot(struct drm_gmmu_vm *vm, bool writable);
struct drm_gpuvm_bo *drm_gmmu_vm_bo_alloc(void);
void drm_gmmu_vm_bo_free(struct drm_gpuvm_bo *vm_bo);
int drm_gmmu_vm_bo_validate(struct drm_gpuvm_bo *vm_bo, struct drm_exec *exec);
int drm_gmmu_vm_bo_charge(struct drm_gpuvm_bo *vm_bo);
void drm_gmmu_pins_debugfs_init(struct drm_gmmu_device *gdev,
				struct dentry *root);
bool drm_gmmu_cpu_access_flags_valid(u32 flags);
struct dma_buf;
struct drm_gem_object *drm_gmmu_bo_import_sg(struct drm_gmmu_device *gdev,
					     struct dma_buf *dmabuf);
struct dma_buf_attachment;
struct device;
struct dma_buf_attachment *drm_gmmu_dmabuf_attach(struct dma_buf *dmabuf,
						  struct device *dev,
						  struct drm_gmmu_bo *bo);

void drm_gmmu_hugefs_init(void);
void drm_gmmu_hugefs_fini(void);
struct file *drm_gmmu_bo_file_setup(size_t size, bool wc);
void drm_gmmu_backing_release_all(struct drm_gmmu_bo *bo);
bool drm_gmmu_dma_is_direct(struct device *dev);
bool drm_gmmu_dev_needs_dma32(struct device *dev);
void drm_gmmu_bo_set_placement(struct drm_gmmu_bo *bo);
int drm_gmmu_bo_place_for(struct drm_gmmu_bo *bo, struct device *dev);
void drm_gmmu_bo_unplace_for(struct drm_gmmu_bo *bo);
bool drm_gmmu_sgt_would_bounce(struct device *dev, struct sg_table *sgt);
struct sg_table *drm_gmmu_bo_map_for(struct drm_gmmu_bo *bo,
				     struct device *dev,
				     enum dma_data_direction dir);
void drm_gmmu_bo_unmap_for(struct drm_gmmu_bo *bo, struct device *dev,
			   struct sg_table *sgt, enum dma_data_direction dir);
int drm_gmmu_backing_init(struct drm_gmmu_bo *bo);
void drm_gmmu_backing_fini(struct drm_gmmu_bo *bo);
struct page *drm_gmmu_bo_page(struct drm_gmmu_bo *bo, pgoff_t i);
unsigned long drm_gmmu_bo_evict_locked(struct drm_gmmu_bo *bo);
int drm_gmmu_bo_vmap_locked(struct drm_gem_object *obj, struct iosys_map *map);
int drm_gmmu_bo_pin_locked(struct drm_gem_object *obj);
void drm_gmmu_bo_unpin_locked(struct drm_gem_object *obj);
struct sg_table *drm_gmmu_bo_get_sg_table(struct drm_gem_object *obj);
void drm_gmmu_bo_vunmap_locked(struct drm_gem_object *obj,
			       struct iosys_map *map);

int drm_gmmu_shrinker_init(struct drm_gmmu_device *gdev);
void drm_gmmu_bo_shrinker_add(struct drm_gmmu_bo *bo);
void drm_gmmu_bo_shrinker_del(struct drm_gmmu_bo *bo);
void drm_gmmu_backing_debugfs_init(struct drm_gmmu_device *gdev,
				   struct dentry *root);
void drm_gmmu_vm_debugfs_init(struct drm_gmmu_device *gdev,
			      struct dentry *root);

extern struct list_head drm_gmmu_observers;
void drm_gmmu_observer_add(struct drm_gmmu_device *gdev);

/*
 * drm_gmmu_report - tell every observer of an event of a page: the @op
 * callback of &struct drm_gmmu_coherency_ops, each with its own device.
 */
#define drm_gmmu_report(op, ...) do {					\
	struct drm_gmmu_device *__obs;					\
									\
	rcu_read_lock();						\
	list_for_each_entry_rcu(__obs, &drm_gmmu_observers, observer_link) \
		if (__obs->coherency_ops->op)				\
			__obs->coherency_ops->op(__obs, __VA_ARGS__);	\
	rcu_read_unlock();						\
} while (0)

int drm_gmmu_bo_domain_init(struct drm_gmmu_bo *bo);
int drm_gmmu_bo_domain_share(struct drm_gmmu_bo *bo);
struct drm_gmmu_bo *drm_gmmu_bo_exporter(struct drm_gmmu_bo *bo);
void drm_gmmu_import_release(struct drm_gmmu_bo *bo, struct sg_table *sgt);
void drm_gmmu_bo_domain_fini(struct drm_gmmu_bo *bo);
void drm_gmmu_bo_domain_page_new(struct drm_gmmu_bo *bo, pgoff_t i);
void drm_gmmu_bo_domain_page_gone(struct drm_gmmu_bo *bo, pgoff_t i,
				  bool evict);
extern const struct vm_operations_struct drm_gmmu_bo_vm_ops;
pgprot_t drm_gmmu_bo_page_prot(struct drm_gmmu_bo *bo, vm_flags_t vm_flags);

/*
 * The fence userspace gets for a job: follows the scheduler's finished
 * fence, owns its lock and names (drm_gmmu_queue.c). @base comes first:
 * dma_fence_free() frees the structure through it.
 */
struct drm_gmmu_out_fence {
	struct dma_fence base;
	struct dma_fence_cb cb;
	spinlock_t lock;
};

struct drm_gmmu_job;
struct drm_gmmu_queue;
struct drm_gmmu_queue_cfg;
struct drm_gmmu_vm;
void drm_gmmu_out_fence_init(struct drm_gmmu_out_fence *of,
			     struct drm_gmmu_queue *q);
void drm_gmmu_out_fence_arm(struct drm_gmmu_out_fence *of,
			    struct dma_fence *job_fence);
void drm_gmmu_job_free(struct drm_gmmu_job *job);
void drm_gmmu_job_run_direct(struct drm_gmmu_job *job);
void drm_gmmu_job_direct_release(struct drm_gmmu_job *job);
int drm_gmmu_queue_module_init(void);

long drm_gmmu_queue_timeout(const struct drm_gmmu_queue_cfg *cfg);
bool drm_gmmu_vm_banned(struct drm_gmmu_vm *vm);
int drm_gmmu_job_reset_status(struct drm_gmmu_job *job, int error);
int drm_gmmu_job_cancel_banned(struct drm_gmmu_job *job);
enum drm_gpu_sched_stat drm_gmmu_queue_timedout(struct drm_gmmu_job *job);

struct drm_gmmu_fault;
int drm_gmmu_coredump_init(struct drm_gmmu_device *gdev);
void drm_gmmu_coredump_unplug(struct drm_gmmu_device *gdev);
void drm_gmmu_coredump_debugfs_init(struct drm_gmmu_device *gdev,
				    struct dentry *root);
void drm_gmmu_coredump_hang(struct drm_gmmu_job *job);
void drm_gmmu_coredump_fault(struct drm_gmmu_job *job,
			     const struct drm_gmmu_fault *f);

struct drm_gmmu_busy;
void drm_gmmu_busy_init(struct drm_gmmu_busy *busy);
void drm_gmmu_busy_begin(struct drm_gmmu_busy *busy);
void drm_gmmu_busy_end(struct drm_gmmu_busy *busy);
enum drm_gem_object_status drm_gmmu_bo_status(struct drm_gem_object *obj);
size_t drm_gmmu_bo_rss(struct drm_gem_object *obj);
void drm_gmmu_queue_module_exit(void);

struct drm_file;
struct drm_gmmu_vm *drm_gmmu_args_vm(struct drm_file *file, u64 extensions,
				     u32 vm_id);

struct drm_gpuva_op;
int drm_gmmu_bind_step_map(struct drm_gpuva_op *op, void *priv);
int drm_gmmu_bind_step_remap(struct drm_gpuva_op *op, void *priv);
int drm_gmmu_bind_step_unmap(struct drm_gpuva_op *op, void *priv);

struct drm_gmmu_queue;
struct drm_gmmu_queue_cfg;
struct drm_gmmu_vm;
struct drm_gmmu_queue *drm_gmmu_queue_new(struct drm_gmmu_vm *vm,
					  const struct drm_gmmu_queue_cfg *cfg);
void drm_gmmu_queue_drain(struct drm_gmmu_queue *q);

#endif
