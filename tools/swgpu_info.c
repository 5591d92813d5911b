// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_info: list the swgpu GPUs and what they report.
 */
#include <stdio.h>
#include <unistd.h>

#include "swgpu.h"

static const struct {
	uint32_t param;
	const char *name;
} params[] = {
	{ DRM_SWGPU_PARAM_PROFILE, "profile" },
	{ DRM_GMMU_PARAM_COHERENT, "coherent" },
	{ DRM_GMMU_PARAM_VA_BITS, "va_bits" },
	{ DRM_GMMU_PARAM_DMA_BITS, "dma_bits" },
	{ DRM_GMMU_PARAM_PAGE_SIZES, "page_sizes" },
};

int main(void)
{
	int slot, found = 0;

	for (slot = 0; slot < 16; slot++) {
		int fd = swgpu_open(slot, SWGPU_OPEN_RENDER);
		unsigned int i;

		if (fd < 0)
			continue;
		found++;
		printf("swgpu slot %d:", slot);
		for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
			uint64_t v;
			int ret = swgpu_get_param(fd, params[i].param, &v);

			if (ret) {
				printf(" %s=error(%d)", params[i].name, ret);
				continue;
			}
			if (params[i].param == DRM_SWGPU_PARAM_PROFILE)
				printf(" %s=%s", params[i].name, swgpu_profile_name(v));
			else if (params[i].param == DRM_GMMU_PARAM_PAGE_SIZES)
				printf(" %s=%#llx", params[i].name, (unsigned long long)v);
			else
				printf(" %s=%llu", params[i].name, (unsigned long long)v);
		}
		printf("\n");
		close(fd);
	}
	if (!found) {
		fprintf(stderr, "swgpu_info: no swgpu GPU found\n");
		return 1;
	}
	return 0;
}
