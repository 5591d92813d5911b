// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu-info: every gmmu GPU and what it reports, like drm_info.
 *
 *   swgpu-info [--json]
 *
 * For each render node whose driver is on drm_gmmu (swgpu and jdgpu: the
 * table drivers[] below, one entry a driver), in minor order: node,
 * driver, parent device, the driver's own GET_PARAM parameters (swgpu:
 * profile and hardware slot; jdgpu: PCI slot and the longest descriptor
 * chain), drm_gmmu's shared ones (page sizes, VA and DMA bits, coherency,
 * page-table format, address-space slots, ...), each through the driver's
 * own ioctl numbers (its struct gmmu_ioctls), the queues a VM can have,
 * and, when its debugfs directory is readable (root, debugfs mounted), the
 * slots' owners and steal counts (gmmu_slots) and the memory counters.
 * --json prints one object for scripts: {"devices": [{"node": ...,
 * "params": {...}, "driver_params": {...}, "format": ..., "slots": {...},
 * "memory": {...}}]}, with null for what is not readable.
 * Exit status: 0, or 1 if there is no such GPU or a GET_PARAM fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "jdgpu.h"
#include "swgpu.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/**
 * struct info_param - a GET_PARAM parameter as swgpu-info shows it
 * @param: its number
 * @name: its JSON key
 * @label: its text label
 * @str: NULL, or its value's name: printed in place of the number, and
 *	in JSON as a string under @name beside "params" (swgpu's "profile")
 */
struct info_param {
	uint32_t param;
	const char *name;
	const char *label;
	const char *(*str)(uint64_t value);
};

/* drm_gmmu's parameters, which every driver on it reports. */
static const struct info_param params[] = {
	{ DRM_GMMU_PARAM_PAGE_SIZES, "page_sizes", "page sizes", NULL },
	{ DRM_GMMU_PARAM_VA_BITS, "va_bits", "GPU VA bits", NULL },
	{ DRM_GMMU_PARAM_DMA_BITS, "dma_bits", "DMA bits", NULL },
	{ DRM_GMMU_PARAM_COHERENT, "coherent", "coherent (snoops)", NULL },
	{ DRM_GMMU_PARAM_MAX_BO_SIZE, "max_bo_size", "max BO size", NULL },
	{ DRM_GMMU_PARAM_BO_CREATE_FLAGS, "bo_create_flags", "BO create flags", NULL },
	{ DRM_GMMU_PARAM_AS_SLOTS, "as_slots", "address-space slots", NULL },
	{ DRM_GMMU_PARAM_PT_FORMAT, "pt_format", "page-table format", NULL },
};
#define NPARAMS ARRAY_SIZE(params)

static const struct info_param swgpu_params[] = {
	{ DRM_SWGPU_PARAM_PROFILE, "profile", "profile", swgpu_profile_name },
	{ DRM_SWGPU_PARAM_SLOT, "slot", "hardware slot", NULL },
};

static const struct info_param jdgpu_params[] = {
	{ DRM_JDGPU_PARAM_PCI_SLOT, "pci_slot", "PCI slot", NULL },
	{ DRM_JDGPU_PARAM_MAX_CHAIN, "max_chain", "descriptors per job", NULL },
};

#define MAX_DRIVER_PARAMS 4

/**
 * struct info_driver - what swgpu-info knows of one driver on drm_gmmu
 * @io: its ioctl numbers and DRM driver name (lib/gmmu.h)
 * @params: its own GET_PARAM parameters, @nparams of them
 * @nparams: entries of @params, at most MAX_DRIVER_PARAMS
 * @queues_per_vm: the queues one of its VMs can have (its uapi's constant)
 */
struct info_driver {
	const struct gmmu_ioctls *io;
	const struct info_param *params;
	unsigned int nparams;
	int queues_per_vm;
};

static const struct info_driver drivers[] = {
	{ &swgpu_gmmu_ioctls, swgpu_params, ARRAY_SIZE(swgpu_params),
	  DRM_SWGPU_MAX_QUEUES },
	{ &jdgpu_gmmu_ioctls, jdgpu_params, ARRAY_SIZE(jdgpu_params),
	  DRM_JDGPU_MAX_QUEUES },
};

/* debugfs files of a GPU with "key: number" lines. */
static const char *const mem_files[] = { "gmmu_backing", "gmmu_coherency" };
#define NMEM ARRAY_SIZE(mem_files)
#define MAX_KEYS 16

/* enum drm_gmmu_pt_format by number: iommu-ctx's names of the formats. */
static const char *const pt_formats[] = {
	[DRM_GMMU_PT_FORMAT_X86_48] = "x86-48",
	[DRM_GMMU_PT_FORMAT_X86_32] = "x86-32",
	[DRM_GMMU_PT_FORMAT_LPAE_40] = "lpae-40",
};

struct counter {
	char key[48];
	long long value;
};

/* One line "slotN: owner O busy B steals S" of gmmu_slots. */
struct slot_line {
	unsigned int slot;
	unsigned long long owner, busy, steals;
};

#define MAX_SLOT_LINES 64

struct gpu_info {
	char node[32];
	const struct info_driver *drv;
	char bus[64];
	char dfs[PATH_MAX];	/* its debugfs directory, "" if unknown */
	uint64_t value[NPARAMS];
	uint64_t drv_value[MAX_DRIVER_PARAMS];
	int nkeys[NMEM];	/* -1: file not readable */
	struct counter keys[NMEM][MAX_KEYS];
	int nslot_keys;		/* gmmu_slots' counters; -1: not readable */
	struct counter slot_keys[MAX_KEYS];
	int nslots;
	struct slot_line slots[MAX_SLOT_LINES];
};

/* The driver of @fd if it is one of drivers[], else NULL. */
static const struct info_driver *gmmu_driver(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	const struct info_driver *drv = NULL;
	unsigned int i;

	if (!v)
		return NULL;
	for (i = 0; v->name && i < ARRAY_SIZE(drivers); i++)
		if (!strcmp(v->name, drivers[i].io->driver))
			drv = &drivers[i];
	drmFreeVersion(v);
	return drv;
}

/* The GPU's debugfs directory and its parent device's name (PCI address). */
static void parent_name(int fd, struct gpu_info *g)
{
	snprintf(g->bus, sizeof(g->bus), "unknown");
	if (!gmmu_debugfs_dir(fd, g->dfs, sizeof(g->dfs)))
		snprintf(g->bus, sizeof(g->bus), "%s", strrchr(g->dfs, '/') + 1);
}

/* "key: number" lines of @path into @keys; -1 if it cannot be read. */
static int read_keys(const char *path, struct counter *keys,
		     struct slot_line *slots, int *nslots)
{
	char line[128];
	int n = 0;
	FILE *fp;

	fp = fopen(path, "r");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		struct counter *c = &keys[n];
		char *colon = strchr(line, ':'), *end;
		struct slot_line sl;

		if (slots && *nslots < MAX_SLOT_LINES &&
		    sscanf(line, "slot%u: owner %llu busy %llu steals %llu",
			   &sl.slot, &sl.owner, &sl.busy, &sl.steals) == 4) {
			slots[(*nslots)++] = sl;
			continue;
		}
		if (n == MAX_KEYS || !colon || (size_t)(colon - line) >= sizeof(c->key))
			continue;
		*colon = '\0';
		errno = 0;
		c->value = strtoll(colon + 1, &end, 0);
		if (errno || end == colon + 1)
			continue;
		memcpy(c->key, line, colon - line + 1);
		n++;
	}
	fclose(fp);
	return n;
}

static void read_counters(struct gpu_info *g)
{
	char path[PATH_MAX + 32];
	unsigned int f;

	for (f = 0; f < NMEM; f++) {
		snprintf(path, sizeof(path), "%s/%s", g->dfs, mem_files[f]);
		g->nkeys[f] = read_keys(path, g->keys[f], NULL, NULL);
	}
	snprintf(path, sizeof(path), "%s/gmmu_slots", g->dfs);
	g->nslot_keys = read_keys(path, g->slot_keys, g->slots, &g->nslots);
}

/* @n parameters of @p into @value, with the driver's ioctl numbers. */
static int query_params(int fd, const struct gpu_info *g,
			const struct info_param *p, unsigned int n,
			uint64_t *value)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		int ret = gmmu_get_param(g->drv->io, fd, p[i].param, &value[i]);

		if (ret) {
			fprintf(stderr, "swgpu-info: %s: GET_PARAM %s: %s\n",
				g->node, p[i].name, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int query(int fd, struct gpu_info *g)
{
	int ret;

	ret = query_params(fd, g, g->drv->params, g->drv->nparams, g->drv_value);
	if (!ret)
		ret = query_params(fd, g, params, NPARAMS, g->value);
	if (ret)
		return ret;
	parent_name(fd, g);
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

static const char *pt_format_name(const struct gpu_info *g)
{
	uint64_t f = param(g, DRM_GMMU_PARAM_PT_FORMAT);

	if (f < ARRAY_SIZE(pt_formats) && pt_formats[f])
		return pt_formats[f];
	return "unknown";
}

static void print_keys(const struct counter *keys, int n, const char *indent)
{
	int k;

	for (k = 0; k < n; k++)
		printf("%s%-18s %lld\n", indent, keys[k].key, keys[k].value);
}

static void print_text(const struct gpu_info *g, int idx)
{
	uint64_t ps = param(g, DRM_GMMU_PARAM_PAGE_SIZES);
	uint64_t fl = param(g, DRM_GMMU_PARAM_BO_CREATE_FLAGS);
	char buf[32], label[32];
	unsigned int f, b, p;
	int k, idle;

	printf("gpu%d: %s (%s, %s)\n", idx, g->node, g->drv->io->driver, g->bus);
	for (p = 0; p < g->drv->nparams; p++) {
		const struct info_param *dp = &g->drv->params[p];

		snprintf(label, sizeof(label), "%s:", dp->label);
		if (dp->str)
			printf("  %-20s %s\n", label, dp->str(g->drv_value[p]));
		else
			printf("  %-20s %llu\n", label,
			       (unsigned long long)g->drv_value[p]);
	}
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
	printf("  %-20s %s (%llu)\n", "page-table format:", pt_format_name(g),
	       (unsigned long long)param(g, DRM_GMMU_PARAM_PT_FORMAT));
	printf("  %-20s %s\n", "max BO size:",
	       size_str(param(g, DRM_GMMU_PARAM_MAX_BO_SIZE), buf, sizeof(buf)));
	printf("  %-20s %#llx%s\n", "BO create flags:", (unsigned long long)fl,
	       fl & DRM_GMMU_BO_CREATE_WC ? " (WC)" : "");
	printf("  %-20s %d\n", "queues per VM:", g->drv->queues_per_vm);
	printf("  %-20s %llu\n", "address-space slots:",
	       (unsigned long long)param(g, DRM_GMMU_PARAM_AS_SLOTS));
	if (g->nslot_keys < 0) {
		printf("  %-20s not readable (root and debugfs needed)\n",
		       "gmmu_slots");
	} else {
		printf("  gmmu_slots:\n");
		print_keys(g->slot_keys, g->nslot_keys, "    ");
		/* Slots bound or ever taken over, then how many never were. */
		for (k = 0, idle = 0; k < g->nslots; k++) {
			const struct slot_line *sl = &g->slots[k];

			snprintf(buf, sizeof(buf), "slot%u:", sl->slot);
			if (sl->owner)
				printf("    %-18s context %llu, %llu jobs on it, taken over %llu times\n",
				       buf, sl->owner, sl->busy, sl->steals);
			else if (sl->steals)
				printf("    %-18s free, taken over %llu times\n",
				       buf, sl->steals);
			else
				idle++;
		}
		if (idle)
			printf("    %-18s %d free, never taken over\n",
			       idle == g->nslots ? "every slot:" : "other slots:", idle);
	}
	for (f = 0; f < NMEM; f++) {
		if (g->nkeys[f] < 0) {
			printf("  %-20s not readable (root and debugfs needed)\n",
			       mem_files[f]);
			continue;
		}
		printf("  %s:\n", mem_files[f]);
		print_keys(g->keys[f], g->nkeys[f], "    ");
	}
}

/* {"key": value, ...} of @n counters; null for a file not readable. */
static void json_keys(const struct counter *keys, int n)
{
	int k;

	if (n < 0) {
		printf("null");
		return;
	}
	printf("{");
	for (k = 0; k < n; k++)
		printf("%s\"%s\": %lld", k ? ", " : "", keys[k].key, keys[k].value);
	printf("}");
}

static void json_slots(const struct gpu_info *g)
{
	int k;

	printf("      \"slots\": {\n        \"count\": %llu,\n        \"debugfs\": ",
	       (unsigned long long)param(g, DRM_GMMU_PARAM_AS_SLOTS));
	if (g->nslot_keys < 0) {
		printf("null\n      },\n");
		return;
	}
	json_keys(g->slot_keys, g->nslot_keys);
	printf(",\n        \"per_slot\": [");
	for (k = 0; k < g->nslots; k++)
		printf("%s\n          {\"slot\": %u, \"owner\": %llu, \"busy\": %llu, \"steals\": %llu}",
		       k ? "," : "", g->slots[k].slot, g->slots[k].owner,
		       g->slots[k].busy, g->slots[k].steals);
	printf("\n        ]\n      },\n");
}

/* "key": value of @n parameters, after @sep. */
static void json_params(const struct info_param *p, unsigned int n,
			const uint64_t *value, const char *sep)
{
	unsigned int i;

	for (i = 0; i < n; i++, sep = ",")
		printf("%s\n        \"%s\": %llu", sep, p[i].name,
		       (unsigned long long)value[i]);
}

static void print_json(const struct gpu_info *g, int n)
{
	int i, any;
	unsigned int p, f, b;

	printf("{\n  \"devices\": [");
	for (i = 0; i < n; i++) {
		const struct info_driver *drv = g[i].drv;
		uint64_t ps = param(&g[i], DRM_GMMU_PARAM_PAGE_SIZES);

		printf("%s\n    {\n", i ? "," : "");
		printf("      \"node\": \"%s\",\n", g[i].node);
		printf("      \"driver\": \"%s\",\n", drv->io->driver);
		printf("      \"bus\": \"%s\",\n", g[i].bus);
		for (p = 0; p < drv->nparams; p++)
			if (drv->params[p].str)
				printf("      \"%s\": \"%s\",\n", drv->params[p].name,
				       drv->params[p].str(g[i].drv_value[p]));
		printf("      \"format\": \"%s\",\n", pt_format_name(&g[i]));
		/* Every GET_PARAM value, then the driver's own again apart. */
		printf("      \"params\": {");
		json_params(drv->params, drv->nparams, g[i].drv_value, "");
		json_params(params, NPARAMS, g[i].value, drv->nparams ? "," : "");
		printf("\n      },\n      \"driver_params\": {");
		json_params(drv->params, drv->nparams, g[i].drv_value, "");
		printf("\n      },\n      \"page_sizes\": [");
		for (b = 0, any = 0; b < 64; b++)
			if (ps & (1ull << b))
				printf("%s%llu", any++ ? ", " : "", 1ull << b);
		printf("],\n      \"queues_per_vm\": %d,\n", drv->queues_per_vm);
		json_slots(&g[i]);
		printf("      \"memory\": {");
		for (f = 0; f < NMEM; f++) {
			printf("%s\n        \"%s\": ", f ? "," : "", mem_files[f]);
			json_keys(g[i].keys[f], g[i].nkeys[f]);
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
		g[n].drv = gmmu_driver(fd);
		if (!g[n].drv) {
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
