// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu.h"

static int is_swgpu(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	int ret;

	if (!v)
		return 0;
	ret = v->name && !strcmp(v->name, "swgpu");
	drmFreeVersion(v);
	return ret;
}

static int open_nodes(const char *prefix, int slot, int *count)
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
		if (!is_swgpu(fd) || swgpu_get_param(fd, DRM_SWGPU_PARAM_SLOT, &s)) {
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

int swgpu_open(int slot, unsigned int flags)
{
	if (flags > SWGPU_OPEN_PRIMARY)
		return -EINVAL;
	return open_nodes(flags == SWGPU_OPEN_PRIMARY ? "card" : "renderD",
			  slot, NULL);
}

int swgpu_count(void)
{
	int count = 0;

	open_nodes("renderD", -1, &count);
	return count;
}

int swgpu_get_param(int fd, uint32_t param, uint64_t *value)
{
	struct drm_gmmu_get_param_args gp = { .param = param };

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_GET_PARAM, &gp))
		return -errno;
	*value = gp.value;
	return 0;
}

int swgpu_bo_create(int fd, uint64_t size, uint32_t *handle)
{
	return swgpu_bo_create_flags(fd, size, 0, handle);
}

int swgpu_bo_create_flags(int fd, uint64_t size, uint32_t flags,
			  uint32_t *handle)
{
	struct drm_gmmu_bo_create_args c = { .size = size, .flags = flags };

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_BO_CREATE, &c))
		return -errno;
	*handle = c.handle;
	return 0;
}

int swgpu_bo_mmap(int fd, uint32_t handle, uint64_t size, void **ptr)
{
	struct drm_gmmu_bo_mmap_offset_args m = { .handle = handle };
	void *p;

	if (drmIoctl(fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m))
		return -errno;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (p == MAP_FAILED)
		return -errno;
	*ptr = p;
	return 0;
}

int swgpu_bo_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	if (drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c))
		return -errno;
	return 0;
}

const char *swgpu_profile_name(uint64_t profile)
{
	switch (profile) {
	case DRM_SWGPU_PROFILE_LLC:
		return "llc";
	case DRM_SWGPU_PROFILE_ATOM:
		return "atom";
	}
	return "unknown";
}

int swgpu_debugfs_dir(int fd, char *dir, size_t len)
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

int swgpu_debugfs_value(const char *dir, const char *file, const char *key,
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
