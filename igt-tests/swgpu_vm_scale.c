// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Many VMs on one device, all binding the same BOs: the BOs get one
 * level-1 mapping whatever the number of VMs (debugfs gmmu_vms counts the
 * DMA-API map calls), every VM's GPU reads the same bytes through its own
 * tables, and destroying the VMs gives every page-table page back.
 *
 * A file has at most DRM_GMMU_MAX_VMS_PER_FILE VMs, so the VMs are spread
 * over several files of the same GPU, which share the BOs through PRIME
 * (an import on the same device is the same BO).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_dfs.h"
#include "swgpu_igt.h"

#define DATA_SIZE	0x4000ull	/* 16 KiB, read by every VM */
#define DATA_VA		0x1000000ull	/* VM i binds it at DATA_VA + i * VA_STEP */
#define VA_STEP		0x10000ull
#define BATCH_VA	0x100000ull	/* VM i runs the 32 bytes at BATCH_VA + i * 32 */
#define RESULT_VA	0x200000ull	/* VM i writes its CRC at RESULT_VA + i * 4 */

struct scale_file {
	int fd;
	uint32_t data, batch, result;	/* this file's handles of the shared BOs */
	uint32_t vm[DRM_GMMU_MAX_VMS_PER_FILE];
	unsigned int nvm;
};

static uint32_t import_into(int from, uint32_t handle, int to)
{
	uint32_t h;
	int fd;

	igt_assert_eq(drmPrimeHandleToFD(from, handle, DRM_CLOEXEC, &fd), 0);
	igt_assert_eq(drmPrimeFDToHandle(to, fd, &h), 0);
	close(fd);
	return h;
}

static void test_many_vms(struct gpu *g, unsigned int nvms)
{
	unsigned int nfiles = (nvms + DRM_GMMU_MAX_VMS_PER_FILE - 1) /
			      DRM_GMMU_MAX_VMS_PER_FILE;
	long long maps0, unmaps0, vms0, tables0, mapped0, maps1;
	struct buf data, batch, result;
	struct scale_file *f;
	uint32_t want;
	struct dfs d;

	dfs_init(&d, g);
	maps0 = dfs_value(&d, "gmmu_vms", "level1_maps");
	unmaps0 = dfs_value(&d, "gmmu_vms", "level1_unmaps");
	vms0 = dfs_value(&d, "gmmu_vms", "vms");
	tables0 = dfs_value(&d, "gmmu_vms", "tables");
	mapped0 = dfs_value(&d, "gmmu_vms", "mapped_bytes");

	buf_create(g->fd, DATA_SIZE, &data);
	buf_create(g->fd, ((uint64_t)nvms * 32 + 4095) & ~4095ull, &batch);
	buf_create(g->fd, ((uint64_t)nvms * 4 + 4095) & ~4095ull, &result);
	pattern_fill(data.map, DATA_SIZE, 0xc0ffee);
	want = cpu_crc32(data.map, DATA_SIZE);
	memset(result.map, 0, result.size);
	for (unsigned int i = 0; i < nvms; i++) {
		struct swgpu_batch b;

		swgpu_batch_init(&b, batch.map + i * 32, BATCH_VA + i * 32, 32);
		swgpu_batch_crc32(&b, RESULT_VA + i * 4, DATA_VA + i * VA_STEP,
				  DATA_SIZE);
		swgpu_batch_end(&b);
		igt_assert_eq(b.error, 0);
	}

	f = calloc(nfiles, sizeof(*f));
	igt_assert(f);
	for (unsigned int i = 0, k = 0; i < nfiles; i++) {
		f[i].fd = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
		igt_assert(f[i].fd >= 0);
		f[i].data = import_into(g->fd, data.handle, f[i].fd);
		f[i].batch = import_into(g->fd, batch.handle, f[i].fd);
		f[i].result = import_into(g->fd, result.handle, f[i].fd);
		for (; f[i].nvm < DRM_GMMU_MAX_VMS_PER_FILE && k < nvms; k++) {
			uint32_t id;
			struct drm_gmmu_vm_bind_op ops[3] = {
				{ .op = DRM_GMMU_VM_BIND_OP_MAP, .handle = f[i].data,
				  .va = DATA_VA + k * VA_STEP, .range = DATA_SIZE },
				{ .op = DRM_GMMU_VM_BIND_OP_MAP, .handle = f[i].batch,
				  .va = BATCH_VA, .range = batch.size,
				  .flags = DRM_GMMU_VM_BIND_MAP_READONLY },
				{ .op = DRM_GMMU_VM_BIND_OP_MAP, .handle = f[i].result,
				  .va = RESULT_VA, .range = result.size },
			};

			igt_assert_eq(swgpu_vm_create(f[i].fd, &id), 0);
			igt_assert_eq(swgpu_vm_bind_ops(f[i].fd, id, ops, 3), 0);
			f[i].vm[f[i].nvm++] = id;
		}
	}
	/* Three BOs, one level-1 mapping each, however many VMs bind them. */
	maps1 = dfs_value(&d, "gmmu_vms", "level1_maps");
	igt_info("%u VMs in %u files: %lld level-1 maps, %lld VMs, %lld tables\n",
		 nvms, nfiles, maps1 - maps0, dfs_value(&d, "gmmu_vms", "vms") - vms0,
		 dfs_value(&d, "gmmu_vms", "tables") - tables0);
	igt_assert_eq(maps1 - maps0, 3);
	igt_assert_eq(dfs_value(&d, "gmmu_vms", "vms") - vms0, nvms);
	igt_assert_eq(dfs_value(&d, "gmmu_vms", "mapped_bytes") - mapped0,
		      (long long)nvms * (DATA_SIZE + batch.size + result.size));

	/* Every VM reads the same bytes through its own tables. */
	for (unsigned int i = 0, k = 0; i < nfiles; i++) {
		for (unsigned int j = 0; j < f[i].nvm; j++, k++) {
			int fence, status;

			igt_assert_eq(swgpu_exec(f[i].fd, f[i].vm[j], BATCH_VA + k * 32,
						 &fence, NULL), 0);
			igt_assert_eq(swgpu_fence_wait(fence, 20000, &status), 0);
			igt_assert_eq(status, 0);
			close(fence);
		}
	}
	for (unsigned int k = 0; k < nvms; k++)
		igt_assert_eq_u32(buf_dword(&result, k * 4), want);

	for (unsigned int i = 0; i < nfiles; i++) {
		for (unsigned int j = 0; j < f[i].nvm; j++)
			igt_assert_eq(swgpu_vm_destroy(f[i].fd, f[i].vm[j]), 0);
		close(f[i].fd);
	}
	free(f);
	buf_destroy(&data);
	buf_destroy(&batch);
	buf_destroy(&result);
	/* Every page-table page is back; the BOs' level-1 mappings went too. */
	igt_assert_eq(dfs_value(&d, "gmmu_vms", "vms"), vms0);
	igt_assert_eq(dfs_value(&d, "gmmu_vms", "tables"), tables0);
	igt_assert_eq(dfs_value(&d, "gmmu_vms", "mapped_bytes"), mapped0);
	for (int t = 0; t < 100 &&
	     dfs_value(&d, "gmmu_vms", "level1_unmaps") - unmaps0 < 3; t++)
		usleep(10000);
	igt_assert_eq(dfs_value(&d, "gmmu_vms", "level1_unmaps") - unmaps0, 3);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("level1-once-100-vms")
		for (int i = 0; i < n; i++)
			test_many_vms(&gpus[i], 100);

	/*
	 * About 20 s a GPU under TCG. On the debug lane's kernel (KASAN,
	 * lockdep, kmemleak), where 1024 took 35 s a GPU, an eighth as
	 * many: its checkers look at every path of the VMs' creation and
	 * teardown all the same, and the stock lanes make the 4096.
	 */
	igt_subtest("4096-vms") {
		const char *lane = getenv("GMMU_LANE");
		unsigned int nvms = lane && !strcmp(lane, "debug") ? 512 : 4096;

		for (int i = 0; i < n; i++)
			test_many_vms(&gpus[i], nvms);
	}

	igt_fixture
		gpus_close(gpus, n);
}
