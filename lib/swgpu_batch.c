// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * libswgpu: building a command stream (see "Command stream" in
 * swgpu_drm.h) through a CPU mapping of the batch BO.
 */
#include <endian.h>
#include <errno.h>

#include "swgpu.h"

void swgpu_batch_init(struct swgpu_batch *b, void *map, uint64_t va,
		      uint64_t size)
{
	b->map = map;
	b->va = va;
	b->size = size / 4 > UINT32_MAX ? UINT32_MAX : (uint32_t)(size / 4);
	b->len = 0;
	b->error = 0;
}

int swgpu_batch_dwords(struct swgpu_batch *b, const uint32_t *dw, uint32_t n)
{
	uint32_t i;

	if (b->error)
		return b->error;
	if (n > b->size - b->len) {
		b->error = -ENOSPC;
		return b->error;
	}
	for (i = 0; i < n; i++)
		b->map[b->len + i] = htole32(dw[i]);
	b->len += n;
	return 0;
}

int swgpu_batch_nop(struct swgpu_batch *b)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_NOP, SWGPU_CMD_NOP_LEN),
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_NOP_LEN);
}

int swgpu_batch_end(struct swgpu_batch *b)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_END, SWGPU_CMD_END_LEN),
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_END_LEN);
}

int swgpu_batch_store_dword(struct swgpu_batch *b, uint64_t addr, uint32_t value)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_STORE_DWORD, SWGPU_CMD_STORE_DWORD_LEN),
		(uint32_t)addr, (uint32_t)(addr >> 32),
		value,
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_STORE_DWORD_LEN);
}

int swgpu_batch_fill(struct swgpu_batch *b, uint64_t addr, uint64_t size,
		     uint32_t pattern)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_FILL, SWGPU_CMD_FILL_LEN),
		(uint32_t)addr, (uint32_t)(addr >> 32),
		(uint32_t)size, (uint32_t)(size >> 32),
		pattern,
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_FILL_LEN);
}

int swgpu_batch_copy(struct swgpu_batch *b, uint64_t dst, uint64_t src,
		     uint64_t size)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_COPY, SWGPU_CMD_COPY_LEN),
		(uint32_t)dst, (uint32_t)(dst >> 32),
		(uint32_t)src, (uint32_t)(src >> 32),
		(uint32_t)size, (uint32_t)(size >> 32),
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_COPY_LEN);
}

int swgpu_batch_blit(struct swgpu_batch *b, uint64_t dst, uint32_t dst_pitch,
		     uint64_t src, uint32_t src_pitch, uint32_t width,
		     uint32_t height, uint32_t bpp)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_BLIT, SWGPU_CMD_BLIT_LEN),
		(uint32_t)dst, (uint32_t)(dst >> 32),
		(uint32_t)src, (uint32_t)(src >> 32),
		dst_pitch, src_pitch, width, height, bpp,
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_BLIT_LEN);
}

int swgpu_batch_sem_wait(struct swgpu_batch *b, uint64_t addr, uint64_t value,
			 uint64_t mask, uint32_t op)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_SEMAPHORE_WAIT,
				 SWGPU_CMD_SEMAPHORE_WAIT_LEN),
		(uint32_t)addr, (uint32_t)(addr >> 32),
		(uint32_t)value, (uint32_t)(value >> 32),
		(uint32_t)mask, (uint32_t)(mask >> 32),
		op,
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_SEMAPHORE_WAIT_LEN);
}

int swgpu_batch_sem_signal(struct swgpu_batch *b, uint64_t addr, uint64_t value)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_SEMAPHORE_SIGNAL,
				 SWGPU_CMD_SEMAPHORE_SIGNAL_LEN),
		(uint32_t)addr, (uint32_t)(addr >> 32),
		(uint32_t)value, (uint32_t)(value >> 32),
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_SEMAPHORE_SIGNAL_LEN);
}

int swgpu_batch_timestamp(struct swgpu_batch *b, uint64_t addr)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_TIMESTAMP, SWGPU_CMD_TIMESTAMP_LEN),
		(uint32_t)addr, (uint32_t)(addr >> 32),
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_TIMESTAMP_LEN);
}

int swgpu_batch_crc32(struct swgpu_batch *b, uint64_t dst, uint64_t src,
		      uint64_t size)
{
	const uint32_t dw[] = {
		SWGPU_CMD_HEADER(SWGPU_CMD_CRC32, SWGPU_CMD_CRC32_LEN),
		(uint32_t)dst, (uint32_t)(dst >> 32),
		(uint32_t)src, (uint32_t)(src >> 32),
		(uint32_t)size, (uint32_t)(size >> 32),
	};

	return swgpu_batch_dwords(b, dw, SWGPU_CMD_CRC32_LEN);
}

uint64_t swgpu_batch_bytes(const struct swgpu_batch *b)
{
	return (uint64_t)b->len * 4;
}
