// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The job tracepoints (events/drm_gmmu/): a job that completes and one
 * that faults each leave submit, run and complete events, the faulting one
 * a fault event with its address, access and level, all naming the
 * device, VM, queue and seqno; submit and run name the batch too.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swgpu_dfs.h"
#include "swgpu_igt.h"

#define TRACEFS "/sys/kernel/tracing"

static int write_file(const char *name, const char *s)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), TRACEFS "/%s", name);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -errno;
	close(fd);
	return ret;
}

static char *read_trace(void)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	igt_assert(buf);
	fd = open(TRACEFS "/trace", O_RDONLY);
	igt_assert(fd >= 0);
	while ((n = read(fd, buf + len, cap - 1 - len)) > 0) {
		len += n;
		if (len == cap - 1) {
			cap *= 2;
			buf = realloc(buf, cap);
			igt_assert(buf);
		}
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

static void expect(const char *trace, const char *what)
{
	igt_assert_f(strstr(trace, what), "no \"%s\" in the trace\n", what);
}

static void test_job_events(struct gpu *g)
{
	char line[256], dev[64], *trace;
	struct tvm v;

	tvm_init(&v, g->fd);
	/*
	 * No sched_switch probe for command-name recording: enabling it
	 * patches __schedule() while the other CPUs run it, and QEMU TCG
	 * has been seen to trip over that int3 patching (a fatal int3 in
	 * __schedule on the debug kernel). Only drm_gmmu's tracepoints,
	 * which nothing runs meanwhile, are switched.
	 */
	igt_assert_eq(write_file("options/record-cmd", "0"), 0);
	igt_assert_eq(write_file("options/record-tgid", "0"), 0);
	igt_assert_eq(write_file("tracing_on", "0"), 0);
	igt_assert_eq(write_file("trace", ""), 0);
	igt_assert_eq(write_file("events/drm_gmmu/enable", "1"), 0);
	igt_assert_eq(write_file("tracing_on", "1"), 0);

	tvm_assert_works(&v);
	tvm_store_fault(&v, TVM_DATA_VA + 0x9000, DRM_SWGPU_FAULT_WRITE);

	igt_assert_eq(write_file("tracing_on", "0"), 0);
	igt_assert_eq(write_file("events/drm_gmmu/enable", "0"), 0);
	trace = read_trace();
	/* drm_gmmu's events name the device as the kernel does. */
	gpu_dev_name(g, dev, sizeof(dev));
	snprintf(line, sizeof(line),
		 "drm_gmmu_job_submit: dev=%s vm=%u queue=0 seqno=1 deps=0 cmd=0x%llx",
		 dev, v.id, TVM_BATCH_VA);
	expect(trace, line);
	snprintf(line, sizeof(line),
		 "drm_gmmu_job_run: dev=%s vm=%u queue=0 seqno=1 deps=0 cmd=0x%llx",
		 dev, v.id, TVM_BATCH_VA);
	expect(trace, line);
	snprintf(line, sizeof(line), "drm_gmmu_job_complete: dev=%s vm=%u queue=0 seqno=1 error=0",
		 dev, v.id);
	expect(trace, line);
	snprintf(line, sizeof(line),
		 "drm_gmmu_vm_fault: dev=%s vm=%u queue=0 seqno=2 va=0x%llx access=0x%x level=2",
		 dev, v.id, TVM_DATA_VA + 0x9000, DRM_SWGPU_FAULT_WRITE);
	expect(trace, line);
	snprintf(line, sizeof(line), "drm_gmmu_job_complete: dev=%s vm=%u queue=0 seqno=2 error=%d",
		 dev, v.id, -EFAULT);
	expect(trace, line);
	/* A job that completes has no fault event. */
	snprintf(line, sizeof(line), "drm_gmmu_vm_fault: dev=%s vm=%u queue=0 seqno=1 ", dev, v.id);
	igt_assert(!strstr(trace, line));
	free(trace);
	tvm_fini(&v);
}

igt_main
{
	struct gpu gpus[MAX_GPUS];
	struct stat st;
	int n = 0;

	igt_fixture {
		n = gpus_open(gpus);
		if (stat(TRACEFS "/events", &st))
			mount("nodev", TRACEFS, "tracefs", 0, NULL);
		igt_require(stat(TRACEFS "/events/drm_gmmu", &st) == 0);
	}

	igt_subtest("job-events")
		for (int i = 0; i < n; i++)
			test_job_events(&gpus[i]);

	igt_fixture
		gpus_close(gpus, n);
}
