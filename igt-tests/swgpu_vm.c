// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * DRM_IOCTL_SWGPU_VM_CREATE, _VM_DESTROY and _VM_GET_FAULT: the working
 * cases on every GPU, VM ids that are per file, destroy waiting for the
 * VM's work, and every kind of bad input.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "swgpu_igt.h"

#define NR_MANY_VMS 64

static void check_unknown_vm(int fd, uint32_t vm_id)
{
	struct swgpu_fault f;
	uint32_t h, bo;

	igt_assert_eq(swgpu_bo_create(fd, 4096, &bo), 0);
	igt_assert_eq(swgpu_vm_destroy(fd, vm_id), -ENOENT);
	igt_assert_eq(swgpu_vm_bind(fd, vm_id, bo, 0, TVM_DATA_VA, 4096, 0), -ENOENT);
	igt_assert_eq(swgpu_vm_unbind(fd, vm_id, TVM_DATA_VA, 4096), -ENOENT);
	igt_assert_eq(swgpu_exec(fd, vm_id, TVM_BATCH_VA, NULL, NULL), -ENOENT);
	igt_assert_eq(swgpu_vm_get_fault(fd, vm_id, &f), -ENOENT);
	igt_assert_eq(swgpu_bo_create_private(fd, vm_id, 4096, &h), -ENOENT);
	igt_assert_eq(swgpu_bo_close(fd, bo), 0);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("create-destroy") {
		for (int i = 0; i < n; i++) {
			struct tvm v;

			tvm_init(&v, gpus[i].fd);
			tvm_assert_works(&v);
			tvm_fini(&v);
			igt_assert_eq(swgpu_vm_destroy(gpus[i].fd, v.id), -ENOENT);
		}
	}

	igt_subtest("create-many") {
		for (int i = 0; i < n; i++) {
			uint32_t ids[NR_MANY_VMS];

			for (int k = 0; k < NR_MANY_VMS; k++) {
				igt_assert_eq(swgpu_vm_create(gpus[i].fd, &ids[k]), 0);
				igt_assert_neq(ids[k], 0);
				for (int j = 0; j < k; j++)
					igt_assert_neq(ids[j], ids[k]);
			}
			for (int k = 0; k < NR_MANY_VMS; k++)
				igt_assert_eq(swgpu_vm_destroy(gpus[i].fd, ids[k]), 0);
		}
	}

	igt_subtest("destroy-twice") {
		int fd = gpus[0].fd;
		uint32_t id;

		igt_assert_eq(swgpu_vm_create(fd, &id), 0);
		igt_assert_eq(swgpu_vm_destroy(fd, id), 0);
		igt_assert_eq(swgpu_vm_destroy(fd, id), -ENOENT);
		check_unknown_vm(fd, id);
	}

	igt_subtest("unknown-vm") {
		for (int i = 0; i < n; i++) {
			check_unknown_vm(gpus[i].fd, 0);
			check_unknown_vm(gpus[i].fd, 0x7fffffff);
			check_unknown_vm(gpus[i].fd, ~0u);
		}
	}

	/*
	 * Id 0 is never a VM, whatever came before: a VM_DESTROY of id 0 once
	 * made the next VM_CREATE hand out id 0.
	 */
	igt_subtest("id-zero") {
		for (int i = 0; i < n; i++) {
			int fd = swgpu_open(gpus[i].slot, SWGPU_OPEN_RENDER);
			uint32_t a, b, q;

			igt_assert(fd >= 0);
			igt_assert_eq(swgpu_vm_destroy(fd, 0), -ENOENT);
			igt_assert_eq(swgpu_vm_create(fd, &a), 0);
			igt_assert_neq(a, 0);
			igt_assert_eq(swgpu_vm_destroy(fd, 0), -ENOENT);
			igt_assert_eq(swgpu_vm_destroy(fd, a), 0);
			igt_assert_eq(swgpu_vm_destroy(fd, 0), -ENOENT);
			igt_assert_eq(swgpu_vm_create(fd, &b), 0);
			igt_assert_neq(b, 0);
			check_unknown_vm(fd, 0);
			igt_assert_eq(swgpu_queue_create(fd, 0, &q), -ENOENT);
			igt_assert_eq(swgpu_queue_destroy(fd, 0, 0), -ENOENT);
			igt_assert_eq(swgpu_vm_destroy(fd, b), 0);
			close(fd);
		}
	}

	/* A file has at most DRM_GMMU_MAX_VMS_PER_FILE VMs, ids 1 to that. */
	igt_subtest("vm-limit") {
		for (int i = 0; i < n; i++) {
			int fd = swgpu_open(gpus[i].slot, SWGPU_OPEN_RENDER);
			uint32_t id, last = 0;
			struct tvm v;

			igt_assert(fd >= 0);
			for (int k = 0; k < DRM_GMMU_MAX_VMS_PER_FILE; k++) {
				igt_assert_eq(swgpu_vm_create(fd, &id), 0);
				igt_assert(id >= 1 && id <= DRM_GMMU_MAX_VMS_PER_FILE);
				last = id;
			}
			igt_assert_eq(swgpu_vm_create(fd, &id), -ENOSPC);
			/* An id given back can be had again, and works. */
			igt_assert_eq(swgpu_vm_destroy(fd, last), 0);
			tvm_init(&v, fd);
			tvm_assert_works(&v);
			igt_assert_eq(swgpu_vm_create(fd, &id), -ENOSPC);
			tvm_fini(&v);
			/* Another file has its own count. */
			{
				int f2 = swgpu_open(gpus[i].slot, SWGPU_OPEN_RENDER);

				igt_assert(f2 >= 0);
				igt_assert_eq(swgpu_vm_create(f2, &id), 0);
				close(f2);
			}
			/* Closing the file destroys all of them. */
			close(fd);
		}
	}

	igt_subtest("ids-are-per-file") {
		int f2 = swgpu_open(gpus[0].slot, SWGPU_OPEN_RENDER);
		struct tvm v;

		igt_assert(f2 >= 0);
		tvm_init(&v, gpus[0].fd);
		check_unknown_vm(f2, v.id);
		/* The VM is untouched by the other file's attempts. */
		tvm_assert_works(&v);
		tvm_fini(&v);
		close(f2);
	}

	igt_subtest("create-bad-flags") {
		struct drm_gmmu_vm_create_args c;

		for (unsigned int bit = 0; bit < 32; bit++) {
			memset(&c, 0, sizeof(c));
			c.flags = 1u << bit;
			c.vm_id = 0xdead;
			do_ioctl_err(gpus[0].fd, DRM_IOCTL_SWGPU_VM_CREATE, &c, EINVAL);
			igt_assert_eq_u32(c.vm_id, 0xdead);
		}
	}

	igt_subtest("create-bad-extension") {
		struct drm_gmmu_user_extension ext = { .name = 1 };
		struct drm_gmmu_vm_create_args c = { .extensions = (uintptr_t)&ext };

		c.vm_id = 0xdead;
		do_ioctl_err(gpus[0].fd, DRM_IOCTL_SWGPU_VM_CREATE, &c, EINVAL);
		igt_assert_eq_u32(c.vm_id, 0xdead);
		ext.name = 0;
		do_ioctl_err(gpus[0].fd, DRM_IOCTL_SWGPU_VM_CREATE, &c, EINVAL);
		c.extensions = 8;
		do_ioctl_err(gpus[0].fd, DRM_IOCTL_SWGPU_VM_CREATE, &c, EFAULT);
		igt_assert_eq_u32(c.vm_id, 0xdead);
	}

	igt_subtest("destroy-bad-flags") {
		struct drm_gmmu_vm_destroy_args d;
		struct tvm v;

		tvm_init(&v, gpus[0].fd);
		for (unsigned int bit = 0; bit < 32; bit++) {
			memset(&d, 0, sizeof(d));
			d.vm_id = v.id;
			d.flags = 1u << bit;
			do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_VM_DESTROY, &d, EINVAL);
		}
		/* Still there and working. */
		tvm_assert_works(&v);
		tvm_fini(&v);
	}

	igt_subtest("destroy-bad-extension") {
		struct drm_gmmu_user_extension ext = { .name = 1 };
		struct drm_gmmu_vm_destroy_args d = { .extensions = (uintptr_t)&ext };
		struct tvm v;

		tvm_init(&v, gpus[0].fd);
		d.vm_id = v.id;
		do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_VM_DESTROY, &d, EINVAL);
		d.extensions = 8;
		do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_VM_DESTROY, &d, EFAULT);
		tvm_assert_works(&v);
		tvm_fini(&v);
	}

	igt_subtest("get-fault-fresh") {
		for (int i = 0; i < n; i++) {
			struct swgpu_fault f = { .count = 0xdead };
			struct tvm v;

			tvm_init(&v, gpus[i].fd);
			tvm_get_fault(&v, &f);
			igt_assert_eq(f.count, 0);
			/* Work that does not fault records nothing. */
			tvm_assert_works(&v);
			tvm_get_fault(&v, &f);
			igt_assert_eq(f.count, 0);
			tvm_fini(&v);
		}
	}

	igt_subtest("get-fault-bad-input") {
		struct drm_gmmu_user_extension ext = { .name = 1 };
		struct drm_gmmu_vm_get_fault_args g;
		struct tvm v;

		tvm_init(&v, gpus[0].fd);
		for (unsigned int bit = 0; bit < 32; bit++) {
			memset(&g, 0, sizeof(g));
			g.vm_id = v.id;
			g.flags = 1u << bit;
			g.count = 0xdead;
			do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_VM_GET_FAULT, &g, EINVAL);
			igt_assert_eq_u32(g.count, 0xdead);
		}
		memset(&g, 0, sizeof(g));
		g.vm_id = v.id;
		g.extensions = (uintptr_t)&ext;
		do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_VM_GET_FAULT, &g, EINVAL);
		g.extensions = 8;
		do_ioctl_err(v.fd, DRM_IOCTL_SWGPU_VM_GET_FAULT, &g, EFAULT);
		tvm_fini(&v);
	}

	igt_subtest("destroy-waits-for-work") {
		for (int i = 0; i < n; i++) {
			const uint64_t size = 16 << 20;
			struct buf data;
			struct tvm v;
			int fence;

			tvm_init(&v, gpus[i].fd);
			buf_create(v.fd, size, &data);
			igt_assert_eq(swgpu_vm_bind(v.fd, v.id, data.handle, 0,
						    TVM_DATA_VA, size, 0), 0);
			swgpu_batch_fill(tvm_batch(&v), TVM_DATA_VA, size, 0x5a5a5a5a);
			fence = tvm_submit(&v, NULL);
			/* Destroy first: it waits, then unmaps. */
			igt_assert_eq(swgpu_vm_destroy(v.fd, v.id), 0);
			igt_assert_f(fence_signalled(fence),
				     "%s: the job still runs after its VM was destroyed\n",
				     gpus[i].name);
			igt_assert_eq(fence_status(fence), 0);
			/* The BOs stay, with the job's bytes. */
			igt_assert_bytes(data.map, size, 0x5a);
			buf_destroy(&data);
			buf_destroy(&v.batch);
			buf_destroy(&v.scratch);
		}
	}

	igt_subtest("destroy-keeps-bos") {
		for (int i = 0; i < n; i++) {
			struct tvm v, w;
			struct buf data;

			tvm_init(&v, gpus[i].fd);
			tvm_init(&w, gpus[i].fd);
			buf_create(v.fd, 8192, &data);
			igt_assert_eq(swgpu_vm_bind(v.fd, v.id, data.handle, 0,
						    TVM_DATA_VA, 8192, 0), 0);
			swgpu_batch_store_dword(tvm_batch(&v), TVM_DATA_VA + 4, 0x11111111);
			igt_assert_eq(tvm_run(&v, NULL), 0);
			tvm_fini(&v);
			igt_assert_eq_u32(buf_dword(&data, 4), 0x11111111);
			/* The BO binds and works in another VM. */
			igt_assert_eq(swgpu_vm_bind(w.fd, w.id, data.handle, 0,
						    TVM_DATA_VA + 0x10000, 8192, 0), 0);
			swgpu_batch_store_dword(tvm_batch(&w), TVM_DATA_VA + 0x10000 + 4096,
						0x22222222);
			igt_assert_eq(tvm_run(&w, NULL), 0);
			igt_assert_eq_u32(buf_dword(&data, 4), 0x11111111);
			igt_assert_eq_u32(buf_dword(&data, 4096), 0x22222222);
			tvm_fini(&w);
			buf_destroy(&data);
		}
	}

	igt_subtest("close-with-pending-work") {
		for (int i = 0; i < n; i++) {
			const uint64_t size = 16 << 20;
			int fd = swgpu_open(gpus[i].slot, SWGPU_OPEN_RENDER), fence;
			struct buf data;
			struct tvm v;

			igt_assert(fd >= 0);
			tvm_init(&v, fd);
			buf_create(fd, size, &data);
			igt_assert_eq(swgpu_vm_bind(fd, v.id, data.handle, 0,
						    TVM_DATA_VA, size, 0), 0);
			swgpu_batch_fill(tvm_batch(&v), TVM_DATA_VA, size, 0xa5a5a5a5);
			fence = tvm_submit(&v, NULL);
			/* Drop everything with the job in flight. */
			munmap(data.map, size);
			munmap(v.batch.map, v.batch.size);
			munmap(v.scratch.map, v.scratch.size);
			close(fd);
			/* The fence outlives the file and signals. */
			fence_status(fence);
			/* The GPU still works for others. */
			tvm_init(&v, gpus[i].fd);
			tvm_assert_works(&v);
			tvm_fini(&v);
		}
	}

	igt_fixture
		gpus_close(gpus, n);
}
