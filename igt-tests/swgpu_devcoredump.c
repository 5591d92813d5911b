// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * Error state (Documentation/robustness.rst): after a planted GPU fault
 * and a planted hang, the GPU's devcoredump (/sys/class/devcoredump/
 * devcdN/data, its failing_device the GPU) holds the context (VM id, pid),
 * the job (queue, seqno, batch), the fault's address and access, the
 * VM's fault ring, the hardware's registers and the failing command's
 * own dwords read back through the VM; writing to it dismisses it. While
 * one is held a new event takes none (the rate limit), and the next one
 * after the dismissal does. On a kernel without devcoredump (the debug
 * lane's), the same through the device's debugfs file gmmu_error_state.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "swgpu_dfs.h"
#include "swgpu_igt.h"

#define DEVCD_CLASS	"/sys/class/devcoredump"
#define DUMP_MAX	(64 * 1024)
#define FAULT_VA	0x40000000ull
#define SEM_OFF		8

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Without devcoredump: each GPU's debugfs directory by device name, and
 * the error state is its gmmu_error_state file, empty while it has none.
 */
static bool use_debugfs;
static struct {
	char dev[256];
	struct dfs d;
} es_gpus[MAX_GPUS];
static const char *es_file = "data";

static int debugfs_find(const char *dev, char *dir, size_t len)
{
	char path[PATH_MAX + 32], c;
	int i, fd, n = 0;

	for (i = 0; i < MAX_GPUS && strcmp(es_gpus[i].dev, dev); i++)
		;
	igt_assert_f(i < MAX_GPUS, "%s: not a GPU under test\n", dev);
	snprintf(path, sizeof(path), "%s/gmmu_error_state", es_gpus[i].d.dir);
	fd = open(path, O_RDONLY);
	igt_assert_f(fd >= 0, "%s: %m\n", path);
	n = read(fd, &c, 1);
	close(fd);
	snprintf(dir, len, "%s", es_gpus[i].d.dir);
	return n == 1;
}

/* The devcdN directory of @dev's error state, or 0 if it has none. */
static int devcd_find(const char *dev, char *dir, size_t len)
{
	char link[PATH_MAX], real[PATH_MAX];
	struct dirent *de;
	int found = 0;
	DIR *d;

	if (use_debugfs)
		return debugfs_find(dev, dir, len);
	d = opendir(DEVCD_CLASS);
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		const char *base;

		if (strncmp(de->d_name, "devcd", 5))
			continue;
		snprintf(link, sizeof(link), DEVCD_CLASS "/%s/failing_device",
			 de->d_name);
		if (!realpath(link, real))
			continue;
		base = strrchr(real, '/');
		if (base && !strcmp(base + 1, dev)) {
			snprintf(dir, len, DEVCD_CLASS "/%s", de->d_name);
			found = 1;
		}
	}
	closedir(d);
	return found;
}

/* Dismiss @dev's error state, if any, and wait until it is gone. */
static void devcd_dismiss(const char *dev)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];
	int i, fd;

	for (i = 0; i < 500 && devcd_find(dev, dir, sizeof(dir)); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, es_file);
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			igt_assert_eq(write(fd, "1", 1), 1);
			close(fd);
		}
		sleep_ms(10);
	}
	igt_assert_f(!devcd_find(dev, dir, sizeof(dir)),
		     "%s: error state not dismissed\n", dev);
}

/* Wait for @dev's error state and read it whole into @buf. */
static size_t devcd_read(const char *dev, char *buf, size_t size)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];
	size_t len = 0;
	ssize_t n;
	int i, fd;

	for (i = 0; i < 1000 && !devcd_find(dev, dir, sizeof(dir)); i++)
		sleep_ms(10);
	igt_assert_f(devcd_find(dev, dir, sizeof(dir)),
		     "%s: no error state in %s\n", dev,
		     use_debugfs ? "debugfs" : DEVCD_CLASS);
	snprintf(path, sizeof(path), "%s/%s", dir, es_file);
	fd = open(path, O_RDONLY);
	igt_assert_f(fd >= 0, "%s: %m\n", path);
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	igt_assert_f(len > 0 && len < size - 1, "%s: %zu bytes\n", path, len);
	return len;
}

static void assert_line(const char *dump, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* @dump has a line that starts with the formatted text. */
static void assert_line(const char *dump, const char *fmt, ...)
{
	char want[256];
	const char *p = dump;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	n = strlen(want);
	for (; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, want, n))
			return;
	igt_assert_f(0, "error state has no line \"%s\":\n%s\n", want, dump);
}

/* The dwords of a command at @off bytes into @v's batch, as the dump shows them. */
static void cmd_text(struct tvm *v, uint64_t off, unsigned int n, char *s, size_t len)
{
	const uint32_t *dw = (const uint32_t *)((const char *)v->batch.map + off);
	size_t at = snprintf(s, len, "command:");

	for (unsigned int i = 0; i < n; i++)
		at += snprintf(s + at, len - at, " %08x", dw[i]);
}

/* Lines every error state has, of @v's job @seqno on queue 0. */
static void assert_common(const char *dump, struct tvm *v, uint64_t seqno,
			  uint64_t cmd_off, unsigned int cmd_len)
{
	char cmd[128];

	assert_line(dump, "drm_gmmu error state");
	assert_line(dump, "driver: swgpu");
	assert_line(dump, "vm: %u\n", v->id);
	assert_line(dump, "pid: %d\n", getpid());
	assert_line(dump, "queue: 0\n");
	assert_line(dump, "seqno: %llu\n", (unsigned long long)seqno);
	assert_line(dump, "batch_va: 0x%llx\n", (unsigned long long)TVM_BATCH_VA);
	assert_line(dump, "command_va: 0x%llx\n",
		    (unsigned long long)(TVM_BATCH_VA + cmd_off));
	cmd_text(v, cmd_off, cmd_len, cmd, sizeof(cmd));
	assert_line(dump, "%s", cmd);
	assert_line(dump, " PC: 0x%llx\n", (unsigned long long)(TVM_BATCH_VA + cmd_off));
	assert_line(dump, " MMU_ROOT: 0x");
	assert_line(dump, ">0x%016llx:", (unsigned long long)((TVM_BATCH_VA + cmd_off) & ~15ull));
	assert_line(dump, "end\n");
}

/*
 * Two good STORE_DWORDs, then one to an address nothing maps: returns the
 * job's seqno, the offset of the faulting command in *@off.
 */
static uint64_t plant_fault(struct tvm *v, uint64_t va, uint64_t *off)
{
	struct swgpu_batch *b = tvm_batch(v);
	uint64_t seqno;

	swgpu_batch_store_dword(b, TVM_SCRATCH_VA, 1);
	swgpu_batch_store_dword(b, TVM_SCRATCH_VA + 4, 2);
	*off = b->len * 4;
	swgpu_batch_store_dword(b, va, 0xfa17fa17);
	igt_assert_eq(tvm_run(v, &seqno), -EFAULT);
	return seqno;
}

static void test_fault(struct gpu *g)
{
	char dev[256], *dump = malloc(DUMP_MAX);
	struct tvm v;
	struct dfs d;
	uint64_t seqno, off;
	long long captured;

	igt_assert(dump);
	gpu_dev_name(g, dev, sizeof(dev));
	dfs_init(&d, g);
	devcd_dismiss(dev);
	captured = dfs_value(&d, "gmmu_coredump", "captured");
	tvm_init(&v, g->fd);

	seqno = plant_fault(&v, FAULT_VA, &off);
	devcd_read(dev, dump, DUMP_MAX);
	igt_debug("%s\n", dump);
	assert_common(dump, &v, seqno, off, 4);
	assert_line(dump, "kind: fault\n");
	assert_line(dump, "fault_va: 0x%llx\n", (unsigned long long)FAULT_VA);
	assert_line(dump, "fault_access: 0x%x\n", DRM_SWGPU_FAULT_WRITE);
	assert_line(dump, "fault_level: 2\n");
	assert_line(dump, "fault_ring: 1\n");
	assert_line(dump, " fault va 0x%llx access 0x%x level 2 queue 0 seqno %llu",
		    (unsigned long long)FAULT_VA, DRM_SWGPU_FAULT_WRITE,
		    (unsigned long long)seqno);
	assert_line(dump, " FAULT_VA: 0x%llx\n", (unsigned long long)FAULT_VA);
	assert_line(dump, " LAST_STATUS: 0x%x\n", (uint32_t)-EFAULT);
	assert_line(dump, "banned: 0\n");
	igt_assert_eq(dfs_value(&d, "gmmu_coredump", "captured"), captured + 1);

	devcd_dismiss(dev);
	tvm_assert_works(&v);
	tvm_fini(&v);
	free(dump);
}

static void test_hang(struct gpu *g)
{
	char dev[256], *dump = malloc(DUMP_MAX);
	struct swgpu_batch *b;
	struct tvm v;
	uint64_t seqno, off;

	igt_assert(dump);
	gpu_dev_name(g, dev, sizeof(dev));
	job_timeout_set(1000);
	watchdog_set(60000);
	devcd_dismiss(dev);
	/* Queues take the timeout when their VM is created. */
	tvm_init(&v, g->fd);

	b = tvm_batch(&v);
	swgpu_batch_store_dword(b, TVM_SCRATCH_VA, 1);
	off = b->len * 4;
	swgpu_batch_sem_wait(b, TVM_SCRATCH_VA + SEM_OFF, 1, ~0ull,
			     SWGPU_SEM_COMPARE_EQ);
	igt_assert_eq(tvm_run(&v, &seqno), -ETIMEDOUT);

	devcd_read(dev, dump, DUMP_MAX);
	igt_debug("%s\n", dump);
	assert_common(dump, &v, seqno, off, SWGPU_CMD_SEMAPHORE_WAIT_LEN);
	assert_line(dump, "kind: hang\n");
	assert_line(dump, " ACTIVE_BATCH: 0x%llx\n", (unsigned long long)TVM_BATCH_VA);
	assert_line(dump, " RING_BUSY: 0x1\n");
	assert_line(dump, "fault_ring: 0\n");

	devcd_dismiss(dev);
	tvm_fini(&v);
	watchdog_restore();
	job_timeout_restore();
	free(dump);
}

/* One error state at a time: the first is kept until dismissed. */
static void test_rate_limit(struct gpu *g)
{
	char dev[256], *dump = malloc(DUMP_MAX);
	uint64_t off, seqno;
	long long skipped;
	struct tvm v;
	struct dfs d;

	igt_assert(dump);
	gpu_dev_name(g, dev, sizeof(dev));
	dfs_init(&d, g);
	devcd_dismiss(dev);
	tvm_init(&v, g->fd);

	plant_fault(&v, FAULT_VA, &off);
	devcd_read(dev, dump, DUMP_MAX);
	assert_line(dump, "fault_va: 0x%llx\n", (unsigned long long)FAULT_VA);
	skipped = dfs_value(&d, "gmmu_coredump", "skipped");
	for (int i = 1; i <= 4; i++)
		plant_fault(&v, FAULT_VA + i * 0x10000, &off);
	igt_assert_eq(dfs_value(&d, "gmmu_coredump", "skipped"), skipped + 4);
	devcd_read(dev, dump, DUMP_MAX);
	assert_line(dump, "fault_va: 0x%llx\n", (unsigned long long)FAULT_VA);

	devcd_dismiss(dev);
	seqno = plant_fault(&v, FAULT_VA + 0x100000, &off);
	devcd_read(dev, dump, DUMP_MAX);
	assert_line(dump, "fault_va: 0x%llx\n", (unsigned long long)(FAULT_VA + 0x100000));
	assert_line(dump, "seqno: %llu\n", (unsigned long long)seqno);
	/* The ring still holds the earlier faults nobody read. */
	assert_line(dump, "fault_ring: 6\n");
	devcd_dismiss(dev);
	tvm_fini(&v);
	free(dump);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	int n = 0;

	igt_fixture {
		n = gpus_open(gpus);
		use_debugfs = access(DEVCD_CLASS, F_OK) != 0;
		if (use_debugfs) {
			igt_info("no " DEVCD_CLASS ": error states in debugfs\n");
			es_file = "gmmu_error_state";
		}
		for (int i = 0; i < n; i++) {
			gpu_dev_name(&gpus[i], es_gpus[i].dev,
				     sizeof(es_gpus[i].dev));
			dfs_init(&es_gpus[i].d, &gpus[i]);
		}
	}

	igt_subtest("fault")
		each_gpu(gpus, n, test_fault);
	igt_subtest("hang")
		each_gpu(gpus, n, test_hang);
	igt_subtest("rate-limit")
		each_gpu(gpus, n, test_rate_limit);

	igt_fixture
		gpus_close(gpus, n);
}
