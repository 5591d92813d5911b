/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Definitions shared by the uapi of every driver built on drm_gmmu.
 * See Documentation/uapi-rules.rst for the rules every ioctl follows.
 */
#ifndef _UAPI_GMMU_DRM_H_
#define _UAPI_GMMU_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * struct drm_gmmu_user_extension - header of an ioctl extension
 *
 * Every ioctl argument struct starts with a ``__u64 extensions`` field: zero,
 * or a user pointer to the first of a chain of extensions. Each extension
 * starts with this header and is followed by its own payload; the ioctl
 * rejects a name it does not know with -EINVAL, and a chain longer than
 * %DRM_GMMU_MAX_EXTENSIONS with -E2BIG.
 */
struct drm_gmmu_user_extension {
	/**
	 * @next_extension: user pointer to the next extension, or 0 to end
	 * the chain.
	 */
	__u64 next_extension;
	/** @name: which extension this is; the ioctl defines the names. */
	__u32 name;
	/** @flags: must be zero. */
	__u32 flags;
};

/** DRM_GMMU_MAX_EXTENSIONS - longest extension chain an ioctl walks */
#define DRM_GMMU_MAX_EXTENSIONS 16

/**
 * DRM_GMMU_MAX_ARRAY_STRIDE - largest stride of an array an ioctl takes
 *
 * Arrays are passed as {pointer, count, stride}: the stride is the size of
 * one element as userspace knows it, so that elements can grow. A stride
 * above this is -EINVAL: the kernel reads every byte of each element, and
 * an element a page long leaves plenty of room to grow.
 */
#define DRM_GMMU_MAX_ARRAY_STRIDE 4096

/**
 * DRM_GMMU_MAX_VMS_PER_FILE - VMs one open file can have at once
 *
 * VM ids run from 1 to this; id 0 never names a VM (-ENOENT). Creating one
 * more is -ENOSPC, checked before anything is built.
 */
#define DRM_GMMU_MAX_VMS_PER_FILE 256

/**
 * DRM_GMMU_MAX_CPU_ACCESS_PER_FILE - CPU-access brackets one open file
 * can have open at once
 *
 * A bracket belongs to the file that opened it: only that file can close
 * it, and closing the file closes the brackets it left open. One more
 * START is -ENOSPC.
 */
#define DRM_GMMU_MAX_CPU_ACCESS_PER_FILE 1024

/**
 * DRM_GMMU_SYNC_SYNC_FILE - &drm_gmmu_sync.handle is a sync_file
 *
 * In an array of fences to wait for: @handle is a sync_file descriptor
 * (from another job's out-fence, or DMA_BUF_IOCTL_EXPORT_SYNC_FILE), and
 * @point must be 0. Not allowed in an array of syncobjs to signal: a job's
 * sync_file comes from the ioctl's own out-fence flag.
 */
#define DRM_GMMU_SYNC_SYNC_FILE (1u << 0)

/** DRM_GMMU_MAX_SYNCS - fences one job can wait for, or syncobjs it can signal */
#define DRM_GMMU_MAX_SYNCS 64

/**
 * struct drm_gmmu_sync - one fence a job waits for, or one syncobj it signals
 *
 * The element of every sync array of every driver built on drm_gmmu,
 * passed as {pointer, count, stride} (stride: sizeof(struct drm_gmmu_sync)
 * as userspace knows it, a multiple of 8, at least 16 and at most
 * %DRM_GMMU_MAX_ARRAY_STRIDE; bytes past the struct must be zero).
 *
 * With @point 0 a syncobj is binary: a wait takes its current fence and a
 * signal replaces it. Otherwise it is a timeline (see
 * DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL): a wait takes the fence of @point and
 * a signal adds @point, which should be above every point already there.
 * A syncobj waited for must have a fence (or the point) already: a job may
 * only wait for work already submitted (-EINVAL otherwise).
 */
struct drm_gmmu_sync {
	/**
	 * @handle: a syncobj handle of the file (-ENOENT if there is none),
	 * or with %DRM_GMMU_SYNC_SYNC_FILE a sync_file descriptor (-EINVAL
	 * if it is not one).
	 */
	__u32 handle;
	/** @flags: %DRM_GMMU_SYNC_SYNC_FILE or 0; other bits: -EINVAL. */
	__u32 flags;
	/** @point: timeline point, or 0 for a binary syncobj or a sync_file. */
	__u64 point;
};

/** DRM_GMMU_FAULT_READ - the faulting access was a read of data */
#define DRM_GMMU_FAULT_READ		(1u << 0)
/** DRM_GMMU_FAULT_WRITE - the faulting access was a write */
#define DRM_GMMU_FAULT_WRITE		(1u << 1)
/** DRM_GMMU_FAULT_FETCH - the faulting access was a command fetch */
#define DRM_GMMU_FAULT_FETCH		(1u << 2)
/**
 * DRM_GMMU_FAULT_LEVEL1 - the GPU address translated, but its DMA address
 * has no level-1 mapping
 */
#define DRM_GMMU_FAULT_LEVEL1		(1u << 3)
/** DRM_GMMU_FAULT_PROTECTION - a write to a read-only mapping */
#define DRM_GMMU_FAULT_PROTECTION	(1u << 4)

/** DRM_GMMU_FAULT_RING_SIZE - fault records a VM keeps before it drops some */
#define DRM_GMMU_FAULT_RING_SIZE	16

/**
 * struct drm_gmmu_fault - one GPU page fault of a VM, as drm_gmmu records it
 *
 * A VM keeps its last %DRM_GMMU_FAULT_RING_SIZE faults, oldest first; a
 * fault that finds the ring full drops the oldest record and counts it.
 */
struct drm_gmmu_fault {
	/** @va: GPU virtual address of the faulting access. */
	__u64 va;
	/** @seqno: the faulting job's seqno on its queue. */
	__u64 seqno;
	/** @timestamp_ns: when it was recorded, CLOCK_MONOTONIC, in ns. */
	__u64 timestamp_ns;
	/** @access: DRM_GMMU_FAULT_* bits: the kind of access and the cause. */
	__u32 access;
	/**
	 * @level: the translation level that failed: 2 for the context's GPU
	 * page tables (no mapping, or a write to a read-only one), 1 for the
	 * DMA mapping behind a translated address (%DRM_GMMU_FAULT_LEVEL1).
	 */
	__u32 level;
	/** @queue_id: the faulting job's queue, in its VM. */
	__u32 queue_id;
	/** @pad: zero. */
	__u32 pad;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_GMMU_DRM_H_ */
