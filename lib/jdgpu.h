/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * libjdgpu: what only jdgpu has over the shared calls of lib/gmmu.h
 * (which take &jdgpu_gmmu_ioctls for a jdgpu file): opening a GPU, job
 * descriptor chains, SUBMIT. Every function returns 0 or a negative
 * errno; none prints.
 */
#ifndef JDGPU_H
#define JDGPU_H

#include <stdint.h>

#include "gmmu.h"
#include "jdgpu_drm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** jdgpu_gmmu_ioctls - jdgpu's numbers for the calls of lib/gmmu.h */
extern const struct gmmu_ioctls jdgpu_gmmu_ioctls;

/**
 * jdgpu_open() - open the jdgpu GPU of edu slot @slot
 * @slot: DRM_JDGPU_PARAM_PCI_SLOT, or -1 for the first jdgpu found
 * @primary: the card node rather than the render node
 *
 * Return: a file descriptor, or -ENODEV.
 */
int jdgpu_open(int slot, int primary);

/**
 * struct jdgpu_chain - writes a descriptor chain through a CPU mapping
 * @map: CPU address of the first descriptor
 * @va: GPU address of the same, the chain's head for SUBMIT
 * @cap: room, in descriptors
 * @len: descriptors written
 * @error: 0, or -ENOSPC once one did not fit (sticky)
 *
 * Each descriptor added is linked from the one before it; the last one's
 * @next is 0. The builder encodes whatever it is given, so that tests
 * can build bad descriptors too.
 */
struct jdgpu_chain {
	struct jdgpu_desc *map;
	uint64_t va;
	uint32_t cap;
	uint32_t len;
	int error;
};

/**
 * jdgpu_chain_init() - an empty chain
 * @c: the builder
 * @map: CPU address, aligned to JDGPU_DESC_SIZE
 * @va: GPU address of the same bytes, aligned to JDGPU_DESC_SIZE
 * @size: bytes available
 */
void jdgpu_chain_init(struct jdgpu_chain *c, void *map, uint64_t va,
		      uint64_t size);

/**
 * jdgpu_chain_add() - append a descriptor, linked from the last one
 * @c: the builder
 * @d: the descriptor; its @next is overwritten with 0
 *
 * Return: 0, or -ENOSPC.
 */
int jdgpu_chain_add(struct jdgpu_chain *c, const struct jdgpu_desc *d);

/**
 * jdgpu_chain_op() - append a descriptor from its fields
 * @c: the builder
 * @opcode: an enum jdgpu_opcode
 * @dst: destination GPU address
 * @src: source GPU address
 * @len: bytes
 * @value: the immediate
 *
 * Return: 0, or -ENOSPC.
 */
int jdgpu_chain_op(struct jdgpu_chain *c, uint32_t opcode, uint64_t dst,
		   uint64_t src, uint64_t len, uint64_t value);

/**
 * jdgpu_submit() - DRM_IOCTL_JDGPU_SUBMIT
 * @fd: a jdgpu file descriptor
 * @args: the argument, every field the caller's; its out fields are
 *	filled in on success
 */
int jdgpu_submit(int fd, struct drm_jdgpu_submit *args);

/**
 * jdgpu_run() - submit a chain on a VM's queue 0 and wait for it
 * @fd: a jdgpu file descriptor
 * @vm_id: the VM
 * @desc_va: GPU address of the first descriptor
 * @timeout_ms: how long to wait, as gmmu_fence_wait()
 *
 * Return: the job's outcome (0, -EFAULT, -EPROTO, ...), SUBMIT's error,
 * or -ETIME if the job was not done in time.
 */
int jdgpu_run(int fd, uint32_t vm_id, uint64_t desc_va, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* JDGPU_H */
