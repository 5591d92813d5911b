// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_dfs.h"
#include "swgpu_mem.h"

void gpu_dev_name(const struct gpu *g, char *name, size_t len)
{
	char dir[PATH_MAX];

	igt_assert_eq(gmmu_debugfs_dir(g->fd, dir, sizeof(dir)), 0);
	snprintf(name, len, "%s", strrchr(dir, '/') + 1);
}

/* The DRM device's debugfs directory is named after its parent device. */
void dfs_init(struct dfs *d, const struct gpu *g)
{
	dfs_init_fd(d, g->fd);
}

void dfs_init_fd(struct dfs *d, int fd)
{
	igt_assert_eq(gmmu_debugfs_dir(fd, d->dir, sizeof(d->dir)), 0);
	igt_require_f(dfs_exists(d, "gmmu_coherency"),
		      "no %s/gmmu_coherency (debugfs not mounted?)\n", d->dir);
}

int dfs_exists(const struct dfs *d, const char *file)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", d->dir, file);
	return access(path, F_OK) == 0;
}

void dfs_require(const struct gpu *g, const char *file)
{
	struct dfs d;

	dfs_init(&d, g);
	igt_require_f(dfs_exists(&d, file), "no %s/%s\n", d.dir, file);
}

long long dfs_value(const struct dfs *d, const char *file, const char *key)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", d->dir, file);
	return file_value(path, key);
}

void dfs_write(const struct dfs *d, const char *file, const char *s)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", d->dir, file);
	f = fopen(path, "w");
	igt_assert_f(f, "%s: %m\n", path);
	igt_assert(fputs(s, f) >= 0);
	igt_assert_eq(fclose(f), 0);
}

long long dfs_evict_all(const struct dfs *d)
{
	dfs_write(d, "gmmu_evict", "all");
	return dfs_value(d, "gmmu_evict", NULL);
}

long long dfs_evict_bo(const struct dfs *d, int fd, uint32_t handle, int wait)
{
	struct drm_gmmu_bo_mmap_offset_args m = { .handle = handle };

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_SWGPU_BO_MMAP_OFFSET, &m), 0);
	return dfs_evict_offset(d, m.offset, wait);
}

long long dfs_evict_offset(const struct dfs *d, uint64_t offset, int wait)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "offset 0x%llx%s",
		 (unsigned long long)offset, wait ? " wait" : "");
	dfs_write(d, "gmmu_evict", cmd);
	return dfs_value(d, "gmmu_evict", NULL);
}

long long dfs_file_pinned(const struct dfs *d, int fd)
{
	char path[64], key[64];
	long long id = -1;
	char line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %m\n", path);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "drm-client-id:", 14))
			id = strtoll(line + 14, NULL, 0);
	fclose(f);
	igt_assert_f(id >= 0, "%s: no drm-client-id\n", path);
	snprintf(key, sizeof(key), "client %lld", id);
	return dfs_value(d, "gmmu_pins", key);
}

long long gmmu_dmabuf_stat(int fd, const char *key)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];

	igt_assert_eq(gmmu_debugfs_dir(fd, dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/gmmu_dmabuf", dir);
	igt_require_f(access(path, R_OK) == 0, "no %s\n", path);
	return file_value(path, key);
}

bool dmabuf_move_notify(const struct gpu *g)
{
	return gmmu_dmabuf_stat(g->fd, "move_notify");
}

void dmabuf_move_own_set(bool on)
{
	FILE *f = fopen(DMABUF_MOVE_OWN_PARAM, "w");

	igt_require_f(f, "%s: %m\n", DMABUF_MOVE_OWN_PARAM);
	igt_assert(fputs(on ? "1" : "0", f) >= 0);
	igt_assert_eq(fclose(f), 0);
}

bool dmabuf_move_own(void)
{
	FILE *f = fopen(DMABUF_MOVE_OWN_PARAM, "r");
	int c;

	if (!f)
		return false;
	c = fgetc(f);
	fclose(f);
	return c == 'Y';
}

void dmabuf_require_moves(const struct gpu *g)
{
	if (!dmabuf_move_notify(g))
		dmabuf_move_own_set(true);
}
