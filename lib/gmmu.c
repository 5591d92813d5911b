// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The shared ioctls of every gmmu driver, under one driver's numbers
 * (lib/gmmu.h); libswgpu and libjdgpu call these.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "gmmu.h"

static int is_driver(int fd, const char *name)
{
	drmVersionPtr v = drmGetVersion(fd);
	int ret;

	if (!v)
		return 0;
	ret = v->name && !strcmp(v->name, name);
	drmFreeVersion(v);
	return ret;
}

static int open_nodes(const struct gmmu_ioctls *io, const char *prefix,
		      int slot, int *count)
{
	char path[64];
	int minor, fd;

	for (minor = 0; minor < 256; minor++) {
		uint64_t s = 0;

		snprintf(path, sizeof(path), "/dev/dri/%s%d", prefix,
			 minor + (prefix[0] == 'r' ? 128 : 0));
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!is_driver(fd, io->driver) ||
		    gmmu_get_param(io, fd, io->slot_param, &s)) {
			close(fd);
			continue;
		}
		if (count) {
			(*count)++;
			close(fd);
			continue;
		}
		if (slot < 0 || (uint64_t)slot == s)
			return fd;
		close(fd);
	}
	return -ENODEV;
}

int gmmu_open(const struct gmmu_ioctls *io, int slot, int primary)
{
	return open_nodes(io, primary ? "card" : "renderD", slot, NULL);
}

int gmmu_count(const struct gmmu_ioctls *io)
{
	int count = 0;

	open_nodes(io, "renderD", -1, &count);
	return count;
}

int gmmu_get_param(const struct gmmu_ioctls *io, int fd, uint32_t param,
		   uint64_t *value)
{
	struct drm_gmmu_get_param_args gp = { .param = param };

	if (drmIoctl(fd, io->get_param, &gp))
		return -errno;
	*value = gp.value;
	return 0;
}

int gmmu_bo_create(const struct gmmu_ioctls *io, int fd, uint64_t size,
		   uint32_t flags, uint32_t *handle)
{
	struct drm_gmmu_bo_create_args c = { .size = size, .flags = flags };

	if (drmIoctl(fd, io->bo_create, &c))
		return -errno;
	*handle = c.handle;
	return 0;
}

int gmmu_bo_mmap_offset(const struct gmmu_ioctls *io, int fd, uint32_t handle,
			uint64_t *offset)
{
	struct drm_gmmu_bo_mmap_offset_args m = { .handle = handle };

	if (drmIoctl(fd, io->bo_mmap_offset, &m))
		return -errno;
	*offset = m.offset;
	return 0;
}

int gmmu_bo_mmap(const struct gmmu_ioctls *io, int fd, uint32_t handle,
		 uint64_t size, void **ptr)
{
	uint64_t offset = 0;
	void *p;
	int ret;

	ret = gmmu_bo_mmap_offset(io, fd, handle, &offset);
	if (ret)
		return ret;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	if (p == MAP_FAILED)
		return -errno;
	*ptr = p;
	return 0;
}

int gmmu_bo_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	if (drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c))
		return -errno;
	return 0;
}

int gmmu_vm_create(const struct gmmu_ioctls *io, int fd, uint32_t *vm_id)
{
	struct drm_gmmu_vm_create_args c = { 0 };

	if (drmIoctl(fd, io->vm_create, &c))
		return -errno;
	*vm_id = c.vm_id;
	return 0;
}

int gmmu_vm_destroy(const struct gmmu_ioctls *io, int fd, uint32_t vm_id)
{
	struct drm_gmmu_vm_destroy_args d = { .vm_id = vm_id };

	if (drmIoctl(fd, io->vm_destroy, &d))
		return -errno;
	return 0;
}

static int vm_bind(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		   uint32_t flags, const struct drm_gmmu_vm_bind_op *ops,
		   uint32_t count, const struct drm_gmmu_sync *in,
		   uint32_t in_count, const struct drm_gmmu_sync *out,
		   uint32_t out_count)
{
	struct drm_gmmu_vm_bind_args b = {
		.vm_id = vm_id,
		.flags = flags,
		.ops = (uintptr_t)ops,
		.op_count = count,
		.op_stride = sizeof(*ops),
		.in_syncs = (uintptr_t)in,
		.out_syncs = (uintptr_t)out,
		.in_sync_count = in_count,
		.out_sync_count = out_count,
		.sync_stride = flags ? sizeof(struct drm_gmmu_sync) : 0,
	};

	if (drmIoctl(fd, io->vm_bind, &b))
		return -errno;
	return 0;
}

int gmmu_vm_bind_ops(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		     const struct drm_gmmu_vm_bind_op *ops, uint32_t count)
{
	return vm_bind(io, fd, vm_id, 0, ops, count, NULL, 0, NULL, 0);
}

int gmmu_vm_bind_async(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		       const struct drm_gmmu_vm_bind_op *ops, uint32_t count,
		       const struct drm_gmmu_sync *in, uint32_t in_count,
		       const struct drm_gmmu_sync *out, uint32_t out_count)
{
	return vm_bind(io, fd, vm_id, DRM_GMMU_VM_BIND_ASYNC, ops, count, in,
		       in_count, out, out_count);
}

int gmmu_vm_bind(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		 uint32_t handle, uint64_t bo_offset, uint64_t va,
		 uint64_t range, uint32_t flags)
{
	struct drm_gmmu_vm_bind_op op = {
		.op = DRM_GMMU_VM_BIND_OP_MAP,
		.handle = handle,
		.flags = flags,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};

	return gmmu_vm_bind_ops(io, fd, vm_id, &op, 1);
}

int gmmu_vm_unbind(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		   uint64_t va, uint64_t range)
{
	struct drm_gmmu_vm_bind_op op = {
		.op = DRM_GMMU_VM_BIND_OP_UNMAP,
		.va = va,
		.range = range,
	};

	return gmmu_vm_bind_ops(io, fd, vm_id, &op, 1);
}

int gmmu_vm_read_faults(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
			struct drm_gmmu_fault *faults, uint32_t *count,
			uint64_t *dropped)
{
	struct drm_gmmu_vm_read_faults_args r = {
		.vm_id = vm_id,
		.faults = (uintptr_t)faults,
		.count = *count,
		.stride = sizeof(*faults),
	};

	if (drmIoctl(fd, io->vm_read_faults, &r))
		return -errno;
	*count = r.count;
	if (dropped)
		*dropped = r.dropped;
	return 0;
}

int gmmu_queue_create(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		      uint32_t *queue_id)
{
	struct drm_gmmu_queue_create_args c = { .vm_id = vm_id };

	if (drmIoctl(fd, io->queue_create, &c))
		return -errno;
	*queue_id = c.queue_id;
	return 0;
}

int gmmu_queue_destroy(const struct gmmu_ioctls *io, int fd, uint32_t vm_id,
		       uint32_t queue_id)
{
	struct drm_gmmu_queue_destroy_args d = {
		.vm_id = vm_id,
		.queue_id = queue_id,
	};

	return drmIoctl(fd, io->queue_destroy, &d) ? -errno : 0;
}

int gmmu_wait_bo(const struct gmmu_ioctls *io, int fd, uint32_t handle,
		 int64_t timeout_ns)
{
	struct drm_gmmu_bo_wait_args w = {
		.handle = handle,
		.timeout_ns = timeout_ns,
	};

	if (drmIoctl(fd, io->wait_bo, &w))
		return -errno;
	return 0;
}

void gmmu_submit_init(struct drm_gmmu_submit *s, uint32_t vm_id,
		      uint32_t queue_id, uint32_t flags,
		      const struct drm_gmmu_sync *in, uint32_t in_count,
		      const struct drm_gmmu_sync *out, uint32_t out_count)
{
	*s = (struct drm_gmmu_submit){
		.vm_id = vm_id,
		.queue_id = queue_id,
		.flags = flags,
		.out_fence_fd = -1,
		.in_syncs = (uintptr_t)in,
		.out_syncs = (uintptr_t)out,
		.in_sync_count = in_count,
		.out_sync_count = out_count,
		.sync_stride = sizeof(struct drm_gmmu_sync),
	};
}

int gmmu_fence_wait(int fence_fd, int timeout_ms, int *status)
{
	struct pollfd p = { .fd = fence_fd, .events = POLLIN };
	struct sync_file_info info = { 0 };
	int ret;

	do {
		ret = poll(&p, 1, timeout_ms);
	} while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIME;
	if (p.revents & POLLNVAL)
		return -EINVAL;
	if (!status)
		return 0;
	/* num_fences 0: only the status of the whole sync_file. */
	if (ioctl(fence_fd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	if (info.status == 0)	/* poll said signalled: cannot be active */
		return -EIO;
	*status = info.status < 0 ? info.status : 0;
	return 0;
}

int gmmu_debugfs_dir(int fd, char *dir, size_t len)
{
	char link[64], real[PATH_MAX];
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(link, real))
		return -errno;
	if ((size_t)snprintf(dir, len, "/sys/kernel/debug/dri/%s",
			     strrchr(real, '/') + 1) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int gmmu_debugfs_value(const char *dir, const char *file, const char *key,
			long long *value)
{
	char path[PATH_MAX], line[256];
	size_t klen = strlen(key);
	int ret = -ENODATA;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			*value = strtoll(line + klen + 1, NULL, 0);
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}
