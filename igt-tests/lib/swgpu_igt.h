/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Helpers for the swgpu IGT-style tests: every GPU present, BOs with a CPU
 * mapping, and a test VM with a batch BO and a scratch BO already bound,
 * whose jobs are submitted with an out-fence and waited for. Every helper
 * asserts; none returns an error.
 *
 * GPU address layout of a test VM (struct tvm):
 *   TVM_BATCH_VA    64 KiB batch BO
 *   TVM_SCRATCH_VA   4 KiB scratch BO; its upper half is tvm_assert_works()'s
 *   TVM_DATA_VA     and above: free for the test
 */
#ifndef SWGPU_IGT_H
#define SWGPU_IGT_H

#include <stdbool.h>
#include <stdint.h>

#include "gmmu_igt.h"
#include "swgpu.h"

#define MAX_GPUS		8
#define TVM_BATCH_VA		0x100000ull
#define TVM_BATCH_SIZE		0x10000ull
#define TVM_SCRATCH_VA		0x200000ull
#define TVM_SCRATCH_SIZE	0x1000ull
#define TVM_DATA_VA		0x1000000ull
/* How long a job may take under TCG before a test calls it hung. */
#define FENCE_TIMEOUT_MS	30000

struct gpu {
	int fd;
	int slot;
	uint64_t profile;
	uint64_t va_bits;
	uint64_t page_sizes;
	uint64_t coherent;
	const char *name;
};

/* Opens every swgpu GPU present (render nodes); requires one. */
int gpus_open(struct gpu *g);
void gpus_close(struct gpu *g, int n);
/* Runs @fn on each of the @n GPUs; skips if there is none. */
void each_gpu(struct gpu *g, int n, void (*fn)(struct gpu *g));
/* Runs @fn on the GPUs that do not snoop CPU caches; skips if none does. */
void each_noncoherent_gpu(struct gpu *g, int n, void (*fn)(struct gpu *g));
/* First and one past the last usable GPU address of a VM. */
uint64_t gpu_va_end(const struct gpu *g);
/*
 * May an import into @g be refused because its pages would need bouncing
 * (-ERANGE; -EIO when swiotlb cannot bounce them at all)? Only where
 * nothing translates its DMA (its device has no IOMMU group, or one with
 * an identity domain: sysfs says), for a GPU whose DMA mask is narrower
 * than 64 bits. Such a GPU also needs a drm_gmmu BO it imports placed
 * below 4 GiB.
 */
bool gpu_import_may_bounce(const struct gpu *g);

struct buf {
	int fd;
	uint32_t handle;
	uint64_t size;
	uint8_t *map;
};

void buf_create(int fd, uint64_t size, struct buf *b);
void buf_create_flags(int fd, uint64_t size, uint32_t flags, struct buf *b);
void buf_create_private(int fd, uint32_t vm_id, uint64_t size, struct buf *b);
void buf_destroy(struct buf *b);
uint32_t buf_dword(const struct buf *b, uint64_t offset);

struct tvm {
	int fd;
	uint32_t id;
	struct buf batch;
	struct buf scratch;
	struct swgpu_batch b;
	uint32_t alive;		/* counter for tvm_assert_works() */
};

/* A VM with the batch and scratch BOs bound. */
void tvm_init(struct tvm *v, int fd);
void tvm_fini(struct tvm *v);
/* A fresh builder at @offset bytes into the batch BO. */
struct swgpu_batch *tvm_batch_at(struct tvm *v, uint64_t offset);
static inline struct swgpu_batch *tvm_batch(struct tvm *v)
{
	return tvm_batch_at(v, 0);
}
/* Ends the current batch and submits it with an out-fence. */
int tvm_submit(struct tvm *v, uint64_t *seqno);
/* Ends, submits, waits: returns the fence's status (0 or -errno). */
int tvm_run(struct tvm *v, uint64_t *seqno);
/* A STORE_DWORD job to the scratch BO succeeds and lands. */
void tvm_assert_works(struct tvm *v);
void tvm_get_fault(struct tvm *v, struct swgpu_fault *f);
/*
 * A BO of @size bytes bound at @va of @v and not CPU-mapped: the target
 * of a long job that keeps a queue busy.
 */
void tvm_bind_unmapped(struct tvm *v, uint64_t size, uint64_t va, struct buf *b);
/*
 * A long job for @v's GPU: *@n FILLs of *@chunk bytes (at most @size, a
 * multiple of 4 KiB) at @va that take about @ms milliseconds together,
 * from the fastest of three FILLs of @size / 16. Each FILL is at most half of
 * it, so that even a debug kernel's much slower engine stays well inside
 * its watchdog.
 */
void tvm_fills_for_ms(struct tvm *v, uint64_t va, uint64_t size,
		      unsigned int ms, uint64_t *chunk, unsigned int *n);
/*
 * A STORE_DWORD of a fresh value to @va succeeds, and the value lands at
 * @off in @b. Returns the value.
 */
uint32_t tvm_store_check(struct tvm *v, uint64_t va, const struct buf *b,
			 uint64_t off);
/*
 * A STORE_DWORD to @va fails the job with -EFAULT, and the VM's fault
 * record counts one more fault, at @va, with exactly @access, by that job.
 */
void tvm_store_fault(struct tvm *v, uint64_t va, uint32_t access);

/*
 * The engine's watchdog (swgpu's watchdog_ms parameter), in ms: set for
 * the subtests that need another one (skips if it cannot be written);
 * restored by watchdog_restore() and at exit.
 */
void watchdog_set(int ms);
void watchdog_restore(void);
/*
 * drm_gmmu's scheduler timeout for queues created from now on
 * (job_timeout_ms), likewise: set, restored by job_timeout_restore() and
 * at exit.
 */
void job_timeout_set(int ms);
void job_timeout_restore(void);

/* Waits (FENCE_TIMEOUT_MS) for a sync_file, closes it, returns its status. */
int fence_status(int fence_fd);
/* 1 if the fence has signalled now, 0 if not. */
int fence_signalled(int fence_fd);

/* Deterministic bytes: byte i of pattern @seed is pattern_byte(i, seed). */
uint8_t pattern_byte(uint64_t i, uint32_t seed);
void pattern_fill(void *p, uint64_t size, uint32_t seed);
/*
 * Offset of the first byte of @p that differs from bytes [@start, @start +
 * @size) of pattern @seed, or -1.
 */
int64_t pattern_find_mismatch(const void *p, uint64_t size, uint32_t seed,
			      uint64_t start);
/* zlib's crc32() of @n bytes at @data: the CPU's reference for CRC32. */
uint32_t cpu_crc32(const void *data, uint64_t n);
/* Offset of the first byte not equal to @c, or -1. */
int64_t bytes_find_not(const void *p, uint64_t size, uint8_t c);

#define igt_assert_pattern(p, size, seed, start) do { \
	int64_t __m = pattern_find_mismatch(p, size, seed, start); \
	igt_assert_f(__m < 0, "byte %lld of %llu differs from the pattern\n", \
		     (long long)__m, (unsigned long long)(size)); \
} while (0)

#define igt_assert_bytes(p, size, c) do { \
	int64_t __m = bytes_find_not(p, size, c); \
	igt_assert_f(__m < 0, "byte %lld of %llu is %#x, expected %#x\n", \
		     (long long)__m, (unsigned long long)(size), \
		     __m < 0 ? 0 : ((const uint8_t *)(p))[__m], (c)); \
} while (0)

/* Ends @v's current batch and submits it on @queue; returns its out-fence. */
int tvm_submit_on(struct tvm *v, uint32_t queue, uint64_t *seqno);

/* A vgem BO of @size bytes, CPU-mapped through vgem and exported. */
struct vbo {
	int vfd;
	uint32_t handle;
	uint64_t size;
	uint8_t *map;
	int dmabuf;
};

/* Skips the subtest without a vgem device. */
void vbo_create(struct vbo *b, uint64_t size);
void vbo_destroy(struct vbo *b);

#endif /* SWGPU_IGT_H */
