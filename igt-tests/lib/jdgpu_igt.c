// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <sys/mman.h>
#include <unistd.h>

#include "jdgpu_igt.h"
#include "swgpu_dfs.h"

int jd_open(void)
{
	int fd = jdgpu_open(-1, 0);

	igt_require_f(fd >= 0, "no jdgpu device\n");
	return fd;
}

void jd_buf_create(int fd, uint64_t size, struct buf *b)
{
	void *p = NULL;

	b->fd = fd;
	b->size = size;
	igt_assert_eq(gmmu_bo_create(JD, fd, size, 0, &b->handle), 0);
	igt_assert_eq(gmmu_bo_mmap(JD, fd, b->handle, size, &p), 0);
	b->map = p;
}

void jd_buf_destroy(struct buf *b)
{
	munmap(b->map, b->size);
	igt_assert_eq(gmmu_bo_close(b->fd, b->handle), 0);
}

void jctx_init(struct jctx *x, int fd)
{
	x->fd = fd;
	igt_assert_eq(gmmu_vm_create(JD, fd, &x->vm), 0);
	jd_buf_create(fd, JCTX_DESC_SIZE, &x->desc);
	jctx_bind(x, &x->desc, JCTX_DESC_VA, DRM_GMMU_VM_BIND_MAP_READONLY);
	jctx_chain(x);
}

void jctx_fini(struct jctx *x)
{
	igt_assert_eq(gmmu_vm_destroy(JD, x->fd, x->vm), 0);
	jd_buf_destroy(&x->desc);
}

struct jdgpu_chain *jctx_chain(struct jctx *x)
{
	jdgpu_chain_init(&x->c, x->desc.map, JCTX_DESC_VA, x->desc.size);
	return &x->c;
}

void jctx_bind(struct jctx *x, const struct buf *b, uint64_t va,
	       uint32_t flags)
{
	igt_assert_eq(gmmu_vm_bind(JD, x->fd, x->vm, b->handle, 0, va, b->size,
				   flags), 0);
}

int jctx_submit(struct jctx *x, uint32_t queue, uint32_t flags,
		const struct drm_gmmu_sync *in, uint32_t in_count,
		const struct drm_gmmu_sync *out, uint32_t out_count)
{
	struct drm_jdgpu_submit s = { .desc_va = x->c.va };

	gmmu_submit_init(&s.submit, x->vm, queue,
			 flags | DRM_GMMU_SUBMIT_FENCE_OUT, in, in_count, out,
			 out_count);
	igt_assert_eq(x->c.error, 0);
	igt_assert_eq(jdgpu_submit(x->fd, &s), 0);
	igt_assert(s.submit.out_fence_fd >= 0);
	return s.submit.out_fence_fd;
}

int jctx_run(struct jctx *x)
{
	igt_assert_eq(x->c.error, 0);
	return jdgpu_run(x->fd, x->vm, x->c.va, FENCE_TIMEOUT_MS);
}

void jctx_fault(struct jctx *x, struct drm_gmmu_fault *f)
{
	uint32_t n = 1;

	igt_assert_eq(gmmu_vm_read_faults(JD, x->fd, x->vm, f, &n, NULL), 0);
	igt_assert_eq(n, 1);
}

long long jd_hw_counter(int fd, const char *key)
{
	struct gpu g = { .fd = fd };
	struct dfs d;

	dfs_init(&d, &g);
	return dfs_value(&d, "jdgpu_hw", key);
}
