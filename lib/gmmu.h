/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The calls every gmmu driver's library shares: drm_gmmu's shared ioctls
 * (uapi/drm/gmmu_drm.h) under the numbers one driver gives them, found in
 * a struct gmmu_ioctls (swgpu_gmmu_ioctls, jdgpu_gmmu_ioctls). Every
 * function returns 0 or a negative errno; none prints.
 */
#ifndef GMMU_H
#define GMMU_H

#include <stddef.h>
#include <stdint.h>

#include "gmmu_drm.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct gmmu_ioctls - one driver's requests for drm_gmmu's shared ioctls
 * @driver: the DRM driver's name (drmGetVersion())
 * @slot_param: the GET_PARAM parameter that numbers its PCI slots
 * @get_param: request of GET_PARAM
 * @bo_create: request of BO_CREATE
 * @bo_mmap_offset: request of BO_MMAP_OFFSET
 * @vm_create: request of VM_CREATE
 * @vm_destroy: request of VM_DESTROY
 * @vm_bind: request of VM_BIND
 * @wait_bo: request of WAIT_BO
 * @vm_read_faults: request of VM_READ_FAULTS
 * @queue_create: request of QUEUE_CREATE
 * @queue_destroy: request of QUEUE_DESTROY
 */
struct gmmu_ioctls {
	const char *driver;
	uint32_t slot_param;
	unsigned long get_param;
	unsigned long bo_create;
	unsigned long bo_mmap_offset;
	unsigned long vm_create;
	unsigned long vm_destroy;
	unsigned long vm_bind;
	unsigned long wait_bo;
	unsigned long vm_read_faults;
	unsigned long queue_create;
	unsigned long queue_destroy;
};

/**
 * gmmu_open() - open a GPU of @io's driver
 * @io: the driver
 * @slot: its PCI slot (@io->slot_param), or -1 for the first found
 * @primary: open the card node rather than the render node
 *
 * Return: a file descriptor, or -ENODEV if there is no such GPU.
 */
int gmmu_open(const struct gmmu_ioctls *io, int slot, int primary);

/** gmmu_count() - number of GPUs of @io's driver (render nodes). */
int gmmu_count(const struct gmmu_ioctls *io);

/** gmmu_get_param() - GET_PARAM: @param's value into @value. */
int gmmu_get_param(const struct gmmu_ioctls *io, int fd, uint32_t param,
		   uint64_t *value);

/**
 * gmmu_bo_create() - BO_CREATE
 * @io: the driver
 * @fd: its file descriptor
 * @size: bytes, a multiple of 4096
 * @flags: &drm_gmmu_bo_create_args.flags
 * @handle: where the new handle goes
 */
int gmmu_bo_create(const struct gmmu_ioctls *io, int fd, uint64_t size,
		   uint32_t flags, uint32_t *handle);

/** gmmu_bo_mmap_offset() - BO_MMAP_OFFSET: the BO's fake offset for mmap(). */
int gmmu_bo_mmap_offset(const struct gmmu_ioctls *io, int fd, uint32_t handle,
			uint64_t *offset);

/** gmmu_bo_mmap() - BO_MMAP_OFFSET and mmap() of the first @size bytes. */
int gmmu_bo_mmap(const struct gmmu_ioctls *io, int fd, uint32_t handle,
		 uint64_t size, void **ptr);

/** gmmu_bo_close() - drop a handle (DRM_IOCTL_GEM_CLOSE). */
int gmmu_bo_close(int fd, uint32_t handle);

/** gmmu_vm_create() - VM_CREATE: the new VM's id into @vm_id. */
int gmmu_vm_create(const struct gmmu_ioctls *io, int fd, uint32_t *vm_id);

/** gmmu_vm_destroy() - VM_DESTROY. */
int gmmu_vm_destroy(const struct gmmu_ioctls *io, int fd, uint32_t vm_id);

/** gmmu_vm_bind_ops() - synchronous VM_BIND of @count operations. */
int gmmu_vm_bind_ops(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		     const struct drm_gmmu_vm_bind_op *ops, uint32_t count);

/**
 * gmmu_vm_bind_async() - VM_BIND with DRM_GMMU_VM_BIND_ASYNC
 * @io: the driver
 * @fd: its file descriptor
 * @vm_id: the VM
 * @ops: the operations (@count may be 0: a barrier)
 * @count: entries of @ops
 * @in: fences the array waits for
 * @in_count: entries of @in
 * @out: syncobjs the array signals
 * @out_count: entries of @out
 */
int gmmu_vm_bind_async(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		       const struct drm_gmmu_vm_bind_op *ops, uint32_t count,
		       const struct drm_gmmu_sync *in, uint32_t in_count,
		       const struct drm_gmmu_sync *out, uint32_t out_count);

/** gmmu_vm_bind() - VM_BIND of one MAP of @range bytes at @va. */
int gmmu_vm_bind(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		 uint32_t handle, uint64_t bo_offset, uint64_t va,
		 uint64_t range, uint32_t flags);

/** gmmu_vm_unbind() - VM_BIND of one UNMAP of @range bytes at @va. */
int gmmu_vm_unbind(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		   uint64_t va, uint64_t range);

/**
 * gmmu_vm_read_faults() - VM_READ_FAULTS
 * @io: the driver
 * @fd: its file descriptor
 * @vm_id: the VM
 * @faults: room for *@count records
 * @count: in, room in @faults; out, records written, oldest first
 * @dropped: NULL, or where the count of records lost to a full ring goes
 */
int gmmu_vm_read_faults(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
			struct drm_gmmu_fault *faults, uint32_t *count,
			uint64_t *dropped);

/** gmmu_queue_create() - QUEUE_CREATE: the new queue's id into @queue_id. */
int gmmu_queue_create(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		      uint32_t *queue_id);

/** gmmu_queue_destroy() - QUEUE_DESTROY; waits for the queue's jobs. */
int gmmu_queue_destroy(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		       uint32_t queue_id);

/** gmmu_wait_bo() - WAIT_BO: 0 once idle, -EBUSY or -ETIMEDOUT if not. */
int gmmu_wait_bo(const struct gmmu_ioctls *io, int fd, uint32_t handle,
		 int64_t timeout_ns);

/**
 * gmmu_submit_init() - fill the drm_gmmu part of a driver's submission
 * @s: what to fill in
 * @vm_id: the VM
 * @queue_id: its queue
 * @flags: DRM_GMMU_SUBMIT_*
 * @in: fences to wait for, @in_count of them
 * @in_count: entries of @in
 * @out: syncobjs to signal, @out_count of them
 * @out_count: entries of @out
 */
void gmmu_submit_init(struct drm_gmmu_submit *s, uint32_t vm_id,
		      uint32_t queue_id, uint32_t flags,
		      const struct drm_gmmu_sync *in, uint32_t in_count,
		      const struct drm_gmmu_sync *out, uint32_t out_count);

/**
 * gmmu_fence_wait() - wait for a sync_file and read its outcome
 * @fence_fd: a sync_file
 * @timeout_ms: as poll(): -1 waits for ever, 0 only checks
 * @status: NULL, or where the fence's outcome goes: 0 or a negative errno
 *
 * Return: 0 once signalled, -ETIME if it was not within @timeout_ms.
 */
int gmmu_fence_wait(int fence_fd, int timeout_ms, int *status);

/* ---- debugfs, for tools and tests: lib/gmmu.c ---- */

/**
 * gmmu_debugfs_dir() - the GPU's debugfs directory
 * @fd: a gmmu device's file descriptor (any driver)
 * @dir: where "/sys/kernel/debug/dri/DEV" goes, DEV being the name of the
 *	GPU's parent device (its PCI address), after which DRM names it
 * @len: the size of @dir
 *
 * The directory exists with debugfs mounted and is readable by root; its
 * files are for tools and tests, not a stable interface.
 *
 * Return: 0, or a negative errno (-ENAMETOOLONG if @len is too small).
 */
int gmmu_debugfs_dir(int fd, char *dir, size_t len);

/**
 * gmmu_debugfs_value() - the number of a "key: number" line of a file
 * @dir: a GPU's debugfs directory (gmmu_debugfs_dir())
 * @file: the file, e.g. "gmmu_slots"
 * @key: the key, e.g. "steals"
 * @value: where the number goes (of the last line with @key)
 *
 * Return: 0; -ENODATA if no line has @key; the negative errno of opening
 * the file (-ENOENT, -EACCES, ...).
 */
int gmmu_debugfs_value(const char *dir, const char *file, const char *key,
			long long *value);

#ifdef __cplusplus
}
#endif

#endif /* GMMU_H */
