// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_installed_sample: the smallest libswgpu client, built by
 * tools/install-check.sh against an installed tree through pkg-config
 * alone (no path into the source tree) and run in the guest by the check
 * job. Opens the first swgpu GPU and reads two GET_PARAMs.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <swgpu.h>

int main(void)
{
	uint64_t va_bits, profile;
	int fd, ret;

	fd = swgpu_open(-1, SWGPU_OPEN_RENDER);
	if (fd < 0) {
		fprintf(stderr, "installed-sample: no swgpu GPU: %s\n", strerror(-fd));
		return 1;
	}
	ret = swgpu_get_param(fd, DRM_GMMU_PARAM_VA_BITS, &va_bits);
	if (!ret)
		ret = swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &profile);
	close(fd);
	if (ret) {
		fprintf(stderr, "installed-sample: GET_PARAM: %s\n", strerror(-ret));
		return 1;
	}
	printf("installed-sample: profile %s va_bits %llu\n",
	       swgpu_profile_name(profile), (unsigned long long)va_bits);
	return 0;
}
