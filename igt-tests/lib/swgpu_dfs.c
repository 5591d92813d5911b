// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "swgpu_dfs.h"

void gpu_dev_name(const struct gpu *g, char *name, size_t len)
{
	char dir[PATH_MAX];

	igt_assert_eq(gmmu_debugfs_dir(g->fd, dir, sizeof(dir)), 0);
	snprintf(name, len, "%s", strrchr(dir, '/') + 1);
}

/* The DRM device's debugfs directory is named after its parent device. */
void dfs_init(struct dfs *d, const struct gpu *g)
{
	igt_assert_eq(gmmu_debugfs_dir(g->fd, d->dir, sizeof(d->dir)), 0);
	igt_require_f(dfs_exists(d, "gmmu_coherency"),
		      "no %s/gmmu_coherency (debugfs not mounted?)\n", d->dir);
}

int dfs_exists(const struct dfs *d, const char *file)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", d->dir, file);
	return access(path, F_OK) == 0;
}

long long dfs_value(const struct dfs *d, const char *file, const char *key)
{
	long long v = -1;
	int ret = gmmu_debugfs_value(d->dir, file, key, &v);

	igt_assert_f(!ret && v >= 0, "%s/%s: \"%s\": %s\n", d->dir, file, key,
		     strerror(-ret));
	return v;
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
	char path[PATH_MAX + 32];
	long long v = -1;
	FILE *f;

	dfs_write(d, "gmmu_evict", "all");
	snprintf(path, sizeof(path), "%s/gmmu_evict", d->dir);
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %m\n", path);
	igt_assert_eq(fscanf(f, "%lld", &v), 1);
	fclose(f);
	igt_assert(v >= 0);
	return v;
}
