/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * libswgpu: a small libdrm-style C library over the swgpu uapi.
 * Every function returns 0 or a negative errno; none prints.
 */
#ifndef SWGPU_H
#define SWGPU_H

#include <stddef.h>
#include <stdint.h>

#include "gmmu.h"
#include "swgpu_drm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** swgpu_gmmu_ioctls - swgpu's numbers for the calls of lib/gmmu.h */
extern const struct gmmu_ioctls swgpu_gmmu_ioctls;

/** Open flags for swgpu_open(). */
#define SWGPU_OPEN_RENDER	0	/* the render node (default) */
#define SWGPU_OPEN_PRIMARY	1	/* the card node */

/**
 * swgpu_open() - open the swgpu GPU in hardware slot @slot
 * @slot: slot index (DRM_SWGPU_PARAM_SLOT), or -1 for the first swgpu found
 * @flags: SWGPU_OPEN_RENDER or SWGPU_OPEN_PRIMARY
 *
 * Return: a file descriptor, or -ENODEV if there is no such GPU.
 */
int swgpu_open(int slot, unsigned int flags);

/** swgpu_count() - number of swgpu GPUs present (render nodes). */
int swgpu_count(void);

/**
 * swgpu_get_param() - DRM_IOCTL_SWGPU_GET_PARAM
 * @fd: an swgpu file descriptor
 * @param: one of enum drm_gmmu_param or enum drm_swgpu_param
 * @value: where the value goes
 */
int swgpu_get_param(int fd, uint32_t param, uint64_t *value);

/**
 * swgpu_bo_create() - DRM_IOCTL_SWGPU_BO_CREATE
 * @fd: an swgpu file descriptor
 * @size: size in bytes, a multiple of 4096
 * @handle: where the new handle goes
 */
int swgpu_bo_create(int fd, uint64_t size, uint32_t *handle);

/**
 * swgpu_bo_create_flags() - DRM_IOCTL_SWGPU_BO_CREATE with flags
 * @fd: an swgpu file descriptor
 * @size: size in bytes, a multiple of 4096
 * @flags: &drm_gmmu_bo_create_args.flags, e.g. DRM_GMMU_BO_CREATE_WC
 * @handle: where the new handle goes
 */
int swgpu_bo_create_flags(int fd, uint64_t size, uint32_t flags,
			  uint32_t *handle);

/**
 * swgpu_bo_mmap() - map a BO into this process
 * @fd: an swgpu file descriptor
 * @handle: the BO
 * @size: bytes to map from its start
 * @ptr: where the address goes
 */
int swgpu_bo_mmap(int fd, uint32_t handle, uint64_t size, void **ptr);

/** swgpu_bo_close() - drop the handle (DRM_IOCTL_GEM_CLOSE). */
int swgpu_bo_close(int fd, uint32_t handle);

/* ---- Address spaces (VMs) and bindings: lib/swgpu_vm.c ---- */

/**
 * swgpu_vm_create() - DRM_IOCTL_SWGPU_VM_CREATE
 * @fd: an swgpu file descriptor
 * @vm_id: where the new VM's id goes (never 0)
 *
 * The VM maps GPU addresses [DRM_SWGPU_VM_VA_START, 2^DRM_GMMU_PARAM_VA_BITS).
 */
int swgpu_vm_create(int fd, uint32_t *vm_id);

/**
 * swgpu_vm_destroy() - DRM_IOCTL_SWGPU_VM_DESTROY
 * @fd: an swgpu file descriptor
 * @vm_id: the VM
 *
 * Waits for the VM's submitted work, then unmaps everything. BOs stay.
 */
int swgpu_vm_destroy(int fd, uint32_t vm_id);

/**
 * swgpu_vm_bind() - DRM_IOCTL_SWGPU_VM_BIND, op MAP
 * @fd: an swgpu file descriptor
 * @vm_id: the VM
 * @handle: the BO
 * @bo_offset: offset in the BO of the first mapped byte, 4 KiB-aligned
 * @va: GPU address, 4 KiB-aligned
 * @range: bytes, non-zero, 4 KiB-aligned
 * @flags: DRM_GMMU_VM_BIND_MAP_READONLY or 0
 *
 * Whatever was mapped in [@va, @va + @range) is unmapped first. Synchronous.
 */
int swgpu_vm_bind(int fd, uint32_t vm_id, uint32_t handle, uint64_t bo_offset,
		  uint64_t va, uint64_t range, uint32_t flags);

/**
 * swgpu_vm_unbind() - DRM_IOCTL_SWGPU_VM_BIND, op UNMAP
 * @fd: an swgpu file descriptor
 * @vm_id: the VM
 * @va: GPU address, 4 KiB-aligned
 * @range: bytes, non-zero, 4 KiB-aligned
 *
 * Mappings that straddle an end of the range are split.
 */
int swgpu_vm_unbind(int fd, uint32_t vm_id, uint64_t va, uint64_t range);

/**
 * swgpu_vm_bind_ops() - DRM_IOCTL_SWGPU_VM_BIND with an array of operations
 * @fd: an swgpu file descriptor
 * @vm_id: the VM
 * @ops: the operations, MAP and UNMAP, none overlapping another
 * @count: entries of @ops, at most DRM_GMMU_VM_BIND_MAX_OPS
 *
 * All or nothing, in order; the GPU's TLB is invalidated once. Synchronous.
 */
int swgpu_vm_bind_ops(int fd, uint32_t vm_id,
		      const struct drm_gmmu_vm_bind_op *ops, uint32_t count);

/**
 * swgpu_vm_bind_async() - DRM_IOCTL_SWGPU_VM_BIND with DRM_GMMU_VM_BIND_ASYNC
 * @fd: an swgpu file descriptor
 * @vm_id: the VM
 * @ops: the operations, as for swgpu_vm_bind_ops(); @count may be 0 (a
 *	barrier)
 * @count: entries of @ops
 * @in: fences the array waits for (syncobjs, timeline points, sync_files)
 * @in_count: entries of @in
 * @out: syncobjs (or timeline points) the array signals
 * @out_count: entries of @out
 *
 * The array runs as a job of the VM's bind queue, after @in and the VM's
 * earlier asynchronous binds. Returns once it is checked and queued.
 */
int swgpu_vm_bind_async(int fd, uint32_t vm_id,
			const struct drm_gmmu_vm_bind_op *ops, uint32_t count,
			const struct drm_gmmu_sync *in, uint32_t in_count,
			const struct drm_gmmu_sync *out, uint32_t out_count);

/**
 * swgpu_bo_create_private() - DRM_IOCTL_SWGPU_BO_CREATE with
 * DRM_GMMU_BO_CREATE_EXT_PRIVATE
 * @fd: an swgpu file descriptor
 * @vm_id: the VM the BO is private to
 * @size: size in bytes, a multiple of 4096
 * @handle: where the new handle goes
 *
 * The BO shares the VM's reservation object and can be bound only in it.
 */
int swgpu_bo_create_private(int fd, uint32_t vm_id, uint64_t size,
			    uint32_t *handle);

/** struct swgpu_fault - what swgpu_vm_get_fault() reports */
struct swgpu_fault {
	uint32_t count;		/* faults since the VM was created */
	uint32_t access;	/* DRM_SWGPU_FAULT_* bits of the latest */
	uint64_t va;		/* GPU address of the latest */
	uint64_t seqno;		/* the job that faulted latest */
};

/**
 * swgpu_vm_get_fault() - DRM_IOCTL_SWGPU_VM_GET_FAULT
 * @fd: an swgpu file descriptor
 * @vm_id: the VM
 * @fault: where the VM's fault record goes; reading does not clear it
 */
int swgpu_vm_get_fault(int fd, uint32_t vm_id, struct swgpu_fault *fault);

/**
 * swgpu_vm_read_faults() - DRM_IOCTL_SWGPU_VM_READ_FAULTS
 * @fd: an swgpu file descriptor
 * @vm_id: the VM
 * @faults: room for *@count records (stride sizeof(struct drm_gmmu_fault))
 * @count: in, room in @faults; out, records written, oldest first
 * @dropped: NULL, or where the count of records the VM lost to a full
 *	ring since it was created goes
 *
 * The records returned leave the VM's ring: the next call returns newer
 * ones. On error the ring is unchanged.
 */
int swgpu_vm_read_faults(int fd, uint32_t vm_id, struct drm_gmmu_fault *faults,
			 uint32_t *count, uint64_t *dropped);

/**
 * swgpu_queue_create() - DRM_IOCTL_SWGPU_QUEUE_CREATE
 * @fd: an swgpu file descriptor
 * @vm_id: the VM the queue's jobs run in
 * @queue_id: where the new queue's id goes (never 0: queue 0 is the VM's own)
 *
 * Return: 0, or -ENOSPC once the VM has DRM_SWGPU_MAX_QUEUES queues.
 */
int swgpu_queue_create(int fd, uint32_t vm_id, uint32_t *queue_id);

/**
 * swgpu_queue_destroy() - DRM_IOCTL_SWGPU_QUEUE_DESTROY
 * @fd: an swgpu file descriptor
 * @vm_id: the VM
 * @queue_id: the queue; waits for its jobs
 */
int swgpu_queue_destroy(int fd, uint32_t vm_id, uint32_t queue_id);

/* ---- Submission and waiting: lib/swgpu_exec.c ---- */

/**
 * swgpu_exec_ioctl() - DRM_IOCTL_SWGPU_EXEC with every field the caller's
 * @fd: an swgpu file descriptor
 * @exec: the argument; on success its out fields are filled in
 *
 * For queues other than 0 and for syncobjs (struct drm_gmmu_sync arrays,
 * sync_stride = sizeof(struct drm_gmmu_sync)).
 *
 * Return: 0 or a negative errno.
 */
int swgpu_exec_ioctl(int fd, struct drm_swgpu_exec *exec);

/**
 * swgpu_exec() - DRM_IOCTL_SWGPU_EXEC
 * @fd: an swgpu file descriptor
 * @vm_id: the VM, whose queue runs the job
 * @batch_va: GPU address of the first command, 4-byte aligned
 * @out_fence_fd: NULL, or where a sync_file fd of the job's fence goes
 *	(DRM_GMMU_SUBMIT_FENCE_OUT); the caller closes it
 * @seqno: NULL, or where the job's sequence number goes
 */
int swgpu_exec(int fd, uint32_t vm_id, uint64_t batch_va, int *out_fence_fd,
	       uint64_t *seqno);

/**
 * swgpu_wait_bo() - DRM_IOCTL_SWGPU_WAIT_BO
 * @fd: an swgpu file descriptor
 * @handle: the BO
 * @timeout_ns: relative; 0 only checks
 *
 * Return: 0 once idle, -EBUSY (@timeout_ns 0) or -ETIMEDOUT if still busy.
 */
int swgpu_wait_bo(int fd, uint32_t handle, int64_t timeout_ns);

/**
 * swgpu_bo_cpu_access() - DRM_IOCTL_SWGPU_BO_CPU_ACCESS
 * @fd: an swgpu file descriptor
 * @handle: the BO
 * @flags: DRM_GMMU_BO_CPU_ACCESS_START or _END, with _READ and/or _WRITE
 * @offset: first byte of the range
 * @size: bytes
 *
 * Brackets CPU access to a cached mapping of a BO range (see the uapi).
 * Return: 0 or a negative errno.
 */
int swgpu_bo_cpu_access(int fd, uint32_t handle, uint32_t flags,
			uint64_t offset, uint64_t size);

/**
 * swgpu_fence_wait() - wait for a sync_file and read its outcome
 * @fence_fd: a sync_file, e.g. from swgpu_exec()
 * @timeout_ms: as poll(): -1 waits for ever, 0 only checks
 * @status: NULL, or where the fence's outcome goes once signalled: 0 on
 *	success, else the job's negative errno (-EFAULT, -EPROTO, ...)
 *
 * Return: 0 once signalled, -ETIME if it was not within @timeout_ms.
 */
int swgpu_fence_wait(int fence_fd, int timeout_ms, int *status);

/**
 * swgpu_exec_wait() - run a batch to its end: swgpu_exec(), then wait
 * @fd: an swgpu file descriptor
 * @vm_id: the VM, whose queue 0 runs the job
 * @batch_va: GPU address of the first command, 4-byte aligned
 * @timeout_ms: how long to wait for the job, as swgpu_fence_wait()
 * @seqno: NULL, or where the job's sequence number goes
 *
 * Return: 0 if the job completed; its negative errno if it failed
 * (-EFAULT, -EPROTO, -ETIMEDOUT, ...); the EXEC ioctl's error; or -ETIME
 * if it had not completed within @timeout_ms (it still runs then).
 */
int swgpu_exec_wait(int fd, uint32_t vm_id, uint64_t batch_va, int timeout_ms,
		    uint64_t *seqno);

/* ---- Command stream builder: lib/swgpu_batch.c ---- */

/**
 * struct swgpu_batch - writes commands through a CPU mapping of a batch BO
 * @map: CPU address of the batch's first dword
 * @va: GPU address of the batch's first dword, to pass to swgpu_exec()
 * @size: capacity in dwords
 * @len: dwords written so far
 * @error: 0, or -ENOSPC once a command did not fit (sticky)
 *
 * The builder checks only that each command fits; it encodes whatever it
 * is given, so that tests can build bad commands too.
 */
struct swgpu_batch {
	uint32_t *map;
	uint64_t va;
	uint32_t size;
	uint32_t len;
	int error;
};

/**
 * swgpu_batch_init() - start an empty batch
 * @b: the builder
 * @map: CPU address of the batch (4-byte aligned)
 * @va: GPU address of the same bytes
 * @size: bytes available at @map
 */
void swgpu_batch_init(struct swgpu_batch *b, void *map, uint64_t va,
		      uint64_t size);

/**
 * swgpu_batch_dwords() - append raw dwords
 * @b: the builder
 * @dw: the dwords
 * @n: how many
 *
 * Return: 0, or -ENOSPC (nothing written).
 */
int swgpu_batch_dwords(struct swgpu_batch *b, const uint32_t *dw, uint32_t n);

/** swgpu_batch_nop() - append NOP. Return: 0 or -ENOSPC. */
int swgpu_batch_nop(struct swgpu_batch *b);

/** swgpu_batch_end() - append END. Return: 0 or -ENOSPC. */
int swgpu_batch_end(struct swgpu_batch *b);

/**
 * swgpu_batch_store_dword() - append STORE_DWORD
 * @b: the builder
 * @addr: GPU address, 4-byte aligned
 * @value: the dword to store
 *
 * Return: 0 or -ENOSPC.
 */
int swgpu_batch_store_dword(struct swgpu_batch *b, uint64_t addr, uint32_t value);

/**
 * swgpu_batch_fill() - append FILL
 * @b: the builder
 * @addr: GPU address, 4-byte aligned
 * @size: bytes, a multiple of 4
 * @pattern: the dword repeated
 *
 * Return: 0 or -ENOSPC.
 */
int swgpu_batch_fill(struct swgpu_batch *b, uint64_t addr, uint64_t size,
		     uint32_t pattern);

/**
 * swgpu_batch_copy() - append COPY
 * @b: the builder
 * @dst: destination GPU address, any alignment
 * @src: source GPU address, any alignment
 * @size: bytes; the two ranges must not overlap
 *
 * Return: 0 or -ENOSPC.
 */
int swgpu_batch_copy(struct swgpu_batch *b, uint64_t dst, uint64_t src,
		     uint64_t size);

/**
 * swgpu_batch_blit() - append BLIT
 * @b: the builder
 * @dst: GPU address of the destination's first pixel, any alignment
 * @dst_pitch: bytes from one destination row to the next, at least
 *	@width * @bpp
 * @src: GPU address of the source's first pixel, any alignment
 * @src_pitch: bytes from one source row to the next, at least @width * @bpp
 * @width: pixels per row
 * @height: rows
 * @bpp: bytes per pixel: 1, 2, 4, 8 or 16
 *
 * The byte spans of the two rectangles must not overlap.
 *
 * Return: 0 or -ENOSPC.
 */
int swgpu_batch_blit(struct swgpu_batch *b, uint64_t dst, uint32_t dst_pitch,
		     uint64_t src, uint32_t src_pitch, uint32_t width,
		     uint32_t height, uint32_t bpp);

/**
 * swgpu_batch_sem_wait() - append SEMAPHORE_WAIT
 * @b: the builder
 * @addr: GPU address of the 64-bit semaphore, 8-byte aligned
 * @value: the operand
 * @mask: bits of the semaphore and of @value that are compared
 * @op: SWGPU_SEM_COMPARE_*: the queue waits until (semaphore & @mask) op
 *	(@value & @mask), unsigned
 *
 * Wait only for values that work already submitted writes.
 *
 * Return: 0 or -ENOSPC.
 */
int swgpu_batch_sem_wait(struct swgpu_batch *b, uint64_t addr, uint64_t value,
			 uint64_t mask, uint32_t op);

/**
 * swgpu_batch_sem_signal() - append SEMAPHORE_SIGNAL
 * @b: the builder
 * @addr: GPU address of the 64-bit semaphore, 8-byte aligned
 * @value: written after every earlier write of the batch is visible
 *
 * Return: 0 or -ENOSPC.
 */
int swgpu_batch_sem_signal(struct swgpu_batch *b, uint64_t addr, uint64_t value);

/**
 * swgpu_batch_timestamp() - append TIMESTAMP
 * @b: the builder
 * @addr: GPU address, 8-byte aligned, of the 64-bit time in ns
 *	(CLOCK_MONOTONIC_RAW) at which the command runs
 *
 * Return: 0 or -ENOSPC.
 */
int swgpu_batch_timestamp(struct swgpu_batch *b, uint64_t addr);

/**
 * swgpu_batch_crc32() - append CRC32
 * @b: the builder
 * @dst: GPU address, 4-byte aligned, of the dword that receives the CRC
 * @src: GPU address of the first byte, any alignment
 * @size: bytes, 0 included
 *
 * The CRC is zlib's crc32() of the bytes.
 *
 * Return: 0 or -ENOSPC.
 */
int swgpu_batch_crc32(struct swgpu_batch *b, uint64_t dst, uint64_t src,
		      uint64_t size);

/**
 * swgpu_batch_bytes() - bytes written so far
 * @b: the builder
 */
uint64_t swgpu_batch_bytes(const struct swgpu_batch *b);

/** swgpu_profile_name() - "llc", "atom", or "unknown". */
const char *swgpu_profile_name(uint64_t profile);

#ifdef __cplusplus
}
#endif

#endif /* SWGPU_H */
