/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Inside the engine
 *
 * What the command dispatcher (swgpu_hw_engine.c) and the commands kept
 * in their own file (swgpu_hw_cmds.c) share. Not part of the hardware
 * model's interface to the driver (swgpu_hw.h).
 */
#ifndef __SWGPU_HW_ENGINE_H__
#define __SWGPU_HW_ENGINE_H__

#include <linux/types.h>

#define SWGPU_HW_PAGE_SIZE	4096u

struct swgpu_hw_fault;
struct swgpu_hw_mmu;

/**
 * struct swgpu_hw_exec - the state of one batch on the engine
 * @mmu: the context's MMU
 * @deadline: jiffies at which the watchdog ends the batch
 * @yield_ns: local_clock() time after which the engine gives its thread
 *	back at its next step (or instead of a SEMAPHORE_WAIT's sleep), or
 *	0 (swgpu_hw_engine_run())
 * @fault: where a fault that ends the batch is reported
 * @moved: bytes moved since the watchdog was last looked at
 */
struct swgpu_hw_exec {
	struct swgpu_hw_mmu *mmu;
	unsigned long deadline;
	u64 yield_ns;
	struct swgpu_hw_fault *fault;
	u32 moved;
};

/**
 * swgpu_hw_chunk - how much of an access fits in the page of its address
 * @va: GPU address of the access
 * @left: bytes still to access
 *
 * Return: @left, or the bytes from @va to the end of its page if fewer.
 */
static inline u32 swgpu_hw_chunk(u64 va, u64 left)
{
	u32 in_page = SWGPU_HW_PAGE_SIZE - (va & (SWGPU_HW_PAGE_SIZE - 1));

	return left < in_page ? left : in_page;
}

/**
 * swgpu_hw_u64 - a 64-bit operand of a command
 * @dw: its two dwords, low first
 *
 * Return: the operand.
 */
static inline u64 swgpu_hw_u64(const u32 *dw)
{
	return (u64)dw[1] << 32 | dw[0];
}

int swgpu_hw_tick(struct swgpu_hw_exec *x);
int swgpu_hw_move(struct swgpu_hw_exec *x, u64 dst, u64 src, u64 size);

int swgpu_hw_cmd_blit(struct swgpu_hw_exec *x, const u32 *cmd);
int swgpu_hw_cmd_sem_wait(struct swgpu_hw_exec *x, const u32 *cmd);
int swgpu_hw_cmd_sem_signal(struct swgpu_hw_exec *x, const u32 *cmd);
int swgpu_hw_cmd_timestamp(struct swgpu_hw_exec *x, const u32 *cmd);
int swgpu_hw_cmd_crc32(struct swgpu_hw_exec *x, const u32 *cmd);

#endif /* __SWGPU_HW_ENGINE_H__ */
