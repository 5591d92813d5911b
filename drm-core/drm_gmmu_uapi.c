// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: uapi rules helpers
 *
 * Helpers that make every driver's ioctls follow Documentation/uapi-rules.rst
 * the same way.
 */
#include <linux/export.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_gmmu.h>
#include <drm/gmmu_drm.h>

/**
 * drm_gmmu_user_ext_walk - walk an ioctl's chain of user extensions
 * @extensions: the ioctl's ``extensions`` field: 0 or a user pointer
 * @handlers: the extension names this ioctl accepts, may be NULL if none
 * @count: number of entries in @handlers
 * @data: passed to each handler
 *
 * Reads each &struct drm_gmmu_user_extension header, rejects non-zero
 * header flags and unknown names, and calls the matching handler, which reads
 * its own payload. A chain is at most %DRM_GMMU_MAX_EXTENSIONS long, which
 * also ends loops.
 *
 * Return: 0, -EFAULT for an unreadable header, -EINVAL for bad flags or an
 * unknown name, -E2BIG for a chain that is too long, -EINTR if a signal is
 * pending, or the first error a handler returns.
 */
int drm_gmmu_user_ext_walk(u64 extensions,
			   const struct drm_gmmu_ext_handler *handlers,
			   unsigned int count, void *data)
{
	unsigned int depth = 0, i;
	int ret;

	while (extensions) {
		struct drm_gmmu_user_extension ext;

		if (depth++ == DRM_GMMU_MAX_EXTENSIONS)
			return -E2BIG;
		if (signal_pending(current))
			return -EINTR;
		if (copy_from_user(&ext, u64_to_user_ptr(extensions), sizeof(ext)))
			return -EFAULT;
		if (ext.flags)
			return -EINVAL;

		for (i = 0; i < count; i++)
			if (handlers[i].name == ext.name)
				break;
		if (i == count)
			return -EINVAL;

		ret = handlers[i].fn(extensions, data);
		if (ret)
			return ret;
		extensions = ext.next_extension;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_user_ext_walk);

/**
 * drm_gmmu_mem_is_zero - check that reserved or padding bytes are zero
 * @p: start of the bytes
 * @len: how many
 *
 * Return: true if all @len bytes at @p are zero.
 */
bool drm_gmmu_mem_is_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}
EXPORT_SYMBOL_GPL(drm_gmmu_mem_is_zero);

/**
 * drm_gmmu_copy_user_array - copy in a uapi array passed as {ptr, count, stride}
 * @dst: kernel array of @count elements of @elem_size bytes
 * @elem_size: size of the element as this kernel knows it
 * @min_stride: size of the element's first version: smaller strides are bad
 * @uptr: user pointer to the first element
 * @count: number of elements
 * @stride: size of one element as userspace knows it
 *
 * Copies min(@stride, @elem_size) bytes of each element and zero-fills the
 * rest, so older userspace keeps working; bytes an element has beyond
 * @elem_size (newer userspace) must be zero, so that nothing userspace asked
 * for is silently ignored. A stride above %DRM_GMMU_MAX_ARRAY_STRIDE is
 * refused before any byte is read, which bounds the user memory one call
 * scans to @count pages. The caller bounds @count before allocating @dst.
 *
 * Return: 0, -EINVAL for a bad stride (below @min_stride, above
 * %DRM_GMMU_MAX_ARRAY_STRIDE or not a multiple of 8) or non-zero unknown
 * bytes, -EFAULT for an unreadable element.
 */
int drm_gmmu_copy_user_array(void *dst, size_t elem_size, size_t min_stride,
			     u64 uptr, u32 count, u32 stride)
{
	const char __user *src = u64_to_user_ptr(uptr);
	size_t copy = min_t(size_t, stride, elem_size);
	u32 i;
	int ret;

	if (stride < min_stride || stride > DRM_GMMU_MAX_ARRAY_STRIDE ||
	    stride % 8 || !elem_size)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		char *d = (char *)dst + (size_t)i * elem_size;
		const char __user *s = src + (size_t)i * stride;

		if (copy_from_user(d, s, copy))
			return -EFAULT;
		memset(d + copy, 0, elem_size - copy);
		if (stride > elem_size) {
			ret = check_zeroed_user(s + elem_size, stride - elem_size);
			if (ret < 0)
				return ret;
			if (!ret)
				return -EINVAL;
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_copy_user_array);
