/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Helpers for the jdgpu IGT-style tests: a test context is a VM with a
 * descriptor BO bound at JCTX_DESC_VA, whose chains are submitted with an
 * out-fence and waited for. Every helper asserts; none returns an error
 * it was not asked for.
 */
#ifndef JDGPU_IGT_H
#define JDGPU_IGT_H

#include <stdint.h>

#include "gmmu_igt.h"
#include "jdgpu.h"
#include "swgpu_igt.h"

#define JD			(&jdgpu_gmmu_ioctls)
#define JCTX_DESC_VA		0x100000ull
#define JCTX_DESC_SIZE		0x10000ull
/* Free for the test from here. */
#define JCTX_DATA_VA		0x1000000ull

/* Opens the first jdgpu render node; skips without one. */
int jd_open(void);

/* A BO on a jdgpu file, CPU-mapped (struct buf of swgpu_igt.h). */
void jd_buf_create(int fd, uint64_t size, struct buf *b);
void jd_buf_destroy(struct buf *b);

struct jctx {
	int fd;
	uint32_t vm;
	struct buf desc;
	struct jdgpu_chain c;
};

void jctx_init(struct jctx *x, int fd);
void jctx_fini(struct jctx *x);
/* A fresh chain at the start of the descriptor BO. */
struct jdgpu_chain *jctx_chain(struct jctx *x);
/* Binds @b at @va of @x's VM, with @flags. */
void jctx_bind(struct jctx *x, const struct buf *b, uint64_t va,
	       uint32_t flags);
/*
 * Submits the chain on @queue with @flags (DRM_GMMU_SUBMIT_*, FENCE_OUT
 * always) and the syncs given; returns the out-fence.
 */
int jctx_submit(struct jctx *x, uint32_t queue, uint32_t flags,
		const struct drm_gmmu_sync *in, uint32_t in_count,
		const struct drm_gmmu_sync *out, uint32_t out_count);
/* Submits the chain on queue 0, waits: the job's status. */
int jctx_run(struct jctx *x);
/* The VM's next fault record; asserts there is one. */
void jctx_fault(struct jctx *x, struct drm_gmmu_fault *f);

/* The value of "key: value" in the jdgpu's debugfs jdgpu_hw. */
long long jd_hw_counter(int fd, const char *key);

#endif /* JDGPU_IGT_H */
