/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */
#ifndef __SWGPU_DRV_H__
#define __SWGPU_DRV_H__

#include <linux/kref.h>
#include <linux/pci.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <drm/drm_device.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_file.h>
#include <drm/gpu_scheduler.h>

#include <drm/swgpu_drm.h>

#include "swgpu_hw.h"

struct drm_file;

/**
 * struct swgpu_profile - what differs between models of the software GPU
 * @name: name used in the ``profiles`` module parameter
 * @id: the &enum drm_swgpu_profile reported to userspace
 * @coherent: the GPU snoops CPU caches
 * @dma_bits: width of the DMA mask the device can drive (level 1)
 * @va_bits: width of a context's GPU virtual address (level 2)
 * @page_sizes: GPU page sizes the MMU supports
 * @asid: the MMU tags TLB and walk-cache entries by context; without,
 *	the engine flushes them on every context switch
 */
struct swgpu_profile {
	const char *name;
	enum drm_swgpu_profile id;
	bool coherent;
	unsigned int dma_bits;
	unsigned int va_bits;
	u64 page_sizes;
	bool asid;
};

/**
 * struct swgpu_device - one software GPU, bound to one edu PCI slot
 * @drm: the DRM device
 * @pdev: the PCI device that is this GPU's hardware slot
 * @profile: the model of GPU in this slot
 * @slot: index of the slot among all edu devices, in PCI address order
 * @gmmu: the drm_gmmu state: level-1 mappings of this GPU's BOs
 * @engine_wq: where the engine runs; one work item per queue, so queues
 *	execute concurrently and each in order
 * @hw: the device-wide state of the hardware model (engine context, MMU
 *	counters)
 * @coherency: the coherency checker of a non-snooping profile, or NULL
 */
struct swgpu_device {
	struct drm_device drm;
	struct drm_gmmu_device gmmu;
	struct pci_dev *pdev;
	const struct swgpu_profile *profile;
	unsigned int slot;
	struct workqueue_struct *engine_wq;
	struct swgpu_hw_dev hw;
	struct swgpu_hw_coherency *coherency;
};

static inline struct swgpu_device *to_swgpu(struct drm_device *drm)
{
	return container_of(drm, struct swgpu_device, drm);
}

struct swgpu_vm;

/**
 * struct swgpu_queue - a hardware queue, with its own scheduler (1:1 entity)
 * @ref: the queue's memory; the VM holds one, lookups take more
 * @sdev: the device
 * @vm: the context whose address space the queue's jobs run in; it
 *	outlives the queue's jobs (the VM finishes every queue first)
 * @id: the queue's id within its VM
 * @sched: the queue's scheduler
 * @entity: the queue's only entity
 * @submit_lock: makes arming and pushing a job one step; protects @closed
 * @closed: no more submissions
 * @lock: protects @ring and @jobs
 * @ring: jobs handed to the engine, in order
 * @jobs: jobs submitted and not yet freed; teardown waits for zero
 * @idle: woken when @jobs drops to zero
 * @work: the engine running this queue's ring
 * @fence_lock: the lock of the engine's fences
 * @fence_context: the engine's fence context for this queue
 * @out_fence_context: fence context of the fences userspace gets
 * @hw_seqno: last engine fence seqno (only the scheduler's run_job writes it)
 * @out_seqno: seqno of the last job's out-fence; under @submit_lock, and
 *	equal to the scheduler's count of armed jobs
 */
struct swgpu_queue {
	struct kref ref;
	struct swgpu_device *sdev;
	struct swgpu_vm *vm;
	u32 id;
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	struct mutex submit_lock;
	bool closed;
	spinlock_t lock;
	struct list_head ring;
	unsigned int jobs;
	wait_queue_head_t idle;
	struct work_struct work;
	spinlock_t fence_lock;
	u64 fence_context;
	u64 out_fence_context;
	u64 hw_seqno;
	u64 out_seqno;
};

/**
 * struct swgpu_submit - what a submission asks of a queue
 * @file: the submitting file
 * @batch_va: GPU address of the batch
 * @deps: fences the job waits for; swgpu_queue_submit() consumes the
 *	references, whatever it returns
 * @num_deps: entries of @deps
 */
struct swgpu_submit {
	struct drm_file *file;
	u64 batch_va;
	struct dma_fence **deps;
	unsigned int num_deps;
};

/**
 * struct swgpu_vm - a GPU context: an address space and its queues
 * @gvm: the drm_gmmu VM (drm_gpuvm bookkeeping, level-2 tables)
 * @sdev: the device
 * @mmu: the MMU context the hardware runs the VM's jobs on
 * @queues: the VM's queues by id; queue 0 exists from creation on.
 *	Lookups take the xarray's lock; adding and removing take @queue_lock.
 * @queue_lock: serialises queue creation and destruction with teardown
 * @queues_closed: the VM is being torn down: no new queues
 * @id: the id userspace knows it by, in its file
 * @fault_lock: protects @fault
 * @fault: the VM's page faults: how many, and the most recent
 */
struct swgpu_vm {
	struct drm_gmmu_vm gvm;
	struct swgpu_device *sdev;
	struct swgpu_hw_mmu mmu;
	struct xarray queues;
	struct mutex queue_lock;
	bool queues_closed;
	u32 id;
	spinlock_t fault_lock;
	struct {
		u32 count;
		u32 access;
		u64 va;
		u64 seqno;
	} fault;
};

/**
 * struct swgpu_file - per-open-file state
 * @gfile: drm_gmmu's: the file's VMs by id, its CPU-access brackets
 */
struct swgpu_file {
	struct drm_gmmu_file gfile;
};

const struct swgpu_profile *swgpu_profile_lookup(const char *name, size_t len);
int swgpu_coherency_init(struct swgpu_device *sdev);

struct swgpu_queue *swgpu_queue_create(struct swgpu_vm *vm);
void swgpu_queue_fini(struct swgpu_queue *q);
void swgpu_queue_put(struct swgpu_queue *q);
struct sync_file;
int swgpu_queue_submit(struct swgpu_queue *q, const struct swgpu_submit *s,
		       struct dma_fence **fence, struct sync_file **sync_file);
void swgpu_vm_record_fault(struct swgpu_vm *vm, const struct swgpu_hw_fault *f,
			   u64 seqno);
struct swgpu_queue *swgpu_vm_queue_lookup(struct swgpu_vm *vm, u32 id);
int swgpu_queue_create_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file);
int swgpu_queue_destroy_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file);

int swgpu_file_open(struct drm_device *drm, struct drm_file *file);
void swgpu_file_close(struct drm_device *drm, struct drm_file *file);
struct swgpu_vm *swgpu_vm_lookup(struct drm_file *file, u32 id);
int swgpu_vm_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file);
int swgpu_vm_destroy_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file);
int swgpu_vm_bind_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file);
int swgpu_vm_get_fault_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file);
int swgpu_exec_ioctl(struct drm_device *drm, void *data,
		     struct drm_file *file);
int swgpu_wait_bo_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file);

int swgpu_get_param_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file);
int swgpu_bo_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file);
int swgpu_bo_mmap_offset_ioctl(struct drm_device *drm, void *data,
			       struct drm_file *file);
u64 swgpu_max_bo_size(struct swgpu_device *sdev);
int swgpu_bo_cpu_access_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file);

#endif /* __SWGPU_DRV_H__ */
