// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The fault ring of a VM, read with DRM_IOCTL_SWGPU_VM_READ_FAULTS: every
 * fault of a run of faulting jobs is reported, oldest first, with its
 * address, access, failed translation level, queue, seqno and a
 * CLOCK_MONOTONIC timestamp taken between submission and completion;
 * reading takes the records out (all of them, or the oldest few when the
 * array is smaller); past DRM_GMMU_FAULT_RING_SIZE the oldest are dropped
 * and counted exactly; a VM's faults are invisible to its file's other VMs
 * and to other files; VM_GET_FAULT keeps counting; bad input is refused
 * with the documented errno and leaves the records where they were; a
 * stride larger than the record gets the extra bytes zeroed.
 *
 * Each job faults once (a fault ends it), so N jobs make N records. Jobs
 * of one queue run in order, so records of jobs submitted together on one
 * queue arrive in submission order; jobs of different queues are run one
 * queue after the other to keep the expected order known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "swgpu_igt.h"

#define PAGE		4096ull
#define RING		DRM_GMMU_FAULT_RING_SIZE
/* Nothing is ever mapped here; inside the atom's 32-bit VA too. */
#define HOLE_VA		(TVM_DATA_VA + 0x4000000)
/* A BO mapped read-only: writes to it fault with PROTECTION. */
#define RO_VA		(TVM_DATA_VA + 0x100000)
/* Batches of the faulting jobs: one slot each in the batch BO. */
#define SLOT		64
#define MAX_JOBS	(TVM_BATCH_SIZE / SLOT)

/* The record as the first version of the uapi defines it. */
#define FAULT_V1_SIZE	40

struct expect {
	uint64_t va;
	uint64_t seqno;
	uint32_t access;
	uint32_t level;
	uint32_t queue_id;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * @n jobs on @queue, each storing to its own address in the hole, all
 * submitted before any is waited for; each must fail with -EFAULT. The
 * records they must leave are appended to @want.
 */
static void store_faults(struct tvm *v, uint32_t queue, unsigned int n,
			 uint64_t va_base, struct expect *want)
{
	int fence[MAX_JOBS];
	unsigned int i;

	igt_assert(n <= MAX_JOBS);
	for (i = 0; i < n; i++) {
		/* Distinct pages and offsets: a wrong record cannot match. */
		uint64_t va = va_base + i * 0x11000 + 4 * (i % 64);

		swgpu_batch_store_dword(tvm_batch_at(v, i * SLOT), va, 0xfa000000 + i);
		fence[i] = tvm_submit_on(v, queue, &want[i].seqno);
		want[i].va = va;
		want[i].access = DRM_GMMU_FAULT_WRITE;
		want[i].level = 2;
		want[i].queue_id = queue;
	}
	for (i = 0; i < n; i++) {
		int ret = fence_status(fence[i]);

		igt_assert_f(ret == -EFAULT, "job %u of %u: fence status %d, expected -EFAULT\n",
			     i, n, ret);
	}
}

/* READ_FAULTS with room for @room records; returns how many came. */
static uint32_t read_faults(struct tvm *v, struct drm_gmmu_fault *f, uint32_t room,
			    uint64_t *dropped)
{
	uint32_t count = room;
	int ret;

	memset(f, 0xa5, room * sizeof(*f));
	ret = swgpu_vm_read_faults(v->fd, v->id, f, &count, dropped);
	igt_assert_f(ret == 0, "READ_FAULTS: %s\n", strerror(-ret));
	igt_assert_lte(count, room);
	return count;
}

/*
 * @got[0..n) are @want[0..n), in order, stamped within [@t0, @t1] and
 * never earlier than the record before (or than *@prev_ts, updated).
 */
static void check_records(const struct drm_gmmu_fault *got, const struct expect *want,
			  unsigned int n, uint64_t t0, uint64_t t1, uint64_t *prev_ts)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct drm_gmmu_fault *f = &got[i];

		igt_assert_f(f->va == want[i].va && f->seqno == want[i].seqno &&
			     f->access == want[i].access && f->level == want[i].level &&
			     f->queue_id == want[i].queue_id,
			     "record %u: va %#llx seqno %llu access %#x level %u queue %u; "
			     "expected va %#llx seqno %llu access %#x level %u queue %u\n",
			     i, (unsigned long long)f->va, (unsigned long long)f->seqno,
			     f->access, f->level, f->queue_id,
			     (unsigned long long)want[i].va,
			     (unsigned long long)want[i].seqno, want[i].access,
			     want[i].level, want[i].queue_id);
		igt_assert_eq_u32(f->pad, 0);
		igt_assert_f(f->timestamp_ns >= t0 && f->timestamp_ns <= t1,
			     "record %u: timestamp %llu outside the jobs' time [%llu, %llu]\n",
			     i, (unsigned long long)f->timestamp_ns,
			     (unsigned long long)t0, (unsigned long long)t1);
		igt_assert_f(f->timestamp_ns >= *prev_ts,
			     "record %u: timestamp %llu before the previous one's %llu\n",
			     i, (unsigned long long)f->timestamp_ns,
			     (unsigned long long)*prev_ts);
		*prev_ts = f->timestamp_ns;
	}
}

/* The ring is empty: a read returns nothing, and @dropped so far. */
static void assert_empty(struct tvm *v, uint64_t dropped)
{
	struct drm_gmmu_fault f[RING];
	uint64_t d = ~0ull;

	igt_assert_eq(read_faults(v, f, RING, &d), 0);
	igt_assert_eq_u64(d, dropped);
	/* Nothing was written either. */
	igt_assert_bytes(f, sizeof(f), 0xa5);
}

/*
 * Faults of every kind a level-2 translation reports, from two queues:
 * three stores on queue 0 submitted together, then on another queue a
 * semaphore read, a write to a read-only mapping and a batch fetched from
 * the hole. All come back in order, then the ring is empty; VM_GET_FAULT
 * counts them all and reported the latest before the read.
 */
static void test_in_order(struct gpu *g)
{
	struct drm_gmmu_fault f[RING];
	struct expect want[8];
	uint64_t t0, t1, ts = 0, dropped = ~0ull;
	struct swgpu_fault last;
	struct buf ro;
	int fence[3];
	uint32_t q1;
	struct tvm v;

	tvm_init(&v, g->fd);
	igt_assert_eq(swgpu_queue_create(g->fd, v.id, &q1), 0);
	buf_create(g->fd, PAGE, &ro);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, ro.handle, 0, RO_VA, PAGE,
				    DRM_GMMU_VM_BIND_MAP_READONLY), 0);
	tvm_get_fault(&v, &last);
	igt_assert_eq(last.count, 0);
	assert_empty(&v, 0);

	t0 = now_ns();
	store_faults(&v, 0, 3, HOLE_VA, want);

	swgpu_batch_sem_wait(tvm_batch_at(&v, 0), HOLE_VA + 0x80008, 1, ~0ull,
			     SWGPU_SEM_COMPARE_EQ);
	fence[0] = tvm_submit_on(&v, q1, &want[3].seqno);
	want[3] = (struct expect){ HOLE_VA + 0x80008, want[3].seqno,
				   DRM_GMMU_FAULT_READ, 2, q1 };
	swgpu_batch_store_dword(tvm_batch_at(&v, SLOT), RO_VA + 0x44, 0xbad);
	fence[1] = tvm_submit_on(&v, q1, &want[4].seqno);
	want[4] = (struct expect){ RO_VA + 0x44, want[4].seqno,
				   DRM_GMMU_FAULT_WRITE | DRM_GMMU_FAULT_PROTECTION, 2, q1 };
	/* A batch in the hole: the very first fetch faults. */
	{
		struct drm_swgpu_exec e = {
			.submit.vm_id = v.id, .submit.queue_id = q1, .batch_va = HOLE_VA + 0x90000,
			.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT, .submit.out_fence_fd = -1,
		};

		igt_assert_eq(swgpu_exec_ioctl(g->fd, &e), 0);
		fence[2] = e.submit.out_fence_fd;
		want[5] = (struct expect){ HOLE_VA + 0x90000, e.submit.seqno,
					   DRM_GMMU_FAULT_FETCH, 2, q1 };
	}
	for (int i = 0; i < 3; i++)
		igt_assert_eq(fence_status(fence[i]), -EFAULT);
	t1 = now_ns();
	/* Queues count on their own: q1's jobs are its 1, 2 and 3. */
	igt_assert_eq(want[0].seqno, 1);
	igt_assert_eq(want[3].seqno, 1);
	igt_assert_eq(want[5].seqno, 3);

	/* The older ioctl: the count, and the latest fault. */
	tvm_get_fault(&v, &last);
	igt_assert_eq(last.count, 6);
	igt_assert_eq_u64(last.va, want[5].va);
	igt_assert_eq_u32(last.access, want[5].access);
	igt_assert_eq_u64(last.seqno, want[5].seqno);

	igt_assert_eq(read_faults(&v, f, RING, &dropped), 6);
	igt_assert_eq_u64(dropped, 0);
	check_records(f, want, 6, t0, t1, &ts);
	/* Only the records are written, not the room after them. */
	igt_assert_bytes(&f[6], sizeof(f) - 6 * sizeof(f[0]), 0xa5);
	/* Read means gone. */
	assert_empty(&v, 0);
	/*
	 * Reading takes records, not the history: VM_GET_FAULT still has the
	 * count and the latest fault (drm_gmmu_vm_last_fault()).
	 */
	tvm_get_fault(&v, &last);
	igt_assert_eq(last.count, 6);
	igt_assert_eq_u64(last.va, want[5].va);
	igt_assert_eq_u32(last.access, want[5].access);
	igt_assert_eq_u64(last.seqno, want[5].seqno);

	/* A later fault is reported after a drain, as the seventh. */
	t0 = now_ns();
	store_faults(&v, 0, 1, HOLE_VA + 0x700000, &want[6]);
	t1 = now_ns();
	tvm_get_fault(&v, &last);
	igt_assert_eq(last.count, 7);
	igt_assert_eq_u64(last.va, want[6].va);
	igt_assert_eq_u64(last.seqno, 4);
	igt_assert_eq(read_faults(&v, f, RING, &dropped), 1);
	check_records(f, &want[6], 1, t0, t1, &ts);
	assert_empty(&v, 0);

	tvm_assert_works(&v);
	buf_destroy(&ro);
	tvm_fini(&v);
}

/*
 * Room for fewer records than there are: the oldest come, the rest stay
 * for the next read. Room for none reads nothing and takes nothing.
 */
static void test_partial_read(struct gpu *g)
{
	struct drm_gmmu_fault f[RING];
	uint64_t t0, t1, ts = 0, dropped;
	struct expect want[5];
	struct swgpu_fault last;
	struct tvm v;
	uint32_t count = 0;

	tvm_init(&v, g->fd);
	t0 = now_ns();
	store_faults(&v, 0, 5, HOLE_VA, want);
	t1 = now_ns();

	/* No room, and no array at all: a valid question, nothing taken. */
	dropped = ~0ull;
	igt_assert_eq(swgpu_vm_read_faults(g->fd, v.id, NULL, &count, &dropped), 0);
	igt_assert_eq(count, 0);
	igt_assert_eq_u64(dropped, 0);

	igt_assert_eq(read_faults(&v, f, 2, &dropped), 2);
	check_records(f, want, 2, t0, t1, &ts);
	/* The latest is still the fifth: the ring still holds it. */
	tvm_get_fault(&v, &last);
	igt_assert_eq(last.count, 5);
	igt_assert_eq_u64(last.va, want[4].va);
	igt_assert_eq_u64(last.seqno, want[4].seqno);
	igt_assert_eq(read_faults(&v, f, 2, &dropped), 2);
	check_records(f, &want[2], 2, t0, t1, &ts);
	igt_assert_eq(read_faults(&v, f, RING, &dropped), 1);
	check_records(f, &want[4], 1, t0, t1, &ts);
	igt_assert_eq_u64(dropped, 0);
	assert_empty(&v, 0);
	tvm_fini(&v);
}

/*
 * RING + 5 faults unread: the five oldest are dropped and counted, the
 * newest RING stay, in order. The count of dropped records only grows:
 * three more faults read at once drop nothing; RING + 4 more drop four.
 */
static void test_overflow(struct gpu *g)
{
	struct drm_gmmu_fault f[2 * RING];
	struct expect want[RING + 5];
	uint64_t t0, t1, ts = 0, dropped = ~0ull;
	struct swgpu_fault last;
	struct tvm v;

	tvm_init(&v, g->fd);
	t0 = now_ns();
	store_faults(&v, 0, RING + 5, HOLE_VA, want);
	t1 = now_ns();
	tvm_get_fault(&v, &last);
	igt_assert_eq(last.count, RING + 5);
	igt_assert_eq_u64(last.seqno, RING + 5);

	igt_assert_eq(read_faults(&v, f, 2 * RING, &dropped), RING);
	igt_assert_eq_u64(dropped, 5);
	check_records(f, &want[5], RING, t0, t1, &ts);
	assert_empty(&v, 5);

	t0 = now_ns();
	store_faults(&v, 0, 3, HOLE_VA + 0x1000000, want);
	t1 = now_ns();
	igt_assert_eq(read_faults(&v, f, 2 * RING, &dropped), 3);
	igt_assert_eq_u64(dropped, 5);
	check_records(f, want, 3, t0, t1, &ts);

	t0 = now_ns();
	store_faults(&v, 0, RING + 4, HOLE_VA + 0x2000000, want);
	t1 = now_ns();
	igt_assert_eq(read_faults(&v, f, 2 * RING, &dropped), RING);
	igt_assert_eq_u64(dropped, 9);
	check_records(f, &want[4], RING, t0, t1, &ts);
	assert_empty(&v, 9);
	tvm_get_fault(&v, &last);
	igt_assert_eq(last.count, RING + 5 + 3 + RING + 4);
	tvm_fini(&v);
}

/*
 * A VM that overflowed its ring: another VM of the same file sees none of
 * its faults nor its dropped count; another file cannot name it at all,
 * and its own VM, whatever id it got, has no faults. The owner's records
 * are all still there afterwards.
 */
static void test_isolation(struct gpu *g)
{
	struct drm_gmmu_fault f[2 * RING];
	struct expect want[RING + 1];
	uint64_t t0, t1, ts = 0, dropped = ~0ull;
	struct drm_gmmu_vm_read_faults_args r = { 0 };
	struct drm_gmmu_vm_get_fault_args gf = { 0 };
	struct swgpu_fault last;
	struct tvm a, b, c;
	uint32_t count;
	int fd2;

	tvm_init(&a, g->fd);
	tvm_init(&b, g->fd);
	t0 = now_ns();
	store_faults(&a, 0, RING + 1, HOLE_VA, want);
	t1 = now_ns();

	tvm_get_fault(&b, &last);
	igt_assert_eq(last.count, 0);
	assert_empty(&b, 0);
	/* The same fault in b's hole is b's alone, with b's seqno. */
	{
		struct expect wb;

		store_faults(&b, 0, 1, HOLE_VA, &wb);
		igt_assert_eq(read_faults(&b, f, RING, &dropped), 1);
		igt_assert_eq_u64(dropped, 0);
		igt_assert_eq_u64(f[0].seqno, 1);
	}

	fd2 = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
	igt_assert(fd2 >= 0);
	/* A file with no VM: a's id names nothing there. */
	r.vm_id = a.id;
	r.faults = (uintptr_t)f;
	r.count = RING;
	r.stride = sizeof(f[0]);
	do_ioctl_err(fd2, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, ENOENT);
	gf.vm_id = a.id;
	do_ioctl_err(fd2, DRM_IOCTL_SWGPU_VM_GET_FAULT, &gf, ENOENT);
	/* Its own first VM, very likely under the same id as a: empty. */
	tvm_init(&c, fd2);
	igt_info("%s: VM %u of one file, VM %u of another\n", g->name, a.id, c.id);
	count = RING;
	igt_assert_eq(swgpu_vm_read_faults(fd2, c.id, f, &count, &dropped), 0);
	igt_assert_eq(count, 0);
	igt_assert_eq_u64(dropped, 0);
	tvm_get_fault(&c, &last);
	igt_assert_eq(last.count, 0);
	tvm_fini(&c);
	close(fd2);

	/* Nobody else's read took anything of a's. */
	igt_assert_eq(read_faults(&a, f, 2 * RING, &dropped), RING);
	igt_assert_eq_u64(dropped, 1);
	check_records(f, &want[1], RING, t0, t1, &ts);
	tvm_fini(&a);
	tvm_fini(&b);
}

/*
 * Bad arguments, each refused with the documented errno, with two records
 * in the ring that must all still be there afterwards: flags, pad, every
 * kind of bad stride, unknown VMs, extensions, and arrays the kernel
 * cannot write (wholly or from the second record on: a copy that faults
 * half way takes nothing out).
 */
static void test_bad_input(struct gpu *g)
{
	struct drm_gmmu_user_extension ext = { .name = 1 };
	static const uint32_t bad_strides[] = {
		0, 8, 16, 32, 36, 39, 41, 44, 47,
		DRM_GMMU_MAX_ARRAY_STRIDE + 8, DRM_GMMU_MAX_ARRAY_STRIDE + 4,
		2 * DRM_GMMU_MAX_ARRAY_STRIDE, 0xfffffff8, 0xffffffff,
	};
	struct drm_gmmu_fault f[RING];
	struct drm_gmmu_vm_read_faults_args r, init = { 0 };
	uint64_t t0, t1, ts = 0, dropped;
	struct expect want[2];
	uint32_t gone;
	struct tvm v;
	uint8_t *pages;

	tvm_init(&v, g->fd);
	t0 = now_ns();
	store_faults(&v, 0, 2, HOLE_VA, want);
	t1 = now_ns();

	init.vm_id = v.id;
	init.faults = (uintptr_t)f;
	init.count = RING;
	init.stride = sizeof(f[0]);

	for (unsigned int bit = 0; bit < 32; bit++) {
		r = init;
		r.flags = 1u << bit;
		do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, EINVAL);
	}
	r = init;
	r.pad = 1;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, EINVAL);
	r.pad = 1ull << 63;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, EINVAL);
	for (unsigned int i = 0; i < sizeof(bad_strides) / sizeof(bad_strides[0]); i++) {
		r = init;
		r.stride = bad_strides[i];
		igt_assert_f(igt_ioctl(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r) == -1 &&
			     errno == EINVAL, "stride %u: not refused with EINVAL (%s)\n",
			     bad_strides[i], strerror(errno));
	}

	r = init;
	r.vm_id = 0;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, ENOENT);
	r.vm_id = 0x7fffffff;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, ENOENT);
	r.vm_id = ~0u;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, ENOENT);
	igt_assert_eq(swgpu_vm_create(g->fd, &gone), 0);
	igt_assert_eq(swgpu_vm_destroy(g->fd, gone), 0);
	r.vm_id = gone;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, ENOENT);

	r = init;
	r.extensions = (uintptr_t)&ext;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, EINVAL);
	r.extensions = 8;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, EFAULT);

	/* Arrays the kernel cannot write: the records stay. */
	r = init;
	r.faults = 0;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, EFAULT);
	r.faults = 8;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, EFAULT);
	pages = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	igt_assert(pages != MAP_FAILED);
	memset(pages, 0x5a, 2 * PAGE);
	igt_assert_eq(mprotect(pages, 2 * PAGE, PROT_READ), 0);
	r.faults = (uintptr_t)pages;
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, EFAULT);
	/* The first record fits in a writable page, the second does not. */
	igt_assert_eq(mprotect(pages, PAGE, PROT_READ | PROT_WRITE), 0);
	r.faults = (uintptr_t)(pages + PAGE - sizeof(f[0]));
	do_ioctl_err(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r, EFAULT);
	igt_assert_bytes(pages + PAGE, PAGE, 0x5a);
	/* Room for just that record: then it works, and takes just it. */
	r.count = 1;
	do_ioctl(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r);
	igt_assert_eq(r.count, 1);
	igt_assert_eq_u64(r.dropped, 0);
	check_records((struct drm_gmmu_fault *)r.faults, want, 1, t0, t1, &ts);
	munmap(pages, 2 * PAGE);

	/* Everything refused took nothing: the second record is there. */
	dropped = ~0ull;
	igt_assert_eq(read_faults(&v, f, RING, &dropped), 1);
	igt_assert_eq_u64(dropped, 0);
	check_records(f, &want[1], 1, t0, t1, &ts);
	tvm_fini(&v);
}

/*
 * Strides past the record the kernel knows: every record lands at its
 * stride with its extra bytes zeroed, and nothing after the last record
 * is touched. The largest stride allowed works too.
 */
static void test_stride(struct gpu *g)
{
	static const uint32_t strides[] = { 48, 64, 200, DRM_GMMU_MAX_ARRAY_STRIDE };
	uint64_t t0, t1, ts = 0;
	struct expect want[3];
	struct tvm v;

	igt_assert_eq(sizeof(struct drm_gmmu_fault), FAULT_V1_SIZE);
	tvm_init(&v, g->fd);
	for (unsigned int s = 0; s < sizeof(strides) / sizeof(strides[0]); s++) {
		const uint32_t stride = strides[s];
		const size_t room = 4 * (size_t)stride;
		struct drm_gmmu_vm_read_faults_args r = {
			.vm_id = v.id, .count = 4, .stride = stride,
		};
		uint8_t *buf = malloc(room);

		igt_assert(buf);
		t0 = now_ns();
		store_faults(&v, 0, 3, HOLE_VA + s * 0x100000, want);
		t1 = now_ns();
		memset(buf, 0xa5, room);
		r.faults = (uintptr_t)buf;
		do_ioctl(g->fd, DRM_IOCTL_SWGPU_VM_READ_FAULTS, &r);
		igt_assert_eq(r.count, 3);
		for (unsigned int i = 0; i < 3; i++) {
			struct drm_gmmu_fault rec;

			memcpy(&rec, buf + i * stride, sizeof(rec));
			check_records(&rec, &want[i], 1, t0, t1, &ts);
			igt_assert_bytes(buf + i * stride + FAULT_V1_SIZE,
					 stride - FAULT_V1_SIZE, 0);
		}
		igt_assert_bytes(buf + 3 * stride, room - 3 * (size_t)stride, 0xa5);
		free(buf);
		assert_empty(&v, 0);
	}
	tvm_fini(&v);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("in-order")
		each_gpu(g, n, test_in_order);
	igt_subtest("partial-read")
		each_gpu(g, n, test_partial_read);
	igt_subtest("overflow")
		each_gpu(g, n, test_overflow);
	igt_subtest("isolation")
		each_gpu(g, n, test_isolation);
	igt_subtest("bad-input")
		each_gpu(g, n, test_bad_input);
	igt_subtest("stride-zeroes-extra")
		each_gpu(g, n, test_stride);

	igt_fixture
		gpus_close(g, n);
}
