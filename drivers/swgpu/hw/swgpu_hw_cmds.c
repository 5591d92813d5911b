// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: The engine's 2D, synchronisation and checksum commands
 *
 * The engine's 2D, synchronisation and checksum commands: BLIT,
 * SEMAPHORE_WAIT, SEMAPHORE_SIGNAL, TIMESTAMP and CRC32 (their dword
 * layouts are in the "Command stream" section of swgpu_drm.h). As the rest
 * of the engine, they reach memory only through the context's MMU, one
 * page at a time, with the MMU lock held across each access so that an
 * invalidation cannot take the page away underneath them. Every operand is
 * checked before the first access: a command rejected with -EPROTO has
 * written nothing.
 */
#include <linux/crc32.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/timekeeping.h>

#include <drm/swgpu_drm.h>

#include "swgpu_hw_internal.h"
#include "swgpu_hw_engine.h"

/*
 * A waiting queue polls its semaphore: first often, since the signal is
 * usually close, then less so, so that a long wait costs little CPU under
 * TCG, where every wake-up is expensive.
 */
#define SWGPU_HW_SEM_POLL_MIN_US	20
#define SWGPU_HW_SEM_POLL_MAX_US	1000

/*
 * Translates @va for @access and maps its page. On success the MMU lock is
 * held and the mapping lives until swgpu_hw_cmds_unmap(); on failure
 * neither is.
 */
static void *swgpu_hw_cmds_map(struct swgpu_hw_exec *x, u64 va, u32 access,
			       int *ret)
{
	phys_addr_t phys;
	u8 *p;

	spin_lock(&x->mmu->lock);
	*ret = swgpu_hw_mmu_translate(x->mmu, va, access, &phys, x->fault);
	if (*ret) {
		spin_unlock(&x->mmu->lock);
		return NULL;
	}
	p = kmap_local_pfn(PHYS_PFN(phys));
	return p + offset_in_page(phys);
}

static void swgpu_hw_cmds_unmap(struct swgpu_hw_exec *x, void *p)
{
	kunmap_local(p);
	spin_unlock(&x->mmu->lock);
}

/**
 * swgpu_hw_cmd_blit - execute BLIT
 * @x: the batch
 * @cmd: the command's dwords, header first
 *
 * Return: 0, -EPROTO for a bad pixel size or pitch or overlapping spans,
 * -EFAULT, -ETIMEDOUT.
 */
int swgpu_hw_cmd_blit(struct swgpu_hw_exec *x, const u32 *cmd)
{
	u64 dst = swgpu_hw_u64(&cmd[1]), src = swgpu_hw_u64(&cmd[3]);
	u32 dpitch = cmd[5], spitch = cmd[6];
	u32 width = cmd[7], height = cmd[8], bpp = cmd[9];
	u64 row, dspan, sspan, dend, send;
	u32 r;
	int ret;

	if (!is_power_of_2(bpp) || bpp > 16)
		return -EPROTO;
	row = (u64)width * bpp;
	if (row > dpitch || row > spitch)
		return -EPROTO;
	if (!width || !height)
		return 0;
	/*
	 * Overlap is judged on whole spans, not rows: cheap, and a rectangle
	 * that interleaves with its own destination is a bug far more often
	 * than a trick.
	 */
	dspan = (u64)(height - 1) * dpitch + row;
	sspan = (u64)(height - 1) * spitch + row;
	if (check_add_overflow(dst, dspan, &dend) ||
	    check_add_overflow(src, sspan, &send) ||
	    (src < dend && dst < send))
		return -EPROTO;

	for (r = 0; r < height; r++) {
		ret = swgpu_hw_move(x, dst + (u64)r * dpitch,
				    src + (u64)r * spitch, row);
		if (ret)
			return ret;
	}
	return 0;
}

static bool swgpu_hw_sem_holds(u32 op, u64 value, u64 operand)
{
	switch (op) {
	case SWGPU_SEM_COMPARE_EQ:
		return value == operand;
	case SWGPU_SEM_COMPARE_NE:
		return value != operand;
	case SWGPU_SEM_COMPARE_GT:
		return value > operand;
	case SWGPU_SEM_COMPARE_GTE:
		return value >= operand;
	case SWGPU_SEM_COMPARE_LT:
		return value < operand;
	default:
		return value <= operand;
	}
}

/**
 * swgpu_hw_cmd_sem_wait - execute SEMAPHORE_WAIT
 * @x: the batch
 * @cmd: the command's dwords, header first
 *
 * Sleeps between reads of the semaphore, so the CPU running this queue is
 * free for the queue that will signal it. On a thread the engine only
 * borrows (@x->yield_ns set), it gives the thread back instead of
 * sleeping: the ring goes on waiting on its own.
 *
 * Context: process context; sleeps.
 * Return: 0 once the comparison holds, -EPROTO for a misaligned address or
 * an unknown compare op, -EFAULT, -ETIMEDOUT at the watchdog, -EAGAIN to
 * yield.
 */
int swgpu_hw_cmd_sem_wait(struct swgpu_hw_exec *x, const u32 *cmd)
{
	u64 va = swgpu_hw_u64(&cmd[1]), mask = swgpu_hw_u64(&cmd[5]);
	u64 operand = swgpu_hw_u64(&cmd[3]) & mask, value;
	unsigned long delay = SWGPU_HW_SEM_POLL_MIN_US;
	u32 op = cmd[7];
	u64 *p;
	int ret;

	if ((va & 7) || op > SWGPU_SEM_COMPARE_LTE)
		return -EPROTO;
	for (;;) {
		p = swgpu_hw_cmds_map(x, va, DRM_SWGPU_FAULT_READ, &ret);
		if (!p)
			return ret;
		/* Pairs with the release in swgpu_hw_cmd_sem_signal(). */
		value = smp_load_acquire(p);
		swgpu_hw_cmds_unmap(x, p);
		if (swgpu_hw_sem_holds(op, value & mask, operand))
			return 0;
		if (time_after(jiffies, x->deadline))
			return -ETIMEDOUT;
		if (x->yield_ns)
			return -EAGAIN;
		usleep_range(delay, delay + delay / 2);
		delay = min(delay * 2, SWGPU_HW_SEM_POLL_MAX_US);
	}
}

/**
 * swgpu_hw_cmd_sem_signal - execute SEMAPHORE_SIGNAL
 * @x: the batch
 * @cmd: the command's dwords, header first
 *
 * Return: 0, -EPROTO for a misaligned address, -EFAULT.
 */
int swgpu_hw_cmd_sem_signal(struct swgpu_hw_exec *x, const u32 *cmd)
{
	u64 va = swgpu_hw_u64(&cmd[1]), value = swgpu_hw_u64(&cmd[3]);
	u64 *p;
	int ret;

	if (va & 7)
		return -EPROTO;
	p = swgpu_hw_cmds_map(x, va, DRM_SWGPU_FAULT_WRITE, &ret);
	if (!p)
		return ret;
	/*
	 * Every earlier write of the batch, through whatever mapping, is
	 * visible before the value: a waiter that sees it reads the data.
	 */
	smp_store_release(p, value);
	swgpu_hw_cmds_unmap(x, p);
	return 0;
}

/**
 * swgpu_hw_cmd_timestamp - execute TIMESTAMP
 * @x: the batch
 * @cmd: the command's dwords, header first
 *
 * The raw monotonic clock, so that userspace can bracket it with
 * CLOCK_MONOTONIC_RAW, which NTP does not slew either.
 *
 * Return: 0, -EPROTO for a misaligned address, -EFAULT.
 */
int swgpu_hw_cmd_timestamp(struct swgpu_hw_exec *x, const u32 *cmd)
{
	u64 va = swgpu_hw_u64(&cmd[1]);
	u64 *p;
	int ret;

	if (va & 7)
		return -EPROTO;
	p = swgpu_hw_cmds_map(x, va, DRM_SWGPU_FAULT_WRITE, &ret);
	if (!p)
		return ret;
	WRITE_ONCE(*p, ktime_get_raw_ns());
	swgpu_hw_cmds_unmap(x, p);
	return 0;
}

/**
 * swgpu_hw_cmd_crc32 - execute CRC32
 * @x: the batch
 * @cmd: the command's dwords, header first
 *
 * Return: 0, -EPROTO for a misaligned destination, -EFAULT, -ETIMEDOUT.
 */
int swgpu_hw_cmd_crc32(struct swgpu_hw_exec *x, const u32 *cmd)
{
	u64 dst = swgpu_hw_u64(&cmd[1]), src = swgpu_hw_u64(&cmd[3]);
	u64 size = swgpu_hw_u64(&cmd[5]);
	u32 crc = ~0u, n;
	u8 *s;
	u32 *d;
	int ret;

	if (dst & 3)
		return -EPROTO;
	for (; size; size -= n, src += n) {
		n = swgpu_hw_chunk(src, size);
		s = swgpu_hw_cmds_map(x, src, DRM_SWGPU_FAULT_READ, &ret);
		if (!s)
			return ret;
		crc = crc32_le(crc, s, n);
		swgpu_hw_cmds_unmap(x, s);
		ret = swgpu_hw_tick(x);
		if (ret)
			return ret;
	}
	d = swgpu_hw_cmds_map(x, dst, DRM_SWGPU_FAULT_WRITE, &ret);
	if (!d)
		return ret;
	WRITE_ONCE(*d, ~crc);
	swgpu_hw_cmds_unmap(x, d);
	return 0;
}
