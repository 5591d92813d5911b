// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: jdgpu engine
 *
 * The engine runs a job's descriptor chain (uapi/drm/jdgpu_drm.h, "Job
 * descriptors"): it fetches each descriptor through the job's
 * address-space slot, checks it whole before it touches memory, executes
 * it and follows @next. Data moves a page at a time through a page-sized
 * staging buffer: a COPY reads a piece of its source into it and writes
 * it to the destination, as a DMA engine with a small FIFO would. Between
 * two pieces the engine looks at the device's removal, its queue's reset
 * and the watchdog, and lets the CPU go. The model runs on little-endian
 * hosts only, as the descriptors are little-endian.
 */
#include <linux/crc32.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>

#include <drm/gmmu_drm.h>
#include <drm/jdgpu_drm.h>

#include "jdgpu_hw_internal.h"

/* The hardware's view of a descriptor is the uapi one, 64 bytes. */
static_assert(sizeof(struct jdgpu_desc) == JDGPU_DESC_SIZE);
static_assert(offsetof(struct jdgpu_desc, next) == 40);

/* Between two pieces of work: is the job to stop? */
static int jdgpu_hw_tick(struct jdgpu_hw_run *r)
{
	if (READ_ONCE(r->hw->removed))
		return -ENODEV;
	if (READ_ONCE(*r->jq_reset))
		return -ECANCELED;
	if (time_after(jiffies, r->deadline))
		return -ETIMEDOUT;
	cond_resched();
	return 0;
}

/* Bytes from @va to the end of its page, at most @left. */
static u32 jdgpu_hw_piece(u64 va, u64 left)
{
	return min_t(u64, left, PAGE_SIZE - offset_in_page(va));
}

static int jdgpu_hw_op_copy(struct jdgpu_hw_run *r, const struct jdgpu_desc *d)
{
	u64 off;
	u32 n;
	int ret;

	if (d->src + d->len < d->src || d->dst + d->len < d->dst ||
	    (d->len && d->src < d->dst + d->len && d->dst < d->src + d->len))
		return -EPROTO;
	for (off = 0; off < d->len; off += n) {
		n = min(jdgpu_hw_piece(d->src + off, d->len - off),
			jdgpu_hw_piece(d->dst + off, d->len - off));
		ret = jdgpu_hw_tick(r) ?:
		      jdgpu_hw_access(r, d->src + off, r->buf, n,
				      DRM_GMMU_FAULT_READ) ?:
		      jdgpu_hw_access(r, d->dst + off, r->buf, n,
				      DRM_GMMU_FAULT_WRITE);
		if (ret)
			return ret;
	}
	return 0;
}

static int jdgpu_hw_op_fill(struct jdgpu_hw_run *r, const struct jdgpu_desc *d)
{
	u32 *words = (u32 *)r->buf, n, i;
	u64 off;
	int ret;

	if ((d->dst | d->len) & 3 || d->dst + d->len < d->dst)
		return -EPROTO;
	for (i = 0; i < PAGE_SIZE / sizeof(u32); i++)
		words[i] = (u32)d->value;
	for (off = 0; off < d->len; off += n) {
		n = jdgpu_hw_piece(d->dst + off, d->len - off);
		ret = jdgpu_hw_tick(r) ?:
		      jdgpu_hw_access(r, d->dst + off, r->buf, n,
				      DRM_GMMU_FAULT_WRITE);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * SUM32 and CRC32: read @d's source a piece at a time; the result, in
 * @out, goes to @d->dst as @out_len bytes.
 */
static int jdgpu_hw_op_reduce(struct jdgpu_hw_run *r, const struct jdgpu_desc *d)
{
	bool crc = d->opcode == JDGPU_OP_CRC32;
	u32 out_len = crc ? sizeof(u32) : sizeof(u64);
	u64 sum = d->value, off;
	u32 c = ~0u, n, i;
	int ret;

	if (d->dst & (out_len - 1) || d->src + d->len < d->src ||
	    (crc ? d->value != 0 : (d->src | d->len) & 3))
		return -EPROTO;
	for (off = 0; off < d->len; off += n) {
		n = jdgpu_hw_piece(d->src + off, d->len - off);
		ret = jdgpu_hw_tick(r) ?:
		      jdgpu_hw_access(r, d->src + off, r->buf, n,
				      DRM_GMMU_FAULT_READ);
		if (ret)
			return ret;
		if (crc)
			c = crc32_le(c, r->buf, n);
		else
			for (i = 0; i < n; i += sizeof(u32))
				sum += *(u32 *)(r->buf + i);
	}
	if (crc)
		*(u32 *)r->buf = ~c;
	else
		*(u64 *)r->buf = sum;
	return jdgpu_hw_access(r, d->dst, r->buf, out_len, DRM_GMMU_FAULT_WRITE);
}

/* Check the fields every descriptor has, then execute it. */
static int jdgpu_hw_exec(struct jdgpu_hw_run *r, const struct jdgpu_desc *d)
{
	if (d->flags || d->reserved[0] || d->reserved[1] ||
	    d->len > JDGPU_MAX_LEN || d->next % JDGPU_DESC_SIZE)
		return -EPROTO;
	switch (d->opcode) {
	case JDGPU_OP_NOP:
		return 0;
	case JDGPU_OP_COPY:
		return jdgpu_hw_op_copy(r, d);
	case JDGPU_OP_FILL:
		return jdgpu_hw_op_fill(r, d);
	case JDGPU_OP_WRITE_VALUE:
		if (d->dst & 7 || d->src || d->len)
			return -EPROTO;
		return jdgpu_hw_access(r, d->dst, (void *)&d->value,
				       sizeof(d->value), DRM_GMMU_FAULT_WRITE);
	case JDGPU_OP_SUM32:
	case JDGPU_OP_CRC32:
		return jdgpu_hw_op_reduce(r, d);
	}
	return -EPROTO;
}

/**
 * jdgpu_hw_run_chain - run a job's descriptor chain
 * @r: the job, its slot checked
 * @head: address of its first descriptor, aligned to %JDGPU_DESC_SIZE
 *
 * Return: the job's status (&jdgpu_hw_done_t).
 */
int jdgpu_hw_run_chain(struct jdgpu_hw_run *r, u64 head)
{
	struct jdgpu_desc d;
	unsigned int n;
	u64 va;
	int ret;

	for (va = head, n = 0; va; va = d.next, n++) {
		if (n == JDGPU_MAX_CHAIN)
			return -ELOOP;
		if (va % JDGPU_DESC_SIZE)
			return -EPROTO;
		ret = jdgpu_hw_tick(r) ?:
		      jdgpu_hw_access(r, va, &d, sizeof(d), DRM_GMMU_FAULT_FETCH) ?:
		      jdgpu_hw_exec(r, &d);
		atomic_long_inc(&r->hw->descs);
		if (ret)
			return ret;
	}
	return 0;
}
