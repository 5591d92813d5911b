// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Races between destroying a queue or a whole VM and the ioctls that use
 * it, for the debug lane (lockdep, KASAN, kmemleak, debug objects): on
 * one file, one thread submits jobs to the VM's queues and waits for each,
 * one binds and unbinds a BO in the VM, one waits on the VM's BOs with
 * WAIT_BO, while the main thread destroys the extra queue (QUEUE_DESTROY)
 * or the VM (VM_DESTROY) at a random moment, round after round.
 *
 * What must hold: every ioctl either succeeds or, once the destroy has
 * begun and only for what it destroys, fails with -ENOENT (and, once the
 * destroy has returned, always does); every job that was submitted
 * completes and its fence signals, with success or -EFAULT (its batch
 * stores to the BO the other thread keeps unbinding); the VM's queue 0
 * still works after its other queue went; a second destroy is -ENOENT;
 * and at the end a fresh VM works. The kernel's checkers, read by the
 * lane after the run, say the rest (use-after-free, leaks, lock order).
 *
 * The rounds are bounded by count and by time, so that the debug kernel,
 * whose submissions are up to a hundred times slower, runs fewer of them
 * instead of longer. The seed of the random moments is printed; the
 * environment variable SWGPU_RACES_SEED sets it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu_igt.h"

#define X_VA		TVM_DATA_VA
#define X_SIZE		(64ull * 1024)
#define MAX_ROUNDS	40
/* Time budget of one subtest on one GPU; a round started runs to its end. */
#define BUDGET_MS	2000
#define MIN_ROUNDS	2

enum victim { QUEUE, VM };

struct race {
	int fd;
	enum victim victim;
	struct tvm v;
	uint32_t q;
	uint32_t x;		/* the BO the binder maps and unmaps */
	atomic_bool stop;
	/* The destroy has begun (set just before the ioctl)... */
	atomic_bool destroying;
	/* ...and returned. */
	atomic_bool destroyed;
	/* Iterations each thread finished, to know it saw the aftermath. */
	atomic_uint iters[3];
	/* Outcomes, summed over the rounds. */
	atomic_uint exec_ok, exec_fault, exec_gone, bind_ok, bind_gone, waits;
	pthread_mutex_t lock;
	char error[512];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Threads cannot longjmp out of a subtest: the first failure is kept. */
static void __attribute__((format(printf, 2, 3))) race_fail(struct race *r, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&r->lock);
	if (!r->error[0]) {
		va_start(ap, fmt);
		vsnprintf(r->error, sizeof(r->error), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&r->lock);
	atomic_store(&r->stop, true);
}

/*
 * May an ioctl on the victim, begun when @gone_before was read and ended
 * with @ret, have had that outcome? Success only if the destroy had not
 * returned before it began; -ENOENT only if the destroy had begun by the
 * time it ended. @hits_victim: whether the ioctl names what is destroyed.
 */
static bool outcome_ok(struct race *r, int ret, bool gone_before, bool hits_victim)
{
	if (!hits_victim)
		return ret == 0;
	if (ret == 0)
		return !gone_before;
	return ret == -ENOENT && atomic_load(&r->destroying);
}

static void *exec_thread(void *arg)
{
	struct race *r = arg;

	while (!atomic_load(&r->stop)) {
		/* The extra queue, then queue 0 (which only a VM destroy takes). */
		for (int i = 0; i < 2 && !atomic_load(&r->stop); i++) {
			uint32_t queue = i ? 0 : r->q;
			bool hits = r->victim == VM || queue == r->q;
			bool gone = atomic_load(&r->destroyed);
			struct drm_swgpu_exec e = {
				.submit.vm_id = r->v.id, .submit.queue_id = queue,
				.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT,
				.batch_va = TVM_BATCH_VA, .submit.out_fence_fd = -1,
			};
			int ret = swgpu_exec_ioctl(r->fd, &e), status = 1;

			if (!outcome_ok(r, ret, gone, hits)) {
				race_fail(r, "EXEC on queue %u: %s (destroy %s)\n", queue,
					  ret ? strerror(-ret) : "succeeded",
					  gone ? "returned before" : "not returned");
				break;
			}
			if (ret) {
				atomic_fetch_add(&r->exec_gone, 1);
				/* Refusals are cheap: leave the CPUs to the others. */
				usleep(100);
				continue;
			}
			/* Submitted: it runs to its end, whatever is destroyed. */
			ret = swgpu_fence_wait(e.submit.out_fence_fd, FENCE_TIMEOUT_MS, &status);
			close(e.submit.out_fence_fd);
			if (ret || (status && status != -EFAULT)) {
				race_fail(r, "job %llu on queue %u: wait %d, status %d\n",
					  (unsigned long long)e.submit.seqno, queue, ret, status);
				break;
			}
			atomic_fetch_add(status ? &r->exec_fault : &r->exec_ok, 1);
		}
		atomic_fetch_add(&r->iters[0], 1);
	}
	return NULL;
}

static void *bind_thread(void *arg)
{
	struct race *r = arg;
	bool hits = r->victim == VM;

	while (!atomic_load(&r->stop)) {
		bool gone = atomic_load(&r->destroyed);
		int ret = swgpu_vm_bind(r->fd, r->v.id, r->x, 0, X_VA, X_SIZE, 0);

		if (!outcome_ok(r, ret, gone, hits)) {
			race_fail(r, "VM_BIND map: %s\n", ret ? strerror(-ret) : "succeeded");
			break;
		}
		atomic_fetch_add(ret ? &r->bind_gone : &r->bind_ok, 1);
		if (ret)
			usleep(100);
		gone = atomic_load(&r->destroyed);
		ret = swgpu_vm_unbind(r->fd, r->v.id, X_VA, X_SIZE);
		if (!outcome_ok(r, ret, gone, hits)) {
			race_fail(r, "VM_BIND unmap: %s\n", ret ? strerror(-ret) : "succeeded");
			break;
		}
		atomic_fetch_add(&r->iters[1], 1);
	}
	return NULL;
}

static void *wait_thread(void *arg)
{
	struct race *r = arg;
	unsigned int i = 0;

	/* BOs outlive any VM: their waits never fail for a destroy. */
	while (!atomic_load(&r->stop)) {
		uint32_t handle = i & 1 ? r->x : r->v.scratch.handle;
		int64_t timeout = i & 2 ? 1000000 : 0;
		int ret = swgpu_wait_bo(r->fd, handle, timeout);

		if (ret && ret != (timeout ? -ETIMEDOUT : -EBUSY)) {
			race_fail(r, "WAIT_BO (timeout %lld ns): %s\n",
				  (long long)timeout, strerror(-ret));
			break;
		}
		atomic_fetch_add(&r->waits, 1);
		atomic_fetch_add(&r->iters[2], 1);
		i++;
		/* An idle BO answers at once: do not starve the submitter. */
		usleep(20);
	}
	return NULL;
}

/* Waits until @cond holds or @ms pass; returns @cond. */
#define wait_until(cond, ms) ({ \
	uint64_t __end = now_ms() + (ms); \
	while (!(cond) && now_ms() < __end) \
		usleep(200); \
	(cond); \
})

static void one_round(struct race *r, unsigned int *seed)
{
	void *(*fn[3])(void *) = { exec_thread, bind_thread, wait_thread };
	unsigned int start[3], k = rand_r(seed) % 3;
	pthread_t t[3];
	int ret;

	tvm_init(&r->v, r->fd);
	igt_assert_eq(swgpu_queue_create(r->fd, r->v.id, &r->q), 0);
	igt_assert_eq(swgpu_bo_create(r->fd, X_SIZE, &r->x), 0);
	/* One batch for every job: a store that lands, one that may fault. */
	swgpu_batch_store_dword(tvm_batch(&r->v), TVM_SCRATCH_VA, 0x5eed);
	swgpu_batch_store_dword(&r->v.b, X_VA + 0x40, 0x5eed);
	igt_assert_eq(swgpu_batch_end(&r->v.b), 0);
	atomic_store(&r->stop, false);
	atomic_store(&r->destroying, false);
	atomic_store(&r->destroyed, false);
	for (int i = 0; i < 3; i++)
		atomic_store(&r->iters[i], 0);

	for (int i = 0; i < 3; i++)
		igt_assert_eq(pthread_create(&t[i], NULL, fn[i], r), 0);
	/*
	 * A random moment: after 0 to 2 rounds of the submitter (so that on
	 * a slow kernel too the destroy meets work in flight), plus up to
	 * 3 ms.
	 */
	wait_until(atomic_load(&r->iters[0]) >= k || atomic_load(&r->stop), FENCE_TIMEOUT_MS);
	usleep(rand_r(seed) % 3000);

	atomic_store(&r->destroying, true);
	if (r->victim == VM)
		ret = swgpu_vm_destroy(r->fd, r->v.id);
	else
		ret = swgpu_queue_destroy(r->fd, r->v.id, r->q);
	atomic_store(&r->destroyed, true);

	/* Each thread goes round twice more, meeting the destroyed object. */
	for (int i = 0; i < 3; i++)
		start[i] = atomic_load(&r->iters[i]);
	wait_until((atomic_load(&r->iters[0]) >= start[0] + 2 &&
		    atomic_load(&r->iters[1]) >= start[1] + 2 &&
		    atomic_load(&r->iters[2]) >= start[2] + 2) || atomic_load(&r->stop),
		   FENCE_TIMEOUT_MS);
	atomic_store(&r->stop, true);
	for (int i = 0; i < 3; i++)
		igt_assert_eq(pthread_join(t[i], NULL), 0);

	igt_assert_f(ret == 0, "destroy: %s\n", strerror(-ret));
	igt_assert_f(!r->error[0], "%s", r->error);
	for (int i = 0; i < 3; i++)
		igt_assert_f(atomic_load(&r->iters[i]) >= start[i] + 2,
			     "thread %d made no progress after the destroy\n", i);

	if (r->victim == VM) {
		igt_assert_eq(swgpu_vm_destroy(r->fd, r->v.id), -ENOENT);
		igt_assert_eq(swgpu_queue_destroy(r->fd, r->v.id, r->q), -ENOENT);
		buf_destroy(&r->v.batch);
		buf_destroy(&r->v.scratch);
	} else {
		igt_assert_eq(swgpu_queue_destroy(r->fd, r->v.id, r->q), -ENOENT);
		/* The rest of the VM is untouched. */
		tvm_assert_works(&r->v);
		igt_assert_eq(swgpu_vm_bind(r->fd, r->v.id, r->x, 0, X_VA, X_SIZE, 0), 0);
		tvm_fini(&r->v);
	}
	/* Whatever was left bound goes with the VM: the BO is idle and closes. */
	igt_assert_eq(swgpu_wait_bo(r->fd, r->x, 10ll * 1000 * 1000 * 1000), 0);
	igt_assert_eq(swgpu_bo_close(r->fd, r->x), 0);
}

static void race(struct gpu *g, enum victim victim)
{
	struct race r = { .fd = g->fd, .victim = victim };
	const char *env = getenv("SWGPU_RACES_SEED");
	unsigned int seed = env ? (unsigned int)strtoul(env, NULL, 0) :
		(unsigned int)time(NULL) ^ (unsigned int)getpid() ^ g->slot;
	uint64_t t0 = now_ms();
	unsigned int rounds = 0;
	struct tvm fresh;

	pthread_mutex_init(&r.lock, NULL);
	igt_info("%s: seed %u\n", g->name, seed);
	while (rounds < MAX_ROUNDS &&
	       (rounds < MIN_ROUNDS || now_ms() - t0 < BUDGET_MS)) {
		one_round(&r, &seed);
		rounds++;
	}
	igt_info("%s: %u rounds in %llu ms: jobs %u done, %u faulted, %u execs refused; "
		 "binds %u, %u refused; %u BO waits\n", g->name, rounds,
		 (unsigned long long)(now_ms() - t0), atomic_load(&r.exec_ok),
		 atomic_load(&r.exec_fault), atomic_load(&r.exec_gone),
		 atomic_load(&r.bind_ok), atomic_load(&r.bind_gone), atomic_load(&r.waits));
	/* The threads did race the destroys: work before, refusals after. */
	igt_assert(atomic_load(&r.exec_ok) + atomic_load(&r.exec_fault) > 0);
	igt_assert(atomic_load(&r.exec_gone) >= rounds);
	if (victim == VM)
		igt_assert(atomic_load(&r.bind_gone) >= rounds);
	pthread_mutex_destroy(&r.lock);

	tvm_init(&fresh, g->fd);
	tvm_assert_works(&fresh);
	tvm_fini(&fresh);
}

static void race_queue(struct gpu *g)
{
	race(g, QUEUE);
}

static void race_vm(struct gpu *g)
{
	race(g, VM);
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture
		n = gpus_open(g);

	igt_subtest("queue-destroy")
		each_gpu(g, n, race_queue);
	igt_subtest("vm-destroy")
		each_gpu(g, n, race_vm);

	igt_fixture
		gpus_close(g, n);
}
