/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * vgem, the kernel's virtual GEM driver, as tests and benchmarks use it: a
 * foreign dma-buf exporter whose fences userspace signals by hand. libdrm
 * does not ship vgem's uapi (include/uapi/drm/vgem_drm.h), so its two
 * ioctls are declared here, with the same layout.
 */
#ifndef VGEM_H
#define VGEM_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <drm.h>

/* DRM_IOCTL_VGEM_FENCE_ATTACH: a fence on a BO, unsignalled. */
struct vgem_fence_attach {
	__u32 handle;
	__u32 flags;		/* VGEM_FENCE_WRITE: as a writer */
	__u32 out_fence;	/* out: the fence's id, for the signal */
	__u32 pad;
};

/* DRM_IOCTL_VGEM_FENCE_SIGNAL: signal an attached fence. */
struct vgem_fence_signal {
	__u32 fence;
	__u32 flags;
};

#define VGEM_FENCE_WRITE	0x1
#define DRM_IOCTL_VGEM_FENCE_ATTACH \
	DRM_IOWR(DRM_COMMAND_BASE + 0x1, struct vgem_fence_attach)
#define DRM_IOCTL_VGEM_FENCE_SIGNAL \
	DRM_IOW(DRM_COMMAND_BASE + 0x2, struct vgem_fence_signal)

/* The first DRM card whose driver is vgem, or -1. */
static inline int vgem_open(void)
{
	char path[64], name[16];
	struct drm_version v;
	int i, fd;

	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(&v, 0, sizeof(v));
		memset(name, 0, sizeof(name));
		v.name = name;
		v.name_len = sizeof(name) - 1;
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	return -1;
}

#endif /* VGEM_H */
