/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Bind interface
 *
 * Arrays of VM_BIND operations carried out in three steps: prepare
 * (everything that can fail), commit (cannot fail, never allocates) and
 * cleanup. See drm-core/drm_gmmu_bind.c.
 */
#ifndef __DRM_GMMU_BIND_H__
#define __DRM_GMMU_BIND_H__

#include <linux/types.h>

struct drm_gmmu_bind_ctx;
struct drm_gmmu_bo;
struct drm_gmmu_exec;
struct drm_gmmu_vm;

/**
 * enum drm_gmmu_bind_kind - what one operation of a bind array does
 * @DRM_GMMU_BIND_MAP: map a range of a BO at a GPU address; whatever was
 *	mapped there goes first
 * @DRM_GMMU_BIND_UNMAP: unmap a range; mappings it cuts are split
 * @DRM_GMMU_BIND_MAP_SPARSE: map a range to no memory (reads return
 *	zeros, writes are dropped, no fault): a &drm_gpuva without a BO,
 *	written with %IOMMU_CTX_SPARSE; whatever was mapped there goes first
 */
enum drm_gmmu_bind_kind {
	DRM_GMMU_BIND_MAP,
	DRM_GMMU_BIND_UNMAP,
	DRM_GMMU_BIND_MAP_SPARSE,
};

/**
 * struct drm_gmmu_bind_op - one operation of a bind array
 * @kind: what it does
 * @flags: %DRM_GMMU_VM_BIND_READONLY for a MAP, else 0
 * @bo: the BO a MAP maps; the caller holds a reference until cleanup.
 *	NULL for the other kinds.
 * @bo_offset: offset in @bo of the first byte a MAP maps, page-aligned;
 *	0 for the other kinds
 * @va: GPU virtual address, page-aligned
 * @range: bytes, page-aligned, non-zero
 */
struct drm_gmmu_bind_op {
	enum drm_gmmu_bind_kind kind;
	unsigned int flags;
	struct drm_gmmu_bo *bo;
	u64 bo_offset;
	u64 va;
	u64 range;
};

/** DRM_GMMU_BIND_MAX_OPS - operations one bind array may hold */
#define DRM_GMMU_BIND_MAX_OPS	1024

struct drm_gmmu_bind_ctx *drm_gmmu_bind_prepare(struct drm_gmmu_vm *vm,
						const struct drm_gmmu_bind_op *ops,
						unsigned int count);
void drm_gmmu_bind_commit(struct drm_gmmu_bind_ctx *ctx);
void drm_gmmu_bind_cleanup(struct drm_gmmu_bind_ctx *ctx);
int drm_gmmu_vm_bind_ops(struct drm_gmmu_vm *vm,
			 const struct drm_gmmu_bind_op *ops, unsigned int count);
int drm_gmmu_vm_bind_async(struct drm_gmmu_vm *vm,
			   const struct drm_gmmu_bind_op *ops,
			   unsigned int count, struct drm_gmmu_exec *x);

#endif /* __DRM_GMMU_BIND_H__ */
