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

CHECK_SIZE(struct drm_swgpu_get_param, 24);
CHECK_OFFSET(struct drm_swgpu_get_param, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_get_param, param, 8);
CHECK_OFFSET(struct drm_swgpu_get_param, flags, 12);
CHECK_OFFSET(struct drm_swgpu_get_param, value, 16);

CHECK_SIZE(struct drm_swgpu_bo_create, 24);
CHECK_OFFSET(struct drm_swgpu_bo_create, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_bo_create, size, 8);
CHECK_OFFSET(struct drm_swgpu_bo_create, flags, 16);
CHECK_OFFSET(struct drm_swgpu_bo_create, handle, 20);

CHECK_SIZE(struct drm_swgpu_bo_mmap_offset, 24);
CHECK_OFFSET(struct drm_swgpu_bo_mmap_offset, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_bo_mmap_offset, handle, 8);
CHECK_OFFSET(struct drm_swgpu_bo_mmap_offset, flags, 12);
CHECK_OFFSET(struct drm_swgpu_bo_mmap_offset, offset, 16);

CHECK_SIZE(struct drm_swgpu_bo_create_ext_private, 24);
CHECK_OFFSET(struct drm_swgpu_bo_create_ext_private, base, 0);
CHECK_OFFSET(struct drm_swgpu_bo_create_ext_private, base.next_extension, 0);
CHECK_OFFSET(struct drm_swgpu_bo_create_ext_private, base.name, 8);
CHECK_OFFSET(struct drm_swgpu_bo_create_ext_private, base.flags, 12);
CHECK_OFFSET(struct drm_swgpu_bo_create_ext_private, vm_id, 16);
CHECK_OFFSET(struct drm_swgpu_bo_create_ext_private, pad, 20);

CHECK_SIZE(struct drm_swgpu_vm_create, 16);
CHECK_OFFSET(struct drm_swgpu_vm_create, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_vm_create, flags, 8);
CHECK_OFFSET(struct drm_swgpu_vm_create, vm_id, 12);

CHECK_SIZE(struct drm_swgpu_vm_destroy, 16);
CHECK_OFFSET(struct drm_swgpu_vm_destroy, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_vm_destroy, vm_id, 8);
CHECK_OFFSET(struct drm_swgpu_vm_destroy, flags, 12);

CHECK_SIZE(struct drm_swgpu_vm_bind, 48);
CHECK_OFFSET(struct drm_swgpu_vm_bind, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_vm_bind, vm_id, 8);
CHECK_OFFSET(struct drm_swgpu_vm_bind, op, 12);
CHECK_OFFSET(struct drm_swgpu_vm_bind, handle, 16);
CHECK_OFFSET(struct drm_swgpu_vm_bind, flags, 20);
CHECK_OFFSET(struct drm_swgpu_vm_bind, bo_offset, 24);
CHECK_OFFSET(struct drm_swgpu_vm_bind, va, 32);
CHECK_OFFSET(struct drm_swgpu_vm_bind, range, 40);

CHECK_SIZE(struct drm_swgpu_exec, 72);
CHECK_OFFSET(struct drm_swgpu_exec, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_exec, vm_id, 8);
CHECK_OFFSET(struct drm_swgpu_exec, flags, 12);
CHECK_OFFSET(struct drm_swgpu_exec, batch_va, 16);
CHECK_OFFSET(struct drm_swgpu_exec, out_fence_fd, 24);
CHECK_OFFSET(struct drm_swgpu_exec, queue_id, 28);
CHECK_OFFSET(struct drm_swgpu_exec, seqno, 32);
CHECK_OFFSET(struct drm_swgpu_exec, in_syncs, 40);
CHECK_OFFSET(struct drm_swgpu_exec, out_syncs, 48);
CHECK_OFFSET(struct drm_swgpu_exec, in_sync_count, 56);
CHECK_OFFSET(struct drm_swgpu_exec, out_sync_count, 60);
CHECK_OFFSET(struct drm_swgpu_exec, sync_stride, 64);
CHECK_OFFSET(struct drm_swgpu_exec, pad, 68);

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

CHECK_SIZE(struct drm_swgpu_vm_read_faults, 48);
CHECK_OFFSET(struct drm_swgpu_vm_read_faults, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_vm_read_faults, vm_id, 8);
CHECK_OFFSET(struct drm_swgpu_vm_read_faults, flags, 12);
CHECK_OFFSET(struct drm_swgpu_vm_read_faults, faults, 16);
CHECK_OFFSET(struct drm_swgpu_vm_read_faults, count, 24);
CHECK_OFFSET(struct drm_swgpu_vm_read_faults, stride, 28);
CHECK_OFFSET(struct drm_swgpu_vm_read_faults, dropped, 32);
CHECK_OFFSET(struct drm_swgpu_vm_read_faults, pad, 40);

CHECK_SIZE(struct drm_swgpu_queue_create, 24);
CHECK_OFFSET(struct drm_swgpu_queue_create, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_queue_create, vm_id, 8);
CHECK_OFFSET(struct drm_swgpu_queue_create, flags, 12);
CHECK_OFFSET(struct drm_swgpu_queue_create, queue_id, 16);
CHECK_OFFSET(struct drm_swgpu_queue_create, pad, 20);

CHECK_SIZE(struct drm_swgpu_queue_destroy, 24);
CHECK_OFFSET(struct drm_swgpu_queue_destroy, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_queue_destroy, vm_id, 8);
CHECK_OFFSET(struct drm_swgpu_queue_destroy, queue_id, 12);
CHECK_OFFSET(struct drm_swgpu_queue_destroy, flags, 16);
CHECK_OFFSET(struct drm_swgpu_queue_destroy, pad, 20);

CHECK_SIZE(struct drm_swgpu_wait_bo, 24);
CHECK_OFFSET(struct drm_swgpu_wait_bo, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_wait_bo, handle, 8);
CHECK_OFFSET(struct drm_swgpu_wait_bo, flags, 12);
CHECK_OFFSET(struct drm_swgpu_wait_bo, timeout_ns, 16);

CHECK_SIZE(struct drm_swgpu_bo_cpu_access, 32);
CHECK_OFFSET(struct drm_swgpu_bo_cpu_access, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_bo_cpu_access, handle, 8);
CHECK_OFFSET(struct drm_swgpu_bo_cpu_access, flags, 12);
CHECK_OFFSET(struct drm_swgpu_bo_cpu_access, offset, 16);
CHECK_OFFSET(struct drm_swgpu_bo_cpu_access, size, 24);

CHECK_SIZE(struct drm_swgpu_vm_get_fault, 40);
CHECK_OFFSET(struct drm_swgpu_vm_get_fault, extensions, 0);
CHECK_OFFSET(struct drm_swgpu_vm_get_fault, vm_id, 8);
CHECK_OFFSET(struct drm_swgpu_vm_get_fault, flags, 12);
CHECK_OFFSET(struct drm_swgpu_vm_get_fault, count, 16);
CHECK_OFFSET(struct drm_swgpu_vm_get_fault, access, 20);
CHECK_OFFSET(struct drm_swgpu_vm_get_fault, va, 24);
CHECK_OFFSET(struct drm_swgpu_vm_get_fault, seqno, 32);

/* The command stream: opcodes, lengths and the header encoding are uapi too. */
static_assert(SWGPU_CMD_HEADER(SWGPU_CMD_STORE_DWORD, SWGPU_CMD_STORE_DWORD_LEN) == 0x02000004u,
	      "command header encoding");
static_assert(SWGPU_CMD_NOP == 0 && SWGPU_CMD_END == 1 && SWGPU_CMD_STORE_DWORD == 2 &&
	      SWGPU_CMD_FILL == 3 && SWGPU_CMD_COPY == 4, "command opcodes");
static_assert(SWGPU_CMD_NOP_LEN == 1 && SWGPU_CMD_END_LEN == 1 &&
	      SWGPU_CMD_STORE_DWORD_LEN == 4 && SWGPU_CMD_FILL_LEN == 6 &&
	      SWGPU_CMD_COPY_LEN == 7, "command lengths");
