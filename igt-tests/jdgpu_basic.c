// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * jdgpu's ioctls: each one's working case and its bad input (errno), and
 * every descriptor of the job format: what it writes, read back through
 * the CPU mapping, and the descriptors the engine refuses (-EPROTO,
 * -ELOOP) with nothing of them written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>
#include <zlib.h>

#include "jdgpu_igt.h"

#define SZ	0x10000ull
#define SRC_VA	JCTX_DATA_VA
#define DST_VA	(JCTX_DATA_VA + SZ)

/* A context with a source and a destination BO of SZ bytes bound. */
struct two {
	struct jctx x;
	struct buf src, dst;
};

static void two_init(struct two *t, int fd)
{
	jctx_init(&t->x, fd);
	jd_buf_create(fd, SZ, &t->src);
	jd_buf_create(fd, SZ, &t->dst);
	jctx_bind(&t->x, &t->src, SRC_VA, 0);
	jctx_bind(&t->x, &t->dst, DST_VA, 0);
	pattern_fill(t->src.map, SZ, 7);
	memset(t->dst.map, 0xee, SZ);
}

static void two_fini(struct two *t)
{
	jctx_fini(&t->x);
	jd_buf_destroy(&t->src);
	jd_buf_destroy(&t->dst);
}

static uint64_t param(int fd, uint32_t p)
{
	uint64_t v = 0;

	igt_assert_eq(gmmu_get_param(JD, fd, p, &v), 0);
	return v;
}

static void test_params(int fd)
{
	igt_assert_eq(param(fd, DRM_GMMU_PARAM_AS_SLOTS), 4);
	igt_assert_eq(param(fd, DRM_GMMU_PARAM_PT_FORMAT),
		      DRM_GMMU_PT_FORMAT_LPAE_40);
	igt_assert_eq(param(fd, DRM_JDGPU_PARAM_MAX_CHAIN), JDGPU_MAX_CHAIN);
	igt_assert_eq(param(fd, DRM_JDGPU_PARAM_PCI_SLOT), 3);
	igt_assert_eq(param(fd, DRM_GMMU_PARAM_VA_BITS), 39);
	igt_assert_eq(param(fd, DRM_GMMU_PARAM_DMA_BITS), 40);
	igt_assert_eq(param(fd, DRM_GMMU_PARAM_COHERENT), 1);
	igt_assert_eq_u64(param(fd, DRM_GMMU_PARAM_PAGE_SIZES), 0x200000 | 0x1000);
}

static void test_params_bad(int fd)
{
	static const uint32_t bad[] = { DRM_GMMU_PARAM_INVALID,
					DRM_GMMU_PARAM_DRIVER_BASE - 1,
					DRM_JDGPU_PARAM_MAX_CHAIN + 1, ~0u };
	struct drm_gmmu_user_extension ext = { .name = 0x1234 };
	struct drm_gmmu_get_param_args gp;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gp = (struct drm_gmmu_get_param_args){ .param = bad[i], .value = 5 };
		do_ioctl_err(fd, DRM_IOCTL_JDGPU_GET_PARAM, &gp, EINVAL);
		igt_assert_eq(gp.value, 5);
	}
	gp = (struct drm_gmmu_get_param_args){ .param = DRM_JDGPU_PARAM_PCI_SLOT,
						 .flags = 1 };
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_GET_PARAM, &gp, EINVAL);
	gp = (struct drm_gmmu_get_param_args){ .param = DRM_JDGPU_PARAM_PCI_SLOT,
						 .extensions = (uintptr_t)&ext };
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_GET_PARAM, &gp, EINVAL);
	gp.extensions = 8;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_GET_PARAM, &gp, EFAULT);
}

static void test_bo(int fd)
{
	struct drm_gmmu_bo_create_args c = { .size = 3 * 4096 };
	struct drm_gmmu_bo_mmap_offset_args m = { 0 };
	struct buf b;

	do_ioctl(fd, DRM_IOCTL_JDGPU_BO_CREATE, &c);
	igt_assert(c.handle);
	m.handle = c.handle;
	do_ioctl(fd, DRM_IOCTL_JDGPU_BO_MMAP_OFFSET, &m);
	igt_assert(m.offset && !(m.offset & 4095));
	igt_assert_eq(gmmu_bo_close(fd, c.handle), 0);

	/* Bad input. */
	c = (struct drm_gmmu_bo_create_args){ .size = 0 };
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_BO_CREATE, &c, EINVAL);
	c = (struct drm_gmmu_bo_create_args){ .size = 4095 };
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_BO_CREATE, &c, EINVAL);
	c = (struct drm_gmmu_bo_create_args){ .size = 4096, .flags = 1u << 31 };
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_BO_CREATE, &c, EINVAL);
	m = (struct drm_gmmu_bo_mmap_offset_args){ .handle = 0xdead };
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_BO_MMAP_OFFSET, &m, ENOENT);

	/* The mapping is the BO: what the CPU writes, it reads back. */
	jd_buf_create(fd, 2 * 4096, &b);
	pattern_fill(b.map, b.size, 3);
	igt_assert_pattern(b.map, b.size, 3, 0);
	jd_buf_destroy(&b);
}

static void test_vm(int fd)
{
	struct drm_gmmu_vm_create_args c = { .flags = 1 };
	struct drm_gmmu_vm_destroy_args d = { .vm_id = 0xdead };
	uint32_t vm;

	igt_assert_eq(gmmu_vm_create(JD, fd, &vm), 0);
	igt_assert(vm);
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_VM_CREATE, &c, EINVAL);
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_VM_DESTROY, &d, ENOENT);
	igt_assert_eq(gmmu_vm_destroy(JD, fd, vm), 0);
	igt_assert_eq(gmmu_vm_destroy(JD, fd, vm), -ENOENT);
}

static void test_vm_bind(int fd)
{
	struct jctx x;
	struct buf b;
	uint64_t end = 1ull << 39;

	jctx_init(&x, fd);
	jd_buf_create(fd, 0x4000, &b);
	igt_assert_eq(gmmu_vm_bind(JD, fd, x.vm, b.handle, 0, JCTX_DATA_VA,
				   0x4000, 0), 0);
	igt_assert_eq(gmmu_vm_unbind(JD, fd, x.vm, JCTX_DATA_VA, 0x4000), 0);
	/* The top of the 39-bit space maps; one page further does not. */
	igt_assert_eq(gmmu_vm_bind(JD, fd, x.vm, b.handle, 0, end - 0x4000,
				   0x4000, 0), 0);

	igt_assert_eq(gmmu_vm_bind(JD, fd, x.vm, b.handle, 0, end - 0x3000,
				   0x4000, 0), -EINVAL);
	igt_assert_eq(gmmu_vm_bind(JD, fd, x.vm, b.handle, 0, 0x1000, 0x1000,
				   0), -EINVAL);	/* below DRM_JDGPU_VM_VA_START */
	igt_assert_eq(gmmu_vm_bind(JD, fd, x.vm, b.handle, 0,
				   JCTX_DATA_VA + 0x800, 0x1000, 0), -EINVAL);
	igt_assert_eq(gmmu_vm_bind(JD, fd, x.vm, b.handle, 0x1000,
				   JCTX_DATA_VA, 0x4000, 0), -EINVAL);
	igt_assert_eq(gmmu_vm_bind(JD, fd, x.vm, b.handle, 0, JCTX_DATA_VA,
				   0, 0), -EINVAL);
	igt_assert_eq(gmmu_vm_bind(JD, fd, x.vm, b.handle, 0, JCTX_DATA_VA,
				   0x1000, 1u << 30), -EINVAL);
	igt_assert_eq(gmmu_vm_bind(JD, fd, x.vm, 0xdead, 0, JCTX_DATA_VA,
				   0x1000, 0), -ENOENT);
	igt_assert_eq(gmmu_vm_bind(JD, fd, 0xdead, b.handle, 0, JCTX_DATA_VA,
				   0x1000, 0), -ENOENT);
	jctx_fini(&x);
	jd_buf_destroy(&b);
}

/* Every opcode's working case, in one chain, checked byte for byte. */
static void test_descriptors(int fd)
{
	uint64_t sum = 0x1000000000ull;
	struct jdgpu_chain *c;
	struct two t;
	uint32_t w;

	two_init(&t, fd);
	c = jctx_chain(&t.x);
	jdgpu_chain_op(c, JDGPU_OP_NOP, 0, 0, 0, 0);
	jdgpu_chain_op(c, JDGPU_OP_COPY, DST_VA + 3, SRC_VA + 5, 0x2345, 0);
	jdgpu_chain_op(c, JDGPU_OP_FILL, DST_VA + 0x4000, 0, 0x3004, 0xa1b2c3d4);
	jdgpu_chain_op(c, JDGPU_OP_WRITE_VALUE, DST_VA + 0x8000, 0, 0,
		       0x0123456789abcdefull);
	jdgpu_chain_op(c, JDGPU_OP_SUM32, DST_VA + 0x8008, SRC_VA, 0x5000, sum);
	jdgpu_chain_op(c, JDGPU_OP_CRC32, DST_VA + 0x8010, SRC_VA + 1, 0x4321, 0);
	jdgpu_chain_op(c, JDGPU_OP_CRC32, DST_VA + 0x8014, SRC_VA, 0, 0);
	igt_assert_eq(jctx_run(&t.x), 0);

	igt_assert_bytes(t.dst.map, 3, 0xee);
	igt_assert_pattern(t.dst.map + 3, 0x2345, 7, 5);
	igt_assert_bytes(t.dst.map + 3 + 0x2345, 0x4000 - 3 - 0x2345, 0xee);
	for (uint64_t i = 0; i < 0x3004; i += 4) {
		memcpy(&w, t.dst.map + 0x4000 + i, 4);
		igt_assert_eq_u32(w, 0xa1b2c3d4);
	}
	igt_assert_bytes(t.dst.map + 0x7004, 0x8000 - 0x7004, 0xee);
	igt_assert_eq_u64(*(uint64_t *)(t.dst.map + 0x8000), 0x0123456789abcdefull);
	for (uint64_t i = 0; i < 0x5000; i += 4) {
		memcpy(&w, t.src.map + i, 4);
		sum += w;
	}
	igt_assert_eq_u64(*(uint64_t *)(t.dst.map + 0x8008), sum);
	igt_assert_eq_u32(*(uint32_t *)(t.dst.map + 0x8010),
			  crc32(0, t.src.map + 1, 0x4321));
	igt_assert_eq_u32(*(uint32_t *)(t.dst.map + 0x8014), 0);
	igt_assert_bytes(t.dst.map + 0x8018, SZ - 0x8018, 0xee);
	two_fini(&t);
}

/* A descriptor the engine refuses: -EPROTO, its destination untouched. */
static void refused(struct two *t, const struct jdgpu_desc *d, int err)
{
	struct jdgpu_chain *c = jctx_chain(&t->x);

	memset(t->dst.map, 0xee, SZ);
	jdgpu_chain_add(c, d);
	igt_assert_eq(jctx_run(&t->x), err);
	igt_assert_bytes(t->dst.map, SZ, 0xee);
}

static void test_descriptors_bad(int fd)
{
	const struct jdgpu_desc fill = { .opcode = JDGPU_OP_FILL, .dst = DST_VA,
					 .len = 64, .value = 1 };
	struct jdgpu_desc d;
	struct two t;

	two_init(&t, fd);
	d = fill, d.opcode = 6;
	refused(&t, &d, -EPROTO);
	d = fill, d.opcode = ~0u;
	refused(&t, &d, -EPROTO);
	d = fill, d.flags = 1;
	refused(&t, &d, -EPROTO);
	d = fill, d.reserved[1] = 1;
	refused(&t, &d, -EPROTO);
	d = fill, d.len = JDGPU_MAX_LEN + 4;
	refused(&t, &d, -EPROTO);
	d = fill, d.dst = DST_VA + 2;
	refused(&t, &d, -EPROTO);
	d = fill, d.len = 62;
	refused(&t, &d, -EPROTO);
	d = (struct jdgpu_desc){ .opcode = JDGPU_OP_COPY, .dst = DST_VA,
				 .src = DST_VA + 16, .len = 32 };
	refused(&t, &d, -EPROTO);	/* overlap */
	d = (struct jdgpu_desc){ .opcode = JDGPU_OP_WRITE_VALUE,
				 .dst = DST_VA + 4 };
	refused(&t, &d, -EPROTO);
	d = (struct jdgpu_desc){ .opcode = JDGPU_OP_WRITE_VALUE, .dst = DST_VA,
				 .len = 8 };
	refused(&t, &d, -EPROTO);
	d = (struct jdgpu_desc){ .opcode = JDGPU_OP_SUM32, .dst = DST_VA + 4,
				 .src = SRC_VA, .len = 8 };
	refused(&t, &d, -EPROTO);
	d = (struct jdgpu_desc){ .opcode = JDGPU_OP_SUM32, .dst = DST_VA,
				 .src = SRC_VA + 1, .len = 8 };
	refused(&t, &d, -EPROTO);
	d = (struct jdgpu_desc){ .opcode = JDGPU_OP_CRC32, .dst = DST_VA,
				 .src = SRC_VA, .len = 8, .value = 1 };
	refused(&t, &d, -EPROTO);

	/* A misaligned @next is checked with the rest: nothing runs. */
	jdgpu_chain_add(jctx_chain(&t.x), &fill);
	t.x.c.map[0].next = JCTX_DESC_VA + 8;
	igt_assert_eq(jctx_run(&t.x), -EPROTO);
	igt_assert_bytes(t.dst.map, SZ, 0xee);

	/* A cycle: -ELOOP after JDGPU_MAX_CHAIN descriptors. */
	memset(t.dst.map, 0, 8);
	d = (struct jdgpu_desc){ .opcode = JDGPU_OP_WRITE_VALUE, .dst = DST_VA,
				 .value = 9 };
	jdgpu_chain_add(jctx_chain(&t.x), &d);
	jdgpu_chain_op(&t.x.c, JDGPU_OP_NOP, 0, 0, 0, 0);
	t.x.c.map[1].next = JCTX_DESC_VA;
	igt_assert_eq(jctx_run(&t.x), -ELOOP);
	igt_assert_eq_u64(*(uint64_t *)t.dst.map, 9);
	two_fini(&t);
}

static void test_submit_bad(int fd)
{
	struct drm_gmmu_user_extension ext = { .name = 1 };
	struct drm_jdgpu_submit s;
	struct jctx x;

	jctx_init(&x, fd);
	jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_NOP, 0, 0, 0, 0);
#define SUBMIT_OK ((struct drm_jdgpu_submit){ .submit.vm_id = x.vm, \
					      .desc_va = JCTX_DESC_VA })
	s = SUBMIT_OK;
	do_ioctl(fd, DRM_IOCTL_JDGPU_SUBMIT, &s);
	igt_assert_eq(s.submit.seqno, 1);
	s = SUBMIT_OK, s.desc_va = JCTX_DESC_VA + 32;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, EINVAL);
	s = SUBMIT_OK, s.desc_va = 1ull << 39;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, EINVAL);
	s = SUBMIT_OK, s.desc_va = 0;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, EINVAL);
	s = SUBMIT_OK, s.extensions = (uintptr_t)&ext;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, EINVAL);
	s = SUBMIT_OK, s.extensions = 8;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, EFAULT);
	s = SUBMIT_OK, s.submit.vm_id = 0xdead;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, ENOENT);
	s = SUBMIT_OK, s.submit.queue_id = 7;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, ENOENT);
	s = SUBMIT_OK, s.submit.flags = 1u << 9;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, EINVAL);
	s = SUBMIT_OK, s.submit.pad = 1;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, EINVAL);
	s = SUBMIT_OK, s.submit.in_sync_count = 1;
	s.submit.sync_stride = 3;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_SUBMIT, &s, EINVAL);
	/* Nothing of those was submitted: the next job is number 2. */
	s = SUBMIT_OK;
	do_ioctl(fd, DRM_IOCTL_JDGPU_SUBMIT, &s);
	igt_assert_eq(s.submit.seqno, 2);
#undef SUBMIT_OK
	jctx_fini(&x);
}

static void test_wait_bo(int fd)
{
	struct drm_gmmu_bo_wait_args w = { .handle = 0xdead };
	struct two t;
	int fence;

	two_init(&t, fd);
	jdgpu_chain_op(jctx_chain(&t.x), JDGPU_OP_COPY, DST_VA, SRC_VA, SZ, 0);
	fence = jctx_submit(&t.x, 0, 0, NULL, 0, NULL, 0);
	igt_assert_eq(gmmu_wait_bo(JD, fd, t.dst.handle, FENCE_TIMEOUT_MS * 1000000ll), 0);
	igt_assert_eq(fence_signalled(fence), 1);
	igt_assert_eq(fence_status(fence), 0);
	igt_assert_pattern(t.dst.map, SZ, 7, 0);
	igt_assert_eq(gmmu_wait_bo(JD, fd, t.dst.handle, 0), 0);
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_WAIT_BO, &w, ENOENT);
	w = (struct drm_gmmu_bo_wait_args){ .handle = t.dst.handle, .flags = 1 };
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_WAIT_BO, &w, EINVAL);
	two_fini(&t);
}

/* A second queue runs its own chain; bad queue ioctls are refused. */
static void test_queues(int fd)
{
	struct drm_gmmu_queue_create_args qc;
	struct drm_gmmu_queue_destroy_args qd;
	uint32_t q, ids[DRM_JDGPU_MAX_QUEUES];
	struct two t;
	unsigned int n;

	two_init(&t, fd);
	igt_assert_eq(gmmu_queue_create(JD, fd, t.x.vm, &q), 0);
	igt_assert(q);
	jdgpu_chain_op(jctx_chain(&t.x), JDGPU_OP_FILL, DST_VA, 0, SZ, 0x11223344);
	igt_assert_eq(fence_status(jctx_submit(&t.x, q, 0, NULL, 0, NULL, 0)), 0);
	igt_assert_eq_u32(*(uint32_t *)(t.dst.map + SZ - 4), 0x11223344);
	igt_assert_eq(gmmu_queue_destroy(JD, fd, t.x.vm, q), 0);
	igt_assert_eq(gmmu_queue_destroy(JD, fd, t.x.vm, q), -ENOENT);
	igt_assert_eq(gmmu_queue_destroy(JD, fd, t.x.vm, 0), -ENOENT);
	igt_assert_eq(gmmu_queue_create(JD, fd, 0xdead, &q), -ENOENT);
	qc = (struct drm_gmmu_queue_create_args){ .vm_id = t.x.vm, .flags = 1 };
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_QUEUE_CREATE, &qc, EINVAL);
	qd = (struct drm_gmmu_queue_destroy_args){ .vm_id = t.x.vm, .queue_id = 1,
						   .flags = 1 };
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_QUEUE_DESTROY, &qd, EINVAL);
	/* Queue 0 counts: DRM_JDGPU_MAX_QUEUES - 1 more, then -ENOSPC. */
	for (n = 0; n < DRM_JDGPU_MAX_QUEUES - 1; n++)
		igt_assert_eq(gmmu_queue_create(JD, fd, t.x.vm, &ids[n]), 0);
	igt_assert_eq(gmmu_queue_create(JD, fd, t.x.vm, &q), -ENOSPC);
	for (n = 0; n < DRM_JDGPU_MAX_QUEUES - 1; n++)
		igt_assert_eq(gmmu_queue_destroy(JD, fd, t.x.vm, ids[n]), 0);
	two_fini(&t);
}

static void test_read_faults_bad(int fd)
{
	struct drm_gmmu_fault f[2];
	struct drm_gmmu_vm_read_faults_args r;
	uint32_t vm;

	igt_assert_eq(gmmu_vm_create(JD, fd, &vm), 0);
	r = (struct drm_gmmu_vm_read_faults_args){ .vm_id = vm, .count = 2,
		.faults = (uintptr_t)f, .stride = sizeof(f[0]) };
	do_ioctl(fd, DRM_IOCTL_JDGPU_VM_READ_FAULTS, &r);
	igt_assert_eq(r.count, 0);
	r.vm_id = 0xdead, r.count = 2;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_VM_READ_FAULTS, &r, ENOENT);
	r.vm_id = vm, r.flags = 1;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_VM_READ_FAULTS, &r, EINVAL);
	r.flags = 0, r.stride = 3;
	do_ioctl_err(fd, DRM_IOCTL_JDGPU_VM_READ_FAULTS, &r, EINVAL);
	igt_assert_eq(gmmu_vm_destroy(JD, fd, vm), 0);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = jd_open();

	igt_subtest("get-param")
		test_params(fd);
	igt_subtest("get-param-bad")
		test_params_bad(fd);
	igt_subtest("primary-node") {
		int p = jdgpu_open(-1, 1);

		igt_assert(p >= 0);
		test_params(p);
		close(p);
	}
	igt_subtest("bo-create-mmap")
		test_bo(fd);
	igt_subtest("vm-create-destroy")
		test_vm(fd);
	igt_subtest("vm-bind")
		test_vm_bind(fd);
	igt_subtest("descriptors")
		test_descriptors(fd);
	igt_subtest("descriptors-refused")
		test_descriptors_bad(fd);
	igt_subtest("submit-bad")
		test_submit_bad(fd);
	igt_subtest("wait-bo")
		test_wait_bo(fd);
	igt_subtest("queues")
		test_queues(fd);
	igt_subtest("read-faults-bad")
		test_read_faults_bad(fd);

	igt_fixture
		close(fd);
}
