// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Hot-unbind of an swgpu PCI device through sysfs, with and without open
 * clients, VMs with bound BOs and jobs in flight, and binding it back.
 * Under load: other processes stream execs and binds, hold mmaps, and
 * the other GPU imports a dma-buf of the unbound one and keeps copying
 * from it (Documentation/robustness.rst, "Hot-unplug under load").
 * Destructive: runs only inside the test VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_dfs.h"
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

/* ---- Under load: each stream is a process of its own. ---- */

#define LOAD_SHARED	(1 << 20)
#define LOAD_SEED	0x5eed

static __attribute__((format(printf, 1, 2), noreturn))
void child_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "child %d: ", getpid());
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	_exit(1);
}

/* Has the parent said the device is gone? */
static int told(int rfd)
{
	char c;

	return read(rfd, &c, 1) == 1;
}

static void child_ready(int wfd)
{
	if (write(wfd, "r", 1) != 1)
		child_fail("ready: %m\n");
}

/* STORE_DWORD jobs, each checked, until EXEC fails with -ENODEV. */
static void stream_exec(struct tvm *v, int ready)
{
	uint32_t i;
	int ret, fence, status;

	for (i = 1;; i++) {
		struct swgpu_batch *b = tvm_batch(v);

		swgpu_batch_store_dword(b, TVM_SCRATCH_VA, i);
		swgpu_batch_end(b);
		ret = swgpu_exec(v->fd, v->id, TVM_BATCH_VA, &fence, NULL);
		if (ret == -ENODEV)
			break;
		if (ret)
			child_fail("exec %u: %d\n", i, ret);
		ret = swgpu_fence_wait(fence, FENCE_TIMEOUT_MS, &status);
		close(fence);
		if (ret)
			child_fail("exec %u: fence wait %d\n", i, ret);
		if (status && status != -ENODEV && status != -ECANCELED)
			child_fail("exec %u: status %d\n", i, status);
		if (!status && buf_dword(&v->scratch, 0) != i)
			child_fail("exec %u: scratch %#x\n", i, buf_dword(&v->scratch, 0));
		if (i == 8)
			child_ready(ready);
	}
	if (i <= 8)
		child_fail("the device went before the stream ran\n");
	/* Every later call fails the same way; the mapping stays memory. */
	if (swgpu_exec(v->fd, v->id, TVM_BATCH_VA, NULL, NULL) != -ENODEV)
		child_fail("exec after unbind\n");
	if (swgpu_vm_create(v->fd, &i) != -ENODEV)
		child_fail("vm_create after unbind\n");
	(void)buf_dword(&v->scratch, 0);
	_exit(0);
}

/* Map and unmap a BO in a VM until VM_BIND fails with -ENODEV. */
static void stream_bind(int fd, uint32_t vm, uint32_t bo, int ready)
{
	uint32_t h;
	int i, ret;

	for (i = 0;; i++) {
		uint64_t va = TVM_DATA_VA + (uint64_t)(i % 16) * LOAD_SHARED;

		ret = swgpu_vm_bind(fd, vm, bo, 0, va, LOAD_SHARED, 0);
		if (!ret)
			ret = swgpu_vm_unbind(fd, vm, va, LOAD_SHARED);
		if (ret == -ENODEV)
			break;
		if (ret)
			child_fail("bind %d: %d\n", i, ret);
		if (i == 8)
			child_ready(ready);
	}
	if (i <= 8)
		child_fail("the device went before the stream ran\n");
	if (swgpu_vm_bind(fd, vm, bo, 0, TVM_DATA_VA, 4096, 0) != -ENODEV ||
	    swgpu_bo_create(fd, 4096, &h) != -ENODEV)
		child_fail("bind or create after unbind\n");
	_exit(0);
}

/* Read a mapped pattern until told; then it must still be there. */
static void hold_mmap(const struct buf *b, int ready, int told_fd)
{
	int64_t bad;

	child_ready(ready);
	while (!told(told_fd))
		if ((bad = pattern_find_mismatch(b->map, b->size, LOAD_SEED, 0)) >= 0)
			child_fail("mapped byte %lld changed\n", (long long)bad);
	if ((bad = pattern_find_mismatch(b->map, b->size, LOAD_SEED, 0)) >= 0)
		child_fail("mapped byte %lld changed after unbind\n", (long long)bad);
	memset(b->map, 0x5a, 4096);
	if (bytes_find_not(b->map, 4096, 0x5a) >= 0)
		child_fail("mapping not writable after unbind\n");
	_exit(0);
}

/*
 * The other GPU copies the imported BO into one of its own, and checks
 * it, until told and for 8 more copies.
 */
static void stream_import(struct tvm *v, const struct buf *dst, int ready, int told_fd)
{
	int after = -1, i, ret;
	int64_t bad;

	for (i = 0; after < 8; i++) {
		memset(dst->map, 0, LOAD_SHARED);
		swgpu_batch_copy(tvm_batch(v), TVM_DATA_VA + LOAD_SHARED, TVM_DATA_VA,
				 LOAD_SHARED);
		swgpu_batch_end(&v->b);
		ret = swgpu_exec_wait(v->fd, v->id, TVM_BATCH_VA, FENCE_TIMEOUT_MS, NULL);
		if (ret)
			child_fail("importer copy %d: %d\n", i, ret);
		if ((bad = pattern_find_mismatch(dst->map, LOAD_SHARED, LOAD_SEED, 0)) >= 0)
			child_fail("importer copy %d: byte %lld wrong\n", i, (long long)bad);
		if (i == 2)
			child_ready(ready);
		if (after >= 0)
			after++;
		else if (told(told_fd))
			after = 0;
	}
	_exit(0);
}

static pid_t spawn(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	igt_assert(pid >= 0);
	if (!pid) {
		alarm(120);
		fn(arg);
		_exit(2);
	}
	return pid;
}

struct load {
	struct tvm ex, imp;
	int fbind, fmap, fshare, fy;
	uint32_t bind_vm, bind_bo;
	struct buf held, shared, dst;
	int ready[2], told[2];
};

static void run_exec(void *a)
{
	struct load *l = a;

	stream_exec(&l->ex, l->ready[1]);
}

static void run_bind(void *a)
{
	struct load *l = a;

	stream_bind(l->fbind, l->bind_vm, l->bind_bo, l->ready[1]);
}

static void run_mmap(void *a)
{
	struct load *l = a;

	hold_mmap(&l->held, l->ready[1], l->told[0]);
}

static void run_import(void *a)
{
	struct load *l = a;

	stream_import(&l->imp, &l->dst, l->ready[1], l->told[0]);
}

/*
 * The GPU to unbind and the one that imports from it: the importer must
 * take any page (without an IOMMU, a GPU with a narrow DMA mask may
 * refuse pages it cannot reach), so the GPU with the narrow mask is the
 * one unbound there. Returns the importer's file, the unbound GPU's PCI
 * address and slot in @bdf and *@slot.
 */
static int pick_pair(char *bdf, size_t len, uint64_t *slot)
{
	struct gpu g[MAX_GPUS];
	int n = gpus_open(g), x = -1, fd;

	igt_require_f(n >= 2, "needs a second swgpu device\n");
	for (int i = 0; i < n && x < 0; i++)
		if (!gpu_import_may_bounce(&g[(i + 1) % n]))
			x = i;
	igt_require_f(x >= 0, "no GPU can import every page of another\n");
	pci_address_of(g[x].fd, bdf, len);
	*slot = g[x].slot;
	fd = dup(g[(x + 1) % n].fd);
	gpus_close(g, n);
	return fd;
}

struct counts {
	long long vms, tables, level1;
};

static void counts_read(const struct dfs *d, struct counts *c)
{
	c->vms = dfs_value(d, "gmmu_vms", "vms");
	c->tables = dfs_value(d, "gmmu_vms", "tables");
	c->level1 = dfs_value(d, "gmmu_vms", "level1_maps") -
		    dfs_value(d, "gmmu_vms", "level1_unmaps");
}

static void test_unbind_under_load(void)
{
	void (*const fns[])(void *) = { run_exec, run_bind, run_mmap, run_import };
	struct counts y0, y1;
	struct load l;
	struct gpu gy = { 0 };
	struct dfs dy;
	pid_t pid[4];
	int dmabuf, status, i, tries;
	uint32_t h;
	uint64_t slot;
	char bdf[64];

	memset(&l, 0, sizeof(l));
	l.fy = pick_pair(bdf, sizeof(bdf), &slot);
	igt_assert(l.fy >= 0);
	gy.fd = l.fy;
	dfs_init(&dy, &gy);
	counts_read(&dy, &y0);
	igt_assert_eq(pipe2(l.ready, O_CLOEXEC), 0);
	igt_assert_eq(pipe2(l.told, O_CLOEXEC | O_NONBLOCK), 0);

	/* On the GPU that goes: an exec stream, a bind stream, a mapping. */
	tvm_init(&l.ex, open_bdf_slot(slot));
	l.fbind = open_bdf_slot(slot);
	igt_assert_eq(swgpu_vm_create(l.fbind, &l.bind_vm), 0);
	igt_assert_eq(swgpu_bo_create(l.fbind, LOAD_SHARED, &l.bind_bo), 0);
	l.fmap = open_bdf_slot(slot);
	buf_create(l.fmap, LOAD_SHARED, &l.held);
	pattern_fill(l.held.map, LOAD_SHARED, LOAD_SEED);
	/* Its BO shared with the other GPU, which copies from it. */
	l.fshare = open_bdf_slot(slot);
	buf_create(l.fshare, LOAD_SHARED, &l.shared);
	pattern_fill(l.shared.map, LOAD_SHARED, LOAD_SEED);
	igt_assert_eq(drmPrimeHandleToFD(l.fshare, l.shared.handle, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf), 0);
	tvm_init(&l.imp, l.fy);
	igt_assert_eq(drmPrimeFDToHandle(l.fy, dmabuf, &h), 0);
	igt_assert_eq(swgpu_vm_bind(l.fy, l.imp.id, h, 0, TVM_DATA_VA, LOAD_SHARED, 0), 0);
	buf_create(l.fy, LOAD_SHARED, &l.dst);
	igt_assert_eq(swgpu_vm_bind(l.fy, l.imp.id, l.dst.handle, 0,
				    TVM_DATA_VA + LOAD_SHARED, LOAD_SHARED, 0), 0);

	for (i = 0; i < 4; i++)
		pid[i] = spawn(fns[i], &l);
	close(l.ready[1]);
	for (i = 0; i < 4; i++) {
		char c;

		igt_assert_f(read(l.ready[0], &c, 1) == 1, "a stream died before it ran\n");
	}
	unbind(bdf);
	igt_assert_eq(write(l.told[1], "gggg", 4), 4);
	for (i = 0; i < 4; i++) {
		igt_assert_eq(waitpid(pid[i], &status, 0), pid[i]);
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "stream %d: status %#x\n", i, status);
	}
	igt_assert_eq(swgpu_bo_create(l.fshare, 4096, &h), -ENODEV);
	igt_assert_pattern(l.shared.map, LOAD_SHARED, LOAD_SEED, 0);

	/* Everything of the gone GPU goes; the other is back at its counts. */
	close(dmabuf);
	tvm_fini(&l.imp);
	buf_destroy(&l.dst);
	close(l.fy);
	munmap(l.shared.map, LOAD_SHARED);
	munmap(l.held.map, LOAD_SHARED);
	munmap(l.ex.batch.map, l.ex.batch.size);
	munmap(l.ex.scratch.map, l.ex.scratch.size);
	close(l.ex.fd);
	close(l.fbind);
	close(l.fmap);
	close(l.fshare);
	for (tries = 0; tries < 100; tries++) {
		counts_read(&dy, &y1);
		if (y1.vms == y0.vms && y1.tables == y0.tables && y1.level1 == y0.level1)
			break;
		usleep(50000);
	}
	igt_assert_f(tries < 100, "other GPU: vms %lld->%lld tables %lld->%lld level1 %lld->%lld\n",
		     y0.vms, y1.vms, y0.tables, y1.tables, y0.level1, y1.level1);

	/* Bound again, it works. */
	bind(bdf);
	tvm_init(&l.ex, open_bdf_slot(slot));
	tvm_assert_works(&l.ex);
	tvm_fini(&l.ex);
	close(l.ex.fd);
	close(l.ready[0]);
	close(l.told[0]);
	close(l.told[1]);
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

	igt_subtest("unbind-under-load")
		test_unbind_under_load();

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
