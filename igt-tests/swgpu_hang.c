// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Hang, reset and ban through the scheduler (Documentation/robustness.rst):
 * with drm_gmmu's job_timeout_ms set (and the engine's watchdog out of the
 * way), a batch that spins forever on a SEMAPHORE_WAIT nobody signals is
 * stopped at the timeout with -ETIMEDOUT, the job queued behind it on its
 * queue completes with -ECANCELED, its VM is banned (EXEC: -ECANCELED)
 * and VM_GET_RESET_STATS reports it; meanwhile three other contexts, each
 * on a file of its own, stream jobs whose results are all checked, and
 * their stats stay clean. The time from the timeout to the next innocent
 * job's completion is printed. Also the query's errnos.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "swgpu_igt.h"

#define TIMEOUT_MS	1000
#define N_INNOCENT	3
#define SEM_OFF		8

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int reset_stats(int fd, uint32_t vm, struct drm_gmmu_vm_get_reset_stats_args *a)
{
	memset(a, 0, sizeof(*a));
	a->vm_id = vm;
	return ioctl(fd, DRM_IOCTL_SWGPU_VM_GET_RESET_STATS, a) ? -errno : 0;
}

static void assert_clean(int fd, uint32_t vm)
{
	struct drm_gmmu_vm_get_reset_stats_args a;

	igt_assert_eq(reset_stats(fd, vm, &a), 0);
	igt_assert_eq(a.status, 0);
	igt_assert_eq(a.hangs, 0);
	igt_assert_eq(a.cancelled, 0);
	igt_assert_eq(a.guilty_queue_id, 0);
	igt_assert_eq_u64(a.guilty_seqno, 0);
}

/* One STORE_DWORD job of an innocent context, checked. */
static void innocent_job(struct tvm *v, uint32_t i)
{
	uint32_t off = (i % 256) * 4, value = 0x11000000 + i;
	int ret;

	swgpu_batch_store_dword(tvm_batch(v), TVM_SCRATCH_VA + off, value);
	ret = fence_status(tvm_submit(v, NULL));
	igt_assert_f(ret == 0, "innocent job %u: status %d\n", i, ret);
	igt_assert_eq_u32(buf_dword(&v->scratch, off), value);
}

static void test_hang(struct gpu *g)
{
	struct drm_gmmu_vm_get_reset_stats_args a;
	struct tvm s, in[N_INNOCENT];
	int fds[N_INNOCENT], fs, fs2, ret;
	uint64_t seqno, t0, t_hung = 0, t_next = 0, jobs = 0;
	struct drm_swgpu_exec e = { 0 };

	job_timeout_set(TIMEOUT_MS);
	watchdog_set(60000);
	for (int k = 0; k < N_INNOCENT; k++) {
		fds[k] = swgpu_open(g->slot, SWGPU_OPEN_RENDER);
		igt_assert(fds[k] >= 0);
		tvm_init(&in[k], fds[k]);
	}
	tvm_init(&s, g->fd);
	assert_clean(g->fd, s.id);

	/*
	 * The spinner, and a job behind it on its queue, both written first:
	 * on a GPU that does not snoop, a CPU write to the batch BO waits for
	 * the jobs using it.
	 */
	swgpu_batch_sem_wait(tvm_batch(&s), TVM_SCRATCH_VA + SEM_OFF, 1, ~0ull,
			     SWGPU_SEM_COMPARE_EQ);
	swgpu_batch_end(&s.b);
	swgpu_batch_store_dword(tvm_batch_at(&s, 0x1000), TVM_SCRATCH_VA + 16, 0xbad);
	swgpu_batch_end(&s.b);
	t0 = now_ns();
	igt_assert_eq(swgpu_exec(g->fd, s.id, TVM_BATCH_VA, &fs, &seqno), 0);
	igt_assert_eq(swgpu_exec(g->fd, s.id, TVM_BATCH_VA + 0x1000, &fs2, NULL), 0);

	/* The others stream jobs until well after the spinner is dealt with. */
	for (uint32_t i = 0; now_ns() - t0 < 2ull * TIMEOUT_MS * 1000000ull || !t_next; i++) {
		for (int k = 0; k < N_INNOCENT; k++) {
			innocent_job(&in[k], i);
			jobs++;
		}
		if (!t_hung && fence_signalled(fs))
			t_hung = now_ns();
		else if (t_hung && !t_next)
			t_next = now_ns();
		igt_assert_f(now_ns() - t0 < 60000000000ull, "the spinner never ended\n");
	}
	ret = fence_status(fs);
	igt_assert_f(ret == -ETIMEDOUT, "spinner: status %d, expected -ETIMEDOUT\n", ret);
	igt_assert_eq(fence_status(fs2), -ECANCELED);
	igt_assert_eq_u32(buf_dword(&s.scratch, 16), 0);
	igt_info("%s: spinner ended %llu ms after submission (timeout %d ms); "
		 "%llu innocent jobs correct; next innocent job done %llu us after it\n",
		 g->name, (unsigned long long)(t_hung - t0) / 1000000, TIMEOUT_MS,
		 (unsigned long long)jobs, (unsigned long long)(t_next - t_hung) / 1000);
	igt_assert_lte(TIMEOUT_MS - 50, (t_hung - t0) / 1000000);

	/* The spinner's VM is banned and says so. */
	igt_assert_eq(reset_stats(g->fd, s.id, &a), 0);
	igt_assert_eq(a.status, DRM_GMMU_RESET_STATUS_BANNED);
	igt_assert_eq(a.hangs, 1);
	igt_assert_eq(a.cancelled, 1);
	igt_assert_eq(a.guilty_queue_id, 0);
	igt_assert_eq_u64(a.guilty_seqno, seqno);
	swgpu_batch_store_dword(tvm_batch(&s), TVM_SCRATCH_VA + 16, 0xbad);
	swgpu_batch_end(&s.b);
	e.submit.vm_id = s.id;
	e.batch_va = s.b.va;
	e.submit.out_fence_fd = -1;
	igt_assert_eq(swgpu_exec_ioctl(g->fd, &e), -ECANCELED);

	/* The others are untouched and keep working. */
	for (int k = 0; k < N_INNOCENT; k++) {
		assert_clean(fds[k], in[k].id);
		tvm_assert_works(&in[k]);
		tvm_fini(&in[k]);
		close(fds[k]);
	}
	/* A new VM of the guilty file works too. */
	tvm_fini(&s);
	tvm_init(&s, g->fd);
	assert_clean(g->fd, s.id);
	tvm_assert_works(&s);
	tvm_fini(&s);
	watchdog_restore();
	job_timeout_restore();
}

static void test_stats_errnos(struct gpu *g)
{
	struct drm_gmmu_vm_get_reset_stats_args a;
	struct drm_gmmu_user_extension ext = { .name = 1 };
	uint32_t vm;

	igt_assert_eq(swgpu_vm_create(g->fd, &vm), 0);
	assert_clean(g->fd, vm);
	igt_assert_eq(reset_stats(g->fd, 0, &a), -ENOENT);
	igt_assert_eq(reset_stats(g->fd, vm + 1000, &a), -ENOENT);
	memset(&a, 0, sizeof(a));
	a.vm_id = vm;
	a.flags = 1;
	igt_assert_eq(ioctl(g->fd, DRM_IOCTL_SWGPU_VM_GET_RESET_STATS, &a), -1);
	igt_assert_eq(errno, EINVAL);
	memset(&a, 0, sizeof(a));
	a.vm_id = vm;
	a.extensions = (uintptr_t)&ext;
	igt_assert_eq(ioctl(g->fd, DRM_IOCTL_SWGPU_VM_GET_RESET_STATS, &a), -1);
	igt_assert_eq(errno, EINVAL);
	a.extensions = 8;
	igt_assert_eq(ioctl(g->fd, DRM_IOCTL_SWGPU_VM_GET_RESET_STATS, &a), -1);
	igt_assert_eq(errno, EFAULT);
	/* Garbage in the out fields is ignored. */
	memset(&a, 0xff, sizeof(a));
	a.extensions = 0;
	a.vm_id = vm;
	a.flags = 0;
	igt_assert_eq(ioctl(g->fd, DRM_IOCTL_SWGPU_VM_GET_RESET_STATS, &a), 0);
	igt_assert_eq(a.hangs, 0);
	igt_assert_eq_u64(a.guilty_seqno, 0);
	igt_assert_eq(swgpu_vm_destroy(g->fd, vm), 0);
	igt_assert_eq(reset_stats(g->fd, vm, &a), -ENOENT);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(gpus);

	igt_subtest("stats-errnos")
		each_gpu(gpus, n, test_stats_errnos);
	igt_subtest("spinner-banned-others-survive")
		each_gpu(gpus, n, test_hang);

	igt_fixture
		gpus_close(gpus, n);
}
