// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The uapi must have one layout on i386 and x86_64, so a 64-bit kernel needs
 * no compat ioctls. This file is only compiled, never run: with -m32 and
 * with -m64 (Makefile's uapi-check, tools/uapi-layout-check.sh), and every
 * size and offset below is a static assertion, so a difference fails the
 * compile with the struct and field in the message. No 32-bit program runs
 * on the host.
 *
 * Every struct of uapi/drm/ needs a CHECK_SIZE line and a CHECK_OFFSET line
 * per field (tools/uapi-layout-check.sh checks that none is missing), with
 * the x86_64 values: the -m32 compile then proves i386 has the same.
 */
#include <assert.h>
#include <stddef.h>

#include "gmmu_drm.h"
#include "swgpu_drm.h"
#include "jdgpu_drm.h"

#if defined(__i386__)
#define ABI "i386"
#elif defined(__x86_64__)
#define ABI "x86_64"
#else
#define ABI "this ABI"
#endif

#define CHECK_SIZE(type, size) \
	static_assert(sizeof(type) == (size), #type ": size is not " #size " on " ABI); \
	static_assert(sizeof(type) % 8 == 0, #type ": size not a multiple of 8 on " ABI)
#define CHECK_OFFSET(type, field, off) \
	static_assert(offsetof(type, field) == (off), \
		      #type "." #field ": offset is not " #off " on " ABI)

CHECK_SIZE(struct drm_gmmu_user_extension, 16);
CHECK_OFFSET(struct drm_gmmu_user_extension, next_extension, 0);
CHECK_OFFSET(struct drm_gmmu_user_extension, name, 8);
CHECK_OFFSET(struct drm_gmmu_user_extension, flags, 12);

CHECK_SIZE(struct drm_gmmu_get_param_args, 24);
CHECK_OFFSET(struct drm_gmmu_get_param_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_get_param_args, param, 8);
CHECK_OFFSET(struct drm_gmmu_get_param_args, flags, 12);
CHECK_OFFSET(struct drm_gmmu_get_param_args, value, 16);

CHECK_SIZE(struct drm_gmmu_bo_create_args, 24);
CHECK_OFFSET(struct drm_gmmu_bo_create_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_bo_create_args, size, 8);
CHECK_OFFSET(struct drm_gmmu_bo_create_args, flags, 16);
CHECK_OFFSET(struct drm_gmmu_bo_create_args, handle, 20);

CHECK_SIZE(struct drm_gmmu_bo_mmap_offset_args, 24);
CHECK_OFFSET(struct drm_gmmu_bo_mmap_offset_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_bo_mmap_offset_args, handle, 8);
CHECK_OFFSET(struct drm_gmmu_bo_mmap_offset_args, flags, 12);
CHECK_OFFSET(struct drm_gmmu_bo_mmap_offset_args, offset, 16);

CHECK_SIZE(struct drm_gmmu_bo_create_ext_private, 24);
CHECK_OFFSET(struct drm_gmmu_bo_create_ext_private, base, 0);
CHECK_OFFSET(struct drm_gmmu_bo_create_ext_private, base.next_extension, 0);
CHECK_OFFSET(struct drm_gmmu_bo_create_ext_private, base.name, 8);
CHECK_OFFSET(struct drm_gmmu_bo_create_ext_private, base.flags, 12);
CHECK_OFFSET(struct drm_gmmu_bo_create_ext_private, vm_id, 16);
CHECK_OFFSET(struct drm_gmmu_bo_create_ext_private, pad, 20);

CHECK_SIZE(struct drm_gmmu_vm_create_args, 16);
CHECK_OFFSET(struct drm_gmmu_vm_create_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_vm_create_args, flags, 8);
CHECK_OFFSET(struct drm_gmmu_vm_create_args, vm_id, 12);

CHECK_SIZE(struct drm_gmmu_vm_destroy_args, 16);
CHECK_OFFSET(struct drm_gmmu_vm_destroy_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_vm_destroy_args, vm_id, 8);
CHECK_OFFSET(struct drm_gmmu_vm_destroy_args, flags, 12);

CHECK_SIZE(struct drm_gmmu_vm_bind_op, 40);
CHECK_OFFSET(struct drm_gmmu_vm_bind_op, op, 0);
CHECK_OFFSET(struct drm_gmmu_vm_bind_op, flags, 4);
CHECK_OFFSET(struct drm_gmmu_vm_bind_op, handle, 8);
CHECK_OFFSET(struct drm_gmmu_vm_bind_op, pad, 12);
CHECK_OFFSET(struct drm_gmmu_vm_bind_op, bo_offset, 16);
CHECK_OFFSET(struct drm_gmmu_vm_bind_op, va, 24);
CHECK_OFFSET(struct drm_gmmu_vm_bind_op, range, 32);

CHECK_SIZE(struct drm_gmmu_vm_bind_args, 64);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, vm_id, 8);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, flags, 12);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, ops, 16);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, op_count, 24);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, op_stride, 28);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, in_syncs, 32);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, out_syncs, 40);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, in_sync_count, 48);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, out_sync_count, 52);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, sync_stride, 56);
CHECK_OFFSET(struct drm_gmmu_vm_bind_args, pad, 60);

CHECK_SIZE(struct drm_gmmu_submit, 56);
CHECK_OFFSET(struct drm_gmmu_submit, vm_id, 0);
CHECK_OFFSET(struct drm_gmmu_submit, queue_id, 4);
CHECK_OFFSET(struct drm_gmmu_submit, flags, 8);
CHECK_OFFSET(struct drm_gmmu_submit, out_fence_fd, 12);
CHECK_OFFSET(struct drm_gmmu_submit, seqno, 16);
CHECK_OFFSET(struct drm_gmmu_submit, in_syncs, 24);
CHECK_OFFSET(struct drm_gmmu_submit, out_syncs, 32);
CHECK_OFFSET(struct drm_gmmu_submit, in_sync_count, 40);
CHECK_OFFSET(struct drm_gmmu_submit, out_sync_count, 44);
CHECK_OFFSET(struct drm_gmmu_submit, sync_stride, 48);
CHECK_OFFSET(struct drm_gmmu_submit, pad, 52);

CHECK_SIZE(struct drm_swgpu_exec, 72);
CHECK_OFFSET(struct drm_swgpu_exec, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_exec, submit, 8);
CHECK_OFFSET(struct drm_swgpu_exec, submit.vm_id, 8);
CHECK_OFFSET(struct drm_swgpu_exec, submit.queue_id, 12);
CHECK_OFFSET(struct drm_swgpu_exec, submit.flags, 16);
CHECK_OFFSET(struct drm_swgpu_exec, submit.out_fence_fd, 20);
CHECK_OFFSET(struct drm_swgpu_exec, submit.seqno, 24);
CHECK_OFFSET(struct drm_swgpu_exec, submit.in_syncs, 32);
CHECK_OFFSET(struct drm_swgpu_exec, submit.out_syncs, 40);
CHECK_OFFSET(struct drm_swgpu_exec, submit.in_sync_count, 48);
CHECK_OFFSET(struct drm_swgpu_exec, submit.out_sync_count, 52);
CHECK_OFFSET(struct drm_swgpu_exec, submit.sync_stride, 56);
CHECK_OFFSET(struct drm_swgpu_exec, submit.pad, 60);
CHECK_OFFSET(struct drm_swgpu_exec, batch_va, 64);

CHECK_SIZE(struct drm_jdgpu_submit, 72);
CHECK_OFFSET(struct drm_jdgpu_submit, extensions, 0);
CHECK_OFFSET(struct drm_jdgpu_submit, submit, 8);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.vm_id, 8);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.queue_id, 12);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.flags, 16);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.out_fence_fd, 20);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.seqno, 24);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.in_syncs, 32);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.out_syncs, 40);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.in_sync_count, 48);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.out_sync_count, 52);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.sync_stride, 56);
CHECK_OFFSET(struct drm_jdgpu_submit, submit.pad, 60);
CHECK_OFFSET(struct drm_jdgpu_submit, desc_va, 64);

/* Not an ioctl argument, but the hardware reads it: one layout too. */
CHECK_SIZE(struct jdgpu_desc, 64);
CHECK_OFFSET(struct jdgpu_desc, opcode, 0);
CHECK_OFFSET(struct jdgpu_desc, flags, 4);
CHECK_OFFSET(struct jdgpu_desc, src, 8);
CHECK_OFFSET(struct jdgpu_desc, dst, 16);
CHECK_OFFSET(struct jdgpu_desc, len, 24);
CHECK_OFFSET(struct jdgpu_desc, value, 32);
CHECK_OFFSET(struct jdgpu_desc, next, 40);
CHECK_OFFSET(struct jdgpu_desc, reserved, 48);

CHECK_SIZE(struct drm_gmmu_sync, 16);
CHECK_OFFSET(struct drm_gmmu_sync, handle, 0);
CHECK_OFFSET(struct drm_gmmu_sync, flags, 4);
CHECK_OFFSET(struct drm_gmmu_sync, point, 8);

CHECK_SIZE(struct drm_gmmu_fault, 40);
CHECK_OFFSET(struct drm_gmmu_fault, va, 0);
CHECK_OFFSET(struct drm_gmmu_fault, seqno, 8);
CHECK_OFFSET(struct drm_gmmu_fault, timestamp_ns, 16);
CHECK_OFFSET(struct drm_gmmu_fault, access, 24);
CHECK_OFFSET(struct drm_gmmu_fault, level, 28);
CHECK_OFFSET(struct drm_gmmu_fault, queue_id, 32);
CHECK_OFFSET(struct drm_gmmu_fault, pad, 36);

CHECK_SIZE(struct drm_gmmu_vm_read_faults_args, 48);
CHECK_OFFSET(struct drm_gmmu_vm_read_faults_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_vm_read_faults_args, vm_id, 8);
CHECK_OFFSET(struct drm_gmmu_vm_read_faults_args, flags, 12);
CHECK_OFFSET(struct drm_gmmu_vm_read_faults_args, faults, 16);
CHECK_OFFSET(struct drm_gmmu_vm_read_faults_args, count, 24);
CHECK_OFFSET(struct drm_gmmu_vm_read_faults_args, stride, 28);
CHECK_OFFSET(struct drm_gmmu_vm_read_faults_args, dropped, 32);
CHECK_OFFSET(struct drm_gmmu_vm_read_faults_args, pad, 40);

CHECK_SIZE(struct drm_gmmu_vm_get_reset_stats_args, 40);
CHECK_OFFSET(struct drm_gmmu_vm_get_reset_stats_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_vm_get_reset_stats_args, vm_id, 8);
CHECK_OFFSET(struct drm_gmmu_vm_get_reset_stats_args, flags, 12);
CHECK_OFFSET(struct drm_gmmu_vm_get_reset_stats_args, status, 16);
CHECK_OFFSET(struct drm_gmmu_vm_get_reset_stats_args, hangs, 20);
CHECK_OFFSET(struct drm_gmmu_vm_get_reset_stats_args, cancelled, 24);
CHECK_OFFSET(struct drm_gmmu_vm_get_reset_stats_args, guilty_queue_id, 28);
CHECK_OFFSET(struct drm_gmmu_vm_get_reset_stats_args, guilty_seqno, 32);

CHECK_SIZE(struct drm_gmmu_queue_create_args, 24);
CHECK_OFFSET(struct drm_gmmu_queue_create_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_queue_create_args, vm_id, 8);
CHECK_OFFSET(struct drm_gmmu_queue_create_args, flags, 12);
CHECK_OFFSET(struct drm_gmmu_queue_create_args, queue_id, 16);
CHECK_OFFSET(struct drm_gmmu_queue_create_args, pad, 20);

CHECK_SIZE(struct drm_gmmu_queue_destroy_args, 24);
CHECK_OFFSET(struct drm_gmmu_queue_destroy_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_queue_destroy_args, vm_id, 8);
CHECK_OFFSET(struct drm_gmmu_queue_destroy_args, queue_id, 12);
CHECK_OFFSET(struct drm_gmmu_queue_destroy_args, flags, 16);
CHECK_OFFSET(struct drm_gmmu_queue_destroy_args, pad, 20);

CHECK_SIZE(struct drm_gmmu_bo_wait_args, 24);
CHECK_OFFSET(struct drm_gmmu_bo_wait_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_bo_wait_args, handle, 8);
CHECK_OFFSET(struct drm_gmmu_bo_wait_args, flags, 12);
CHECK_OFFSET(struct drm_gmmu_bo_wait_args, timeout_ns, 16);

CHECK_SIZE(struct drm_gmmu_bo_cpu_access_args, 32);
CHECK_OFFSET(struct drm_gmmu_bo_cpu_access_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_bo_cpu_access_args, handle, 8);
CHECK_OFFSET(struct drm_gmmu_bo_cpu_access_args, flags, 12);
CHECK_OFFSET(struct drm_gmmu_bo_cpu_access_args, offset, 16);
CHECK_OFFSET(struct drm_gmmu_bo_cpu_access_args, size, 24);

CHECK_SIZE(struct drm_gmmu_vm_get_fault_args, 40);
CHECK_OFFSET(struct drm_gmmu_vm_get_fault_args, extensions, 0);
CHECK_OFFSET(struct drm_gmmu_vm_get_fault_args, vm_id, 8);
CHECK_OFFSET(struct drm_gmmu_vm_get_fault_args, flags, 12);
CHECK_OFFSET(struct drm_gmmu_vm_get_fault_args, count, 16);
CHECK_OFFSET(struct drm_gmmu_vm_get_fault_args, access, 20);
CHECK_OFFSET(struct drm_gmmu_vm_get_fault_args, va, 24);
CHECK_OFFSET(struct drm_gmmu_vm_get_fault_args, seqno, 32);

/* The command stream: opcodes, lengths and the header encoding are uapi too. */
static_assert(SWGPU_CMD_HEADER(SWGPU_CMD_STORE_DWORD, SWGPU_CMD_STORE_DWORD_LEN) == 0x02000004u,
	      "command header encoding");
static_assert(SWGPU_CMD_NOP == 0 && SWGPU_CMD_END == 1 && SWGPU_CMD_STORE_DWORD == 2 &&
	      SWGPU_CMD_FILL == 3 && SWGPU_CMD_COPY == 4, "command opcodes");
static_assert(SWGPU_CMD_NOP_LEN == 1 && SWGPU_CMD_END_LEN == 1 &&
	      SWGPU_CMD_STORE_DWORD_LEN == 4 && SWGPU_CMD_FILL_LEN == 6 &&
	      SWGPU_CMD_COPY_LEN == 7, "command lengths");
