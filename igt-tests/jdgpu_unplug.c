// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Hot-unplug of the jdgpu PCI device through sysfs, as swgpu_unbind does
 * it: with a client holding a VM, a mapped BO and a long job in flight.
 * The job's fence signals, the client's ioctls fail with -ENODEV, its CPU
 * mapping stays usable, and after binding the device back a new client
 * runs a chain. Destructive: runs only inside the test VM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jdgpu_igt.h"
#include "swgpu_dfs.h"

#define SZ	(4ull << 20)

static void drv_write(const char *file, const char *bdf)
{
	struct dfs d = { .dir = "/sys/bus/pci/drivers/jdgpu" };

	dfs_write(&d, file, bdf);
}

static void test_unplug_busy(void)
{
	struct drm_gmmu_vm_create_args vc = { 0 };
	struct gpu g = { .fd = jd_open() };
	char bdf[64];
	struct jctx x;
	struct buf b;
	int fence, status;
	uint32_t vm;

	igt_require(getenv("GMMU_IN_VM"));
	gpu_dev_name(&g, bdf, sizeof(bdf));
	jctx_init(&x, g.fd);
	jd_buf_create(g.fd, SZ, &b);
	jctx_bind(&x, &b, JCTX_DATA_VA, 0);
	jctx_chain(&x);
	for (int i = 0; i < 512; i++)
		jdgpu_chain_op(&x.c, JDGPU_OP_FILL, JCTX_DATA_VA, 0, SZ, i);
	fence = jctx_submit(&x, 0, 0, NULL, 0, NULL, 0);
	usleep(100000);

	drv_write("unbind", bdf);
	status = fence_status(fence);
	igt_info("the job in flight ended with %d\n", status);
	igt_assert(status == 0 || status == -ENODEV || status == -ECANCELED);
	do_ioctl_err(g.fd, DRM_IOCTL_JDGPU_VM_CREATE, &vc, ENODEV);
	igt_assert_eq(gmmu_vm_create(JD, g.fd, &vm), -ENODEV);
	pattern_fill(b.map, SZ, 9);
	igt_assert_pattern(b.map, SZ, 9, 0);
	/* Handles go with the file: GEM_CLOSE is an ioctl like the others. */
	igt_assert_eq(gmmu_bo_close(g.fd, b.handle), -ENODEV);
	munmap(b.map, b.size);
	munmap(x.desc.map, x.desc.size);
	close(g.fd);

	drv_write("bind", bdf);
	g.fd = jd_open();
	jctx_init(&x, g.fd);
	jd_buf_create(g.fd, 0x1000, &b);
	jctx_bind(&x, &b, JCTX_DATA_VA, 0);
	jdgpu_chain_op(jctx_chain(&x), JDGPU_OP_WRITE_VALUE, JCTX_DATA_VA, 0, 0, 0x5eed);
	igt_assert_eq(jctx_run(&x), 0);
	igt_assert_eq_u64(*(uint64_t *)b.map, 0x5eed);
	jctx_fini(&x);
	jd_buf_destroy(&b);
	close(g.fd);
}

igt_main
{
	igt_subtest("unplug-busy")
		test_unplug_busy();
}
