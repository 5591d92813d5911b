// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_picture: the demo's picture. Each GPU draws one horizontal band of
 * a 256 x 256 RGBA image in a BO of its own: a FILLed background, colour
 * tiles FILLed then BLITted into a pattern, a gradient the CPU wrote
 * BLITted across, and a stripe COPYed from the band's top. The CPU draws
 * the same band into a reference with loops of its own and checks every
 * byte; the bands are put together into a PNG (libpng), which is then
 * read back and compared with the reference too.
 *
 *   swgpu_picture OUT.png
 *
 * Exits non-zero on any error or mismatch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <png.h>

#include "swgpu.h"

#define W		256
#define H		256
#define BPP		4
#define PITCH		(W * BPP)
#define MAX_GPUS	4
#define TILE		32
#define NTILES		8
#define GRAD_H		8

/* GPU addresses of the BOs in the picture's VM. */
#define VA_BATCH	0x100000ull
#define VA_IMAGE	0x200000ull
#define VA_TILES	0x400000ull
#define VA_GRAD		0x500000ull
#define BATCH_SIZE	0x10000ull
#define TILES_SIZE	(NTILES * TILE * TILE * BPP)
#define GRAD_SIZE	(PITCH * GRAD_H)

static const uint32_t palette[NTILES] = {
	0xff3050e0, 0xff30c0f0, 0xff40d080, 0xffe0c040,
	0xffe07030, 0xffd04090, 0xff9050d0, 0xfff0f0f0,
};

/* The pixel as bytes R, G, B, A in memory, from 0xAABBGGRR. */
static uint32_t rgba(uint32_t abgr)
{
	uint8_t b[4] = { abgr, abgr >> 8, abgr >> 16, abgr >> 24 };
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

/* Rows of the band drawn by GPU @i of @n. */
static void band(int i, int n, int *y0, int *rows)
{
	*y0 = H * i / n;
	*rows = H * (i + 1) / n - *y0;
}

/* The gradient the CPU writes for GPU @i: GRAD_H rows of W pixels. */
static void gradient(uint8_t *g, int i)
{
	for (int y = 0; y < GRAD_H; y++)
		for (int x = 0; x < W; x++) {
			uint8_t *p = g + y * PITCH + x * BPP;

			p[0] = x;
			p[1] = 255 - x;
			p[2] = 64 * i + 8 * y;
			p[3] = 0xff;
		}
}

/* Where tile @t goes in a band of @rows rows: a staircase and a checkerboard. */
static int tile_pos(int t, int rows, int *x, int *y)
{
	*x = (t * 37 + 8) % (W - TILE);
	*y = (t * 13) % (rows - TILE - GRAD_H - 8 > 0 ? rows - TILE - GRAD_H - 8 : 1);
	return 0;
}

/* ---- The CPU's reference: plain loops, no libswgpu ---- */

static void ref_fill(uint8_t *p, size_t bytes, uint32_t v)
{
	for (size_t i = 0; i < bytes; i += 4)
		memcpy(p + i, &v, 4);
}

static void ref_blit(uint8_t *dst, int dpitch, const uint8_t *src, int spitch,
		     int w, int h)
{
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w * BPP; x++)
			dst[y * dpitch + x] = src[y * spitch + x];
}

static void ref_band(uint8_t *img, int i, int rows)
{
	uint8_t tiles[TILES_SIZE], grad[GRAD_SIZE];
	int x, y;

	ref_fill(img, (size_t)rows * PITCH, rgba(i ? 0xff402818 : 0xff182840));
	for (int t = 0; t < NTILES; t++)
		ref_fill(tiles + t * TILE * TILE * BPP, TILE * TILE * BPP, rgba(palette[t]));
	for (int t = 0; t < NTILES; t++) {
		tile_pos(t, rows, &x, &y);
		ref_blit(img + y * PITCH + x * BPP, PITCH,
			 tiles + t * TILE * TILE * BPP, TILE * BPP, TILE, TILE);
	}
	gradient(grad, i);
	ref_blit(img + (rows - GRAD_H) * PITCH, PITCH, grad, PITCH, W, GRAD_H);
	memcpy(img + (rows - GRAD_H - 4) * PITCH, img, 4 * PITCH);
}

/* ---- The same on a GPU ---- */

struct gpu {
	int fd;
	uint32_t vm, bo[4];
	void *map[4];
	uint64_t size[4];
};

static int gpu_bo(struct gpu *g, int k, uint64_t size, uint64_t va)
{
	int ret;

	g->size[k] = size;
	ret = swgpu_bo_create(g->fd, size, &g->bo[k]);
	if (!ret)
		ret = swgpu_bo_mmap(g->fd, g->bo[k], size, &g->map[k]);
	if (!ret)
		ret = swgpu_vm_bind(g->fd, g->vm, g->bo[k], 0, va, size, 0);
	return ret;
}

static void gpu_fini(struct gpu *g)
{
	for (int k = 0; k < 4; k++) {
		if (g->map[k])
			munmap(g->map[k], g->size[k]);
		if (g->bo[k])
			swgpu_bo_close(g->fd, g->bo[k]);
	}
	if (g->vm)
		swgpu_vm_destroy(g->fd, g->vm);
	close(g->fd);
}

/* Draws band @i of @n on GPU in @slot into @out; returns 0 or a negative errno. */
static int gpu_band(int slot, int i, int n, uint8_t *out, int *cmds)
{
	struct gpu g = { .fd = swgpu_open(slot, SWGPU_OPEN_RENDER) };
	uint64_t img_size;
	struct swgpu_batch b;
	int y0, rows, x, y, ret;

	if (g.fd < 0)
		return g.fd;
	band(i, n, &y0, &rows);
	img_size = ((uint64_t)rows * PITCH + 4095) & ~4095ull;
	ret = swgpu_vm_create(g.fd, &g.vm);
	if (!ret)
		ret = gpu_bo(&g, 0, BATCH_SIZE, VA_BATCH);
	if (!ret)
		ret = gpu_bo(&g, 1, img_size, VA_IMAGE);
	if (!ret)
		ret = gpu_bo(&g, 2, TILES_SIZE, VA_TILES);
	if (!ret)
		ret = gpu_bo(&g, 3, GRAD_SIZE, VA_GRAD);
	if (ret)
		goto out;

	gradient(g.map[3], i);
	swgpu_batch_init(&b, g.map[0], VA_BATCH, BATCH_SIZE);
	swgpu_batch_fill(&b, VA_IMAGE, (uint64_t)rows * PITCH,
			 rgba(i ? 0xff402818 : 0xff182840));
	for (int t = 0; t < NTILES; t++)
		swgpu_batch_fill(&b, VA_TILES + t * TILE * TILE * BPP,
				 TILE * TILE * BPP, rgba(palette[t]));
	for (int t = 0; t < NTILES; t++) {
		tile_pos(t, rows, &x, &y);
		swgpu_batch_blit(&b, VA_IMAGE + y * PITCH + x * BPP, PITCH,
				 VA_TILES + t * TILE * TILE * BPP, TILE * BPP,
				 TILE, TILE, BPP);
	}
	swgpu_batch_blit(&b, VA_IMAGE + (rows - GRAD_H) * PITCH, PITCH,
			 VA_GRAD, PITCH, W, GRAD_H, BPP);
	swgpu_batch_copy(&b, VA_IMAGE + (rows - GRAD_H - 4) * PITCH, VA_IMAGE,
			 4 * PITCH);
	*cmds = 1 + 2 * NTILES + 2;
	swgpu_batch_end(&b);
	ret = b.error;
	if (!ret)
		ret = swgpu_exec_wait(g.fd, g.vm, VA_BATCH, 60000, NULL);
	if (!ret)
		memcpy(out, g.map[1], (size_t)rows * PITCH);
out:
	gpu_fini(&g);
	return ret;
}

/* ---- PNG ---- */

static int write_png(const char *path, const uint8_t *img)
{
	png_structp png;
	png_infop info;
	FILE *f = fopen(path, "wb");

	if (!f)
		return -errno;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(f);
		return -EIO;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, W, H, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < H; y++)
		png_write_row(png, img + y * PITCH);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return fclose(f) ? -errno : 0;
}

/* Reads @path back into @img; -EINVAL unless it is W x H RGBA 8-bit. */
static int read_png(const char *path, uint8_t *img)
{
	png_structp png;
	png_infop info;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -errno;
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info || setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		fclose(f);
		return -EIO;
	}
	png_init_io(png, f);
	png_read_info(png, info);
	if (png_get_image_width(png, info) != W || png_get_image_height(png, info) != H ||
	    png_get_bit_depth(png, info) != 8 ||
	    png_get_color_type(png, info) != PNG_COLOR_TYPE_RGBA) {
		png_destroy_read_struct(&png, &info, NULL);
		fclose(f);
		return -EINVAL;
	}
	for (int y = 0; y < H; y++)
		png_read_row(png, img + y * PITCH, NULL);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	fclose(f);
	return 0;
}

static long first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

int main(int argc, char **argv)
{
	static uint8_t img[H * PITCH], ref[H * PITCH], back[H * PITCH];
	int slots[MAX_GPUS], n = 0, failures = 0, ret;
	long bad;

	if (argc != 2) {
		fprintf(stderr, "usage: swgpu_picture OUT.png\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int s = 0; s < 16 && n < MAX_GPUS; s++) {
		int fd = swgpu_open(s, SWGPU_OPEN_RENDER);

		if (fd < 0)
			continue;
		close(fd);
		slots[n++] = s;
	}
	if (!n) {
		printf("picture: no swgpu GPU found\n");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int y0, rows, cmds = 0;

		band(i, n, &y0, &rows);
		printf("picture: [%d/%d] gpu%d draws rows %d-%d: FILL, %d tiles FILLed and BLITted, gradient BLIT, COPY\n",
		       i + 1, n, slots[i], y0, y0 + rows - 1, NTILES);
		ref_band(ref + y0 * PITCH, i, rows);
		ret = gpu_band(slots[i], i, n, img + y0 * PITCH, &cmds);
		if (ret) {
			printf("picture: [%d/%d] gpu%d: FAILED: %s\n", i + 1, n, slots[i],
			       strerror(-ret));
			failures++;
			continue;
		}
		bad = first_diff(img + y0 * PITCH, ref + y0 * PITCH, (size_t)rows * PITCH);
		if (bad >= 0) {
			printf("picture: [%d/%d] gpu%d: MISMATCH with the CPU reference at pixel (%ld, %ld)\n",
			       i + 1, n, slots[i], bad % PITCH / BPP, y0 + bad / PITCH);
			failures++;
		} else {
			printf("picture: [%d/%d] gpu%d: %d commands, every byte matches the CPU reference: ok\n",
			       i + 1, n, slots[i], cmds);
		}
	}
	if (failures) {
		printf("picture: %d FAILURES; no picture written\n", failures);
		return 1;
	}
	ret = write_png(argv[1], img);
	if (!ret)
		ret = read_png(argv[1], back);
	if (ret) {
		printf("picture: writing or reading %s: FAILED: %s\n", argv[1], strerror(-ret));
		return 1;
	}
	bad = first_diff(back, ref, sizeof(ref));
	if (bad >= 0) {
		printf("picture: %s read back: MISMATCH with the CPU reference at pixel (%ld, %ld)\n",
		       argv[1], bad % PITCH / BPP, bad / PITCH);
		return 1;
	}
	printf("picture: %s (%dx%d RGBA) decoded and equal to the CPU reference: ok\n",
	       argv[1], W, H);
	return 0;
}
