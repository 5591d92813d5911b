/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * uapi of swgpu, the reference software GPU of the gmmu framework.
 * Every struct follows Documentation/uapi-rules.rst: a __u64 extensions
 * chain first, naturally aligned fields, explicit padding that must be zero,
 * unknown flags rejected, the same layout on i386 and x86_64.
 */
#ifndef _UAPI_SWGPU_DRM_H_
#define _UAPI_SWGPU_DRM_H_

#include "drm.h"
#include "gmmu_drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_SWGPU_GET_PARAM		0x00
#define DRM_SWGPU_BO_CREATE		0x01
#define DRM_SWGPU_BO_MMAP_OFFSET	0x02
#define DRM_SWGPU_VM_CREATE		0x03
#define DRM_SWGPU_VM_DESTROY		0x04
#define DRM_SWGPU_VM_BIND		0x05
#define DRM_SWGPU_EXEC			0x06
#define DRM_SWGPU_WAIT_BO		0x07
#define DRM_SWGPU_VM_GET_FAULT		0x08
#define DRM_SWGPU_QUEUE_CREATE		0x09
#define DRM_SWGPU_QUEUE_DESTROY		0x0a

#define DRM_IOCTL_SWGPU_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_GET_PARAM, struct drm_swgpu_get_param)
#define DRM_IOCTL_SWGPU_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_BO_CREATE, struct drm_swgpu_bo_create)
#define DRM_IOCTL_SWGPU_BO_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_BO_MMAP_OFFSET, struct drm_swgpu_bo_mmap_offset)
#define DRM_IOCTL_SWGPU_VM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_VM_CREATE, struct drm_swgpu_vm_create)
#define DRM_IOCTL_SWGPU_VM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_VM_DESTROY, struct drm_swgpu_vm_destroy)
#define DRM_IOCTL_SWGPU_VM_BIND \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_VM_BIND, struct drm_swgpu_vm_bind)
#define DRM_IOCTL_SWGPU_EXEC \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_EXEC, struct drm_swgpu_exec)
#define DRM_IOCTL_SWGPU_WAIT_BO \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_WAIT_BO, struct drm_swgpu_wait_bo)
#define DRM_IOCTL_SWGPU_VM_GET_FAULT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_VM_GET_FAULT, struct drm_swgpu_vm_get_fault)
#define DRM_IOCTL_SWGPU_QUEUE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_QUEUE_CREATE, struct drm_swgpu_queue_create)
#define DRM_IOCTL_SWGPU_QUEUE_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_QUEUE_DESTROY, struct drm_swgpu_queue_destroy)

/* CPU-access brackets (issue 7): the ioctl, its flags and argument. */
#define DRM_SWGPU_BO_CPU_ACCESS		0x0b

/** DRM_SWGPU_BO_CPU_ACCESS_START - open a CPU-access bracket */
#define DRM_SWGPU_BO_CPU_ACCESS_START	(1u << 0)
/** DRM_SWGPU_BO_CPU_ACCESS_END - close a bracket opened with START */
#define DRM_SWGPU_BO_CPU_ACCESS_END	(1u << 1)
/** DRM_SWGPU_BO_CPU_ACCESS_READ - the CPU reads what the GPU wrote */
#define DRM_SWGPU_BO_CPU_ACCESS_READ	(1u << 2)
/** DRM_SWGPU_BO_CPU_ACCESS_WRITE - the CPU writes for the GPU to read */
#define DRM_SWGPU_BO_CPU_ACCESS_WRITE	(1u << 3)

/**
 * struct drm_swgpu_bo_cpu_access - argument of DRM_IOCTL_SWGPU_BO_CPU_ACCESS
 *
 * Explicit bracketing of CPU access to a range of a BO through a cached
 * mmap, as DMA_BUF_IOCTL_SYNC is for an exported BO. START waits for
 * every job that can reach the BO, then, on a GPU that does not snoop
 * (DRM_SWGPU_PARAM_COHERENT is 0), invalidates the CPU caches over the
 * pages of the range the GPU may have written, whatever the direction.
 * END with WRITE marks the range CPU-written: it is flushed at the next
 * submission that can reach the BO. Writes through the mapping are also
 * learnt from write faults, so brackets are optional for correctness on
 * swgpu; they let the CPU wait and invalidate up front, and report the
 * exact range written. A bracket belongs to the file that opened it: an
 * END closes this file's bracket on the same BO, @offset and @size, and
 * the brackets a file leaves open are closed when it is closed. A file
 * has at most %DRM_GMMU_MAX_CPU_ACCESS_PER_FILE brackets open.
 *
 * Returns 0; -EINVAL for unknown flags, not exactly one of START and END,
 * neither READ nor WRITE, a zero size, a range outside the BO or that
 * overflows, or an END that matches no bracket this file has open;
 * -ENOSPC for a START past the file's limit; -ENOENT for an unknown
 * handle; -EFAULT for an unreadable extension; -EINTR/-ERESTARTSYS if
 * START is interrupted while waiting; -ENOMEM. A failed call changes
 * nothing.
 */
struct drm_swgpu_bo_cpu_access {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @handle: the BO. */
	__u32 handle;
	/**
	 * @flags: exactly one of %DRM_SWGPU_BO_CPU_ACCESS_START and
	 * %DRM_SWGPU_BO_CPU_ACCESS_END, with %DRM_SWGPU_BO_CPU_ACCESS_READ
	 * and/or %DRM_SWGPU_BO_CPU_ACCESS_WRITE.
	 */
	__u32 flags;
	/** @offset: first byte of the range, in the BO. */
	__u64 offset;
	/** @size: bytes, at least one; @offset + @size within the BO. */
	__u64 size;
};

#define DRM_IOCTL_SWGPU_BO_CPU_ACCESS \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_BO_CPU_ACCESS, struct drm_swgpu_bo_cpu_access)

/**
 * enum drm_swgpu_param - what DRM_IOCTL_SWGPU_GET_PARAM can report
 *
 * Features are discovered by asking: a parameter the kernel does not know
 * returns -EINVAL, so userspace can probe for newer ones.
 */
enum drm_swgpu_param {
	/** @DRM_SWGPU_PARAM_INVALID: never valid, so a zeroed struct fails. */
	DRM_SWGPU_PARAM_INVALID = 0,
	/** @DRM_SWGPU_PARAM_PROFILE: one of &enum drm_swgpu_profile. */
	DRM_SWGPU_PARAM_PROFILE = 1,
	/**
	 * @DRM_SWGPU_PARAM_COHERENT: 1 if the GPU snoops CPU caches, 0 if
	 * CPU caches must be flushed and invalidated around GPU access.
	 */
	DRM_SWGPU_PARAM_COHERENT = 2,
	/** @DRM_SWGPU_PARAM_VA_BITS: width of a context's GPU virtual address. */
	DRM_SWGPU_PARAM_VA_BITS = 3,
	/** @DRM_SWGPU_PARAM_DMA_BITS: width of the device's DMA mask (level 1). */
	DRM_SWGPU_PARAM_DMA_BITS = 4,
	/** @DRM_SWGPU_PARAM_PAGE_SIZES: bitmap of GPU page sizes, bit n = 2^n bytes. */
	DRM_SWGPU_PARAM_PAGE_SIZES = 5,
	/** @DRM_SWGPU_PARAM_SLOT: index of this GPU among the hardware slots. */
	DRM_SWGPU_PARAM_SLOT = 6,
	/**
	 * @DRM_SWGPU_PARAM_MAX_BO_SIZE: largest size DRM_IOCTL_SWGPU_BO_CREATE
	 * accepts: the smaller of system RAM and the GPU VA space.
	 */
	DRM_SWGPU_PARAM_MAX_BO_SIZE = 7,
	/**
	 * @DRM_SWGPU_PARAM_BO_CREATE_FLAGS: the &drm_swgpu_bo_create.flags
	 * this GPU accepts, e.g. %DRM_SWGPU_BO_CREATE_WC on a GPU that does
	 * not snoop CPU caches.
	 */
	DRM_SWGPU_PARAM_BO_CREATE_FLAGS = 8,
};

/**
 * enum drm_swgpu_profile - hardware profiles of the software GPU
 */
enum drm_swgpu_profile {
	/** @DRM_SWGPU_PROFILE_LLC: coherent with CPU caches, 48-bit VA, large pages. */
	DRM_SWGPU_PROFILE_LLC = 0,
	/** @DRM_SWGPU_PROFILE_ATOM: does not snoop CPU caches, 32-bit DMA and VA. */
	DRM_SWGPU_PROFILE_ATOM = 1,
};

/**
 * struct drm_swgpu_get_param - argument of DRM_IOCTL_SWGPU_GET_PARAM
 */
struct drm_swgpu_get_param {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @param: one of &enum drm_swgpu_param. */
	__u32 param;
	/** @flags: must be zero. */
	__u32 flags;
	/** @value: out, the parameter's value. */
	__u64 value;
};

/**
 * struct drm_swgpu_bo_create - argument of DRM_IOCTL_SWGPU_BO_CREATE
 *
 * Creates a buffer object with shmem backing. Backing pages are allocated
 * on first use; on a GPU whose DMA cannot reach all memory they come from
 * below its DMA limit.
 */
struct drm_swgpu_bo_create {
	/**
	 * @extensions: chain of &struct drm_gmmu_user_extension; known:
	 * %DRM_SWGPU_BO_CREATE_EXT_PRIVATE (&struct drm_swgpu_bo_create_ext_private).
	 */
	__u64 extensions;
	/**
	 * @size: size in bytes: non-zero, a multiple of 4096, at most
	 * DRM_SWGPU_PARAM_MAX_BO_SIZE; -EINVAL otherwise.
	 */
	__u64 size;
	/**
	 * @flags: zero for a cached (write-back) BO, or
	 * %DRM_SWGPU_BO_CREATE_WC; any other bit is -EINVAL.
	 */
	__u32 flags;
	/** @handle: out, the GEM handle of the new BO. */
	__u32 handle;
};

/**
 * DRM_SWGPU_BO_CREATE_WC - flag of &drm_swgpu_bo_create: write-combined BO
 *
 * CPU mappings of the BO (mmap) are write-combined: CPU writes bypass the
 * caches, so a GPU that does not snoop them needs no cache maintenance for
 * it (nothing is flushed at submission nor invalidated on CPU access).
 * Reads through such a mapping are uncached and slow. Only a GPU that does
 * not snoop CPU caches accepts it (DRM_SWGPU_PARAM_COHERENT is 0); a
 * coherent GPU refuses it with -EINVAL, since it gains nothing from it.
 */
#define DRM_SWGPU_BO_CREATE_WC		(1u << 0)

/** DRM_SWGPU_BO_CREATE_EXT_PRIVATE - name of &struct drm_swgpu_bo_create_ext_private */
#define DRM_SWGPU_BO_CREATE_EXT_PRIVATE	1

/**
 * struct drm_swgpu_bo_create_ext_private - make the new BO private to a VM
 *
 * A VM-private BO shares the reservation object of its VM, so a submission
 * locks and fences all of the VM's private BOs at once. It can be bound only
 * in that VM (-EINVAL elsewhere) and keeps the VM's reservation object alive,
 * not the VM's mappings. At most one per chain (-EINVAL).
 */
struct drm_swgpu_bo_create_ext_private {
	/** @base: name is %DRM_SWGPU_BO_CREATE_EXT_PRIVATE. */
	struct drm_gmmu_user_extension base;
	/** @vm_id: the VM, of the same file; -ENOENT if there is none. */
	__u32 vm_id;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_swgpu_bo_mmap_offset - argument of DRM_IOCTL_SWGPU_BO_MMAP_OFFSET
 *
 * The fake offset to pass to mmap() on the DRM file to map the BO.
 */
struct drm_swgpu_bo_mmap_offset {
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
 * struct drm_swgpu_vm_create - argument of DRM_IOCTL_SWGPU_VM_CREATE
 *
 * Creates a GPU context address space (VM) with its own level-2 page tables
 * and one hardware queue. The VM's usable addresses are
 * [%DRM_SWGPU_VM_VA_START, 2^DRM_SWGPU_PARAM_VA_BITS); the page at 0 is never
 * mapped so that a null GPU pointer faults.
 *
 * Errors: -EINVAL for non-zero @flags; -ENOSPC when the file already has
 * %DRM_GMMU_MAX_VMS_PER_FILE VMs (checked before anything is built);
 * -ENODEV after the device is gone; -ENOMEM.
 */
struct drm_swgpu_vm_create {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @flags: must be zero. */
	__u32 flags;
	/** @vm_id: out, the VM's id in this file, never 0. */
	__u32 vm_id;
};

/** DRM_SWGPU_VM_VA_START - lowest GPU address a VM maps */
#define DRM_SWGPU_VM_VA_START	0x10000ull

/**
 * struct drm_swgpu_vm_destroy - argument of DRM_IOCTL_SWGPU_VM_DESTROY
 *
 * Waits for the VM's submitted work, unmaps everything and drops the id.
 * BOs stay; private BOs can no longer be bound anywhere.
 */
struct drm_swgpu_vm_destroy {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM; -ENOENT if there is none. */
	__u32 vm_id;
	/** @flags: must be zero. */
	__u32 flags;
};

/**
 * enum drm_swgpu_vm_bind_op - what DRM_IOCTL_SWGPU_VM_BIND does
 */
enum drm_swgpu_vm_bind_op {
	/**
	 * @DRM_SWGPU_VM_BIND_OP_MAP: map [@bo_offset, @bo_offset + @range) of
	 * the BO at [@va, @va + @range). Whatever was mapped there before is
	 * unmapped first, in the same call.
	 */
	DRM_SWGPU_VM_BIND_OP_MAP = 1,
	/**
	 * @DRM_SWGPU_VM_BIND_OP_UNMAP: unmap [@va, @va + @range); mappings
	 * that straddle an end are split. @handle, @bo_offset and @flags must
	 * be zero.
	 */
	DRM_SWGPU_VM_BIND_OP_UNMAP = 2,
};

/** DRM_SWGPU_VM_BIND_READONLY - the GPU may read the mapping, not write it */
#define DRM_SWGPU_VM_BIND_READONLY	(1u << 0)

/**
 * struct drm_swgpu_vm_bind - argument of DRM_IOCTL_SWGPU_VM_BIND
 *
 * Synchronous: when the ioctl returns the level-2 tables are updated and
 * the GPU's TLB invalidated. Unmapping a range that running work still uses
 * makes that work fault; it never lets the GPU reach freed memory.
 *
 * Errors: -ENOENT for an unknown VM or BO handle; -EINVAL for an unknown op
 * or flag, non-zero padding, a range that is zero, not 4 KiB-aligned,
 * overflows, lies outside the VM or (for MAP) outside the BO, or a BO
 * private to another VM; -ENOMEM. On error nothing has changed.
 */
struct drm_swgpu_vm_bind {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM. */
	__u32 vm_id;
	/** @op: one of &enum drm_swgpu_vm_bind_op. */
	__u32 op;
	/** @handle: the BO to map; zero for UNMAP. */
	__u32 handle;
	/** @flags: %DRM_SWGPU_VM_BIND_READONLY, or zero. */
	__u32 flags;
	/** @bo_offset: offset in the BO of the first mapped byte; 4 KiB-aligned. */
	__u64 bo_offset;
	/** @va: GPU virtual address; 4 KiB-aligned. */
	__u64 va;
	/** @range: size in bytes; non-zero, 4 KiB-aligned. */
	__u64 range;
};

/**
 * struct drm_swgpu_queue_create - argument of DRM_IOCTL_SWGPU_QUEUE_CREATE
 *
 * Creates another hardware queue on a VM. Every queue has its own
 * scheduler and runs concurrently with the VM's other queues and with
 * every other VM's: work on one queue never waits behind a stalled queue.
 * Each VM also has a queue of id 0 from its creation, which cannot be
 * destroyed on its own.
 *
 * Errors: -ENOENT for an unknown VM; -EINVAL for non-zero @flags or @pad;
 * -ENOSPC when the VM has %DRM_SWGPU_MAX_QUEUES queues (checked before
 * anything is built); -ENOMEM.
 */
struct drm_swgpu_queue_create {
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

/** DRM_SWGPU_MAX_QUEUES - queues a VM can have, its queue 0 included */
#define DRM_SWGPU_MAX_QUEUES	64

/**
 * struct drm_swgpu_queue_destroy - argument of DRM_IOCTL_SWGPU_QUEUE_DESTROY
 *
 * Refuses further submissions to the queue, waits for the jobs already
 * submitted to it and frees it. Fences of its jobs stay valid.
 *
 * Errors: -ENOENT for an unknown VM or queue (queue 0 included: it goes
 * with its VM); -EINVAL for non-zero @flags or @pad.
 */
struct drm_swgpu_queue_destroy {
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

/** DRM_SWGPU_EXEC_FENCE_OUT - return a sync_file of the job's fence in @out_fence_fd */
#define DRM_SWGPU_EXEC_FENCE_OUT	(1u << 0)

/**
 * DRM_SWGPU_EXEC_IMPLICIT_SYNC - the job also waits for the fences already
 * on the shared BOs of its VM (implicit synchronisation): where the VM maps
 * a BO writable, for its readers and writers; where read-only, for its
 * writers. Without it the job waits only for its in-syncs.
 */
#define DRM_SWGPU_EXEC_IMPLICIT_SYNC	(1u << 1)

/** DRM_SWGPU_EXEC_MAX_SYNCS - in or out syncs one job can have */
#define DRM_SWGPU_EXEC_MAX_SYNCS	DRM_GMMU_MAX_SYNCS

/**
 * struct drm_swgpu_exec - argument of DRM_IOCTL_SWGPU_EXEC
 *
 * Submits the batch at @batch_va of the VM to one of the VM's queues. The
 * engine fetches and executes commands (see "Command stream" below) until
 * END. Jobs of one queue run in submission order, on one fence context;
 * a job does not start before every fence of its in-syncobjs has
 * signalled, and when one of them failed it does not run and takes its
 * error. Its fence goes to the out-syncobjs, to @out_fence_fd with
 * %DRM_SWGPU_EXEC_FENCE_OUT, and to the BOs bound in the VM (see
 * Documentation/lifetime.rst).
 *
 * The job's fence carries its outcome: 0; -EFAULT if the engine reached
 * an address with no mapping or wrote a read-only one (the VM records the
 * fault, see DRM_IOCTL_SWGPU_VM_GET_FAULT); -EPROTO for an unknown command,
 * a wrong length or a misaligned operand; -ETIMEDOUT if the job ran longer
 * than the engine's watchdog allows; -ENODEV if the device went away; the
 * error of a failed in-fence.
 *
 * Errors: -ENOENT for an unknown VM, queue or syncobj; -EINVAL for unknown
 * flags, non-zero @pad, unknown sync flags, a misaligned or out-of-range
 * @batch_va, more than %DRM_SWGPU_EXEC_MAX_SYNCS syncs, a bad
 * @sync_stride, an in-syncobj with no fence (or no @point) to wait for
 * yet (a job may only wait for work already submitted), an in-sync with
 * %DRM_GMMU_SYNC_SYNC_FILE whose descriptor is not a sync_file or that
 * has a @point, or %DRM_GMMU_SYNC_SYNC_FILE in an out-sync; -EMFILE when
 * no descriptor is left for the out-fence; -EFAULT for an unreadable sync
 * array; -ENOMEM. On error nothing was submitted and no syncobj changed.
 */
struct drm_swgpu_exec {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM; -ENOENT if there is none. */
	__u32 vm_id;
	/** @flags: %DRM_SWGPU_EXEC_FENCE_OUT, %DRM_SWGPU_EXEC_IMPLICIT_SYNC. */
	__u32 flags;
	/** @batch_va: GPU address of the first command; 4-byte aligned. */
	__u64 batch_va;
	/**
	 * @out_fence_fd: out, with %DRM_SWGPU_EXEC_FENCE_OUT: a sync_file
	 * (close-on-exec) that signals when the job is done; its status is the
	 * job's outcome. -1 otherwise.
	 */
	__s32 out_fence_fd;
	/** @queue_id: the VM's queue: 0, or an id from DRM_IOCTL_SWGPU_QUEUE_CREATE. */
	__u32 queue_id;
	/** @seqno: out, the job's sequence number on its queue, from 1. */
	__u64 seqno;
	/**
	 * @in_syncs: user pointer to @in_sync_count &struct drm_gmmu_sync to
	 * wait for: syncobjs, timeline points, sync_files.
	 */
	__u64 in_syncs;
	/** @out_syncs: user pointer to @out_sync_count &struct drm_gmmu_sync to signal. */
	__u64 out_syncs;
	/** @in_sync_count: syncobjs to wait for, at most %DRM_SWGPU_EXEC_MAX_SYNCS. */
	__u32 in_sync_count;
	/** @out_sync_count: syncobjs to signal, at most %DRM_SWGPU_EXEC_MAX_SYNCS. */
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
 * struct drm_swgpu_wait_bo - argument of DRM_IOCTL_SWGPU_WAIT_BO
 *
 * Waits until no submitted work uses the BO. For a VM-private BO that is
 * all work submitted on its VM. Returns 0 once idle, -EBUSY if
 * @timeout_ns is 0 and the BO is busy, -ETIMEDOUT when the time ran out,
 * -EINTR/-ERESTARTSYS on a signal.
 */
struct drm_swgpu_wait_bo {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @handle: the BO; -ENOENT if there is none. */
	__u32 handle;
	/** @flags: must be zero. */
	__u32 flags;
	/** @timeout_ns: how long to wait, relative; 0 only checks; negative: -EINVAL. */
	__s64 timeout_ns;
};

/* The access bits of a fault are drm_gmmu's, under swgpu's names. */
/** DRM_SWGPU_FAULT_READ - the faulting access was a read of data */
#define DRM_SWGPU_FAULT_READ		DRM_GMMU_FAULT_READ
/** DRM_SWGPU_FAULT_WRITE - the faulting access was a write */
#define DRM_SWGPU_FAULT_WRITE		DRM_GMMU_FAULT_WRITE
/** DRM_SWGPU_FAULT_FETCH - the faulting access was a command fetch */
#define DRM_SWGPU_FAULT_FETCH		DRM_GMMU_FAULT_FETCH
/**
 * DRM_SWGPU_FAULT_LEVEL1 - the GPU address translated, but its DMA address
 * has no level-1 mapping
 */
#define DRM_SWGPU_FAULT_LEVEL1		DRM_GMMU_FAULT_LEVEL1
/** DRM_SWGPU_FAULT_PROTECTION - a write to a read-only mapping */
#define DRM_SWGPU_FAULT_PROTECTION	DRM_GMMU_FAULT_PROTECTION

/**
 * struct drm_swgpu_vm_get_fault - argument of DRM_IOCTL_SWGPU_VM_GET_FAULT
 *
 * Reports the GPU page faults of a VM: how many there were and the most
 * recent one. Reading does not clear them.
 */
struct drm_swgpu_vm_get_fault {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @vm_id: the VM; -ENOENT if there is none. */
	__u32 vm_id;
	/** @flags: must be zero. */
	__u32 flags;
	/** @count: out, faults since the VM was created. */
	__u32 count;
	/** @access: out, DRM_SWGPU_FAULT_* bits of the most recent fault. */
	__u32 access;
	/** @va: out, GPU address of the most recent fault. */
	__u64 va;
	/** @seqno: out, the job that faulted most recently. */
	__u64 seqno;
};

/* Fault records (drm_gmmu's ring): the ioctl and its argument. */
#define DRM_SWGPU_VM_READ_FAULTS	0x0c

/**
 * struct drm_swgpu_vm_read_faults - argument of DRM_IOCTL_SWGPU_VM_READ_FAULTS
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
struct drm_swgpu_vm_read_faults {
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

#define DRM_IOCTL_SWGPU_VM_READ_FAULTS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_VM_READ_FAULTS, struct drm_swgpu_vm_read_faults)

/**
 * DOC: Command stream
 *
 * A batch is a sequence of commands made of 32-bit little-endian dwords,
 * fetched from GPU virtual addresses of the submitting VM. The first dword
 * of a command is its header: the opcode in bits 31..24 and the command's
 * length in dwords, header included, in bits 15..0 (use
 * SWGPU_CMD_HEADER()); bits 23..16 are reserved and must be zero. An
 * unknown opcode, a length that does not match the opcode or a reserved bit
 * set is -EPROTO.
 * 64-bit operands are two dwords, low first. Below, dword 0 is the header.
 *
 * A command is checked before it touches memory: a command that ends the
 * job with -EPROTO has written nothing. A fault (-EFAULT) ends the job
 * where it happened: what the command wrote before it stays written.
 *
 * - NOP (1 dword): does nothing.
 * - END (1 dword): ends the batch.
 * - STORE_DWORD (4): 1-2 address (4-byte aligned), 3 value.
 * - FILL (6): 1-2 address (4-byte aligned), 3-4 size in bytes (multiple
 *   of 4), 5 32-bit pattern.
 * - COPY (7): 1-2 destination address, 3-4 source address, 5-6 size in
 *   bytes; any alignment; source and destination ranges that overlap are
 *   -EPROTO.
 * - BLIT (10): copies a rectangle of @width x @height pixels of @bpp bytes
 *   each. 1-2 destination address, 3-4 source address, 5 destination
 *   pitch, 6 source pitch (bytes from one row to the next, any value, odd
 *   included, each at least @width * @bpp), 7 @width in pixels, 8 @height
 *   in rows, 9 @bpp: 1, 2, 4, 8 or 16. Addresses have no alignment
 *   constraint. Row r copies @width * @bpp bytes from source + r * source
 *   pitch to destination + r * destination pitch. The byte span of each
 *   rectangle runs from its address to the end of its last row. Another
 *   @bpp, or a pitch below @width * @bpp, is -EPROTO whatever the size;
 *   then a zero @width or @height copies nothing; otherwise spans that
 *   overlap, or a span that wraps around the address space, are -EPROTO,
 *   even when the rows themselves interleave without touching.
 * - SEMAPHORE_WAIT (8): 1-2 address (8-byte aligned) of a 64-bit value,
 *   3-4 64-bit operand, 5-6 64-bit mask, 7 compare op
 *   (SWGPU_SEM_COMPARE_*; any other value is -EPROTO). The engine reads
 *   the value until (value & mask) op (operand & mask) holds, comparing as
 *   unsigned 64-bit integers; reads after it see every write made before
 *   the SEMAPHORE_SIGNAL that made it hold. Between reads the queue sleeps
 *   (tens of microseconds at first, growing to a millisecond); other
 *   queues keep running. A wait that never comes true ends the job with
 *   -ETIMEDOUT at the watchdog; an unmapped address is -EFAULT (a READ
 *   fault). For a 32-bit semaphore use the low dword (mask 0xffffffff).
 *   A wait may only depend on work already submitted: waiting for a value
 *   that only a later submission writes is a future fence, which the
 *   dma-buf rules forbid.
 * - SEMAPHORE_SIGNAL (5): 1-2 address (8-byte aligned), 3-4 64-bit value,
 *   written in one access with release semantics: a queue whose
 *   SEMAPHORE_WAIT sees the value also sees every earlier write of this
 *   batch.
 * - TIMESTAMP (3): 1-2 address (8-byte aligned): writes the engine's
 *   64-bit time in nanoseconds, taken when the command executes, from the
 *   clock userspace reads as CLOCK_MONOTONIC_RAW (monotonic, not adjusted
 *   by NTP; common to every GPU and queue).
 * - CRC32 (7): 1-2 destination address (4-byte aligned), 3-4 source
 *   address (any alignment), 5-6 size in bytes (any, 0 included): writes
 *   at the destination, as one dword, the CRC-32 of the source bytes as
 *   zlib's crc32() computes it (reflected polynomial 0xedb88320, initial
 *   value and final XOR 0xffffffff; 0 for no bytes).
 */

/**
 * SWGPU_CMD_HEADER - the header dword of a command
 * @op: opcode, SWGPU_CMD_*
 * @len: length of the command in dwords, header included, SWGPU_CMD_*_LEN
 */
#define SWGPU_CMD_HEADER(op, len)	(((__u32)(op) << 24) | (__u32)(len))

/** SWGPU_CMD_NOP - opcode: does nothing */
#define SWGPU_CMD_NOP	0x00
/** SWGPU_CMD_NOP_LEN - length of NOP in dwords */
#define SWGPU_CMD_NOP_LEN	1

/** SWGPU_CMD_END - opcode: ends the batch */
#define SWGPU_CMD_END	0x01
/** SWGPU_CMD_END_LEN - length of END in dwords */
#define SWGPU_CMD_END_LEN	1

/** SWGPU_CMD_STORE_DWORD - opcode: writes a dword */
#define SWGPU_CMD_STORE_DWORD	0x02
/** SWGPU_CMD_STORE_DWORD_LEN - length of STORE_DWORD in dwords */
#define SWGPU_CMD_STORE_DWORD_LEN	4

/** SWGPU_CMD_FILL - opcode: fills a range with a 32-bit pattern */
#define SWGPU_CMD_FILL	0x03
/** SWGPU_CMD_FILL_LEN - length of FILL in dwords */
#define SWGPU_CMD_FILL_LEN	6

/** SWGPU_CMD_COPY - opcode: copies a range of bytes */
#define SWGPU_CMD_COPY	0x04
/** SWGPU_CMD_COPY_LEN - length of COPY in dwords */
#define SWGPU_CMD_COPY_LEN	7

/** SWGPU_CMD_BLIT - opcode: copies a rectangle of pixels */
#define SWGPU_CMD_BLIT	0x05
/** SWGPU_CMD_BLIT_LEN - length of BLIT in dwords */
#define SWGPU_CMD_BLIT_LEN	10

/** SWGPU_CMD_SEMAPHORE_WAIT - opcode: waits until a 64-bit value in memory compares true */
#define SWGPU_CMD_SEMAPHORE_WAIT	0x06
/** SWGPU_CMD_SEMAPHORE_WAIT_LEN - length of SEMAPHORE_WAIT in dwords */
#define SWGPU_CMD_SEMAPHORE_WAIT_LEN	8

/** SWGPU_CMD_SEMAPHORE_SIGNAL - opcode: writes a 64-bit value with release semantics */
#define SWGPU_CMD_SEMAPHORE_SIGNAL	0x07
/** SWGPU_CMD_SEMAPHORE_SIGNAL_LEN - length of SEMAPHORE_SIGNAL in dwords */
#define SWGPU_CMD_SEMAPHORE_SIGNAL_LEN	5

/** SWGPU_CMD_TIMESTAMP - opcode: writes the engine's 64-bit time in ns */
#define SWGPU_CMD_TIMESTAMP	0x08
/** SWGPU_CMD_TIMESTAMP_LEN - length of TIMESTAMP in dwords */
#define SWGPU_CMD_TIMESTAMP_LEN	3

/** SWGPU_CMD_CRC32 - opcode: writes the CRC-32 of a range of bytes */
#define SWGPU_CMD_CRC32	0x09
/** SWGPU_CMD_CRC32_LEN - length of CRC32 in dwords */
#define SWGPU_CMD_CRC32_LEN	7

/**
 * enum swgpu_sem_compare - compare ops of SEMAPHORE_WAIT
 *
 * The wait ends when (value in memory & mask) OP (operand & mask) holds,
 * unsigned.
 */
enum swgpu_sem_compare {
	/** @SWGPU_SEM_COMPARE_EQ: equal. */
	SWGPU_SEM_COMPARE_EQ = 0,
	/** @SWGPU_SEM_COMPARE_NE: not equal. */
	SWGPU_SEM_COMPARE_NE = 1,
	/** @SWGPU_SEM_COMPARE_GT: memory greater than the operand. */
	SWGPU_SEM_COMPARE_GT = 2,
	/** @SWGPU_SEM_COMPARE_GTE: memory greater than or equal to the operand. */
	SWGPU_SEM_COMPARE_GTE = 3,
	/** @SWGPU_SEM_COMPARE_LT: memory less than the operand. */
	SWGPU_SEM_COMPARE_LT = 4,
	/** @SWGPU_SEM_COMPARE_LTE: memory less than or equal to the operand. */
	SWGPU_SEM_COMPARE_LTE = 5,
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_SWGPU_DRM_H_ */
