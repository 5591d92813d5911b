/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * A GPU's debugfs files for the coherency tests: drm_gmmu's counters
 * (gmmu_coherency), its fault injection (gmmu_inject) and the atom
 * model's checker (swgpu_coherency). Every helper asserts.
 */
#ifndef SWGPU_DFS_H
#define SWGPU_DFS_H

#include <limits.h>

#include "swgpu_igt.h"

struct dfs {
	char dir[PATH_MAX];
};

/* The name of @g's parent device (its PCI address), as dev_name() gives it. */
void gpu_dev_name(const struct gpu *g, char *name, size_t len);
/* Finds @g's directory; skips the subtest if debugfs lacks gmmu_coherency. */
void dfs_init(struct dfs *d, const struct gpu *g);
/* The same for the device of any gmmu driver's file @fd. */
void dfs_init_fd(struct dfs *d, int fd);
int dfs_exists(const struct dfs *d, const char *file);
/* Skips unless @g's debugfs directory has @file. */
void dfs_require(const struct gpu *g, const char *file);
/* The value of "key: value" in @file, or its only number if @key is NULL. */
long long dfs_value(const struct dfs *d, const char *file, const char *key);
void dfs_write(const struct dfs *d, const char *file, const char *s);
/*
 * Evicts every BO of the GPU that nothing pins (debugfs gmmu_evict);
 * returns the pages released.
 */
long long dfs_evict_all(const struct dfs *d);
/*
 * Evicts one BO of @fd (debugfs gmmu_evict "offset N"), bound or not;
 * with @wait, after its jobs are done rather than not at all while they
 * run. Returns the pages released.
 */
long long dfs_evict_bo(const struct dfs *d, int fd, uint32_t handle, int wait);
/* The same for the BO at mmap offset @offset of any gmmu driver's device. */
long long dfs_evict_offset(const struct dfs *d, uint64_t offset, int wait);
/*
 * A counter of @fd's debugfs gmmu_dmabuf, whichever gmmu driver it is;
 * skips the subtest without the file.
 */
long long gmmu_dmabuf_stat(int fd, const char *key);
/* Does the kernel have CONFIG_DMABUF_MOVE_NOTIFY (drm_gmmu says)? */
bool dmabuf_move_notify(const struct gpu *g);

#define DMABUF_MOVE_OWN_PARAM "/sys/module/drm_gmmu/parameters/move_own_imports"

/*
 * drm_gmmu's move_own_imports: its exporter moves BOs its own importers
 * map even where the dma-buf core pins them for them. Set for the
 * moving subtests on a kernel without CONFIG_DMABUF_MOVE_NOTIFY (skips if
 * the parameter cannot be written), cleared by the others and at exit.
 */
void dmabuf_move_own_set(bool on);
/* Is move_own_imports set? */
bool dmabuf_move_own(void);
/* The moving path, by the kernel's option or by move_own_imports. */
void dmabuf_require_moves(const struct gpu *g);
/* Bytes the file @fd pins (debugfs gmmu_pins, by DRM client id). */
long long dfs_file_pinned(const struct dfs *d, int fd);

/* The checker's violation count (atom only). */
static inline long long dfs_violations(const struct dfs *d)
{
	return dfs_value(d, "swgpu_coherency", "violations");
}

/*
 * Address-space slots @g's contexts share (drm_gmmu's gmmu_slots): with
 * one, a context's job runs only once no other context's job is running.
 */
static inline long long gpu_slots(const struct gpu *g)
{
	struct dfs d;

	dfs_init(&d, g);
	return dfs_value(&d, "gmmu_slots", "slots");
}

/* A counter of @g's BO backing (gmmu_backing), e.g. "pages_evicted". */
static inline long long gpu_backing(const struct gpu *g, const char *key)
{
	struct dfs d;

	dfs_init(&d, g);
	return dfs_value(&d, "gmmu_backing", key);
}

/* A drm_gmmu counter, e.g. "pages_flushed". */
static inline long long dfs_stat(const struct dfs *d, const char *key)
{
	return dfs_value(d, "gmmu_coherency", key);
}

#endif
