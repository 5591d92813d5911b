// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_demo: "first light" of the swgpu uapi through libswgpu. On every
 * GPU, two contexts (VMs) bind BOs at different GPU addresses, the GPU
 * fills and copies buffers, the demo waits on the jobs' out-fences and the
 * CPU checks every byte through mmap. A BO shared by both VMs shows one
 * buffer at two addresses, and a store to an unmapped address shows a GPU
 * page fault. A second hardware queue of one VM waits on a timeline
 * syncobj that a BLIT on its first queue signals, then CRC32s the
 * rectangle; the CPU checks both. Exits non-zero on any mismatch or error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu.h"

#define MIB		(1ull << 20)
#define BUF_SIZE	MIB
#define BATCH_SIZE	0x10000ull

static int failures;

struct ctx {
	int fd;
	const char *gpu;	/* "gpu0 (llc)" */
	int n;			/* 1 or 2, for the output */
	uint32_t vm;
	uint64_t base;		/* where this VM puts its BOs */
	uint32_t batch_bo, src_bo, dst_bo;
	uint8_t *batch, *src, *dst;
	struct swgpu_batch b;
};

static void say(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	printf("demo: %s: vm %d: ", c->gpu, c->n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static int fail(struct ctx *c, const char *what, int err)
{
	say(c, "%s: FAILED: %s\n", what, strerror(-err));
	failures++;
	return err;
}

static uint64_t va_batch(struct ctx *c) { return c->base; }
static uint64_t va_src(struct ctx *c) { return c->base + 0x100000; }
static uint64_t va_dst(struct ctx *c) { return c->base + 0x400000; }

static int new_bo(struct ctx *c, uint64_t size, uint64_t va, uint32_t *h, uint8_t **map)
{
	void *p;
	int ret;

	ret = swgpu_bo_create(c->fd, size, h);
	if (!ret)
		ret = swgpu_bo_mmap(c->fd, *h, size, &p);
	if (!ret)
		ret = swgpu_vm_bind(c->fd, c->vm, *h, 0, va, size, 0);
	if (ret)
		return fail(c, "creating and binding a BO", ret);
	*map = p;
	return 0;
}

static int ctx_init(struct ctx *c, int fd, const char *gpu, int n, uint64_t base)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->gpu = gpu;
	c->n = n;
	c->base = base;
	ret = swgpu_vm_create(fd, &c->vm);
	if (ret)
		return fail(c, "VM_CREATE", ret);
	c->n = c->vm;
	if (new_bo(c, BATCH_SIZE, va_batch(c), &c->batch_bo, &c->batch) ||
	    new_bo(c, BUF_SIZE, va_src(c), &c->src_bo, &c->src) ||
	    new_bo(c, BUF_SIZE, va_dst(c), &c->dst_bo, &c->dst))
		return -EIO;
	say(c, "batch at %#llx, source at %#llx, destination at %#llx (1 MiB each)\n",
	    (unsigned long long)va_batch(c), (unsigned long long)va_src(c),
	    (unsigned long long)va_dst(c));
	return 0;
}

static void ctx_fini(struct ctx *c)
{
	if (c->vm)
		swgpu_vm_destroy(c->fd, c->vm);
	if (c->batch)
		munmap(c->batch, BATCH_SIZE);
	if (c->src)
		munmap(c->src, BUF_SIZE);
	if (c->dst)
		munmap(c->dst, BUF_SIZE);
	if (c->batch_bo)
		swgpu_bo_close(c->fd, c->batch_bo);
	if (c->src_bo)
		swgpu_bo_close(c->fd, c->src_bo);
	if (c->dst_bo)
		swgpu_bo_close(c->fd, c->dst_bo);
}

static struct swgpu_batch *batch(struct ctx *c)
{
	swgpu_batch_init(&c->b, c->batch, va_batch(c), BATCH_SIZE);
	return &c->b;
}

/* Submits the batch built so far; returns the out-fence or a negative errno. */
static int submit(struct ctx *c, uint64_t *seqno)
{
	int fence = -1, ret;

	swgpu_batch_end(&c->b);
	if (c->b.error)
		return fail(c, "building the batch", c->b.error);
	ret = swgpu_exec(c->fd, c->vm, c->b.va, &fence, seqno);
	if (ret)
		return fail(c, "EXEC", ret);
	return fence;
}

/* Waits for @fence, closes it; returns the job's status or a wait error. */
static int wait_fence(struct ctx *c, int fence, uint64_t seqno)
{
	int status = 0, ret;

	if (fence < 0)
		return fence;
	ret = swgpu_fence_wait(fence, 30000, &status);
	close(fence);
	if (ret)
		return fail(c, "waiting for the out-fence", ret);
	if (status)
		say(c, "job %llu done, fence status %d (%s)\n", (unsigned long long)seqno,
		    status, strerror(-status));
	else
		say(c, "job %llu done, fence status 0\n", (unsigned long long)seqno);
	return status;
}

static int check(struct ctx *c, const char *what, int status, int64_t bad)
{
	if (status) {
		say(c, "%s: FAILED: job status %d (%s)\n", what, status, strerror(-status));
		failures++;
		return -1;
	}
	if (bad >= 0) {
		say(c, "%s: MISMATCH at byte %lld\n", what, (long long)bad);
		failures++;
		return -1;
	}
	say(c, "%s: ok\n", what);
	return 0;
}

static int64_t find_not(const uint8_t *p, uint64_t size, uint8_t v)
{
	for (uint64_t i = 0; i < size; i++)
		if (p[i] != v)
			return (int64_t)i;
	return -1;
}

/* zlib's CRC-32, bit by bit: the demo's own reference for the GPU's. */
static uint32_t crc32_ref(const uint8_t *p, uint64_t n)
{
	uint32_t crc = ~0u;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/*
 * Queue 0 BLITs a 333 x 77 rectangle of 1-byte pixels between odd pitches
 * and signals point 1 of a timeline syncobj; a second queue waits for that
 * point and CRC32s the destination rows. The CPU checks both.
 */
#define BLIT_W		333
#define BLIT_H		77
#define SRC_PITCH	4099
#define DST_PITCH	1001

static void demo_queues(struct ctx *c)
{
	struct drm_gmmu_sync sig = { .point = 1 }, wait = { .point = 1 };
	struct drm_swgpu_exec e = {
		.submit.vm_id = c->vm,
		.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT,
		.submit.out_fence_fd = -1,
		.submit.sync_stride = sizeof(struct drm_gmmu_sync),
	};
	uint64_t crc_off = BUF_SIZE - 64, span = (uint64_t)(BLIT_H - 1) * DST_PITCH + BLIT_W;
	uint32_t queue, crc;
	int fence[2], status[2];
	uint64_t seq[2] = { 0, 0 };
	int64_t bad = -1;
	char what[128];
	int ret;

	ret = drmSyncobjCreate(c->fd, 0, &sig.handle) ? -errno : 0;
	if (!ret)
		ret = swgpu_queue_create(c->fd, c->vm, &queue);
	if (ret) {
		fail(c, "a second queue and a timeline syncobj", ret);
		return;
	}
	wait.handle = sig.handle;
	for (uint64_t i = 0; i < BUF_SIZE; i++)
		c->src[i] = (uint8_t)(i * 7 + i / 4099);
	memset(c->dst, 0, BUF_SIZE);

	/* Both batches are written first; then queue 0, then the new queue. */
	swgpu_batch_init(&c->b, c->batch + 0x8000, va_batch(c) + 0x8000, 0x1000);
	swgpu_batch_crc32(&c->b, va_dst(c) + crc_off, va_dst(c), span);
	swgpu_batch_end(&c->b);
	swgpu_batch_blit(batch(c), va_dst(c), DST_PITCH, va_src(c) + 5, SRC_PITCH,
			 BLIT_W, BLIT_H, 1);
	swgpu_batch_end(&c->b);

	e.batch_va = va_batch(c);
	e.submit.out_syncs = (uintptr_t)&sig;
	e.submit.out_sync_count = 1;
	ret = swgpu_exec_ioctl(c->fd, &e);
	fence[0] = ret ? fail(c, "EXEC of the BLIT", ret) : e.submit.out_fence_fd;
	seq[0] = e.submit.seqno;
	say(c, "queue 0: BLIT %ux%u, pitches %u -> %u, signals timeline point 1\n",
	    BLIT_W, BLIT_H, SRC_PITCH, DST_PITCH);
	e.submit.queue_id = queue;
	e.batch_va = va_batch(c) + 0x8000;
	e.submit.out_syncs = 0;
	e.submit.out_sync_count = 0;
	e.submit.in_syncs = (uintptr_t)&wait;
	e.submit.in_sync_count = 1;
	e.submit.out_fence_fd = -1;
	ret = swgpu_exec_ioctl(c->fd, &e);
	fence[1] = ret ? fail(c, "EXEC of the CRC32", ret) : e.submit.out_fence_fd;
	seq[1] = e.submit.seqno;
	say(c, "queue %u: waits for point 1, then CRC32 of the rectangle's rows\n", queue);
	status[0] = wait_fence(c, fence[0], seq[0]);
	status[1] = wait_fence(c, fence[1], seq[1]);

	for (uint32_t y = 0; y < BLIT_H && bad < 0; y++)
		for (uint32_t x = 0; x < DST_PITCH && bad < 0; x++) {
			uint64_t d = (uint64_t)y * DST_PITCH + x;
			uint8_t want = x < BLIT_W ? c->src[5 + (uint64_t)y * SRC_PITCH + x] : 0;

			if (d < span + (DST_PITCH - BLIT_W) && c->dst[d] != want)
				bad = (int64_t)d;
		}
	snprintf(what, sizeof(what), "BLIT %ux%u with odd pitches", BLIT_W, BLIT_H);
	check(c, what, status[0], bad);
	memcpy(&crc, c->dst + crc_off, 4);
	snprintf(what, sizeof(what), "CRC32 after the syncobj wait: %#010x (CPU: %#010x)",
		 crc, crc32_ref(c->dst, span));
	check(c, what, status[1], crc == crc32_ref(c->dst, span) ? -1 : 0);
	swgpu_queue_destroy(c->fd, c->vm, queue);
	drmSyncobjDestroy(c->fd, sig.handle);
}

static void demo_gpu(int slot)
{
	uint64_t profile = 0, va_bits = 0, seq[2];
	struct ctx c[2];
	int fd, fence[2], status[2];
	char gpu[32], what[128];

	fd = swgpu_open(slot, SWGPU_OPEN_RENDER);
	if (fd < 0)
		return;
	swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile);
	swgpu_get_param(fd, DRM_GMMU_PARAM_VA_BITS, &va_bits);
	snprintf(gpu, sizeof(gpu), "gpu%d (%s)", slot, swgpu_profile_name(profile));
	printf("demo: %s: %llu-bit GPU addresses; two contexts\n", gpu,
	       (unsigned long long)va_bits);

	/* Two VMs, their BOs at different GPU addresses. */
	memset(c, 0, sizeof(c));
	if (ctx_init(&c[0], fd, gpu, 1, 0x100000) ||
	    ctx_init(&c[1], fd, gpu, 2, (1ull << va_bits) - 0x1000000))
		goto out;

	/* Both VMs FILL their source at once; wait on both out-fences. */
	for (int i = 0; i < 2; i++) {
		memset(c[i].src, 0, BUF_SIZE);
		swgpu_batch_fill(batch(&c[i]), va_src(&c[i]), BUF_SIZE, 0x11111111 * (i + 1));
		say(&c[i], "submitting FILL 1 MiB at %#llx with 0x%02x bytes\n",
		    (unsigned long long)va_src(&c[i]), 0x11 * (i + 1));
		fence[i] = submit(&c[i], &seq[i]);
	}
	for (int i = 0; i < 2; i++)
		status[i] = wait_fence(&c[i], fence[i], seq[i]);
	for (int i = 0; i < 2; i++) {
		snprintf(what, sizeof(what), "FILL 1 MiB at %#llx",
			 (unsigned long long)va_src(&c[i]));
		check(&c[i], what, status[i], find_not(c[i].src, BUF_SIZE, 0x11 * (i + 1)));
	}

	/* Each VM COPYs its source to its destination, at an odd offset. */
	for (int i = 0; i < 2; i++) {
		memset(c[i].dst, 0xee, BUF_SIZE);
		swgpu_batch_copy(batch(&c[i]), va_dst(&c[i]) + 3, va_src(&c[i]), BUF_SIZE - 3);
		fence[i] = submit(&c[i], &seq[i]);
	}
	for (int i = 0; i < 2; i++) {
		int64_t bad;

		status[i] = wait_fence(&c[i], fence[i], seq[i]);
		bad = find_not(c[i].dst, 3, 0xee);
		if (bad < 0) {
			bad = find_not(c[i].dst + 3, BUF_SIZE - 3, 0x11 * (i + 1));
			if (bad >= 0)
				bad += 3;
		}
		snprintf(what, sizeof(what), "COPY 1 MiB - 3 bytes %#llx -> %#llx",
			 (unsigned long long)va_src(&c[i]),
			 (unsigned long long)va_dst(&c[i]) + 3);
		check(&c[i], what, status[i], bad);
	}

	/* One BO in both VMs at different addresses: each writes its half. */
	{
		uint64_t va[2] = { va_dst(&c[0]) + 0x200000, va_dst(&c[1]) + 0x300000 };
		uint32_t shared;
		void *map;
		int ret;

		ret = swgpu_bo_create(fd, BUF_SIZE, &shared);
		if (!ret)
			ret = swgpu_bo_mmap(fd, shared, BUF_SIZE, &map);
		for (int i = 0; i < 2 && !ret; i++)
			ret = swgpu_vm_bind(fd, c[i].vm, shared, 0, va[i], BUF_SIZE, 0);
		if (ret) {
			fail(&c[0], "a BO shared by both VMs", ret);
			goto out;
		}
		for (int i = 0; i < 2; i++) {
			swgpu_batch_copy(batch(&c[i]), va[i] + i * BUF_SIZE / 2, va_src(&c[i]),
					 BUF_SIZE / 2);
			fence[i] = submit(&c[i], &seq[i]);
		}
		for (int i = 0; i < 2; i++) {
			status[i] = wait_fence(&c[i], fence[i], seq[i]);
			snprintf(what, sizeof(what),
				 "shared BO at %#llx: COPY 512 KiB into its %s half",
				 (unsigned long long)va[i], i ? "second" : "first");
			check(&c[i], what, status[i],
			      find_not((uint8_t *)map + i * BUF_SIZE / 2, BUF_SIZE / 2,
				       0x11 * (i + 1)));
		}
		munmap(map, BUF_SIZE);
		swgpu_bo_close(fd, shared);
	}

	/* A store to an address VM 2 never mapped: a GPU page fault. */
	{
		uint64_t hole = va_src(&c[0]) + 0x8000;	/* mapped in VM 1 only */
		struct swgpu_fault f = { 0 };
		int ret;

		swgpu_batch_store_dword(batch(&c[1]), hole, 0xdead);
		say(&c[1], "STORE_DWORD to %#llx, which only vm %d maps: expect a fault\n",
		    (unsigned long long)hole, c[0].n);
		fence[1] = submit(&c[1], &seq[1]);
		status[1] = wait_fence(&c[1], fence[1], seq[1]);
		ret = swgpu_vm_get_fault(fd, c[1].vm, &f);
		if (status[1] == -EFAULT && !ret && f.count == 1 && f.va == hole &&
		    (f.access & DRM_SWGPU_FAULT_WRITE)) {
			say(&c[1], "page fault reported: %u fault, va %#llx, access %#x, job %llu: ok\n",
			    f.count, (unsigned long long)f.va, f.access,
			    (unsigned long long)f.seqno);
		} else {
			say(&c[1], "page fault: FAILED: status %d, VM_GET_FAULT %d, count %u, va %#llx, access %#x\n",
			    status[1], ret, f.count, (unsigned long long)f.va, f.access);
			failures++;
		}
		if (c[0].src[0x8000] != 0x11) {
			say(&c[0], "its BO was written by vm %d: FAILED\n", c[1].n);
			failures++;
		}
	}
	demo_queues(&c[0]);
out:
	ctx_fini(&c[1]);
	ctx_fini(&c[0]);
	close(fd);
}

int main(void)
{
	int slots = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int slot = 0; slot < 8; slot++) {
		int fd = swgpu_open(slot, SWGPU_OPEN_RENDER);

		if (fd < 0)
			continue;
		close(fd);
		slots++;
		demo_gpu(slot);
	}
	if (!slots) {
		printf("demo: no swgpu GPU found\n");
		return 1;
	}
	if (failures) {
		printf("demo: %d FAILURES\n", failures);
		return 1;
	}
	printf("demo: %d GPUs, all bytes checked: ok\n", slots);
	return 0;
}
