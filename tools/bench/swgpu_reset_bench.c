// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_reset_bench: how long a hang costs an innocent context. With
 * drm_gmmu's job_timeout_ms at TIMEOUT_MS (the engine's watchdog out of
 * the way), a batch of one VM waits forever for a semaphore while another
 * file's VM streams STORE_DWORD jobs, each waited for and its completion
 * time kept. The timeout handler's own clock reading is the error state's
 * time_ns (devcoredump, taken as the timeout fires, CLOCK_MONOTONIC as
 * userspace's), so:
 *
 *   reset_recovery_ms: from the timeout firing to the completion of the
 *   next innocent job (median of ROUNDS);
 *   reset_hung_fence_ms: from the timeout firing to the hung job's fence
 *   seen signalled (with -ETIMEDOUT) between two innocent jobs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "swgpu.h"
#include "bench_stats.h"

#define ROUNDS		5
#define TIMEOUT_MS	300
#define MAX_JOBS	200000
#define BATCH_VA	0x100000ull
#define SCRATCH_VA	0x200000ull
#define TIMEOUT_PARAM	"/sys/module/drm_gmmu/parameters/job_timeout_ms"
#define WATCHDOG_PARAM	"/sys/module/swgpu/parameters/watchdog_ms"
#define DEVCD		"/sys/class/devcoredump"

static uint64_t done_ns[MAX_JOBS];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int param(const char *path, int set)
{
	char s[32] = "";
	int fd, n;

	fd = open(path, set >= 0 ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return -1;
	if (set >= 0)
		n = write(fd, s, snprintf(s, sizeof(s), "%d\n", set)) > 0 ? set : -1;
	else
		n = read(fd, s, sizeof(s) - 1) > 0 ? atoi(s) : -1;
	close(fd);
	return n;
}

/* The devcdN directory of @dev's error state into @dir; 0 if none. */
static int devcd_find(const char *dev, char *dir, size_t len)
{
	char link[PATH_MAX], real[PATH_MAX];
	struct dirent *de;
	int found = 0;
	DIR *d = opendir(DEVCD);

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char *base;

		if (strncmp(de->d_name, "devcd", 5))
			continue;
		snprintf(link, sizeof(link), DEVCD "/%s/failing_device", de->d_name);
		if (!realpath(link, real) || !(base = strrchr(real, '/')))
			continue;
		if (!strcmp(base + 1, dev)) {
			snprintf(dir, len, DEVCD "/%s", de->d_name);
			found = 1;
		}
	}
	closedir(d);
	return found;
}

static void devcd_dismiss(const char *dev)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];
	int i, fd;

	for (i = 0; i < 500 && devcd_find(dev, dir, sizeof(dir)); i++) {
		snprintf(path, sizeof(path), "%s/data", dir);
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			if (write(fd, "1", 1) != 1)
				break;
			close(fd);
		}
		usleep(10000);
	}
}

/* time_ns of @dev's error state, waiting for it; 0 if none came. */
static uint64_t devcd_time(const char *dev)
{
	char dir[PATH_MAX], path[PATH_MAX + 8], line[256];
	uint64_t t = 0;
	FILE *f;
	int i;

	for (i = 0; i < 500 && !devcd_find(dev, dir, sizeof(dir)); i++)
		usleep(10000);
	if (i == 500)
		return 0;
	snprintf(path, sizeof(path), "%s/data", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "time_ns: ", 9))
			t = strtoull(line + 9, NULL, 10);
	fclose(f);
	return t;
}

struct ctx {
	int fd;
	uint32_t vm, bo;
	uint32_t *map;
};

static int ctx_init(struct ctx *c, int fd)
{
	struct swgpu_batch b;
	void *map;
	uint32_t scratch;
	int ret;

	c->fd = fd;
	ret = swgpu_vm_create(fd, &c->vm) ?:
	      swgpu_bo_create(fd, 8192, &c->bo) ?:
	      swgpu_bo_mmap(fd, c->bo, 8192, &map) ?:
	      swgpu_vm_bind(fd, c->vm, c->bo, 0, BATCH_VA, 4096, 0) ?:
	      swgpu_bo_create(fd, 4096, &scratch) ?:
	      swgpu_vm_bind(fd, c->vm, scratch, 0, SCRATCH_VA, 4096, 0);
	if (ret)
		return ret;
	c->map = map;
	swgpu_batch_init(&b, map, BATCH_VA, 4096);
	swgpu_batch_store_dword(&b, SCRATCH_VA, 1);
	return swgpu_batch_end(&b);
}

static int spinner(struct ctx *c, int *fence)
{
	struct swgpu_batch b;

	swgpu_batch_init(&b, c->map, BATCH_VA, 4096);
	swgpu_batch_sem_wait(&b, SCRATCH_VA + 8, 1, ~0ull, SWGPU_SEM_COMPARE_EQ);
	swgpu_batch_end(&b);
	return swgpu_exec(c->fd, c->vm, BATCH_VA, fence, NULL);
}

static int round_once(int fd_hang, int fd_inno, const char *dev, double *rec,
		      double *hung)
{
	struct ctx s, in;
	struct pollfd p;
	uint64_t t_hung = 0, t_fire;
	int fence, status, ret, after = 0;
	unsigned int n = 0, i;

	devcd_dismiss(dev);
	ret = ctx_init(&s, fd_hang) ?: ctx_init(&in, fd_inno) ?: spinner(&s, &fence);
	if (ret)
		return ret;
	p.fd = fence;
	p.events = POLLIN;
	while (n < MAX_JOBS && after < 3) {
		ret = swgpu_exec_wait(in.fd, in.vm, BATCH_VA, 10000, NULL);
		if (ret)
			return ret;
		done_ns[n++] = now_ns();
		if (t_hung)
			after++;
		else if (poll(&p, 1, 0) == 1)
			t_hung = now_ns();
	}
	ret = swgpu_fence_wait(fence, 0, &status);
	close(fence);
	if (ret || status != -ETIMEDOUT || !t_hung)
		return ret ?: -EIO;
	t_fire = devcd_time(dev);
	if (!t_fire)
		return -ENOENT;
	for (i = 0; i < n && done_ns[i] <= t_fire; i++)
		;
	if (i == n)
		return -EIO;
	*rec = (done_ns[i] - t_fire) / 1e6;
	*hung = (t_hung - t_fire) / 1e6;
	devcd_dismiss(dev);
	swgpu_vm_destroy(s.fd, s.vm);
	swgpu_vm_destroy(in.fd, in.vm);
	munmap(s.map, 8192);
	munmap(in.map, 8192);
	return 0;
}

int main(void)
{
	double rec[ROUNDS], hung[ROUNDS];
	int timeout0, watchdog0, fd_hang, fd_inno, r, ret = 0;
	char link[64], real[PATH_MAX], *dev;
	struct stat st;

	fd_hang = swgpu_open(0, SWGPU_OPEN_RENDER);
	fd_inno = swgpu_open(0, SWGPU_OPEN_RENDER);
	if (fd_hang < 0 || fd_inno < 0 || fstat(fd_hang, &st)) {
		fprintf(stderr, "swgpu_reset_bench: no GPU\n");
		return 1;
	}
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(link, real)) {
		fprintf(stderr, "swgpu_reset_bench: %s: %s\n", link, strerror(errno));
		return 1;
	}
	dev = strrchr(real, '/') + 1;
	timeout0 = param(TIMEOUT_PARAM, -1);
	watchdog0 = param(WATCHDOG_PARAM, -1);
	if (timeout0 < 0 || watchdog0 < 0 || param(TIMEOUT_PARAM, TIMEOUT_MS) < 0 ||
	    param(WATCHDOG_PARAM, 60000) < 0) {
		fprintf(stderr, "swgpu_reset_bench: cannot set the timeouts\n");
		return 1;
	}
	for (r = 0; r < ROUNDS && !ret; r++)
		ret = round_once(fd_hang, fd_inno, dev, &rec[r], &hung[r]);
	param(TIMEOUT_PARAM, timeout0);
	param(WATCHDOG_PARAM, watchdog0);
	if (ret) {
		fprintf(stderr, "swgpu_reset_bench: round %d: %s\n", r, strerror(-ret));
		return 1;
	}
	qsort(rec, ROUNDS, sizeof(rec[0]), bench_cmp_double);
	qsort(hung, ROUNDS, sizeof(hung[0]), bench_cmp_double);
	printf("bench reset_recovery_ms %.3f ms\n", rec[ROUNDS / 2]);
	printf("bench reset_hung_fence_ms %.3f ms\n", hung[ROUNDS / 2]);
	close(fd_hang);
	close(fd_inno);
	return 0;
}
