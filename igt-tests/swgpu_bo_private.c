// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * VM-private BOs: DRM_IOCTL_SWGPU_BO_CREATE with
 * DRM_GMMU_BO_CREATE_EXT_PRIVATE. Usable in their VM on every GPU, not in
 * another, outliving their VM; and every way of getting the extension wrong.
 */
#include <stdio.h>
#include <unistd.h>

#include "swgpu_igt.h"

static struct drm_gmmu_bo_create_ext_private ext_private(uint32_t vm_id)
{
	struct drm_gmmu_bo_create_ext_private e = {
		.base.name = DRM_GMMU_BO_CREATE_EXT_PRIVATE,
		.vm_id = vm_id,
	};

	return e;
}

static void create_err(int fd, void *ext, uint64_t size, int err)
{
	struct drm_gmmu_bo_create_args c = {
		.extensions = (uintptr_t)ext,
		.size = size,
		.handle = 0xdead,
	};

	do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_CREATE, &c, err);
	igt_assert_eq_u32(c.handle, 0xdead);
}

static void test_use(struct gpu *g)
{
	const uint64_t size = 1 << 20;
	struct buf p1, p2, shared;
	struct tvm v;

	tvm_init(&v, g->fd);
	buf_create_private(g->fd, v.id, size, &p1);
	buf_create_private(g->fd, v.id, size, &p2);
	buf_create(g->fd, size, &shared);
	igt_assert_bytes(p1.map, size, 0);
	pattern_fill(p1.map, size, 5);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, p1.handle, 0, TVM_DATA_VA, size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, p2.handle, 0, TVM_DATA_VA + size, size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, shared.handle, 0, TVM_DATA_VA + 2 * size,
				    size, 0), 0);
	/* private -> private -> shared, and a FILL into a private BO. */
	swgpu_batch_copy(tvm_batch(&v), TVM_DATA_VA + size, TVM_DATA_VA, size);
	swgpu_batch_copy(&v.b, TVM_DATA_VA + 2 * size + 1, TVM_DATA_VA + size, size - 1);
	swgpu_batch_fill(&v.b, TVM_DATA_VA, 4096, 0x70707070);
	igt_assert_eq(tvm_run(&v, NULL), 0);
	igt_assert_pattern(p2.map, size, 5, 0);
	igt_assert_pattern(shared.map + 1, size - 1, 5, 0);
	igt_assert_bytes(p1.map, 4096, 0x70);
	igt_assert_pattern(p1.map + 4096, size - 4096, 5, 4096);
	/* Read-only, partial and repeated bindings work as for any BO. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, p1.handle, 8192, TVM_DATA_VA + 4 * size, 4096,
				    DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	tvm_store_fault(&v, TVM_DATA_VA + 4 * size, DRM_SWGPU_FAULT_WRITE | DRM_SWGPU_FAULT_PROTECTION);
	tvm_store_check(&v, TVM_DATA_VA + 8192 + 4, &p1, 8192 + 4);
	tvm_fini(&v);
	/* The BOs outlive their VM, with their bytes. */
	igt_assert_pattern(p2.map, size, 5, 0);
	buf_destroy(&p1);
	buf_destroy(&p2);
	buf_destroy(&shared);
}

static void test_other_vm(struct gpu *g)
{
	struct tvm v, w;
	struct buf p;

	tvm_init(&v, g->fd);
	tvm_init(&w, g->fd);
	buf_create_private(g->fd, v.id, 8192, &p);
	igt_assert_eq(swgpu_vm_bind(g->fd, w.id, p.handle, 0, TVM_DATA_VA, 8192, 0), -EINVAL);
	igt_assert_eq(swgpu_vm_bind(g->fd, w.id, p.handle, 4096, TVM_DATA_VA, 4096,
				    DRM_GMMU_VM_BIND_MAP_READONLY), -EINVAL);
	/* Nothing was mapped in w. */
	tvm_store_fault(&w, TVM_DATA_VA, DRM_SWGPU_FAULT_WRITE);
	/* Its own VM still takes it. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, p.handle, 0, TVM_DATA_VA, 8192, 0), 0);
	tvm_store_check(&v, TVM_DATA_VA + 4096, &p, 4096);
	/* Its VM destroyed, it binds nowhere; its CPU mapping still works. */
	tvm_fini(&v);
	igt_assert_eq(swgpu_vm_bind(g->fd, w.id, p.handle, 0, TVM_DATA_VA, 8192, 0), -EINVAL);
	tvm_assert_works(&w);
	p.map[0] = 1;
	igt_assert_eq(p.map[0], 1);
	igt_assert_eq(buf_dword(&p, 4096), v.alive);
	buf_destroy(&p);
	tvm_fini(&w);
}

static void test_close_order(struct gpu *g)
{
	struct tvm v;
	struct buf p;
	uint32_t h;

	/* The BO closed first, while bound: the mapping keeps it. */
	tvm_init(&v, g->fd);
	buf_create_private(g->fd, v.id, 8192, &p);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, p.handle, 0, TVM_DATA_VA, 8192, 0), 0);
	igt_assert_eq(swgpu_bo_close(g->fd, p.handle), 0);
	p.handle = 0;
	tvm_store_check(&v, TVM_DATA_VA + 12, &p, 12);
	tvm_fini(&v);
	buf_destroy(&p);
	/* The VM destroyed first, then the BO. */
	tvm_init(&v, g->fd);
	igt_assert_eq(swgpu_bo_create_private(g->fd, v.id, 4096, &h), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, h, 0, TVM_DATA_VA, 4096, 0), 0);
	tvm_assert_works(&v);
	tvm_fini(&v);
	igt_assert_eq(swgpu_bo_close(g->fd, h), 0);
	/* Left for the file's close to clean up: a VM and its private BOs. */
	{
		int fd = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
		uint32_t vm;

		igt_assert(fd >= 0);
		igt_assert_eq(swgpu_vm_create(fd, &vm), 0);
		igt_assert_eq(swgpu_bo_create_private(fd, vm, 4096, &h), 0);
		igt_assert_eq(swgpu_vm_bind(fd, vm, h, 0, TVM_DATA_VA, 4096, 0), 0);
		igt_assert_eq(swgpu_bo_create_private(fd, vm, 4096, &h), 0);
		close(fd);
	}
}

/* A STORE_DWORD to @va completes (the BO behind it has no handle left). */
static void store_ok(struct tvm *v, uint64_t va)
{
	swgpu_batch_store_dword(tvm_batch(v), va, 0x5a5a5a5a);
	igt_assert_eq(tvm_run(v, NULL), 0);
}

/*
 * The last reference of a BO can go with its last mapping: an unbind then
 * frees the BO. That once happened inside the unbind's own locks and hung
 * for good on a private BO (its reservation is the VM's, which the unbind
 * holds). Handles closed first, then: a split of the private BO's mapping,
 * the rest of it, a shared BO's mapping, and a private BO freed by its
 * VM's destruction.
 */
static void test_unbind_after_close(struct gpu *g)
{
	const uint64_t shared_va = TVM_DATA_VA + (1 << 20);
	struct buf p, s, q;
	struct tvm v;
	uint32_t vm;

	tvm_init(&v, g->fd);
	buf_create_private(g->fd, v.id, 3 * 4096, &p);
	buf_create(g->fd, 4096, &s);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, p.handle, 0, TVM_DATA_VA, 3 * 4096, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, s.handle, 0, shared_va, 4096, 0), 0);
	tvm_store_check(&v, TVM_DATA_VA + 2 * 4096, &p, 2 * 4096);
	buf_destroy(&p);
	buf_destroy(&s);

	/* The mappings alone keep the BOs: the GPU still reaches them. */
	store_ok(&v, TVM_DATA_VA + 4);
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, TVM_DATA_VA + 4096, 4096), 0);
	tvm_store_fault(&v, TVM_DATA_VA + 4096, DRM_SWGPU_FAULT_WRITE);
	store_ok(&v, TVM_DATA_VA + 2 * 4096);
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, TVM_DATA_VA, 3 * 4096), 0);
	igt_assert_eq(swgpu_vm_unbind(g->fd, v.id, shared_va, 4096), 0);
	tvm_store_fault(&v, TVM_DATA_VA, DRM_SWGPU_FAULT_WRITE);
	tvm_store_fault(&v, shared_va, DRM_SWGPU_FAULT_WRITE);
	tvm_assert_works(&v);
	tvm_fini(&v);

	/* A VM that goes with a mapping of a private BO with no handle. */
	igt_assert_eq(swgpu_vm_create(g->fd, &vm), 0);
	buf_create_private(g->fd, vm, 4096, &q);
	igt_assert_eq(swgpu_vm_bind(g->fd, vm, q.handle, 0, TVM_DATA_VA, 4096, 0), 0);
	buf_destroy(&q);
	igt_assert_eq(swgpu_vm_destroy(g->fd, vm), 0);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("create-and-use")
		for (int i = 0; i < n; i++)
			test_use(&gpus[i]);

	igt_subtest("bind-in-other-vm")
		for (int i = 0; i < n; i++)
			test_other_vm(&gpus[i]);

	igt_subtest("close-order")
		for (int i = 0; i < n; i++)
			test_close_order(&gpus[i]);

	igt_subtest("unbind-after-close")
		for (int i = 0; i < n; i++)
			test_unbind_after_close(&gpus[i]);

	igt_subtest("unknown-vm") {
		int fd = gpus[0].fd, f1, f2;
		struct drm_gmmu_bo_create_ext_private e;
		uint32_t vm;

		e = ext_private(0);
		create_err(fd, &e, 4096, ENOENT);
		e = ext_private(0x7fffffff);
		create_err(fd, &e, 4096, ENOENT);
		igt_assert_eq(swgpu_vm_create(fd, &vm), 0);
		igt_assert_eq(swgpu_vm_destroy(fd, vm), 0);
		e = ext_private(vm);
		create_err(fd, &e, 4096, ENOENT);
		/* A VM of another file is unknown here: a fresh file has none. */
		f1 = swgpu_open(gpus[0].slot, SWGPU_OPEN_RENDER);
		f2 = swgpu_open(gpus[0].slot, SWGPU_OPEN_RENDER);
		igt_assert(f1 >= 0 && f2 >= 0);
		igt_assert_eq(swgpu_vm_create(f2, &vm), 0);
		e = ext_private(vm);
		create_err(f1, &e, 4096, ENOENT);
		close(f1);
		close(f2);
	}

	igt_subtest("bad-extension") {
		int fd = gpus[0].fd;
		struct drm_gmmu_bo_create_ext_private e, e2;
		struct tvm v;

		tvm_init(&v, fd);
		e = ext_private(v.id);
		e.pad = 1;
		create_err(fd, &e, 4096, EINVAL);
		e.pad = 0x80000000;
		create_err(fd, &e, 4096, EINVAL);
		/* Header flags must be zero. */
		for (unsigned int bit = 0; bit < 32; bit++) {
			e = ext_private(v.id);
			e.base.flags = 1u << bit;
			create_err(fd, &e, 4096, EINVAL);
		}
		/* At most one per chain, even for the same VM. */
		e = ext_private(v.id);
		e2 = ext_private(v.id);
		e.base.next_extension = (uintptr_t)&e2;
		create_err(fd, &e, 4096, EINVAL);
		/* A valid one, then an unknown one. */
		{
			struct drm_gmmu_user_extension unk = { .name = 0x1234 };

			e = ext_private(v.id);
			e.base.next_extension = (uintptr_t)&unk;
			create_err(fd, &e, 4096, EINVAL);
			/* ... and a bad pointer. */
			e.base.next_extension = 8;
			create_err(fd, &e, 4096, EFAULT);
		}
		/* A valid extension does not excuse a bad size or flags. */
		e = ext_private(v.id);
		create_err(fd, &e, 0, EINVAL);
		create_err(fd, &e, 4097, EINVAL);
		{
			struct drm_gmmu_bo_create_args c = {
				.extensions = (uintptr_t)&e, .size = 4096, .flags = 1,
			};

			do_ioctl_err(fd, DRM_IOCTL_SWGPU_BO_CREATE, &c, EINVAL);
		}
		/* And after all that, it works. */
		{
			struct buf p;

			buf_create_private(fd, v.id, 4096, &p);
			igt_assert_eq(swgpu_vm_bind(fd, v.id, p.handle, 0, TVM_DATA_VA, 4096, 0), 0);
			tvm_store_check(&v, TVM_DATA_VA + 8, &p, 8);
			buf_destroy(&p);
		}
		tvm_fini(&v);
	}

	igt_fixture
		gpus_close(gpus, n);
}
