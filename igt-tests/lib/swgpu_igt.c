// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <xf86drm.h>

#include "swgpu_igt.h"
#include "vgem.h"

int gpus_open(struct gpu *g)
{
	int n = 0, slot;

	for (slot = 0; slot < MAX_GPUS; slot++) {
		int fd = swgpu_open(slot, SWGPU_OPEN_RENDER);

		if (fd < 0)
			continue;
		g[n].fd = fd;
		g[n].slot = slot;
		igt_assert_eq(swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &g[n].profile), 0);
		igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_VA_BITS, &g[n].va_bits), 0);
		igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_PAGE_SIZES, &g[n].page_sizes), 0);
		igt_assert_eq(swgpu_get_param(fd, DRM_GMMU_PARAM_COHERENT, &g[n].coherent), 0);
		igt_assert(g[n].va_bits >= 32 && g[n].va_bits <= 63);
		g[n].name = swgpu_profile_name(g[n].profile);
		n++;
	}
	igt_require_f(n > 0, "no swgpu device\n");
	return n;
}

void gpus_close(struct gpu *g, int n)
{
	for (int i = 0; i < n; i++)
		close(g[i].fd);
}

uint64_t gpu_va_end(const struct gpu *g)
{
	return 1ull << g->va_bits;
}

static void buf_map(int fd, uint64_t size, struct buf *b)
{
	void *p;

	b->fd = fd;
	b->size = size;
	igt_assert_eq(swgpu_bo_mmap(fd, b->handle, size, &p), 0);
	b->map = p;
}

void buf_create(int fd, uint64_t size, struct buf *b)
{
	igt_assert_eq(swgpu_bo_create(fd, size, &b->handle), 0);
	buf_map(fd, size, b);
}

void buf_create_flags(int fd, uint64_t size, uint32_t flags, struct buf *b)
{
	igt_assert_eq(swgpu_bo_create_flags(fd, size, flags, &b->handle), 0);
	buf_map(fd, size, b);
}

void buf_create_private(int fd, uint32_t vm_id, uint64_t size, struct buf *b)
{
	igt_assert_eq(swgpu_bo_create_private(fd, vm_id, size, &b->handle), 0);
	buf_map(fd, size, b);
}

void buf_destroy(struct buf *b)
{
	if (b->map)
		munmap(b->map, b->size);
	b->map = NULL;
	if (b->handle)
		igt_assert_eq(swgpu_bo_close(b->fd, b->handle), 0);
	b->handle = 0;
}

uint32_t buf_dword(const struct buf *b, uint64_t offset)
{
	return *(volatile const uint32_t *)(b->map + offset);
}

void each_gpu(struct gpu *g, int n, void (*fn)(struct gpu *g))
{
	igt_require_f(n, "no swgpu GPU\n");
	for (int i = 0; i < n; i++)
		fn(&g[i]);
}

/*
 * Does a translating IOMMU stand between @g and memory? Its PCI device
 * has an IOMMU group whose default domain is not the identity.
 */
static bool gpu_translated(const struct gpu *g)
{
	char path[128], type[32] = "";
	struct stat st;
	FILE *f;

	igt_assert_eq(fstat(g->fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device/iommu_group/type",
		 major(st.st_rdev), minor(st.st_rdev));
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(type, sizeof(type), f))
		type[0] = 0;
	fclose(f);
	return type[0] && strncmp(type, "identity", 8);
}

bool gpu_import_may_bounce(const struct gpu *g)
{
	uint64_t bits = 0;

	igt_assert_eq(swgpu_get_param(g->fd, DRM_GMMU_PARAM_DMA_BITS, &bits), 0);
	return bits < 64 && !gpu_translated(g);
}

void each_noncoherent_gpu(struct gpu *g, int n, void (*fn)(struct gpu *g))
{
	int ran = 0;

	for (int i = 0; i < n; i++) {
		if (g[i].coherent)
			continue;
		fn(&g[i]);
		ran++;
	}
	igt_require_f(ran, "no GPU that does not snoop CPU caches\n");
}

void tvm_init(struct tvm *v, int fd)
{
	v->fd = fd;
	v->alive = 0x600d0000;
	igt_assert_eq(swgpu_vm_create(fd, &v->id), 0);
	igt_assert_neq(v->id, 0);
	buf_create(fd, TVM_BATCH_SIZE, &v->batch);
	buf_create(fd, TVM_SCRATCH_SIZE, &v->scratch);
	igt_assert_eq(swgpu_vm_bind(fd, v->id, v->batch.handle, 0, TVM_BATCH_VA,
				    TVM_BATCH_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(fd, v->id, v->scratch.handle, 0, TVM_SCRATCH_VA,
				    TVM_SCRATCH_SIZE, 0), 0);
	tvm_batch(v);
}

void tvm_fini(struct tvm *v)
{
	igt_assert_eq(swgpu_vm_destroy(v->fd, v->id), 0);
	buf_destroy(&v->batch);
	buf_destroy(&v->scratch);
}

struct swgpu_batch *tvm_batch_at(struct tvm *v, uint64_t offset)
{
	igt_assert(offset < TVM_BATCH_SIZE && !(offset & 3));
	swgpu_batch_init(&v->b, v->batch.map + offset, TVM_BATCH_VA + offset,
			 TVM_BATCH_SIZE - offset);
	return &v->b;
}

int tvm_submit(struct tvm *v, uint64_t *seqno)
{
	int fence = -1, ret;

	swgpu_batch_end(&v->b);
	igt_assert_f(v->b.error == 0, "batch overflow\n");
	ret = swgpu_exec(v->fd, v->id, v->b.va, &fence, seqno);
	igt_assert_f(ret == 0, "exec: %s\n", strerror(-ret));
	igt_assert(fence >= 0);
	return fence;
}

int tvm_run(struct tvm *v, uint64_t *seqno)
{
	return fence_status(tvm_submit(v, seqno));
}

void tvm_assert_works(struct tvm *v)
{
	uint32_t value = ++v->alive;
	uint64_t off = 2048 + (value & 0x1ff) * 4;
	struct swgpu_batch *b = tvm_batch(v);

	swgpu_batch_store_dword(b, TVM_SCRATCH_VA + off, value);
	igt_assert_eq(tvm_run(v, NULL), 0);
	igt_assert_eq_u32(buf_dword(&v->scratch, off), value);
}

void tvm_bind_unmapped(struct tvm *v, uint64_t size, uint64_t va, struct buf *b)
{
	igt_assert_eq(swgpu_bo_create(v->fd, size, &b->handle), 0);
	b->fd = v->fd;
	b->map = NULL;
	b->size = size;
	igt_assert_eq(swgpu_vm_bind(v->fd, v->id, b->handle, 0, va, size, 0), 0);
}

void tvm_fills_for_ms(struct tvm *v, uint64_t va, uint64_t size,
		      unsigned int ms, uint64_t *chunk, unsigned int *n)
{
	uint64_t probe = size / 16, total, c;
	double t = 0;

	igt_assert(probe >= 4096 && !(probe & 4095));
	/*
	 * The fastest of three probes: one slowed by a busy host (or by a
	 * cold first run) would make the long job too short to prove
	 * anything; a fast probe only makes it longer.
	 */
	for (int i = 0; i < 3; i++) {
		struct timespec t0, t1;
		double d;

		swgpu_batch_fill(tvm_batch(v), va, probe, 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		igt_assert_eq(tvm_run(v, NULL), 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		d = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (!i || d < t)
			t = d;
	}
	if (t < 0.1)
		t = 0.1;
	total = (uint64_t)(probe / t * ms);
	c = total / 2 < size ? total / 2 : size;
	c &= ~4095ull;
	if (c < 4096)
		c = 4096;
	*chunk = c;
	*n = total / c < 2 ? 2 : total / c > 256 ? 256 : total / c;
	igt_debug("FILL of %llu bytes: %.1f ms; %u x %llu bytes make about %u ms\n",
		  (unsigned long long)probe, t, *n, (unsigned long long)c, ms);
}

void tvm_get_fault(struct tvm *v, struct swgpu_fault *f)
{
	igt_assert_eq(swgpu_vm_get_fault(v->fd, v->id, f), 0);
}

uint32_t tvm_store_check(struct tvm *v, uint64_t va, const struct buf *b,
			 uint64_t off)
{
	uint32_t value = ++v->alive;
	int ret;

	swgpu_batch_store_dword(tvm_batch(v), va, value);
	ret = tvm_run(v, NULL);
	igt_assert_f(ret == 0, "STORE_DWORD to %#llx: fence status %d (%s)\n",
		     (unsigned long long)va, ret, strerror(-ret));
	igt_assert_f(buf_dword(b, off) == value,
		     "STORE_DWORD to %#llx: BO offset %#llx holds %#x, expected %#x\n",
		     (unsigned long long)va, (unsigned long long)off,
		     buf_dword(b, off), value);
	return value;
}

void tvm_store_fault(struct tvm *v, uint64_t va, uint32_t access)
{
	struct swgpu_fault before, after;
	uint64_t seqno = 0;
	int ret;

	tvm_get_fault(v, &before);
	swgpu_batch_store_dword(tvm_batch(v), va, 0xbadbad00);
	ret = tvm_run(v, &seqno);
	igt_assert_f(ret == -EFAULT, "STORE_DWORD to %#llx: fence status %d, expected -EFAULT\n",
		     (unsigned long long)va, ret);
	tvm_get_fault(v, &after);
	igt_assert_eq(after.count, before.count + 1);
	igt_assert_f(after.va == va, "fault va %#llx, expected %#llx\n",
		     (unsigned long long)after.va, (unsigned long long)va);
	igt_assert_f(after.access == access, "fault access %#x, expected %#x\n",
		     after.access, access);
	igt_assert_eq_u64(after.seqno, seqno);
}

int fence_status(int fence_fd)
{
	int status = 1, ret;

	ret = swgpu_fence_wait(fence_fd, FENCE_TIMEOUT_MS, &status);
	igt_assert_f(ret == 0, "fence wait: %s\n", strerror(-ret));
	igt_assert(status <= 0);
	close(fence_fd);
	return status;
}

int fence_signalled(int fence_fd)
{
	int ret = swgpu_fence_wait(fence_fd, 0, NULL);

	igt_assert(ret == 0 || ret == -ETIME);
	return ret == 0;
}

/*
 * The pattern repeats every PATTERN_PERIOD bytes, a prime, so that a copy
 * shifted by any power-of-two distance (a page, a dword) does not match.
 */
#define PATTERN_PERIOD	65521u

static uint8_t pattern_table[2 * PATTERN_PERIOD];

static const uint8_t *pattern_at(uint64_t i, uint32_t seed)
{
	if (!pattern_table[0]) {
		uint32_t x = 0x9e3779b9;

		for (uint32_t k = 0; k < PATTERN_PERIOD; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			pattern_table[k] = (uint8_t)(x >> 11);
		}
		pattern_table[0] |= 1;
		memcpy(pattern_table + PATTERN_PERIOD, pattern_table, PATTERN_PERIOD);
	}
	return pattern_table + (i + (uint64_t)seed * 7919u) % PATTERN_PERIOD;
}

uint8_t pattern_byte(uint64_t i, uint32_t seed)
{
	return *pattern_at(i, seed);
}

void pattern_fill(void *p, uint64_t size, uint32_t seed)
{
	uint8_t *c = p;

	for (uint64_t i = 0; i < size;) {
		uint64_t n = size - i < PATTERN_PERIOD ? size - i : PATTERN_PERIOD;

		memcpy(c + i, pattern_at(i, seed), n);
		i += n;
	}
}

int64_t pattern_find_mismatch(const void *p, uint64_t size, uint32_t seed,
			      uint64_t start)
{
	const uint8_t *c = p;

	for (uint64_t i = 0; i < size;) {
		uint64_t n = size - i < PATTERN_PERIOD ? size - i : PATTERN_PERIOD;
		const uint8_t *want = pattern_at(start + i, seed);

		if (memcmp(c + i, want, n)) {
			for (uint64_t k = 0; k < n; k++)
				if (c[i + k] != want[k])
					return (int64_t)(i + k);
		}
		i += n;
	}
	return -1;
}

int64_t bytes_find_not(const void *p, uint64_t size, uint8_t c)
{
	const uint64_t *q = p;
	const uint8_t *b = p;
	uint64_t word = 0x0101010101010101ull * c, i = 0;

	if (!((uintptr_t)p & 7))
		for (; i + 8 <= size && q[i / 8] == word; i += 8)
			;
	for (; i < size; i++)
		if (b[i] != c)
			return (int64_t)i;
	return -1;
}

static uint32_t crc_table[256];

/* zlib's CRC-32: reflected 0xedb88320, ~0 in, ~0 out. */
uint32_t cpu_crc32(const void *data, uint64_t n)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;

	if (!crc_table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
			crc_table[i] = c;
		}
	}
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

#define WATCHDOG_PARAM	"/sys/module/swgpu/parameters/watchdog_ms"
#define JOB_TIMEOUT_PARAM	"/sys/module/drm_gmmu/parameters/job_timeout_ms"

static int param_read(const char *path)
{
	char s[32] = "";
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read(fd, s, sizeof(s) - 1);
	close(fd);
	return n > 0 ? atoi(s) : -1;
}

static bool param_write(const char *path, int v)
{
	char s[32];
	int fd = open(path, O_WRONLY), n, len;

	if (fd < 0)
		return false;
	len = snprintf(s, sizeof(s), "%d\n", v);
	n = write(fd, s, len);
	close(fd);
	return n == len;
}

/* A module parameter a test changes, restored at exit. */
struct saved_param {
	const char *path;
	int saved;
};

static struct saved_param watchdog = { WATCHDOG_PARAM, -1 };
static struct saved_param job_timeout = { JOB_TIMEOUT_PARAM, -1 };

static void param_restore(struct saved_param *p)
{
	if (p->saved >= 0 && param_read(p->path) != p->saved)
		param_write(p->path, p->saved);
}

static void param_set(struct saved_param *p, int v, void (*restore)(void))
{
	if (p->saved < 0) {
		p->saved = param_read(p->path);
		igt_require_f(p->saved >= 0, "%s is not readable\n", p->path);
		atexit(restore);
	}
	igt_require_f(param_write(p->path, v), "%s is not writable\n", p->path);
	igt_assert_eq(param_read(p->path), v);
}

void watchdog_restore(void)
{
	param_restore(&watchdog);
}

void watchdog_set(int ms)
{
	param_set(&watchdog, ms, watchdog_restore);
}

void job_timeout_restore(void)
{
	param_restore(&job_timeout);
}

void job_timeout_set(int ms)
{
	param_set(&job_timeout, ms, job_timeout_restore);
}

void vbo_create(struct vbo *b, uint64_t size)
{
	struct drm_mode_create_dumb dumb = {
		.width = 4096 / 4, .height = size / 4096, .bpp = 32,
	};
	struct drm_mode_map_dumb map = { 0 };
	void *p;

	b->vfd = vgem_open();
	igt_require_f(b->vfd >= 0, "no vgem device (modprobe vgem)\n");
	igt_assert_eq(ioctl(b->vfd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), 0);
	igt_assert_eq_u64(dumb.size, size);
	b->handle = dumb.handle;
	b->size = size;
	map.handle = b->handle;
	igt_assert_eq(ioctl(b->vfd, DRM_IOCTL_MODE_MAP_DUMB, &map), 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, b->vfd,
		 map.offset);
	igt_assert(p != MAP_FAILED);
	b->map = p;
	igt_assert_eq(drmPrimeHandleToFD(b->vfd, b->handle,
					 DRM_CLOEXEC | DRM_RDWR, &b->dmabuf), 0);
}

void vbo_destroy(struct vbo *b)
{
	munmap(b->map, b->size);
	close(b->dmabuf);
	close(b->vfd);
}

int tvm_submit_on(struct tvm *v, uint32_t queue, uint64_t *seqno)
{
	struct drm_swgpu_exec e = {
		.submit.vm_id = v->id,
		.submit.queue_id = queue,
		.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT,
		.batch_va = v->b.va,
		.submit.out_fence_fd = -1,
	};

	swgpu_batch_end(&v->b);
	igt_assert(!v->b.error);
	igt_assert_eq(swgpu_exec_ioctl(v->fd, &e), 0);
	igt_assert(e.submit.out_fence_fd >= 0);
	if (seqno)
		*seqno = e.submit.seqno;
	return e.submit.out_fence_fd;
}
