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

/**
 * DOC: Shared ioctls
 *
 * The argument structs of the ioctls every driver on drm_gmmu has: BOs,
 * VMs and their bindings and faults, queues, and the part of a submission
 * drm_gmmu handles. A driver gives them its own ioctl numbers
 * (DRM_IOCTL_<DRIVER>_BO_CREATE with &struct drm_gmmu_bo_create_args) and
 * drm_gmmu's handlers do the work, so every driver validates them the same
 * way and userspace can share code across drivers. What only one kind of
 * hardware has (its parameters, its command format) stays in the driver's
 * own structs, which embed these where they overlap (&struct
 * drm_gmmu_submit).
 */

/**
 * enum drm_gmmu_param - what a driver's GET_PARAM reports of any GPU
 *
 * Features are discovered by asking: a parameter the kernel does not know
 * returns -EINVAL, so userspace can probe for newer ones. Parameters from
 * %DRM_GMMU_PARAM_DRIVER_BASE up are the driver's own.
 */
enum drm_gmmu_param {
	/** @DRM_GMMU_PARAM_INVALID: never valid, so a zeroed struct fails. */
	DRM_GMMU_PARAM_INVALID = 0,
	/**
	 * @DRM_GMMU_PARAM_COHERENT: 1 if the GPU snoops CPU caches, 0 if
	 * CPU caches must be flushed and invalidated around GPU access.
	 */
	DRM_GMMU_PARAM_COHERENT = 1,
	/** @DRM_GMMU_PARAM_VA_BITS: width of a context's GPU virtual address. */
	DRM_GMMU_PARAM_VA_BITS = 2,
	/** @DRM_GMMU_PARAM_DMA_BITS: width of the device's DMA mask (level 1). */
	DRM_GMMU_PARAM_DMA_BITS = 3,
	/** @DRM_GMMU_PARAM_PAGE_SIZES: bitmap of GPU page sizes, bit n = 2^n bytes. */
	DRM_GMMU_PARAM_PAGE_SIZES = 4,
	/**
	 * @DRM_GMMU_PARAM_MAX_BO_SIZE: largest size BO_CREATE accepts: the
	 * smaller of system RAM and the GPU VA space.
	 */
	DRM_GMMU_PARAM_MAX_BO_SIZE = 5,
	/**
	 * @DRM_GMMU_PARAM_BO_CREATE_FLAGS: the &drm_gmmu_bo_create_args.flags
	 * this GPU accepts, e.g. %DRM_GMMU_BO_CREATE_WC on a GPU that does
	 * not snoop CPU caches.
	 */
	DRM_GMMU_PARAM_BO_CREATE_FLAGS = 6,
	/**
	 * @DRM_GMMU_PARAM_AS_SLOTS: address-space slots the GPU has: a
	 * job runs only while its VM holds one, and more VMs than slots
	 * take turns (Documentation/slots.rst). 0 for a GPU that runs any
	 * number of VMs at once without slots.
	 */
	DRM_GMMU_PARAM_AS_SLOTS = 7,
	/**
	 * @DRM_GMMU_PARAM_PT_FORMAT: the format of the page tables the
	 * GPU's MMU walks, one of &enum drm_gmmu_pt_format.
	 */
	DRM_GMMU_PARAM_PT_FORMAT = 8,
	/** @DRM_GMMU_PARAM_DRIVER_BASE: the first of the driver's own parameters. */
	DRM_GMMU_PARAM_DRIVER_BASE = 0x10000,
};

/**
 * enum drm_gmmu_pt_format - page-table formats of GPU MMUs
 *
 * What %DRM_GMMU_PARAM_PT_FORMAT reports: the layout of a VM's page
 * tables, which says the levels, the page sizes and how wide a DMA
 * address an entry holds.
 */
enum drm_gmmu_pt_format {
	/**
	 * @DRM_GMMU_PT_FORMAT_X86_48: "x86-48": four levels of 512 64-bit
	 * entries, 48-bit VA; 4 KiB, 64 KiB (16 contiguous entries), 2 MiB
	 * and 1 GiB pages.
	 */
	DRM_GMMU_PT_FORMAT_X86_48 = 1,
	/**
	 * @DRM_GMMU_PT_FORMAT_X86_32: "x86-32": two levels of 1024 32-bit
	 * entries, 32-bit VA and DMA addresses, 4 KiB pages.
	 */
	DRM_GMMU_PT_FORMAT_X86_32 = 2,
	/**
	 * @DRM_GMMU_PT_FORMAT_LPAE_40: "lpae-40": ARM long-descriptor
	 * stage-1 tables with the 4 KiB granule, three levels, 39-bit VA,
	 * 40-bit DMA addresses, 4 KiB pages and 2 MiB blocks.
	 */
	DRM_GMMU_PT_FORMAT_LPAE_40 = 3,
};

/**
 * struct drm_gmmu_get_param_args - argument of a driver's GET_PARAM
 *
 * Errors: -EINVAL for a parameter neither drm_gmmu nor the driver knows
 * (%DRM_GMMU_PARAM_PT_FORMAT too when the driver did not say its format),
 * or non-zero @flags (@value is then left alone); -EFAULT for an
 * unreadable extension.
 */
struct drm_gmmu_get_param_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @param: one of &enum drm_gmmu_param, or of the driver's. */
	__u32 param;
	/** @flags: must be zero. */
	__u32 flags;
	/** @value: out, the parameter's value. */
	__u64 value;
};

/**
 * DRM_GMMU_BO_CREATE_WC - flag of &drm_gmmu_bo_create_args: write-combined
 *
 * CPU mappings of the BO (mmap) are write-combined: CPU writes bypass the
 * caches, so a GPU that does not snoop them needs no cache maintenance for
 * it (nothing is flushed at submission nor invalidated on CPU access).
 * Reads through such a mapping are uncached and slow. Only a GPU that does
 * not snoop CPU caches accepts it; a coherent GPU refuses it with -EINVAL,
 * since it gains nothing from it.
 */
#define DRM_GMMU_BO_CREATE_WC		(1u << 0)

/** DRM_GMMU_BO_CREATE_EXT_PRIVATE - name of &struct drm_gmmu_bo_create_ext_private */
#define DRM_GMMU_BO_CREATE_EXT_PRIVATE	1

/**
 * struct drm_gmmu_bo_create_args - argument of a driver's BO_CREATE
 *
 * Creates a buffer object with shmem backing. Backing pages are allocated
 * on first use; on a GPU whose DMA cannot reach all memory they come from
 * below its DMA limit.
 *
 * Errors: -EINVAL for a bad @size or flag; -ENOENT for an unknown VM in
 * %DRM_GMMU_BO_CREATE_EXT_PRIVATE; -EFAULT for an unreadable extension;
 * -ENODEV after the device is gone; -ENOMEM.
 */
struct drm_gmmu_bo_create_args {
	/**
	 * @extensions: chain of &struct drm_gmmu_user_extension; known:
	 * %DRM_GMMU_BO_CREATE_EXT_PRIVATE (&struct drm_gmmu_bo_create_ext_private).
	 */
	__u64 extensions;
	/**
	 * @size: size in bytes: non-zero, a multiple of 4096, at most the
	 * driver's largest BO size (its GET_PARAM reports it); -EINVAL otherwise.
	 */
	__u64 size;
	/**
	 * @flags: zero for a cached (write-back) BO, or
	 * %DRM_GMMU_BO_CREATE_WC; any other bit is -EINVAL.
	 */
	__u32 flags;
	/** @handle: out, the GEM handle of the new BO. */
	__u32 handle;
};

/**
 * struct drm_gmmu_bo_create_ext_private - make the new BO private to a VM
 *
 * A VM-private BO shares the reservation object of its VM, so a submission
 * locks and fences all of the VM's private BOs at once. It can be bound only
 * in that VM (-EINVAL elsewhere) and keeps the VM's reservation object alive,
 * not the VM's mappings. At most one per chain (-EINVAL).
 */
struct drm_gmmu_bo_create_ext_private {
	/** @base: name is %DRM_GMMU_BO_CREATE_EXT_PRIVATE. */
	struct drm_gmmu_user_extension base;
	/** @vm_id: the VM, of the same file; -ENOENT if there is none. */
	__u32 vm_id;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_gmmu_bo_mmap_offset_args - argument of a driver's BO_MMAP_OFFSET
 *
 * The fake offset to pass to mmap() on the DRM file to map the BO.
 */
struct drm_gmmu_bo_mmap_offset_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @handle: the BO; -ENOENT if there is no such handle. */
	__u32 handle;
	/** @flags: must be zero. */
	__u32 flags;
	/** @offset: out, the mmap offset. */
	__u64 offset;
};

/**
 * struct drm_gmmu_bo_wait_args - argument of a driver's WAIT_BO
 *
 * Waits until no submitted work uses the BO. For a VM-private BO that is
 * all work submitted on its VM. Returns 0 once idle, -EBUSY if
 * @timeout_ns is 0 and the BO is busy, -ETIMEDOUT when the time ran out,
 * -EINTR/-ERESTARTSYS on a signal.
 */
struct drm_gmmu_bo_wait_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @handle: the BO; -ENOENT if there is none. */
	__u32 handle;
	/** @flags: must be zero. */
	__u32 flags;
	/** @timeout_ns: how long to wait, relative; 0 only checks; negative: -EINVAL. */
	__s64 timeout_ns;
};

/** DRM_GMMU_BO_CPU_ACCESS_START - open a CPU-access bracket */
#define DRM_GMMU_BO_CPU_ACCESS_START	(1u << 0)
/** DRM_GMMU_BO_CPU_ACCESS_END - close a bracket opened with START */
#define DRM_GMMU_BO_CPU_ACCESS_END	(1u << 1)
/** DRM_GMMU_BO_CPU_ACCESS_READ - the CPU reads what the GPU wrote */
#define DRM_GMMU_BO_CPU_ACCESS_READ	(1u << 2)
/** DRM_GMMU_BO_CPU_ACCESS_WRITE - the CPU writes for the GPU to read */
#define DRM_GMMU_BO_CPU_ACCESS_WRITE	(1u << 3)

/**
 * struct drm_gmmu_bo_cpu_access_args - argument of a driver's BO_CPU_ACCESS
 *
 * Explicit bracketing of CPU access to a range of a BO through a cached
 * mmap, as DMA_BUF_IOCTL_SYNC is for an exported BO. START waits for
 * every job that can reach the BO, then, on a GPU that does not snoop,
 * invalidates the CPU caches over the pages of the range the GPU may have
 * written, whatever the direction. END with WRITE marks the range
 * CPU-written: it is flushed at the next submission that can reach the BO.
 * Writes through the mapping are also learnt from write faults, so
 * brackets are optional for correctness; they let the CPU wait and
 * invalidate up front, and report the exact range written. A bracket
 * belongs to the file that opened it: an END closes this file's bracket on
 * the same BO, @offset and @size, and the brackets a file leaves open are
 * closed when it is closed. A file has at most
 * %DRM_GMMU_MAX_CPU_ACCESS_PER_FILE brackets open.
 *
 * Returns 0; -EINVAL for unknown flags, not exactly one of START and END,
 * neither READ nor WRITE, a zero size, a range outside the BO or that
 * overflows, or an END that matches no bracket this file has open;
 * -ENOSPC for a START past the file's limit; -ENOENT for an unknown
 * handle; -EFAULT for an unreadable extension; -EINTR/-ERESTARTSYS if
 * START is interrupted while waiting; -ENOMEM. A failed call changes
 * nothing.
 */
struct drm_gmmu_bo_cpu_access_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @handle: the BO. */
	__u32 handle;
	/**
	 * @flags: exactly one of %DRM_GMMU_BO_CPU_ACCESS_START and
	 * %DRM_GMMU_BO_CPU_ACCESS_END, with %DRM_GMMU_BO_CPU_ACCESS_READ
	 * and/or %DRM_GMMU_BO_CPU_ACCESS_WRITE.
	 */
	__u32 flags;
	/** @offset: first byte of the range, in the BO. */
	__u64 offset;
	/** @size: bytes, at least one; @offset + @size within the BO. */
	__u64 size;
};

/**
 * struct drm_gmmu_vm_create_args - argument of a driver's VM_CREATE
 *
 * Creates a GPU context address space (VM) with its own level-2 page
 * tables and, on a driver whose VMs have queues, its queue 0. The lowest
 * usable address is the driver's (the page at 0 is never mapped, so that a
 * null GPU pointer faults); the highest is below 2^(the GPU's VA bits).
 *
 * Errors: -EINVAL for non-zero @flags; -ENOSPC when the file already has
 * %DRM_GMMU_MAX_VMS_PER_FILE VMs (checked before anything is built);
 * -ENODEV after the device is gone; -ENOMEM.
 */
struct drm_gmmu_vm_create_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @flags: must be zero. */
	__u32 flags;
	/** @vm_id: out, the VM's id in this file, never 0. */
	__u32 vm_id;
};

/**
 * struct drm_gmmu_vm_destroy_args - argument of a driver's VM_DESTROY
 *
 * Waits for the VM's submitted work, unmaps everything and drops the id.
 * BOs stay; private BOs can no longer be bound anywhere.
 */
struct drm_gmmu_vm_destroy_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM; -ENOENT if there is none. */
	__u32 vm_id;
	/** @flags: must be zero. */
	__u32 flags;
};

/**
 * enum drm_gmmu_vm_bind_op_kind - what one operation of VM_BIND does
 */
enum drm_gmmu_vm_bind_op_kind {
	/**
	 * @DRM_GMMU_VM_BIND_OP_MAP: map [@bo_offset, @bo_offset + @range) of
	 * the BO at [@va, @va + @range). Whatever was mapped there before is
	 * unmapped first, in the same call.
	 */
	DRM_GMMU_VM_BIND_OP_MAP = 1,
	/**
	 * @DRM_GMMU_VM_BIND_OP_UNMAP: unmap [@va, @va + @range); mappings
	 * that straddle an end are split, holes are not an error. @handle,
	 * @bo_offset and @flags must be zero.
	 */
	DRM_GMMU_VM_BIND_OP_UNMAP = 2,
	/**
	 * @DRM_GMMU_VM_BIND_OP_MAP_SPARSE: map [@va, @va + @range) to no
	 * memory: the GPU's reads there return zeros and its writes are
	 * dropped, without a fault (Vulkan's sparse residency). Replaces
	 * what was mapped there, like MAP; a later MAP or UNMAP over part
	 * of it splits it. @handle, @bo_offset and @flags must be zero.
	 */
	DRM_GMMU_VM_BIND_OP_MAP_SPARSE = 3,
};

/** DRM_GMMU_VM_BIND_MAP_READONLY - the GPU may read the mapping, not write it */
#define DRM_GMMU_VM_BIND_MAP_READONLY	(1u << 0)

/**
 * DRM_GMMU_VM_BIND_ASYNC - &drm_gmmu_vm_bind_args.flags: run the array as
 * a job on the VM's bind queue, ordered by syncobjs
 */
#define DRM_GMMU_VM_BIND_ASYNC	(1u << 0)

/** DRM_GMMU_VM_BIND_MAX_OPS - operations one VM_BIND may carry */
#define DRM_GMMU_VM_BIND_MAX_OPS	1024

/**
 * struct drm_gmmu_vm_bind_op - one operation of a VM_BIND array
 *
 * Ranges are in 4 KiB units and lie inside the VM; two operations of one
 * array may not overlap.
 */
struct drm_gmmu_vm_bind_op {
	/** @op: one of &enum drm_gmmu_vm_bind_op_kind. */
	__u32 op;
	/** @flags: %DRM_GMMU_VM_BIND_MAP_READONLY for a MAP, or zero. */
	__u32 flags;
	/** @handle: the BO to map; zero for UNMAP. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
	/** @bo_offset: offset in the BO of the first mapped byte; 4 KiB-aligned. */
	__u64 bo_offset;
	/** @va: GPU virtual address; 4 KiB-aligned. */
	__u64 va;
	/** @range: size in bytes; non-zero, 4 KiB-aligned. */
	__u64 range;
};

/**
 * struct drm_gmmu_vm_bind_args - argument of a driver's VM_BIND
 *
 * An array of operations ({@ops, @op_count, @op_stride}), carried out in
 * order, all or nothing: the whole array is checked and everything it
 * needs obtained before anything changes. The level-2 TLB is invalidated
 * once for the whole array. Unmapping a range that running work still
 * uses makes that work fault; it never lets the GPU reach freed memory.
 *
 * Synchronous by default: when the ioctl returns the level-2 tables are
 * updated, after every asynchronous bind of the VM submitted before it.
 * An array of no operation then does nothing. The sync fields must be 0.
 *
 * With %DRM_GMMU_VM_BIND_ASYNC the array runs as a job on the VM's bind
 * queue, after the fences of @in_syncs and after the VM's earlier
 * asynchronous binds, and signals @out_syncs (&struct drm_gmmu_sync
 * arrays, as a submission's). The ioctl checks the array and obtains
 * everything it needs, so the job cannot fail by itself; only its
 * fences can. Jobs that wait for the out-syncobjs see the new mappings;
 * others may see the old ones or fault. If a fence the bind waits for
 * fails, the bind does not happen and its out-fence carries that error;
 * so does every asynchronous bind of the VM submitted after it until it
 * and those have all completed (each waits for the previous one, and was
 * checked against the mappings the failed one would have made), and the
 * VM ends as it was before the failed array. An empty array is a
 * barrier: a job that signals after its fences and the VM's earlier
 * binds.
 *
 * Errors: -ENOENT for an unknown VM, BO handle or syncobj; -EINVAL for an
 * unknown flag, non-zero padding, sync fields without
 * %DRM_GMMU_VM_BIND_ASYNC, more than %DRM_GMMU_VM_BIND_MAX_OPS operations
 * or %DRM_GMMU_MAX_SYNCS syncs, a bad @op_stride or @sync_stride, an
 * unknown op or flag, a range that is zero, not 4 KiB-aligned, overflows,
 * lies outside the VM or (for MAP) outside the BO, two operations that
 * overlap, a BO private to another VM, or a bad &struct drm_gmmu_sync;
 * -EOPNOTSUPP for MAP_SPARSE on a GPU whose page tables have no sparse
 * entries; -ECANCELED on a VM banned for hanging; -EFAULT for an
 * unreadable array;
 * -ENODEV after the device is gone; -ENOMEM; -EINTR or -ERESTARTSYS when a
 * synchronous bind waiting for earlier asynchronous ones is interrupted.
 * On error nothing has changed.
 */
struct drm_gmmu_vm_bind_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM. */
	__u32 vm_id;
	/** @flags: %DRM_GMMU_VM_BIND_ASYNC or zero. */
	__u32 flags;
	/** @ops: user pointer to @op_count &struct drm_gmmu_vm_bind_op. */
	__u64 ops;
	/** @op_count: operations, at most %DRM_GMMU_VM_BIND_MAX_OPS. */
	__u32 op_count;
	/**
	 * @op_stride: sizeof(struct drm_gmmu_vm_bind_op) as userspace knows
	 * it: a multiple of 8, at least 40 and at most
	 * %DRM_GMMU_MAX_ARRAY_STRIDE; ignored when @op_count is 0.
	 */
	__u32 op_stride;
	/**
	 * @in_syncs: with %DRM_GMMU_VM_BIND_ASYNC, user pointer to
	 * @in_sync_count &struct drm_gmmu_sync the bind waits for.
	 */
	__u64 in_syncs;
	/**
	 * @out_syncs: with %DRM_GMMU_VM_BIND_ASYNC, user pointer to
	 * @out_sync_count &struct drm_gmmu_sync the bind signals.
	 */
	__u64 out_syncs;
	/** @in_sync_count: at most %DRM_GMMU_MAX_SYNCS. */
	__u32 in_sync_count;
	/** @out_sync_count: at most %DRM_GMMU_MAX_SYNCS. */
	__u32 out_sync_count;
	/**
	 * @sync_stride: sizeof(struct drm_gmmu_sync) as userspace knows it,
	 * as for a submission; ignored when both counts are 0.
	 */
	__u32 sync_stride;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_gmmu_vm_get_fault_args - argument of a driver's VM_GET_FAULT
 *
 * Reports the GPU page faults of a VM: how many there were and the most
 * recent one. Reading does not clear them.
 */
struct drm_gmmu_vm_get_fault_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM; -ENOENT if there is none. */
	__u32 vm_id;
	/** @flags: must be zero. */
	__u32 flags;
	/** @count: out, faults since the VM was created (saturates at 2^32 - 1). */
	__u32 count;
	/** @access: out, DRM_GMMU_FAULT_* bits of the most recent fault. */
	__u32 access;
	/** @va: out, GPU address of the most recent fault. */
	__u64 va;
	/** @seqno: out, the job that faulted most recently. */
	__u64 seqno;
};

/**
 * struct drm_gmmu_vm_read_faults_args - argument of a driver's VM_READ_FAULTS
 *
 * Reads the GPU page faults of a VM, oldest first, as records of &struct
 * drm_gmmu_fault (address, access, the translation level that failed, the
 * faulting job's queue and seqno, a timestamp). A VM keeps its last
 * %DRM_GMMU_FAULT_RING_SIZE faults; older ones are dropped and counted.
 * The records returned leave the VM's ring, so the next read returns newer
 * ones. Only the file that owns the VM can read them.
 *
 * Errors: -ENOENT for an unknown VM; -EINVAL for non-zero @flags or @pad
 * or a bad @stride; -EFAULT for an unwritable array or an unreadable
 * extension (the records then stay in the ring); -ENOMEM.
 */
struct drm_gmmu_vm_read_faults_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM. */
	__u32 vm_id;
	/** @flags: must be zero. */
	__u32 flags;
	/** @faults: user pointer to @count &struct drm_gmmu_fault. */
	__u64 faults;
	/** @count: in, room in @faults; out, records written. */
	__u32 count;
	/**
	 * @stride: sizeof(struct drm_gmmu_fault) as userspace knows it: a
	 * multiple of 8, at least 40 and at most %DRM_GMMU_MAX_ARRAY_STRIDE;
	 * bytes past the kernel's struct are zeroed.
	 */
	__u32 stride;
	/** @dropped: out, records lost to a full ring since the VM was created. */
	__u64 dropped;
	/** @pad: must be zero. */
	__u64 pad;
};

/**
 * struct drm_gmmu_queue_create_args - argument of a driver's QUEUE_CREATE
 *
 * Creates another queue on a VM. Every queue has its own scheduler and
 * runs concurrently with the VM's other queues and with every other VM's:
 * work on one queue never waits behind a stalled queue. Each VM also has a
 * queue of id 0 from its creation, which cannot be destroyed on its own.
 *
 * Errors: -ENOENT for an unknown VM; -EINVAL for non-zero @flags or @pad;
 * -ENOSPC when the VM has as many queues as the driver allows (checked
 * before anything is built); -ENODEV after the device is gone; -ENOMEM.
 */
struct drm_gmmu_queue_create_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM whose address space the queue's jobs run in. */
	__u32 vm_id;
	/** @flags: must be zero. */
	__u32 flags;
	/** @queue_id: out, the queue's id within the VM, never 0. */
	__u32 queue_id;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_gmmu_queue_destroy_args - argument of a driver's QUEUE_DESTROY
 *
 * Refuses further submissions to the queue, waits for the jobs already
 * submitted to it and frees it. Fences of its jobs stay valid.
 *
 * Errors: -ENOENT for an unknown VM or queue (queue 0 included: it goes
 * with its VM); -EINVAL for non-zero @flags or @pad.
 */
struct drm_gmmu_queue_destroy_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM. */
	__u32 vm_id;
	/** @queue_id: the queue. */
	__u32 queue_id;
	/** @flags: must be zero. */
	__u32 flags;
	/** @pad: must be zero. */
	__u32 pad;
};

/** DRM_GMMU_SUBMIT_FENCE_OUT - return a sync_file of the job's fence in @out_fence_fd */
#define DRM_GMMU_SUBMIT_FENCE_OUT	(1u << 0)

/**
 * DRM_GMMU_SUBMIT_IMPLICIT_SYNC - the job also waits for the fences already
 * on the shared BOs of its VM (implicit synchronisation): where the VM maps
 * a BO writable, for its readers and writers; where read-only, for its
 * writers. Without it the job waits only for its in-syncs.
 */
#define DRM_GMMU_SUBMIT_IMPLICIT_SYNC	(1u << 1)

/**
 * struct drm_gmmu_submit - what drm_gmmu handles of a submission
 *
 * Embedded in every driver's submission ioctl; the driver's own fields
 * (where its job's commands are) come beside it. The job goes to a queue
 * of a VM. Jobs of one queue run in submission order, on one fence
 * context; a job does not start before every fence of its in-syncs has
 * signalled, and when one of them failed it does not run and takes its
 * error. Its fence goes to the out-syncobjs, to @out_fence_fd with
 * %DRM_GMMU_SUBMIT_FENCE_OUT, and to the shared BOs bound in the VM, READ
 * where the VM maps them read-only and WRITE elsewhere (see
 * Documentation/lifetime.rst).
 *
 * Errors: -ENOENT for an unknown VM, queue or syncobj; -EINVAL for unknown
 * flags, non-zero @pad, unknown sync flags, more than %DRM_GMMU_MAX_SYNCS
 * syncs, a bad @sync_stride, an in-syncobj with no fence (or no @point)
 * to wait for yet (a job may only wait for work already submitted), an
 * in-sync with %DRM_GMMU_SYNC_SYNC_FILE whose descriptor is not a
 * sync_file or that has a @point, or %DRM_GMMU_SYNC_SYNC_FILE in an
 * out-sync; -EMFILE when no descriptor is left for the out-fence; -EFAULT
 * for an unreadable sync array; -ENODEV after the device is gone;
 * -ECANCELED once the VM is banned (a job of it hung: see
 * &struct drm_gmmu_vm_get_reset_stats_args); -ENOMEM. On error nothing
 * was submitted and no syncobj changed.
 */
struct drm_gmmu_submit {
	/** @vm_id: the VM; -ENOENT if there is none. */
	__u32 vm_id;
	/** @queue_id: the VM's queue: 0, or an id from the driver's QUEUE_CREATE. */
	__u32 queue_id;
	/** @flags: %DRM_GMMU_SUBMIT_FENCE_OUT, %DRM_GMMU_SUBMIT_IMPLICIT_SYNC. */
	__u32 flags;
	/**
	 * @out_fence_fd: out, with %DRM_GMMU_SUBMIT_FENCE_OUT: a sync_file
	 * (close-on-exec) that signals when the job is done; its status is the
	 * job's outcome. -1 otherwise.
	 */
	__s32 out_fence_fd;
	/** @seqno: out, the job's sequence number on its queue, from 1. */
	__u64 seqno;
	/**
	 * @in_syncs: user pointer to @in_sync_count &struct drm_gmmu_sync to
	 * wait for: syncobjs, timeline points, sync_files.
	 */
	__u64 in_syncs;
	/** @out_syncs: user pointer to @out_sync_count &struct drm_gmmu_sync to signal. */
	__u64 out_syncs;
	/** @in_sync_count: fences to wait for, at most %DRM_GMMU_MAX_SYNCS. */
	__u32 in_sync_count;
	/** @out_sync_count: syncobjs to signal, at most %DRM_GMMU_MAX_SYNCS. */
	__u32 out_sync_count;
	/**
	 * @sync_stride: sizeof(struct drm_gmmu_sync) as userspace knows it, a
	 * multiple of 8, at least 16 and at most %DRM_GMMU_MAX_ARRAY_STRIDE;
	 * ignored when both counts are 0.
	 */
	__u32 sync_stride;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * DRM_GMMU_RESET_STATUS_BANNED - &drm_gmmu_vm_get_reset_stats_args.status:
 * the VM is banned
 *
 * A job of the VM ran past its queue's timeout: the job failed with
 * -ETIMEDOUT, only its queue's hardware was reset, and the VM is banned
 * for good: its jobs not yet on the hardware complete with -ECANCELED
 * without running, and every later submission to it fails with
 * -ECANCELED. Other VMs are not touched. Make a new VM.
 */
#define DRM_GMMU_RESET_STATUS_BANNED	(1u << 0)

/**
 * struct drm_gmmu_vm_get_reset_stats_args - argument of a driver's
 *	VM_GET_RESET_STATS: what hangs did to a VM (a context), as
 *	GET_RESET_STATS does elsewhere
 *
 * Errors: -ENOENT for an unknown VM; -EINVAL for non-zero @flags or an
 * unknown extension; -ENODEV after the device is gone. The out fields are
 * ignored on input.
 */
struct drm_gmmu_vm_get_reset_stats_args {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM; -ENOENT if there is none. */
	__u32 vm_id;
	/** @flags: must be zero. */
	__u32 flags;
	/** @status: out, %DRM_GMMU_RESET_STATUS_BANNED or 0. */
	__u32 status;
	/** @hangs: out, jobs of the VM that ran past their queue's timeout. */
	__u32 hangs;
	/**
	 * @cancelled: out, jobs of the VM that completed with -ECANCELED
	 * because of a hang: behind the hung job on its queue's hardware, or
	 * not yet run when the VM was banned.
	 */
	__u32 cancelled;
	/** @guilty_queue_id: out, the queue of the last hung job; 0 if none. */
	__u32 guilty_queue_id;
	/** @guilty_seqno: out, the last hung job's seqno on its queue; 0 if none. */
	__u64 guilty_seqno;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_GMMU_DRM_H_ */
