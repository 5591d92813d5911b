// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Hot-unbind of an swgpu PCI device through sysfs, with and without open
 * clients, VMs with bound BOs and jobs in flight, and binding it back.
 * Destructive: runs only inside the test VM.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "swgpu_igt.h"

/* The PCI address of the device behind @fd, from sysfs. */
static void pci_address_of(int fd, char *bdf, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;
	char *slash;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	n = readlink(link, target, sizeof(target) - 1);
	igt_assert(n > 0);
	target[n] = 0;
	slash = strrchr(target, '/');
	igt_assert(slash);
	snprintf(bdf, len, "%s", slash + 1);
}

static void sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));
	n = write(fd, val, strlen(val));
	igt_assert_f(n == (ssize_t)strlen(val), "write %s to %s: %s\n", val, path, strerror(errno));
	close(fd);
}

static void unbind(const char *bdf)
{
	sysfs_write("/sys/bus/pci/drivers/swgpu/unbind", bdf);
}

static void bind(const char *bdf)
{
	sysfs_write("/sys/bus/pci/drivers/swgpu/bind", bdf);
}

static int open_bdf_slot(uint64_t slot)
{
	return swgpu_open((int)slot, SWGPU_OPEN_RENDER);
}

igt_main
{
	char bdf[64];
	uint64_t slot = 0, profile = 0;
	int fd = -1;

	igt_fixture {
		igt_require_f(getenv("GMMU_IN_VM"),
			      "destructive: runs only inside the test VM\n");
		fd = swgpu_open(-1, SWGPU_OPEN_RENDER);
		igt_require_f(fd >= 0, "no swgpu device\n");
		pci_address_of(fd, bdf, sizeof(bdf));
		igt_assert_eq(swgpu_get_param(fd, DRM_SWGPU_PARAM_SLOT, &slot), 0);
		igt_assert_eq(swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile), 0);
		close(fd);
		igt_info("device %s, slot %llu\n", bdf, (unsigned long long)slot);
	}

	igt_subtest("unbind-rebind") {
		uint64_t v;
		int f;

		unbind(bdf);
		igt_assert_eq(open_bdf_slot(slot), -ENODEV);
		bind(bdf);
		f = open_bdf_slot(slot);
		igt_assert(f >= 0);
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), 0);
		igt_assert_eq(v, profile);
		close(f);
	}

	igt_subtest("unbind-with-open-client") {
		uint64_t v;
		int f = open_bdf_slot(slot), card;

		igt_assert(f >= 0);
		card = swgpu_open((int)slot, SWGPU_OPEN_PRIMARY);
		igt_assert(card >= 0);
		unbind(bdf);
		/* The files stay open; the device behind them is gone. */
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), -ENODEV);
		igt_assert_eq(swgpu_get_param(card, DRM_SWGPU_PARAM_PROFILE, &v), -ENODEV);
		bind(bdf);
		/* The old files stay dead after the rebind; new ones work. */
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), -ENODEV);
		close(f);
		close(card);
		f = open_bdf_slot(slot);
		igt_assert(f >= 0);
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), 0);
		igt_assert_eq(v, profile);
		close(f);
	}

	igt_subtest("unbind-with-mmapped-bo") {
		const uint64_t size = 1 << 20;
		uint32_t handle, *p;
		uint64_t v;
		int f = open_bdf_slot(slot);

		igt_assert(f >= 0);
		igt_assert_eq(swgpu_bo_create(f, size, &handle), 0);
		igt_assert_eq(swgpu_bo_mmap(f, handle, size, (void **)&p), 0);
		for (size_t i = 0; i < size / 4; i++)
			p[i] = (uint32_t)i * 7;
		unbind(bdf);
		/* Ioctls fail; the CPU mapping keeps the bytes. */
		igt_assert_eq(swgpu_get_param(f, DRM_SWGPU_PARAM_PROFILE, &v), -ENODEV);
		igt_assert_eq(swgpu_bo_create(f, 4096, &handle), -ENODEV);
		for (size_t i = 0; i < size / 4; i++)
			igt_assert_eq_u32(p[i], (uint32_t)i * 7);
		p[0] = 1;
		igt_assert_eq_u32(p[0], 1);
		munmap(p, size);
		close(f);
		bind(bdf);
		f = open_bdf_slot(slot);
		igt_assert(f >= 0);
		close(f);
	}

	igt_subtest("unbind-with-vm-and-jobs") {
		const uint64_t size = 16 << 20;
		struct drm_swgpu_exec e;
		struct swgpu_fault f;
		struct buf done, big;
		struct tvm a, b;
		uint32_t h, id;
		int fd2, fence, status = 1;

		fd2 = open_bdf_slot(slot);
		igt_assert(fd2 >= 0);
		/* VM a: a BO bound and a job done. */
		tvm_init(&a, fd2);
		buf_create(fd2, 8192, &done);
		igt_assert_eq(swgpu_vm_bind(fd2, a.id, done.handle, 0, TVM_DATA_VA, 8192, 0), 0);
		tvm_store_check(&a, TVM_DATA_VA + 4096, &done, 4096);
		/* VM b: a long job in flight when the device goes. */
		tvm_init(&b, fd2);
		buf_create(fd2, size, &big);
		igt_assert_eq(swgpu_vm_bind(fd2, b.id, big.handle, 0, TVM_DATA_VA, size, 0), 0);
		swgpu_batch_fill(tvm_batch(&b), TVM_DATA_VA, size, 0x77777777);
		fence = tvm_submit(&b, NULL);
		unbind(bdf);

		/* The job ends, done or cancelled. */
		igt_assert_eq(swgpu_fence_wait(fence, FENCE_TIMEOUT_MS, &status), 0);
		igt_assert_f(status == 0 || status == -ENODEV, "fence status %d\n", status);
		close(fence);
		/* Every ioctl fails with -ENODEV. */
		igt_assert_eq(swgpu_vm_create(fd2, &id), -ENODEV);
		igt_assert_eq(swgpu_vm_bind(fd2, a.id, done.handle, 0, TVM_DATA_VA + 0x10000, 4096, 0),
			      -ENODEV);
		igt_assert_eq(swgpu_vm_unbind(fd2, a.id, TVM_DATA_VA, 8192), -ENODEV);
		igt_assert_eq(swgpu_exec(fd2, a.id, TVM_BATCH_VA, NULL, NULL), -ENODEV);
		memset(&e, 0, sizeof(e));
		e.submit.vm_id = a.id;
		e.batch_va = TVM_BATCH_VA;
		e.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT;
		e.submit.out_fence_fd = 55;
		do_ioctl_err(fd2, DRM_IOCTL_SWGPU_EXEC, &e, ENODEV);
		igt_assert_eq(e.submit.out_fence_fd, 55);
		igt_assert_eq(swgpu_wait_bo(fd2, done.handle, 0), -ENODEV);
		igt_assert_eq(swgpu_vm_get_fault(fd2, a.id, &f), -ENODEV);
		igt_assert_eq(swgpu_bo_create_private(fd2, a.id, 4096, &h), -ENODEV);
		igt_assert_eq(swgpu_vm_destroy(fd2, b.id), -ENODEV);
		/* The CPU mappings keep their bytes. */
		igt_assert_eq_u32(buf_dword(&done, 4096), a.alive);
		/* Close everything: BOs, mappings, the file with its VMs. */
		munmap(done.map, done.size);
		munmap(big.map, big.size);
		munmap(a.batch.map, a.batch.size);
		munmap(a.scratch.map, a.scratch.size);
		munmap(b.batch.map, b.batch.size);
		munmap(b.scratch.map, b.scratch.size);
		close(fd2);

		bind(bdf);
		fd2 = open_bdf_slot(slot);
		igt_assert(fd2 >= 0);
		/* The new device runs jobs. */
		tvm_init(&a, fd2);
		buf_create(fd2, 8192, &done);
		igt_assert_eq(swgpu_vm_bind(fd2, a.id, done.handle, 0, TVM_DATA_VA, 8192, 0), 0);
		tvm_store_check(&a, TVM_DATA_VA + 4, &done, 4);
		swgpu_batch_fill(tvm_batch(&a), TVM_DATA_VA, 8192, 0x31313131);
		igt_assert_eq(tvm_run(&a, NULL), 0);
		igt_assert_bytes(done.map, 8192, 0x31);
		tvm_fini(&a);
		buf_destroy(&done);
		close(fd2);
	}

	igt_subtest("unbind-rebind-loop") {
		int i;

		for (i = 0; i < 10; i++) {
			unbind(bdf);
			bind(bdf);
		}
		fd = open_bdf_slot(slot);
		igt_assert(fd >= 0);
		close(fd);
	}
}
