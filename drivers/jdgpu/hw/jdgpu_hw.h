/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: jdgpu hardware interface
 *
 * The job-descriptor GPU's hardware (drivers/jdgpu/hw/), as its driver
 * sees it: registers, not structures. Nothing here knows about DRM.
 *
 * - The device (&struct jdgpu_hw) has %JDGPU_HW_AS_SLOTS address-space
 *   slots. A slot is a TRANSTAB register (the level-1 DMA address of an
 *   lpae-40 root table, 0 for none) and a TLB of its own. The driver
 *   programs a slot (jdgpu_hw_as_program()) and flushes its TLB
 *   (jdgpu_hw_as_flush()); nothing else empties it.
 * - A job queue (&struct jdgpu_hw_jq) takes jobs in order: the address of
 *   a job's first descriptor, the slot it runs in, the TRANSTAB the driver
 *   expects in that slot, and a cookie. For each job, in order, the queue
 *   raises its completion interrupt (&jdgpu_hw_done_t) with the status
 *   and, after a fault, the fault. Queues run concurrently.
 */
#ifndef __JDGPU_HW_H__
#define __JDGPU_HW_H__

#include <linux/types.h>

struct dentry;
struct device;
struct jdgpu_hw;
struct jdgpu_hw_jq;

/** JDGPU_HW_AS_SLOTS - address-space slots of the device */
#define JDGPU_HW_AS_SLOTS	4
/** JDGPU_HW_JQ_DEPTH - jobs a queue holds; one more is refused */
#define JDGPU_HW_JQ_DEPTH	32

/**
 * struct jdgpu_hw_fault - a fault, as the MMU reports it
 * @va: GPU virtual address of the access
 * @access: DRM_GMMU_FAULT_* bits: the access and its cause
 */
struct jdgpu_hw_fault {
	u64 va;
	u32 access;
};

/**
 * typedef jdgpu_hw_done_t - a queue's completion interrupt
 * @cookie: the job's cookie (jdgpu_hw_jq_push())
 * @status: 0; -EFAULT (@fault says where); -EPROTO, -ELOOP, -ETIMEDOUT
 *	(see uapi/drm/jdgpu_drm.h); -ENXIO if the slot did not hold the
 *	expected TRANSTAB; -ENODEV once the device is unplugged;
 *	-ECANCELED after jdgpu_hw_jq_reset()
 * @fault: with -EFAULT, the fault; else NULL
 *
 * Called once per job, in queue order, on the fence-signalling path.
 */
typedef void (*jdgpu_hw_done_t)(void *cookie, int status,
				const struct jdgpu_hw_fault *fault);

struct jdgpu_hw *jdgpu_hw_create(struct device *dev, unsigned int id);
void jdgpu_hw_unplug(struct jdgpu_hw *hw);
void jdgpu_hw_destroy(struct jdgpu_hw *hw);
void jdgpu_hw_debugfs_init(struct jdgpu_hw *hw, struct dentry *root);

void jdgpu_hw_as_program(struct jdgpu_hw *hw, unsigned int as,
			 dma_addr_t transtab);
void jdgpu_hw_as_flush(struct jdgpu_hw *hw, unsigned int as);

struct jdgpu_hw_jq *jdgpu_hw_jq_create(struct jdgpu_hw *hw,
				       jdgpu_hw_done_t done);
int jdgpu_hw_jq_push(struct jdgpu_hw_jq *jq, u64 head, unsigned int as,
		     dma_addr_t transtab, void *cookie);
void jdgpu_hw_jq_reset(struct jdgpu_hw_jq *jq);
void jdgpu_hw_jq_destroy(struct jdgpu_hw_jq *jq);

#endif /* __JDGPU_HW_H__ */
