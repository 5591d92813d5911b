/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * uapi of jdgpu, the job-descriptor software GPU of the gmmu framework.
 * Every struct follows Documentation/uapi-rules.rst: a __u64 extensions
 * chain first, naturally aligned fields, explicit padding that must be zero,
 * unknown flags rejected, the same layout on i386 and x86_64.
 */
#ifndef _UAPI_JDGPU_DRM_H_
#define _UAPI_JDGPU_DRM_H_

#include "drm.h"
#include "gmmu_drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/*
 * jdgpu's ioctls: drm_gmmu's shared argument structs under jdgpu's
 * numbers, and SUBMIT, its own.
 */
#define DRM_JDGPU_GET_PARAM		0x00
#define DRM_JDGPU_BO_CREATE		0x01
#define DRM_JDGPU_BO_MMAP_OFFSET	0x02
#define DRM_JDGPU_VM_CREATE		0x03
#define DRM_JDGPU_VM_DESTROY		0x04
#define DRM_JDGPU_VM_BIND		0x05
#define DRM_JDGPU_SUBMIT		0x06
#define DRM_JDGPU_WAIT_BO		0x07
#define DRM_JDGPU_VM_READ_FAULTS	0x08
#define DRM_JDGPU_QUEUE_CREATE		0x09
#define DRM_JDGPU_QUEUE_DESTROY		0x0a

#define DRM_IOCTL_JDGPU_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_JDGPU_GET_PARAM, struct drm_gmmu_get_param_args)
#define DRM_IOCTL_JDGPU_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_JDGPU_BO_CREATE, struct drm_gmmu_bo_create_args)
#define DRM_IOCTL_JDGPU_BO_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_JDGPU_BO_MMAP_OFFSET, struct drm_gmmu_bo_mmap_offset_args)
#define DRM_IOCTL_JDGPU_VM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_JDGPU_VM_CREATE, struct drm_gmmu_vm_create_args)
#define DRM_IOCTL_JDGPU_VM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_JDGPU_VM_DESTROY, struct drm_gmmu_vm_destroy_args)
#define DRM_IOCTL_JDGPU_VM_BIND \
	DRM_IOW(DRM_COMMAND_BASE + DRM_JDGPU_VM_BIND, struct drm_gmmu_vm_bind_args)
#define DRM_IOCTL_JDGPU_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_JDGPU_SUBMIT, struct drm_jdgpu_submit)
#define DRM_IOCTL_JDGPU_WAIT_BO \
	DRM_IOW(DRM_COMMAND_BASE + DRM_JDGPU_WAIT_BO, struct drm_gmmu_bo_wait_args)
#define DRM_IOCTL_JDGPU_VM_READ_FAULTS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_JDGPU_VM_READ_FAULTS, struct drm_gmmu_vm_read_faults_args)
#define DRM_IOCTL_JDGPU_QUEUE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_JDGPU_QUEUE_CREATE, struct drm_gmmu_queue_create_args)
#define DRM_IOCTL_JDGPU_QUEUE_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_JDGPU_QUEUE_DESTROY, struct drm_gmmu_queue_destroy_args)

/**
 * enum drm_jdgpu_param - jdgpu's own GET_PARAM parameters
 *
 * DRM_IOCTL_JDGPU_GET_PARAM takes &struct drm_gmmu_get_param_args and
 * reports drm_gmmu's &enum drm_gmmu_param (the address-space slot count,
 * 4, and the page-table format, lpae-40, among them) and these; any other
 * is -EINVAL.
 */
enum drm_jdgpu_param {
	/** @DRM_JDGPU_PARAM_PCI_SLOT: index of the device among the edu slots. */
	DRM_JDGPU_PARAM_PCI_SLOT = DRM_GMMU_PARAM_DRIVER_BASE,
	/** @DRM_JDGPU_PARAM_MAX_CHAIN: most descriptors one job may run. */
	DRM_JDGPU_PARAM_MAX_CHAIN,
};

/** DRM_JDGPU_VM_VA_START - lowest GPU address a VM maps */
#define DRM_JDGPU_VM_VA_START	0x10000ull

/** DRM_JDGPU_MAX_QUEUES - queues a VM can have, its queue 0 included */
#define DRM_JDGPU_MAX_QUEUES	16

/**
 * struct drm_jdgpu_submit - argument of DRM_IOCTL_JDGPU_SUBMIT
 *
 * Submits the descriptor chain whose first descriptor is at @desc_va of
 * the VM to one of the VM's queues, as @submit says (&struct
 * drm_gmmu_submit: queue, in- and out-syncs, out-fence, implicit sync).
 * The hardware runs the chain (see "Job descriptors" below) until a
 * descriptor whose @next is 0.
 *
 * The job's fence carries its outcome: 0; -EFAULT if a descriptor reached
 * an address with no mapping at either level or wrote a read-only one (the
 * VM records the fault, see DRM_IOCTL_JDGPU_VM_READ_FAULTS); -EPROTO for
 * a malformed descriptor; -ELOOP for a chain longer than
 * %JDGPU_MAX_CHAIN; -ETIMEDOUT if the job ran past the hardware's
 * watchdog; -ENODEV if the device went away; -ECANCELED if its queue was
 * reset; the error of a failed in-fence.
 *
 * Errors: those of &struct drm_gmmu_submit; those of an extension chain
 * (Documentation/uapi-rules.rst: none is defined, so any extension is
 * refused); -EINVAL for a @desc_va not aligned to %JDGPU_DESC_SIZE or
 * outside the VM's address space. On error nothing was submitted and no
 * syncobj changed.
 */
struct drm_jdgpu_submit {
	/** @extensions: chain of &struct drm_gmmu_user_extension; none defined yet. */
	__u64 extensions;
	/** @submit: the queue, the syncs and the fences: drm_gmmu's part. */
	struct drm_gmmu_submit submit;
	/** @desc_va: GPU address of the first descriptor. */
	__u64 desc_va;
};

/**
 * DOC: Job descriptors
 *
 * A job is a chain of descriptors in GPU memory, each %JDGPU_DESC_SIZE
 * bytes, little-endian, at an address aligned to its size (&struct
 * jdgpu_desc). The hardware fetches a descriptor, checks it, executes
 * it, and goes on at @next; a @next of 0 ends the job. Every address is
 * a GPU virtual address of the job's VM.
 *
 * A descriptor is checked before it touches memory: an unknown @opcode,
 * a non-zero @flags or @reserved, a @len above %JDGPU_MAX_LEN, a
 * misaligned @next or an operand that breaks the rules below ends the
 * job with -EPROTO, with nothing of that descriptor written. A fault ends
 * the job where it happened (-EFAULT): what the descriptor wrote before it
 * stays written. A chain of more than %JDGPU_MAX_CHAIN descriptors ends
 * with -ELOOP (a cycle in the chain ends so).
 *
 * - %JDGPU_OP_NOP: nothing.
 * - %JDGPU_OP_COPY: copies @len bytes from @src to @dst, any alignment;
 *   ranges that overlap are -EPROTO.
 * - %JDGPU_OP_FILL: fills @len bytes at @dst with the low 32 bits of
 *   @value, repeated; @dst and @len multiples of 4.
 * - %JDGPU_OP_WRITE_VALUE: writes the 64-bit @value at @dst (8-byte
 *   aligned) in one access: a fence write. @src and @len must be 0.
 * - %JDGPU_OP_SUM32: adds the @len / 4 little-endian 32-bit words at
 *   @src (4-byte aligned, @len a multiple of 4) into a 64-bit sum, written
 *   at @dst (8-byte aligned), plus @value (a running total may be chained
 *   this way).
 * - %JDGPU_OP_CRC32: writes at @dst (4-byte aligned), as one 32-bit word,
 *   the CRC-32 of the @len bytes at @src, as zlib's crc32() computes it
 *   (0 for no bytes). @value must be 0.
 */

/** JDGPU_DESC_SIZE - bytes of a descriptor, and the alignment of its address */
#define JDGPU_DESC_SIZE		64
/** JDGPU_MAX_CHAIN - most descriptors one job runs */
#define JDGPU_MAX_CHAIN		4096
/** JDGPU_MAX_LEN - largest @len of a descriptor (256 MiB) */
#define JDGPU_MAX_LEN		(256ull << 20)

/**
 * enum jdgpu_opcode - what a descriptor does (see "Job descriptors")
 */
enum jdgpu_opcode {
	/** @JDGPU_OP_NOP: nothing. */
	JDGPU_OP_NOP = 0,
	/** @JDGPU_OP_COPY: @len bytes from @src to @dst. */
	JDGPU_OP_COPY = 1,
	/** @JDGPU_OP_FILL: @len bytes at @dst with a 32-bit pattern. */
	JDGPU_OP_FILL = 2,
	/** @JDGPU_OP_WRITE_VALUE: a 64-bit value at @dst. */
	JDGPU_OP_WRITE_VALUE = 3,
	/** @JDGPU_OP_SUM32: the sum of 32-bit words, as a 64-bit value. */
	JDGPU_OP_SUM32 = 4,
	/** @JDGPU_OP_CRC32: the CRC-32 of a range. */
	JDGPU_OP_CRC32 = 5,
};

/**
 * struct jdgpu_desc - one job descriptor, as the hardware reads it
 *
 * Not an ioctl argument: it lives in GPU memory.
 */
struct jdgpu_desc {
	/** @opcode: one of &enum jdgpu_opcode. */
	__u32 opcode;
	/** @flags: must be zero. */
	__u32 flags;
	/** @src: source address. */
	__u64 src;
	/** @dst: destination address. */
	__u64 dst;
	/** @len: bytes, at most %JDGPU_MAX_LEN. */
	__u64 len;
	/** @value: the operation's immediate. */
	__u64 value;
	/** @next: address of the next descriptor, or 0 to end the job. */
	__u64 next;
	/** @reserved: must be zero. */
	__u64 reserved[2];
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_JDGPU_DRM_H_ */
