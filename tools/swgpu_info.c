// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu-info: every gmmu GPU and what it reports, like drm_info.
 *
 *   swgpu-info [--json]
 *
 * For each render node whose driver is on drm_gmmu (today: swgpu), in
 * minor order: node, driver, parent device, every GET_PARAM, the queues a
 * VM can have, and the memory counters of its debugfs directory when
 * readable (root, debugfs mounted). --json prints one object for scripts:
 * {"devices": [{"node": ..., "params": {...}, "memory": {...} | null}]}.
 * Exit status: 0, or 1 if there is no such GPU or a GET_PARAM fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "swgpu.h"

/* Drivers built on drm_gmmu, by their DRM driver name. */
static const char *const gmmu_drivers[] = { "swgpu" };

static const struct {
	uint32_t param;
	const char *name;	/* JSON key */
	const char *label;	/* text output */
} params[] = {
	{ DRM_SWGPU_PARAM_PROFILE, "profile", "profile" },
	{ DRM_SWGPU_PARAM_SLOT, "slot", "hardware slot" },
	{ DRM_GMMU_PARAM_PAGE_SIZES, "page_sizes", "page sizes" },
	{ DRM_GMMU_PARAM_VA_BITS, "va_bits", "GPU VA bits" },
	{ DRM_GMMU_PARAM_DMA_BITS, "dma_bits", "DMA bits" },
	{ DRM_GMMU_PARAM_COHERENT, "coherent", "coherent (snoops)" },
	{ DRM_GMMU_PARAM_MAX_BO_SIZE, "max_bo_size", "max BO size" },
	{ DRM_GMMU_PARAM_BO_CREATE_FLAGS, "bo_create_flags", "BO create flags" },
};
#define NPARAMS (sizeof(params) / sizeof(params[0]))

/* debugfs files of a GPU with "key: number" lines. */
static const char *const mem_files[] = { "gmmu_backing", "gmmu_coherency" };
#define NMEM (sizeof(mem_files) / sizeof(mem_files[0]))
#define MAX_KEYS 16

struct counter {
	char key[48];
	long long value;
};

struct gpu_info {
	char node[32];
	char driver[32];
	char bus[64];
	uint64_t value[NPARAMS];
	int nkeys[NMEM];	/* -1: file not readable */
	struct counter keys[NMEM][MAX_KEYS];
};

static int gmmu_driver(int fd, char *name, size_t len)
{
	drmVersionPtr v = drmGetVersion(fd);
	unsigned int i;
	int ret = 0;

	if (!v)
		return 0;
	for (i = 0; v->name && i < sizeof(gmmu_drivers) / sizeof(gmmu_drivers[0]); i++) {
		if (!strcmp(v->name, gmmu_drivers[i])) {
			snprintf(name, len, "%s", v->name);
			ret = 1;
		}
	}
	drmFreeVersion(v);
	return ret;
}

/* The parent device's name (its PCI address), which names its debugfs dir. */
static void parent_name(int fd, char *name, size_t len)
{
	char path[64], real[PATH_MAX];
	struct stat st;

	snprintf(name, len, "unknown");
	if (fstat(fd, &st))
		return;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	if (realpath(path, real))
		snprintf(name, len, "%s", strrchr(real, '/') + 1);
}

static void read_counters(struct gpu_info *g)
{
	unsigned int f;

	for (f = 0; f < NMEM; f++) {
		char path[PATH_MAX], line[128];
		FILE *fp;

		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%s/%s",
			 g->bus, mem_files[f]);
		g->nkeys[f] = -1;
		fp = fopen(path, "r");
		if (!fp)
			continue;
		g->nkeys[f] = 0;
		while (fgets(line, sizeof(line), fp) && g->nkeys[f] < MAX_KEYS) {
			struct counter *c = &g->keys[f][g->nkeys[f]];
			char *colon = strchr(line, ':'), *end;

			if (!colon || (size_t)(colon - line) >= sizeof(c->key))
				continue;
			*colon = '\0';
			errno = 0;
			c->value = strtoll(colon + 1, &end, 0);
			if (errno || end == colon + 1)
				continue;
			memcpy(c->key, line, colon - line + 1);
			g->nkeys[f]++;
		}
		fclose(fp);
	}
}

static int query(int fd, struct gpu_info *g)
{
	unsigned int i;

	for (i = 0; i < NPARAMS; i++) {
		int ret = swgpu_get_param(fd, params[i].param, &g->value[i]);

		if (ret) {
			fprintf(stderr, "swgpu-info: %s: GET_PARAM %s: %s\n",
				g->node, params[i].name, strerror(-ret));
			return ret;
		}
	}
	parent_name(fd, g->bus, sizeof(g->bus));
	read_counters(g);
	return 0;
}

static uint64_t param(const struct gpu_info *g, uint32_t p)
{
	unsigned int i;

	for (i = 0; i < NPARAMS; i++)
		if (params[i].param == p)
			return g->value[i];
	return 0;
}

static const char *size_str(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;

	while (u < 4 && bytes >= 1024 && !(bytes & 1023)) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)bytes, units[u]);
	return buf;
}

static void print_text(const struct gpu_info *g, int idx)
{
	uint64_t ps = param(g, DRM_GMMU_PARAM_PAGE_SIZES);
	uint64_t fl = param(g, DRM_GMMU_PARAM_BO_CREATE_FLAGS);
	char buf[32];
	unsigned int f, b;

	printf("gpu%d: %s (%s, %s)\n", idx, g->node, g->driver, g->bus);
	printf("  %-20s %s\n", "profile:",
	       swgpu_profile_name(param(g, DRM_SWGPU_PARAM_PROFILE)));
	printf("  %-20s %llu\n", "hardware slot:",
	       (unsigned long long)param(g, DRM_SWGPU_PARAM_SLOT));
	printf("  %-20s", "page sizes:");
	for (b = 0; b < 64; b++)
		if (ps & (1ull << b))
			printf(" %s", size_str(1ull << b, buf, sizeof(buf)));
	printf(" (%#llx)\n", (unsigned long long)ps);
	printf("  %-20s %llu\n", "GPU VA bits:",
	       (unsigned long long)param(g, DRM_GMMU_PARAM_VA_BITS));
	printf("  %-20s %llu\n", "DMA bits:",
	       (unsigned long long)param(g, DRM_GMMU_PARAM_DMA_BITS));
	printf("  %-20s %s\n", "coherent (snoops):",
	       param(g, DRM_GMMU_PARAM_COHERENT) ? "yes" : "no");
	printf("  %-20s %s\n", "max BO size:",
	       size_str(param(g, DRM_GMMU_PARAM_MAX_BO_SIZE), buf, sizeof(buf)));
	printf("  %-20s %#llx%s\n", "BO create flags:", (unsigned long long)fl,
	       fl & DRM_GMMU_BO_CREATE_WC ? " (WC)" : "");
	printf("  %-20s %d\n", "queues per VM:", DRM_SWGPU_MAX_QUEUES);
	for (f = 0; f < NMEM; f++) {
		int k;

		if (g->nkeys[f] < 0) {
			printf("  %-20s not readable (root and debugfs needed)\n",
			       mem_files[f]);
			continue;
		}
		printf("  %s:\n", mem_files[f]);
		for (k = 0; k < g->nkeys[f]; k++)
			printf("    %-18s %lld\n", g->keys[f][k].key,
			       g->keys[f][k].value);
	}
}

static void print_json(const struct gpu_info *g, int n)
{
	int i, k;
	unsigned int p, f, b;

	printf("{\n  \"devices\": [");
	for (i = 0; i < n; i++) {
		uint64_t ps = param(&g[i], DRM_GMMU_PARAM_PAGE_SIZES);
		int any = 0;

		printf("%s\n    {\n", i ? "," : "");
		printf("      \"node\": \"%s\",\n", g[i].node);
		printf("      \"driver\": \"%s\",\n", g[i].driver);
		printf("      \"bus\": \"%s\",\n", g[i].bus);
		printf("      \"profile\": \"%s\",\n",
		       swgpu_profile_name(param(&g[i], DRM_SWGPU_PARAM_PROFILE)));
		printf("      \"params\": {");
		for (p = 0; p < NPARAMS; p++)
			printf("%s\n        \"%s\": %llu", p ? "," : "",
			       params[p].name, (unsigned long long)g[i].value[p]);
		printf("\n      },\n      \"page_sizes\": [");
		for (b = 0; b < 64; b++)
			if (ps & (1ull << b))
				printf("%s%llu", any++ ? ", " : "", 1ull << b);
		printf("],\n      \"queues_per_vm\": %d,\n", DRM_SWGPU_MAX_QUEUES);
		printf("      \"memory\": {");
		for (f = 0; f < NMEM; f++) {
			printf("%s\n        \"%s\": ", f ? "," : "", mem_files[f]);
			if (g[i].nkeys[f] < 0) {
				printf("null");
				continue;
			}
			printf("{");
			for (k = 0; k < g[i].nkeys[f]; k++)
				printf("%s\"%s\": %lld", k ? ", " : "",
				       g[i].keys[f][k].key, g[i].keys[f][k].value);
			printf("}");
		}
		printf("\n      }\n    }");
	}
	printf("\n  ]\n}\n");
}

int main(int argc, char **argv)
{
	struct gpu_info *g = NULL;
	int json = 0, n = 0, minor, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else {
			fprintf(stderr, "usage: swgpu-info [--json]\n");
			return 2;
		}
	}
	for (minor = 128; minor < 192; minor++) {
		struct gpu_info *ng;
		char path[32];
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", minor);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		ng = realloc(g, (n + 1) * sizeof(*g));
		if (!ng) {
			close(fd);
			free(g);
			return 1;
		}
		g = ng;
		memset(&g[n], 0, sizeof(g[n]));
		if (!gmmu_driver(fd, g[n].driver, sizeof(g[n].driver))) {
			close(fd);
			continue;
		}
		snprintf(g[n].node, sizeof(g[n].node), "%s", path);
		if (query(fd, &g[n])) {
			close(fd);
			free(g);
			return 1;
		}
		close(fd);
		n++;
	}
	if (json)
		print_json(g, n);
	else
		for (i = 0; i < n; i++)
			print_text(&g[i], i);
	free(g);
	if (!n) {
		fprintf(stderr, "swgpu-info: no gmmu GPU found\n");
		return 1;
	}
	return 0;
}
