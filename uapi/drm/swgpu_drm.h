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
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_GET_PARAM, struct drm_gmmu_get_param_args)
#define DRM_IOCTL_SWGPU_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_BO_CREATE, struct drm_gmmu_bo_create_args)
#define DRM_IOCTL_SWGPU_BO_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_BO_MMAP_OFFSET, struct drm_gmmu_bo_mmap_offset_args)
#define DRM_IOCTL_SWGPU_VM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_VM_CREATE, struct drm_gmmu_vm_create_args)
#define DRM_IOCTL_SWGPU_VM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_VM_DESTROY, struct drm_gmmu_vm_destroy_args)
#define DRM_IOCTL_SWGPU_VM_BIND \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_VM_BIND, struct drm_gmmu_vm_bind_args)
#define DRM_IOCTL_SWGPU_EXEC \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_EXEC, struct drm_swgpu_exec)
#define DRM_IOCTL_SWGPU_WAIT_BO \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_WAIT_BO, struct drm_gmmu_bo_wait_args)
#define DRM_IOCTL_SWGPU_VM_GET_FAULT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_VM_GET_FAULT, struct drm_gmmu_vm_get_fault_args)
#define DRM_IOCTL_SWGPU_QUEUE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_QUEUE_CREATE, struct drm_gmmu_queue_create_args)
#define DRM_IOCTL_SWGPU_QUEUE_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_QUEUE_DESTROY, struct drm_gmmu_queue_destroy_args)

/* CPU-access brackets (issue 7): the ioctl, its flags and argument. */
#define DRM_SWGPU_BO_CPU_ACCESS		0x0b
#define DRM_IOCTL_SWGPU_BO_CPU_ACCESS \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SWGPU_BO_CPU_ACCESS, struct drm_gmmu_bo_cpu_access_args)

/**
 * enum drm_swgpu_param - swgpu's own GET_PARAM parameters
 *
 * DRM_IOCTL_SWGPU_GET_PARAM takes &struct drm_gmmu_get_param_args and
 * reports drm_gmmu's &enum drm_gmmu_param and these.
 */
enum drm_swgpu_param {
	/** @DRM_SWGPU_PARAM_PROFILE: one of &enum drm_swgpu_profile. */
	DRM_SWGPU_PARAM_PROFILE = DRM_GMMU_PARAM_DRIVER_BASE,
	/** @DRM_SWGPU_PARAM_SLOT: index of this GPU among the hardware slots. */
	DRM_SWGPU_PARAM_SLOT,
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

/** DRM_SWGPU_VM_VA_START - lowest GPU address a VM maps */
#define DRM_SWGPU_VM_VA_START	0x10000ull

/** DRM_SWGPU_MAX_QUEUES - queues a VM can have, its queue 0 included */
#define DRM_SWGPU_MAX_QUEUES	64

/**
 * struct drm_swgpu_exec - argument of DRM_IOCTL_SWGPU_EXEC
 *
 * Submits the batch at @batch_va of the VM to one of the VM's queues,
 * as @submit says (&struct drm_gmmu_submit: queue, in- and out-syncs,
 * out-fence, implicit sync). The engine fetches and executes commands (see
 * "Command stream" below) until END.
 *
 * The job's fence carries its outcome: 0; -EFAULT if the engine reached
 * an address with no mapping or wrote a read-only one (the VM records the
 * fault, see DRM_IOCTL_SWGPU_VM_READ_FAULTS); -EPROTO for an unknown
 * command, a wrong length or a misaligned operand; -ETIMEDOUT if the job
 * ran longer than the engine's watchdog allows; -ENODEV if the device went
 * away; the error of a failed in-fence.
 *
 * Errors: those of &struct drm_gmmu_submit, and -EINVAL for a misaligned
 * or out-of-range @batch_va. On error nothing was submitted and no
 * syncobj changed.
 */
struct drm_swgpu_exec {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @submit: the queue, the syncs and the fences: drm_gmmu's part. */
	struct drm_gmmu_submit submit;
	/** @batch_va: GPU address of the first command; 4-byte aligned. */
	__u64 batch_va;
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

/* Fault records (drm_gmmu's ring). */
#define DRM_SWGPU_VM_READ_FAULTS	0x0c
#define DRM_IOCTL_SWGPU_VM_READ_FAULTS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_VM_READ_FAULTS, struct drm_gmmu_vm_read_faults_args)

/* DRM_IOCTL_SWGPU_VM_GET_RESET_STATS: &struct drm_gmmu_vm_get_reset_stats_args. */
#define DRM_SWGPU_VM_GET_RESET_STATS	0x0d
#define DRM_IOCTL_SWGPU_VM_GET_RESET_STATS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SWGPU_VM_GET_RESET_STATS, struct drm_gmmu_vm_get_reset_stats_args)

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
