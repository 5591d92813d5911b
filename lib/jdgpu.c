// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * libjdgpu: jdgpu's numbers, descriptor chains and SUBMIT.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "jdgpu.h"

const struct gmmu_ioctls jdgpu_gmmu_ioctls = {
	.driver = "jdgpu",
	.slot_param = DRM_JDGPU_PARAM_PCI_SLOT,
	.get_param = DRM_IOCTL_JDGPU_GET_PARAM,
	.bo_create = DRM_IOCTL_JDGPU_BO_CREATE,
	.bo_mmap_offset = DRM_IOCTL_JDGPU_BO_MMAP_OFFSET,
	.vm_create = DRM_IOCTL_JDGPU_VM_CREATE,
	.vm_destroy = DRM_IOCTL_JDGPU_VM_DESTROY,
	.vm_bind = DRM_IOCTL_JDGPU_VM_BIND,
	.wait_bo = DRM_IOCTL_JDGPU_WAIT_BO,
	.vm_read_faults = DRM_IOCTL_JDGPU_VM_READ_FAULTS,
	.queue_create = DRM_IOCTL_JDGPU_QUEUE_CREATE,
	.queue_destroy = DRM_IOCTL_JDGPU_QUEUE_DESTROY,
};

int jdgpu_open(int slot, int primary)
{
	return gmmu_open(&jdgpu_gmmu_ioctls, slot, primary);
}

void jdgpu_chain_init(struct jdgpu_chain *c, void *map, uint64_t va,
		      uint64_t size)
{
	c->map = map;
	c->va = va;
	c->cap = size / sizeof(struct jdgpu_desc);
	c->len = 0;
	c->error = 0;
}

int jdgpu_chain_add(struct jdgpu_chain *c, const struct jdgpu_desc *d)
{
	if (c->error || c->len == c->cap)
		return c->error = -ENOSPC;
	c->map[c->len] = *d;
	c->map[c->len].next = 0;
	if (c->len)
		c->map[c->len - 1].next = c->va + c->len * sizeof(*d);
	c->len++;
	return 0;
}

int jdgpu_chain_op(struct jdgpu_chain *c, uint32_t opcode, uint64_t dst,
		   uint64_t src, uint64_t len, uint64_t value)
{
	struct jdgpu_desc d = {
		.opcode = opcode,
		.src = src,
		.dst = dst,
		.len = len,
		.value = value,
	};

	return jdgpu_chain_add(c, &d);
}

int jdgpu_submit(int fd, struct drm_jdgpu_submit *args)
{
	return drmIoctl(fd, DRM_IOCTL_JDGPU_SUBMIT, args) ? -errno : 0;
}

int jdgpu_run(int fd, uint32_t vm_id, uint64_t desc_va, int timeout_ms)
{
	struct drm_jdgpu_submit s = {
		.submit.vm_id = vm_id,
		.submit.flags = DRM_GMMU_SUBMIT_FENCE_OUT,
		.submit.out_fence_fd = -1,
		.desc_va = desc_va,
	};
	int status = 0, ret;

	ret = jdgpu_submit(fd, &s);
	if (ret)
		return ret;
	ret = gmmu_fence_wait(s.submit.out_fence_fd, timeout_ms, &status);
	close(s.submit.out_fence_fd);
	return ret ? ret : status;
}
