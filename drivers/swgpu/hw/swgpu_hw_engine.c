// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: The engine
 *
 * The engine of the software GPU: it fetches a batch from GPU virtual
 * addresses of one context and executes it. Every byte it reads or writes
 * goes through the context's MMU, with the MMU lock held across the
 * access so that an invalidation cannot pull the memory away underneath
 * it. Accesses go a page at a time, except COPY's, which go as far as the
 * translations of both sides reach (a large-page TLB entry covers 2 MiB),
 * up to the next look at the watchdog. A watchdog ends batches that run
 * too long.
 *
 * COPY moves 64 bytes at a time: eight loads, then eight stores, and
 * within a large-page TLB entry through the model's own mapping of the
 * span (swgpu_hw_alias.c). Both are for QEMU TCG, whose software TLB is
 * direct-mapped: a source and a destination whose addresses are equal
 * modulo its size (2 MiB-aligned huge pages in the linear map often are)
 * evict each other's entry on every access of a copy that alternates
 * them, as memcpy()'s rep movs does. The mapping moves them apart; the
 * batched loop makes a collision cost one eviction per 64 bytes where one
 * is left (4 KiB pages, which stay in the linear map). Measured in one
 * boot on 64 MiB between huge-page BOs, before the mapping: 2442-3247
 * MiB/s with the batched loop against 993-1986 with the kernel's
 * out-of-line memcpy, which was the faster one on scattered 4 KiB pages.
 * Short runs (command fetches) and FILL use 8-byte loops. The Kbuild file
 * keeps gcc from turning any of these loops into memcpy()/memset() calls.
 */
#include <linux/highmem.h>
#include <linux/iommu_ctx_format.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/unaligned.h>

#include <drm/swgpu_drm.h>

#include "swgpu_hw_internal.h"
#include "swgpu_hw_engine.h"

/* Bytes a COPY moves between two looks at the watchdog. */
#define SWGPU_HW_TICK_BYTES	(64u << 10)
/* The fetch buffer holds one whole command: BLIT is the longest. */
#define SWGPU_HW_MAX_CMD_LEN	SWGPU_CMD_BLIT_LEN

/**
 * swgpu_hw_tick - the engine's step between two pages or commands
 * @x: the batch
 *
 * Gives the CPU away if needed, so that a long batch does not hog the
 * engine thread's CPU, and checks the watchdog; on a borrowed thread
 * (@x->yield_ns), whether it is time to give it back.
 *
 * Return: 0; -ETIMEDOUT once the batch is past its deadline; -EAGAIN to
 * yield.
 */
int swgpu_hw_tick(struct swgpu_hw_exec *x)
{
	if (time_after(jiffies, x->deadline))
		return -ETIMEDOUT;
	if (x->yield_ns && local_clock() >= x->yield_ns)
		return -EAGAIN;
	cond_resched();
	return 0;
}

static void swgpu_hw_copy_words(u8 *dst, const u8 *src, size_t n)
{
	for (; n >= 64; n -= 64, dst += 64, src += 64) {
		u64 w0 = get_unaligned((const u64 *)src);
		u64 w1 = get_unaligned((const u64 *)(src + 8));
		u64 w2 = get_unaligned((const u64 *)(src + 16));
		u64 w3 = get_unaligned((const u64 *)(src + 24));
		u64 w4 = get_unaligned((const u64 *)(src + 32));
		u64 w5 = get_unaligned((const u64 *)(src + 40));
		u64 w6 = get_unaligned((const u64 *)(src + 48));
		u64 w7 = get_unaligned((const u64 *)(src + 56));

		put_unaligned(w0, (u64 *)dst);
		put_unaligned(w1, (u64 *)(dst + 8));
		put_unaligned(w2, (u64 *)(dst + 16));
		put_unaligned(w3, (u64 *)(dst + 24));
		put_unaligned(w4, (u64 *)(dst + 32));
		put_unaligned(w5, (u64 *)(dst + 40));
		put_unaligned(w6, (u64 *)(dst + 48));
		put_unaligned(w7, (u64 *)(dst + 56));
	}
	for (; n >= 8; n -= 8, dst += 8, src += 8)
		put_unaligned(get_unaligned((const u64 *)src), (u64 *)dst);
	for (; n; n--)
		*dst++ = *src++;
}

/* Read @len bytes at @va into @buf (commands and operands). */
static int swgpu_hw_read(struct swgpu_hw_exec *x, u64 va, void *buf, u32 len,
			 u32 access)
{
	struct swgpu_hw_mmu *mmu = x->mmu;
	phys_addr_t phys;
	int ret = 0;
	u32 n;
	u8 *p;

	for (; len; len -= n, va += n, buf += n) {
		n = swgpu_hw_chunk(va, len);
		spin_lock(&mmu->lock);
		ret = swgpu_hw_mmu_translate(mmu, va, access, &phys, x->fault);
		if (!ret) {
			p = kmap_local_pfn(PHYS_PFN(phys));
			swgpu_hw_copy_words(buf, p + offset_in_page(phys), n);
			kunmap_local(p);
		}
		spin_unlock(&mmu->lock);
		if (ret)
			break;
	}
	return ret;
}

static int swgpu_hw_store_dword(struct swgpu_hw_exec *x, u64 va, u32 value)
{
	struct swgpu_hw_mmu *mmu = x->mmu;
	phys_addr_t phys;
	u8 *p;
	int ret;

	if (va & 3)
		return -EPROTO;
	spin_lock(&mmu->lock);
	ret = swgpu_hw_mmu_translate(mmu, va, DRM_SWGPU_FAULT_WRITE, &phys,
				     x->fault);
	if (!ret) {
		p = kmap_local_pfn(PHYS_PFN(phys));
		WRITE_ONCE(*(u32 *)(p + offset_in_page(phys)), value);
		kunmap_local(p);
	}
	spin_unlock(&mmu->lock);
	return ret;
}

static void swgpu_hw_fill_words(u8 *dst, u32 n, u32 pattern)
{
	u64 pattern64 = (u64)pattern << 32 | pattern;

	/* @dst and @n are multiples of 4: align to 8 first. */
	if (((unsigned long)dst & 7) && n) {
		*(u32 *)dst = pattern;
		dst += 4;
		n -= 4;
	}
	for (; n >= 8; n -= 8, dst += 8)
		*(u64 *)dst = pattern64;
	if (n)
		*(u32 *)dst = pattern;
}

static int swgpu_hw_fill(struct swgpu_hw_exec *x, u64 va, u64 size, u32 pattern)
{
	struct swgpu_hw_mmu *mmu = x->mmu;
	phys_addr_t phys;
	int ret = 0;
	u32 n;
	u8 *p;

	if ((va & 3) || (size & 3))
		return -EPROTO;
	for (; size; size -= n, va += n) {
		n = swgpu_hw_chunk(va, size);
		spin_lock(&mmu->lock);
		ret = swgpu_hw_mmu_translate(mmu, va, DRM_SWGPU_FAULT_WRITE,
					     &phys, x->fault);
		if (!ret) {
			p = kmap_local_pfn(PHYS_PFN(phys));
			swgpu_hw_fill_words(p + offset_in_page(phys), n, pattern);
			kunmap_local(p);
		}
		spin_unlock(&mmu->lock);
		if (ret)
			break;
		ret = swgpu_hw_tick(x);
		if (ret)
			break;
	}
	return ret;
}

/**
 * swgpu_hw_move - move bytes between two GPU ranges, run by run
 * @x: the batch
 * @dst: destination GPU address
 * @src: source GPU address
 * @size: bytes; the caller has checked the ranges (no overlap, no wrap)
 *
 * The data path of COPY and of each BLIT row. Each step moves what one
 * translation covers on both sides (a page, or within 2 MiB on large-page
 * TLB entries), and no more than the watchdog allows. The watchdog is looked at
 * every %SWGPU_HW_TICK_BYTES moved, counted across calls, so that many
 * short moves (narrow BLIT rows) are bounded as one long one is.
 *
 * Return: 0, -EFAULT (with @x->fault filled in) or -ETIMEDOUT.
 */
int swgpu_hw_move(struct swgpu_hw_exec *x, u64 dst, u64 src, u64 size)
{
	struct swgpu_hw_mmu *mmu = x->mmu;
	phys_addr_t sphys, dphys;
	u64 srun, drun, n;
	void *skva, *dkva;
	u8 *s, *d;
	int ret;

	for (; size; size -= n, src += n, dst += n) {
		spin_lock(&mmu->lock);
		ret = swgpu_hw_mmu_translate_run(mmu, src, DRM_SWGPU_FAULT_READ,
						 &sphys, &srun, &skva, x->fault);
		if (!ret)
			ret = swgpu_hw_mmu_translate_run(mmu, dst,
							 DRM_SWGPU_FAULT_WRITE,
							 &dphys, &drun, &dkva,
							 x->fault);
		if (!ret) {
			n = min3(size, srun, drun);
			n = min_t(u64, n, SWGPU_HW_TICK_BYTES - x->moved);
			/* Only the linear map spans pages; a kmap does not. */
			if (IS_ENABLED(CONFIG_HIGHMEM) && (!skva || !dkva))
				n = swgpu_hw_chunk(dst, swgpu_hw_chunk(src, n));
			if (skva)
				s = skva;
			else
				s = kmap_local_pfn(PHYS_PFN(sphys)) +
				    offset_in_page(sphys);
			if (dkva)
				d = dkva;
			else
				d = kmap_local_pfn(PHYS_PFN(dphys)) +
				    offset_in_page(dphys);
			swgpu_hw_copy_words(d, s, n);
			if (!dkva)
				kunmap_local(d);
			if (!skva)
				kunmap_local(s);
		}
		spin_unlock(&mmu->lock);
		if (ret)
			return ret;
		x->moved += n;
		if (x->moved < SWGPU_HW_TICK_BYTES)
			continue;
		x->moved = 0;
		ret = swgpu_hw_tick(x);
		if (ret)
			return ret;
	}
	return 0;
}

static int swgpu_hw_copy(struct swgpu_hw_exec *x, u64 dst, u64 src, u64 size)
{
	if (!size)
		return 0;
	/* Overlap, or a range that wraps around the address space. */
	if (src + size < src || dst + size < dst ||
	    (src < dst + size && dst < src + size))
		return -EPROTO;
	return swgpu_hw_move(x, dst, src, size);
}

static const u8 swgpu_hw_cmd_len[] = {
	[SWGPU_CMD_NOP] = SWGPU_CMD_NOP_LEN,
	[SWGPU_CMD_END] = SWGPU_CMD_END_LEN,
	[SWGPU_CMD_STORE_DWORD] = SWGPU_CMD_STORE_DWORD_LEN,
	[SWGPU_CMD_FILL] = SWGPU_CMD_FILL_LEN,
	[SWGPU_CMD_COPY] = SWGPU_CMD_COPY_LEN,
	[SWGPU_CMD_BLIT] = SWGPU_CMD_BLIT_LEN,
	[SWGPU_CMD_SEMAPHORE_WAIT] = SWGPU_CMD_SEMAPHORE_WAIT_LEN,
	[SWGPU_CMD_SEMAPHORE_SIGNAL] = SWGPU_CMD_SEMAPHORE_SIGNAL_LEN,
	[SWGPU_CMD_TIMESTAMP] = SWGPU_CMD_TIMESTAMP_LEN,
	[SWGPU_CMD_CRC32] = SWGPU_CMD_CRC32_LEN,
};

/**
 * swgpu_hw_engine_run - execute a batch on a context, or part of one
 * @mmu: the context's MMU, with its root set
 * @pc: in, GPU address of the command to start at (the batch's first, or
 *	where an earlier call stopped); out, after -EAGAIN, where to resume,
 *	after another error, the command that failed
 * @deadline: jiffies at which the watchdog ends the batch
 * @yield_ns: local_clock() time after which the engine gives its thread
 *	back, at its next step or where a SEMAPHORE_WAIT would sleep; 0 for
 *	never
 * @fault: out, on -EFAULT, the fault that stopped the batch
 *
 * A command the engine yields in the middle of starts over on resume.
 * Every command may: each writes what its operands alone decide (COPY's
 * and BLIT's spans do not overlap, CRC32 writes once at its end), so
 * doing part of it again writes the same bytes.
 *
 * Context: process context; sleeps (between pages).
 * Return: 0 when END was reached; -EAGAIN when it yielded (at @yield_ns);
 * -EFAULT on a page fault; -EPROTO for a malformed command; -ETIMEDOUT
 * when the watchdog fired.
 */
int swgpu_hw_engine_run(struct swgpu_hw_mmu *mmu, u64 *pc,
			unsigned long deadline, u64 yield_ns,
			struct swgpu_hw_fault *fault)
{
	struct swgpu_hw_exec x = { .mmu = mmu, .deadline = deadline,
				   .yield_ns = yield_ns, .fault = fault };
	u32 cmd[SWGPU_HW_MAX_CMD_LEN];
	int ret;

	if (*pc & 3)
		return -EPROTO;
	swgpu_hw_mmu_activate(mmu);
	for (;;) {
		u64 cmd_pc = *pc, next;
		u32 op, len;

		ret = swgpu_hw_read(&x, cmd_pc, cmd, 4, DRM_SWGPU_FAULT_FETCH);
		if (ret)
			return ret;
		op = cmd[0] >> 24;
		len = cmd[0] & 0xffff;
		if (op >= ARRAY_SIZE(swgpu_hw_cmd_len) ||
		    !swgpu_hw_cmd_len[op] || len != swgpu_hw_cmd_len[op] ||
		    (cmd[0] & 0x00ff0000))
			return -EPROTO;
		if (len > 1) {
			ret = swgpu_hw_read(&x, cmd_pc + 4, &cmd[1],
					    (len - 1) * 4,
					    DRM_SWGPU_FAULT_FETCH);
			if (ret)
				return ret;
		}
		/* The PC stays on a command until it is done. */
		next = cmd_pc + len * 4;

		switch (op) {
		case SWGPU_CMD_NOP:
			break;
		case SWGPU_CMD_END:
			*pc = next;
			return 0;
		case SWGPU_CMD_STORE_DWORD:
			ret = swgpu_hw_store_dword(&x, swgpu_hw_u64(&cmd[1]),
						   cmd[3]);
			break;
		case SWGPU_CMD_FILL:
			ret = swgpu_hw_fill(&x, swgpu_hw_u64(&cmd[1]),
					    swgpu_hw_u64(&cmd[3]), cmd[5]);
			break;
		case SWGPU_CMD_COPY:
			ret = swgpu_hw_copy(&x, swgpu_hw_u64(&cmd[1]),
					    swgpu_hw_u64(&cmd[3]),
					    swgpu_hw_u64(&cmd[5]));
			break;
		case SWGPU_CMD_BLIT:
			ret = swgpu_hw_cmd_blit(&x, cmd);
			break;
		case SWGPU_CMD_SEMAPHORE_WAIT:
			ret = swgpu_hw_cmd_sem_wait(&x, cmd);
			break;
		case SWGPU_CMD_SEMAPHORE_SIGNAL:
			ret = swgpu_hw_cmd_sem_signal(&x, cmd);
			break;
		case SWGPU_CMD_TIMESTAMP:
			ret = swgpu_hw_cmd_timestamp(&x, cmd);
			break;
		case SWGPU_CMD_CRC32:
			ret = swgpu_hw_cmd_crc32(&x, cmd);
			break;
		}
		/*
		 * Yielded in the middle: the command starts over. Failed: the
		 * ring's PC register shows the failing command.
		 */
		if (ret)
			return ret;
		*pc = next;
		ret = swgpu_hw_tick(&x);
		if (ret)
			return ret;
	}
}
