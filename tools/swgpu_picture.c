// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_picture: the demo's picture, drawn by several processes on both
 * GPUs, which share their parts through dma-buf.
 *
 *   swgpu_picture [--workers N] [--panel-cmd CMD] [--require-jdgpu] OUT.png
 *   swgpu_picture --panel-producer
 *
 * The scene, 512 x 320 RGBA: a sky shading from night blue to orange, a
 * sun setting behind two hills, "gmmu" in block letters with a shadow, a
 * lake that mirrors the hills, a checkered shore, a small panel in the
 * corner, and a frame. Who draws what:
 *
 * - N worker processes (fork; 4 unless --workers says 3 to 8) draw one
 *   strip of columns each, top to bottom. A worker opens both GPUs and
 *   makes a context (VM) of its own on each. On the atom GPU it creates
 *   the strip's BO and draws the sky, the sun and the hills into it (a
 *   FILL per row span). It exports the BO as a dma-buf, imports that on
 *   the llc GPU, binds it in its llc VM and draws the shore (two tiles
 *   FILLed, the row doubled by COPYs, each tile row COPYed in and doubled
 *   down) and the letters (a FILLed block BLITted to every cell, clipped
 *   to the strip). It then sends the dma-buf to the compositor over a
 *   UNIX socket (SCM_RIGHTS) and exits.
 * - The panel producer draws the panel (solid rectangles, FILLed on the
 *   atom GPU) and sends it the same way. This is the hook for a part
 *   drawn by another client, Mesa say: --panel-cmd CMD runs CMD (through
 *   /bin/sh) instead, with the socket's descriptor in SWGPU_PICTURE_FD
 *   and the panel's size in SWGPU_PICTURE_PANEL ("96x64"). CMD sends any
 *   number of progress messages and one part message (struct part_msg,
 *   swgpu_picture_proto.h) with a LINEAR dma-buf of DRM_FORMAT_ABGR8888
 *   pixels (bytes R, G, B, A), top row first, at any pitch and offset,
 *   holding panel_rects[] exactly (a GL client gets them exactly with
 *   glScissor and glClear), and must have finished writing it: the
 *   compositor does not wait on the dma-buf's fences.
 *   "swgpu_picture --panel-producer" is such a command: the same
 *   producer, run through the hook; tools/swgpu_mesa_panel.c is another,
 *   which has Mesa draw the panel with GL.
 * - The compositor (the first process) creates the picture's BO on the
 *   atom GPU and clears it there, imports it on the llc GPU, and as parts
 *   arrive imports each on the llc GPU (the other device: every part was
 *   exported by the atom GPU) and BLITs it into place. Once every strip
 *   is in, it BLITs the panel into its corner and COPYs the rows above the
 *   horizon upside down and wavy into the lake; then the ripples are
 *   FILLed, and the atom GPU draws the frame. It reads the picture back
 *   through the BO's mmap, compares every pixel with a CPU reference
 *   drawn with loops of its own from the same scene, checks that the atom
 *   GPU's coherency checker counted no violation, writes the PNG with
 *   libpng, decodes it again and compares once more.
 * - jdgpu, a GPU of another driver (job descriptor chains, lpae-40), when
 *   there is one: the compositor imports the picture there too; a chain
 *   of FILL descriptors draws the ripples, and after the frame a chain of
 *   CRC32 descriptors reads the finished picture, a CRC32 per band of
 *   rows and one of the whole, into jdgpu's own BO; each must equal
 *   zlib's of the CPU reference. Without jdgpu the llc GPU draws the
 *   ripples and the run says so, unless --require-jdgpu (the VM lanes,
 *   which always have one) makes that a failure.
 *
 * Why every shared BO is the atom GPU's: its DMA reaches only 32 bits, so
 * its BOs' pages are below 4 GiB, where every GPU reaches them (jdgpu's
 * DMA has 40 bits). Without a
 * system IOMMU (lane novtd) a BO of the llc GPU may have pages above, and
 * the atom GPU refuses to import it (-ERANGE) rather than bounce it.
 *
 * Each process waits for its own jobs (their out-fences) before it hands
 * a buffer on or another device takes its turn, so the GPUs never rely on
 * implicit fences across devices. The progress line
 * is rewritten in place on a terminal and printed a line per step
 * otherwise. Exit status: 0 if the picture matches the reference and was
 * written, 1 otherwise, 2 for bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <png.h>
#include <xf86drm.h>
#include <zlib.h>

#include "jdgpu.h"
#include "swgpu.h"
#include "swgpu_picture_proto.h"

#define W		512
#define H		320
#define BPP		4
#define PITCH		(W * BPP)
#define MAX_WORKERS	8
#define TIMEOUT_MS	60000

/* ---- The scene ---- */

#define HORIZON		200	/* first row of the lake */
#define SHORE_Y		256	/* first row of the shore */
#define LAKE_H		(SHORE_Y - HORIZON)
#define TILE		16
#define CELL		10	/* letter grid */
#define BLOCK		9	/* a letter's block: CELL less a gap */
#define SHADOW		2	/* offset of the letters' shadow */
#define GLYPH_W		5
#define GLYPH_H		7
#define TEXT		"gmmu"
#define TEXT_X		((W - (4 * (GLYPH_W + 1) - 1) * CELL) / 2)
#define TEXT_Y		28
#define PANEL_X		20
#define PANEL_Y		20
#define FRAME		4

/* The pixel as bytes R, G, B, A in memory (DRM_FORMAT_ABGR8888). */
static uint32_t rgb(uint8_t r, uint8_t g, uint8_t b)
{
	uint8_t p[4] = { r, g, b, 0xff };
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

#define SUN		rgb(255, 214, 96)
#define FAR_HILL	rgb(96, 72, 128)
#define NEAR_HILL	rgb(36, 92, 64)
#define SAND		rgb(196, 170, 110)
#define SAND_DARK	rgb(160, 132, 84)
#define LETTER		rgb(248, 248, 236)
#define LETTER_SHADOW	rgb(40, 28, 64)
#define RIPPLE		rgb(170, 200, 240)
#define WATER		rgb(28, 44, 92)
#define FRAME_COLOUR	rgb(24, 24, 32)
#define CLEAR_COLOUR	rgb(0, 0, 0)

static const char *const glyphs[][GLYPH_H] = {
	{ ".####", "#...#", "#...#", ".####", "....#", "#...#", ".###." },	/* g */
	{ "####.", "#.#.#", "#.#.#", "#.#.#", "#.#.#", ".....", "....." },	/* m */
	{ "#...#", "#...#", "#...#", "#...#", ".####", ".....", "....." },	/* u */
};

static const char *const *glyph(char c)
{
	return glyphs[c == 'g' ? 0 : c == 'm' ? 1 : 2];
}

/*
 * Block @i of the letters, in drawing order: every shadow (*@pass 0,
 * offset by SHADOW), then every letter block (*@pass 1); false past the
 * last.
 */
static bool letter_block(int i, int *x, int *y, int *pass)
{
	for (*pass = 0; *pass < 2; (*pass)++)
		for (int l = 0; TEXT[l]; l++)
			for (int gy = 0; gy < GLYPH_H; gy++)
				for (int gx = 0; gx < GLYPH_W; gx++) {
					if (glyph(TEXT[l])[gy][gx] != '#' || i--)
						continue;
					*x = TEXT_X + (l * (GLYPH_W + 1) + gx) * CELL;
					*y = TEXT_Y + gy * CELL;
					if (!*pass) {
						*x += SHADOW;
						*y += SHADOW;
					}
					return true;
				}
	return false;
}

static uint32_t sky(int y)
{
	return rgb(14 + (252 - 14) * y / (HORIZON - 1),
		   20 + (156 - 20) * y / (HORIZON - 1),
		   64 + (80 - 64) * y / (HORIZON - 1));
}

static int isqrt(int v)
{
	int r = 0;

	while ((r + 1) * (r + 1) <= v)
		r++;
	return r;
}

/*
 * The span [*x0, *x1) of row @y covered by shape @s (0: the sun, 1: the
 * far hill, 2: the near hill), unclipped; false if the row misses it.
 */
static bool shape_span(int s, int y, int *x0, int *x1)
{
	static const struct { int cx, cy, k; } hill[] = { { 150, 118, 420 }, { 420, 146, 700 } };
	int half;

	if (s == 0) {
		int dy = y - 140, r = 30;

		if (dy < -r || dy > r)
			return false;
		half = isqrt(r * r - dy * dy);
		*x0 = 372 - half;
		*x1 = 372 + half + 1;
		return true;
	}
	if (y < hill[s - 1].cy || y >= HORIZON)
		return false;
	half = isqrt((y - hill[s - 1].cy) * hill[s - 1].k);
	*x0 = hill[s - 1].cx - half;
	*x1 = hill[s - 1].cx + half + 1;
	return true;
}

static uint32_t shape_px(int s)
{
	return s == 0 ? SUN : s == 1 ? FAR_HILL : NEAR_HILL;
}

/*
 * Row @k of the lake: the mirror of row HORIZON - 1 - k shifted by
 * *@dx pixels (pixel x comes from x + *dx; water where that is outside
 * the picture); or, when it returns false, plain water.
 */
static bool lake_row(int k, int *dx)
{
	static const int wave[] = { 0, 1, 2, 2, 1, 0, -1, -2, -2, -1 };

	*dx = wave[k % 10];
	return k % 4 != 3;
}

/* Ripple @k of the lake: its row and span. */
static void ripple(int k, int *y, int *x0, int *x1)
{
	*y = HORIZON + 4 + 7 * k;
	*x0 = FRAME + (k * 149 + 40) % (W - 140);
	*x1 = *x0 + 60 + (k * 23) % 50;
}
#define NRIPPLES 8

/* Columns of strip @i of @n. */
static void strip_cols(int i, int n, int *x0, int *w)
{
	*x0 = W * i / n;
	*w = W * (i + 1) / n - *x0;
}

/* ---- The CPU's reference: plain loops over pixels, no GPU ---- */

static void ref_rect(uint8_t *img, int x, int y, int w, int h, uint32_t px)
{
	for (int r = y; r < y + h; r++)
		for (int c = x; c < x + w; c++)
			if (r >= 0 && r < H && c >= 0 && c < W)
				memcpy(img + r * PITCH + c * BPP, &px, BPP);
}

static void ref_scene(uint8_t *img)
{
	int x0, x1, y;

	for (y = 0; y < H; y++)
		ref_rect(img, 0, y, W, 1, y < HORIZON ? sky(y) : 0);
	for (int s = 0; s < 3; s++)
		for (y = 0; y < H; y++)
			if (shape_span(s, y, &x0, &x1))
				ref_rect(img, x0, y, x1 - x0, 1, shape_px(s));
	for (y = SHORE_Y; y < H; y++)
		for (int x = 0; x < W; x++)
			ref_rect(img, x, y, 1, 1,
				 ((x / TILE + (y - SHORE_Y) / TILE) & 1) ? SAND_DARK : SAND);
	for (int i = 0, pass; letter_block(i, &x0, &y, &pass); i++)
		ref_rect(img, x0, y, BLOCK, BLOCK, pass ? LETTER : LETTER_SHADOW);
	for (unsigned int i = 0; i < npanel_rects; i++) {
		const struct panel_rect *r = &panel_rects[i];

		ref_rect(img, PANEL_X + r->x, PANEL_Y + r->y, r->w, r->h,
			 rgb(r->r, r->g, r->b));
	}
	for (y = 0; y < LAKE_H; y++) {
		int dx;

		if (!lake_row(y, &dx)) {
			ref_rect(img, 0, HORIZON + y, W, 1, WATER);
			continue;
		}
		for (int x = 0; x < W; x++) {
			uint8_t *d = img + (HORIZON + y) * PITCH + x * BPP;

			if (x + dx >= 0 && x + dx < W)
				memcpy(d, img + (HORIZON - 1 - y) * PITCH + (x + dx) * BPP, BPP);
			else
				memcpy(d, &(uint32_t){ WATER }, BPP);
		}
	}
	for (int k = 0; k < NRIPPLES; k++) {
		ripple(k, &y, &x0, &x1);
		ref_rect(img, x0, y, x1 - x0, 1, RIPPLE);
	}
	ref_rect(img, 0, 0, W, FRAME, FRAME_COLOUR);
	ref_rect(img, 0, H - FRAME, W, FRAME, FRAME_COLOUR);
	ref_rect(img, 0, 0, FRAME, H, FRAME_COLOUR);
	ref_rect(img, W - FRAME, 0, FRAME, H, FRAME_COLOUR);
}

/*
 * ---- A context on one GPU: its VM, BOs bound in it, a batch ----
 *
 * On swgpu (either profile) the batch is a command stream; on jdgpu it is
 * a chain of job descriptors in the same BO. Only ctx_begin(), ctx_run()
 * and fill() tell the two apart; the rest is drm_gmmu's shared calls under
 * the context's driver's numbers.
 */

#define VA_BATCH	0x100000ull
#define VA_SCRATCH	0x200000ull
#define VA_STRIP	0x400000ull
#define VA_PICTURE	0x1000000ull
#define VA_PART		0x2000000ull	/* + part index * PART_STRIDE */
#define VA_RESULTS	0x3000000ull	/* jdgpu's CRC32s */
#define PART_STRIDE	0x100000ull
#define BATCH_SIZE	0x10000ull
#define SCRATCH_SIZE	0x4000ull
#define MAX_BOS		(MAX_WORKERS + 4)

struct ctx {
	const struct gmmu_ioctls *io;	/* the driver */
	int fd;
	uint32_t vm;
	int nbos;
	uint32_t bo[MAX_BOS];
	uint64_t va[MAX_BOS], size[MAX_BOS];
	void *batch_map;
	struct swgpu_batch b;		/* swgpu */
	struct jdgpu_chain jc;		/* jdgpu */
	int cmds;
};

static bool ctx_jdgpu(const struct ctx *c)
{
	return c->io == &jdgpu_gmmu_ioctls;
}

/* A context on the GPU of @io's driver in @slot (its slot parameter). */
static int ctx_open(struct ctx *c, const struct gmmu_ioctls *io, int slot)
{
	memset(c, 0, sizeof(*c));
	c->io = io;
	c->fd = gmmu_open(io, slot, 0);
	if (c->fd < 0)
		return c->fd;
	return gmmu_vm_create(io, c->fd, &c->vm);
}

/* Binds @handle (the context's from now on) at @va; maps it if @map. */
static int ctx_bind(struct ctx *c, uint32_t handle, uint64_t va, uint64_t size,
		    void **map)
{
	int ret;

	if (c->nbos == MAX_BOS)
		return -ENOSPC;
	c->bo[c->nbos] = handle;
	c->va[c->nbos] = va;
	c->size[c->nbos++] = size;
	ret = gmmu_vm_bind(c->io, c->fd, c->vm, handle, 0, va, size, 0);
	if (!ret && map)
		ret = gmmu_bo_mmap(c->io, c->fd, handle, size, map);
	return ret;
}

static int ctx_bo(struct ctx *c, uint64_t va, uint64_t size, uint32_t *handle,
		  void **map)
{
	uint32_t h;
	int ret = gmmu_bo_create(c->io, c->fd, size, 0, &h);

	if (ret)
		return ret;
	if (handle)
		*handle = h;
	return ctx_bind(c, h, va, size, map);
}

static int ctx_import(struct ctx *c, int dmabuf, uint64_t va, uint64_t size)
{
	uint32_t h;

	if (drmPrimeFDToHandle(c->fd, dmabuf, &h))
		return -errno;
	return ctx_bind(c, h, va, size, NULL);
}

/* Starts a batch in the context's batch BO, making it on first use. */
static int ctx_begin(struct ctx *c)
{
	int ret = 0;

	if (!c->batch_map)
		ret = ctx_bo(c, VA_BATCH, BATCH_SIZE, NULL, &c->batch_map);
	if (!ret && ctx_jdgpu(c))
		jdgpu_chain_init(&c->jc, c->batch_map, VA_BATCH, BATCH_SIZE);
	else if (!ret)
		swgpu_batch_init(&c->b, c->batch_map, VA_BATCH, BATCH_SIZE);
	c->cmds = 0;
	return ret;
}

/* Ends the batch, runs it and waits for its out-fence. */
static int ctx_run(struct ctx *c)
{
	if (ctx_jdgpu(c))
		return c->jc.error ? c->jc.error :
			jdgpu_run(c->fd, c->vm, VA_BATCH, TIMEOUT_MS);
	swgpu_batch_end(&c->b);
	if (c->b.error)
		return c->b.error;
	return swgpu_exec_wait(c->fd, c->vm, VA_BATCH, TIMEOUT_MS, NULL);
}

static void ctx_close(struct ctx *c)
{
	if (c->fd < 0)
		return;
	if (c->vm)
		gmmu_vm_destroy(c->io, c->fd, c->vm);
	if (c->batch_map)
		munmap(c->batch_map, BATCH_SIZE);
	for (int i = 0; i < c->nbos; i++)
		gmmu_bo_close(c->fd, c->bo[i]);
	close(c->fd);
	c->fd = -1;
}

static void fill(struct ctx *c, uint64_t va, uint64_t bytes, uint32_t px)
{
	if (ctx_jdgpu(c))
		jdgpu_chain_op(&c->jc, JDGPU_OP_FILL, va, 0, bytes, px);
	else
		swgpu_batch_fill(&c->b, va, bytes, px);
	c->cmds++;
}

static void copy(struct ctx *c, uint64_t dst, uint64_t src, uint64_t bytes)
{
	swgpu_batch_copy(&c->b, dst, src, bytes);
	c->cmds++;
}

static void blit(struct ctx *c, uint64_t dst, uint32_t dpitch, uint64_t src,
		 uint32_t spitch, uint32_t w, uint32_t h)
{
	swgpu_batch_blit(&c->b, dst, dpitch, src, spitch, w, h, BPP);
	c->cmds++;
}

/* ---- Drawing into a strip: columns [x0, x0 + w) of the picture at va ---- */

struct strip {
	int x0, w;
	uint64_t va;
	uint32_t pitch;		/* w * BPP: the strip's rows are contiguous */
};

static uint64_t strip_px(const struct strip *st, int x, int y)
{
	return st->va + (uint64_t)y * st->pitch + (uint64_t)(x - st->x0) * BPP;
}

/* FILL the span [x0, x1) of row @y, clipped to the strip. */
static void span(struct ctx *c, const struct strip *st, int y, int x0, int x1,
		 uint32_t px)
{
	x0 = x0 < st->x0 ? st->x0 : x0;
	x1 = x1 > st->x0 + st->w ? st->x0 + st->w : x1;
	if (x1 > x0)
		fill(c, strip_px(st, x0, y), (uint64_t)(x1 - x0) * BPP, px);
}

/* The atom GPU's part of a strip: the sky, the sun and the hills. */
static void draw_sky(struct ctx *c, const struct strip *st)
{
	int x0, x1;

	for (int y = 0; y < HORIZON; y++)
		span(c, st, y, 0, W, sky(y));
	for (int s = 0; s < 3; s++)
		for (int y = 0; y < H; y++)
			if (shape_span(s, y, &x0, &x1))
				span(c, st, y, x0, x1, shape_px(s));
}

/* Scratch BO layout of the llc GPU's part. */
#define SCR_ROW_A	0			/* a shore row starting SAND */
#define SCR_ROW_B	PITCH			/* one starting SAND_DARK */
#define SCR_LETTER	(2 * PITCH)		/* BLOCK x BLOCK pixels */
#define SCR_SHADOW	(SCR_LETTER + BLOCK * BLOCK * BPP)

/*
 * Rows [y, y + n) of the strip from the picture-wide row at @src: the
 * strip's columns COPYed in, then doubled down by COPYs.
 */
static void rows_from(struct ctx *c, const struct strip *st, int y, int n,
		      uint64_t src)
{
	int done = 1;

	copy(c, strip_px(st, st->x0, y), src + (uint64_t)st->x0 * BPP, st->pitch);
	while (done < n) {
		int k = done < n - done ? done : n - done;

		copy(c, strip_px(st, st->x0, y + done), strip_px(st, st->x0, y),
		     (uint64_t)k * st->pitch);
		done += k;
	}
}

/* One letter block at (x, y) from the sprite at @sprite, clipped to the strip. */
static void block(struct ctx *c, const struct strip *st, int x, int y,
		  uint64_t sprite)
{
	int c0 = x > st->x0 ? x : st->x0;
	int c1 = x + BLOCK < st->x0 + st->w ? x + BLOCK : st->x0 + st->w;

	if (c1 > c0)
		blit(c, strip_px(st, c0, y), st->pitch,
		     sprite + (uint64_t)(c0 - x) * BPP, BLOCK * BPP, c1 - c0, BLOCK);
}

/* The llc GPU's part of a strip: the shore and the letters. */
static void draw_shore_and_letters(struct ctx *c, const struct strip *st)
{
	uint64_t a = VA_SCRATCH + SCR_ROW_A, b = VA_SCRATCH + SCR_ROW_B;
	int x, y, pass;

	/* A shore row: two tiles, doubled up to the picture's width. */
	fill(c, a, TILE * BPP, SAND);
	fill(c, a + TILE * BPP, TILE * BPP, SAND_DARK);
	for (x = 2 * TILE; x < W; x *= 2)
		copy(c, a + x * BPP, a, (uint64_t)x * BPP);
	/* The other row is the first shifted by a tile. */
	copy(c, b, a + TILE * BPP, (W - TILE) * BPP);
	copy(c, b + (W - TILE) * BPP, a, TILE * BPP);
	for (y = SHORE_Y; y < H; y += TILE)
		rows_from(c, st, y, H - y < TILE ? H - y : TILE,
			  (y - SHORE_Y) / TILE & 1 ? b : a);

	fill(c, VA_SCRATCH + SCR_LETTER, BLOCK * BLOCK * BPP, LETTER);
	fill(c, VA_SCRATCH + SCR_SHADOW, BLOCK * BLOCK * BPP, LETTER_SHADOW);
	for (int i = 0; letter_block(i, &x, &y, &pass); i++)
		block(c, st, x, y, VA_SCRATCH + (pass ? SCR_LETTER : SCR_SHADOW));
}

/* ---- The processes ---- */

struct gpus {
	int llc, atom;		/* hardware slots */
	uint64_t atom_as_slots;	/* the atom GPU's address-space slots */
	int jd;			/* jdgpu's PCI slot, -1 if there is none */
};

/* The swgpu GPUs (both are needed) and the first jdgpu (if any). */
static int find_gpus(struct gpus *g)
{
	int fd = jdgpu_open(-1, 0);
	uint64_t p;

	g->jd = -1;
	if (fd >= 0) {
		if (!gmmu_get_param(&jdgpu_gmmu_ioctls, fd,
				    DRM_JDGPU_PARAM_PCI_SLOT, &p))
			g->jd = p;
		close(fd);
	}
	g->llc = g->atom = -1;
	for (int s = 0; s < 16; s++) {
		fd = swgpu_open(s, SWGPU_OPEN_RENDER);
		if (fd < 0)
			continue;
		if (!swgpu_get_param(fd, DRM_SWGPU_PARAM_PROFILE, &p)) {
			if (p == DRM_SWGPU_PROFILE_LLC && g->llc < 0)
				g->llc = s;
			if (p == DRM_SWGPU_PROFILE_ATOM && g->atom < 0 &&
			    !swgpu_get_param(fd, DRM_GMMU_PARAM_AS_SLOTS,
					     &g->atom_as_slots))
				g->atom = s;
		}
		close(fd);
	}
	return g->llc >= 0 && g->atom >= 0 ? 0 : -ENODEV;
}

static uint64_t page_align(uint64_t v)
{
	return (v + 4095) & ~4095ull;
}

/* Exports @handle of @c as a dma-buf; *dmabuf is -1 on error. */
static int export(struct ctx *c, uint32_t handle, int *dmabuf)
{
	*dmabuf = -1;
	return drmPrimeHandleToFD(c->fd, handle, DRM_CLOEXEC | DRM_RDWR, dmabuf) ?
		-errno : 0;
}

/* Worker @i of @n: draws its strip on both GPUs, sends it on @sock. */
static int worker(int sock, const struct gpus *g, int i, int n)
{
	struct ctx atom = { .fd = -1 }, llc = { .fd = -1 };
	struct part_msg m = { .kind = MSG_PART };
	struct strip st = { .va = VA_STRIP };
	uint32_t handle;
	int dmabuf = -1, ret;
	const char *step;

	strip_cols(i, n, &st.x0, &st.w);
	st.pitch = st.w * BPP;
	m.width = st.w;
	m.height = H;
	m.pitch = st.pitch;
	m.format = DRM_FORMAT_ABGR8888;
	m.size = page_align((uint64_t)H * st.pitch);

	step = "atom GPU: context, strip BO";
	ret = ctx_open(&atom, &swgpu_gmmu_ioctls, g->atom);
	if (!ret)
		ret = ctx_bo(&atom, VA_STRIP, m.size, &handle, NULL);
	if (!ret)
		ret = ctx_begin(&atom);
	if (ret)
		goto out;
	step = "atom GPU: sky, sun and hills";
	draw_sky(&atom, &st);
	ret = ctx_run(&atom);
	if (ret)
		goto out;
	send_text(sock, MSG_PROGRESS, "atom GPU: sky, sun and hills of columns %d-%d, %d FILLs",
		  st.x0, st.x0 + st.w - 1, atom.cmds);

	step = "export on atom, import on llc";
	ret = export(&atom, handle, &dmabuf);
	if (!ret)
		ret = ctx_open(&llc, &swgpu_gmmu_ioctls, g->llc);
	if (!ret)
		ret = ctx_import(&llc, dmabuf, VA_STRIP, m.size);
	if (!ret)
		ret = ctx_bo(&llc, VA_SCRATCH, SCRATCH_SIZE, NULL, NULL);
	if (!ret)
		ret = ctx_begin(&llc);
	if (ret)
		goto out;
	step = "llc GPU: shore and letters";
	draw_shore_and_letters(&llc, &st);
	ret = ctx_run(&llc);
	if (ret)
		goto out;
	send_text(sock, MSG_PROGRESS, "llc GPU, through a dma-buf import: shore and letters, %d commands",
		  llc.cmds);

	step = "sending the dma-buf";
	snprintf(m.text, sizeof(m.text), "columns %d-%d", st.x0, st.x0 + st.w - 1);
	ret = send_msg(sock, &m, dmabuf);
out:
	if (ret)
		send_text(sock, MSG_FAIL, "%s: %s", step, strerror(-ret));
	if (dmabuf >= 0)
		close(dmabuf);
	ctx_close(&llc);
	ctx_close(&atom);
	return ret ? 1 : 0;
}

/* The panel on the atom GPU, sent on @sock: what --panel-cmd replaces. */
static int panel_producer(int sock, const struct gpus *g)
{
	struct ctx atom = { .fd = -1 };
	struct part_msg m = {
		.kind = MSG_PART, .width = PANEL_W, .height = PANEL_H,
		.pitch = PANEL_W * BPP, .format = DRM_FORMAT_ABGR8888,
		.size = page_align(PANEL_W * PANEL_H * BPP),
	};
	uint32_t handle;
	int dmabuf = -1, ret;

	ret = ctx_open(&atom, &swgpu_gmmu_ioctls, g->atom);
	if (!ret)
		ret = ctx_bo(&atom, VA_STRIP, m.size, &handle, NULL);
	if (!ret)
		ret = ctx_begin(&atom);
	if (ret)
		goto out;
	for (unsigned int i = 0; i < npanel_rects; i++) {
		const struct panel_rect *r = &panel_rects[i];

		for (int y = r->y; y < r->y + r->h; y++)
			fill(&atom, VA_STRIP + (uint64_t)y * m.pitch + r->x * BPP,
			     (uint64_t)r->w * BPP, rgb(r->r, r->g, r->b));
	}
	ret = ctx_run(&atom);
	if (ret)
		goto out;
	send_text(sock, MSG_PROGRESS, "atom GPU: %u rectangles, %d FILLs",
		  npanel_rects, atom.cmds);
	ret = export(&atom, handle, &dmabuf);
	snprintf(m.text, sizeof(m.text), "%dx%d", PANEL_W, PANEL_H);
	if (!ret)
		ret = send_msg(sock, &m, dmabuf);
out:
	if (ret)
		send_text(sock, MSG_FAIL, "panel: %s", strerror(-ret));
	if (dmabuf >= 0)
		close(dmabuf);
	ctx_close(&atom);
	return ret ? 1 : 0;
}

/* --panel-producer: run by --panel-cmd, as an outside client would be. */
static int panel_producer_main(void)
{
	int sock = panel_client_socket("panel producer");
	struct gpus g;

	if (sock < 0)
		return sock == -2 ? 2 : 1;
	if (find_gpus(&g)) {
		send_text(sock, MSG_FAIL, "panel producer: no llc and atom GPUs");
		return 1;
	}
	return panel_producer(sock, &g);
}

/* ---- The compositor ---- */

struct proc {
	pid_t pid;
	int sock;		/* -1 once closed */
	bool part;		/* its part arrived */
	char name[32];
};

struct progress {
	int done, total;
	bool tty;
	char line[200];		/* the last step, "who: what" */
};

/* On a terminal: the bar and the last step, over the previous line. */
static void progress_draw(const struct progress *p)
{
	int bar = 24 * p->done / p->total;

	printf("\rpicture: [%.*s%*s] %2d/%d %.70s\033[K",
	       bar, "########################", 24 - bar, "",
	       p->done, p->total, p->line);
	fflush(stdout);
}

/* One more step done: a line of its own, or the bar redrawn on a terminal. */
static void progress(struct progress *p, const char *who, const char *fmt, ...)
{
	char text[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* An outside producer may report more steps than were counted. */
	if (++p->done > p->total)
		p->total = p->done;
	snprintf(p->line, sizeof(p->line), "%s: %s", who, text);
	if (p->tty)
		progress_draw(p);
	else
		printf("picture: [%d/%d] %s\n", p->done, p->total, p->line);
}

/* A message of its own; on a terminal, the bar is drawn again below it. */
static void note(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	if (p->tty)
		printf("\r\033[K");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (p->tty && p->done)
		progress_draw(p);
}

/* A counter of the GPU's debugfs, or -1 if it cannot be read. */
static long long dfs_counter(int slot, const char *file, const char *key)
{
	int fd = swgpu_open(slot, SWGPU_OPEN_RENDER);
	char dir[128];
	long long v;
	int ret;

	if (fd < 0)
		return -1;
	ret = gmmu_debugfs_dir(fd, dir, sizeof(dir));
	close(fd);
	if (!ret)
		ret = gmmu_debugfs_value(dir, file, key, &v);
	return ret ? -1 : v;
}

/* jdgpu's CRC32s: one per band of BAND_ROWS rows, then the whole picture's. */
#define NBANDS		8
#define BAND_ROWS	(H / NBANDS)
#define NCRCS		(NBANDS + 1)

struct compositor {
	struct ctx atom, llc;
	struct ctx jd;		/* jdgpu's context; fd -1 without jdgpu */
	uint32_t picture;	/* atom's handle */
	uint8_t *map;		/* the picture, through atom's mmap */
	uint32_t *crc;		/* jdgpu's CRC32s, through its results BO's mmap */
	int panel_idx;		/* the panel's import, in llc's BOs, or -1 */
	struct part_msg panel;	/* how its producer described it */
	struct progress pg;
};

/* Checks what a producer says of its part against what was asked for. */
static int check_part(const struct part_msg *m, int w, int h, int dmabuf)
{
	off_t size = lseek(dmabuf, 0, SEEK_END);

	if (m->width != (uint32_t)w || m->height != (uint32_t)h ||
	    m->format != DRM_FORMAT_ABGR8888 || m->pitch < (uint32_t)w * BPP ||
	    (m->pitch & 3) || (m->offset & 3) ||
	    m->size < m->offset + (uint64_t)m->pitch * h ||
	    size < 0 || (uint64_t)size < m->size || (m->size & 4095) ||
	    m->size > PART_STRIDE)
		return -EINVAL;
	return 0;
}

/*
 * Imports part @idx (a strip, or the panel at @idx == n) on the llc GPU;
 * a strip is BLITted into place at once.
 */
static int composite_part(struct compositor *cp, int idx, int n,
			  const struct part_msg *m, int dmabuf)
{
	uint64_t va = VA_PART + idx * PART_STRIDE;
	int x0, w, ret;

	if (idx == n) {
		ret = check_part(m, PANEL_W, PANEL_H, dmabuf);
		if (!ret)
			ret = ctx_import(&cp->llc, dmabuf, va, m->size);
		/* BLITted once every strip is in: the first strip covers it. */
		if (!ret)
			cp->panel_idx = cp->llc.nbos - 1;
		return ret;
	}
	strip_cols(idx, n, &x0, &w);
	ret = check_part(m, w, H, dmabuf);
	if (!ret)
		ret = ctx_import(&cp->llc, dmabuf, va, m->size);
	if (!ret)
		ret = ctx_begin(&cp->llc);
	if (ret)
		return ret;
	blit(&cp->llc, VA_PICTURE + (uint64_t)x0 * BPP, PITCH, va + m->offset,
	     m->pitch, w, H);
	return ctx_run(&cp->llc);
}

/* The panel and the lake, on the llc GPU. */
static int finish_llc(struct compositor *cp)
{
	int ret = ctx_begin(&cp->llc), y;

	if (ret)
		return ret;
	blit(&cp->llc, VA_PICTURE + (uint64_t)PANEL_Y * PITCH + PANEL_X * BPP,
	     PITCH, cp->llc.va[cp->panel_idx] + cp->panel.offset,
	     cp->panel.pitch, PANEL_W, PANEL_H);
	for (y = 0; y < LAKE_H; y++) {
		uint64_t dst = VA_PICTURE + (uint64_t)(HORIZON + y) * PITCH;
		uint64_t src = VA_PICTURE + (uint64_t)(HORIZON - 1 - y) * PITCH;
		int dx;

		if (!lake_row(y, &dx)) {
			fill(&cp->llc, dst, PITCH, WATER);
		} else if (dx >= 0) {
			copy(&cp->llc, dst, src + dx * BPP, (W - dx) * BPP);
			if (dx)
				fill(&cp->llc, dst + (W - dx) * BPP, dx * BPP, WATER);
		} else {
			copy(&cp->llc, dst - dx * BPP, src, (W + dx) * BPP);
			fill(&cp->llc, dst, -dx * BPP, WATER);
		}
	}
	return ctx_run(&cp->llc);
}

/*
 * The lake's ripples, once the lake is in: FILL descriptors on jdgpu,
 * through its import of the picture; FILLs on the llc GPU without jdgpu.
 */
static int draw_ripples(struct ctx *c)
{
	int ret = ctx_begin(c), y, x0, x1;

	if (ret)
		return ret;
	for (int k = 0; k < NRIPPLES; k++) {
		ripple(k, &y, &x0, &x1);
		fill(c, VA_PICTURE + (uint64_t)y * PITCH + x0 * BPP,
		     (uint64_t)(x1 - x0) * BPP, RIPPLE);
	}
	return ctx_run(c);
}

/* Where CRC32 @k of jdgpu's covers the picture. */
static void crc_range(int k, uint64_t *offset, uint64_t *len)
{
	*offset = k < NBANDS ? (uint64_t)k * BAND_ROWS * PITCH : 0;
	*len = k < NBANDS ? (uint64_t)BAND_ROWS * PITCH : (uint64_t)H * PITCH;
}

/*
 * jdgpu reads the finished picture through its import and writes the
 * CRC32 of each band and of the whole into its own results BO.
 */
static int jdgpu_crcs(struct compositor *cp)
{
	int ret = ctx_begin(&cp->jd);
	uint64_t off, len;

	if (ret)
		return ret;
	/* None matches by chance: a descriptor that did not run is seen. */
	for (int k = 0; k < NCRCS; k++)
		cp->crc[k] = 0;
	for (int k = 0; k < NCRCS; k++) {
		crc_range(k, &off, &len);
		jdgpu_chain_op(&cp->jd.jc, JDGPU_OP_CRC32, VA_RESULTS + 4 * k,
			       VA_PICTURE + off, len, 0);
		cp->jd.cmds++;
	}
	return ctx_run(&cp->jd);
}

/* The frame, on the atom GPU. */
static int draw_frame(struct compositor *cp)
{
	int ret = ctx_begin(&cp->atom);

	if (ret)
		return ret;
	fill(&cp->atom, VA_PICTURE, FRAME * PITCH, FRAME_COLOUR);
	fill(&cp->atom, VA_PICTURE + (uint64_t)(H - FRAME) * PITCH, FRAME * PITCH,
	     FRAME_COLOUR);
	for (int y = FRAME; y < H - FRAME; y++) {
		fill(&cp->atom, VA_PICTURE + (uint64_t)y * PITCH, FRAME * BPP,
		     FRAME_COLOUR);
		fill(&cp->atom, VA_PICTURE + (uint64_t)y * PITCH + (W - FRAME) * BPP,
		     FRAME * BPP, FRAME_COLOUR);
	}
	return ctx_run(&cp->atom);
}

/* The picture's BO on the atom GPU, cleared there, and its import on llc. */
static int setup(struct compositor *cp, const struct gpus *g)
{
	int dmabuf = -1, ret;

	ret = ctx_open(&cp->atom, &swgpu_gmmu_ioctls, g->atom);
	if (!ret)
		ret = ctx_open(&cp->llc, &swgpu_gmmu_ioctls, g->llc);
	if (!ret)
		ret = ctx_bo(&cp->atom, VA_PICTURE, H * PITCH, &cp->picture,
			     (void **)&cp->map);
	if (!ret)
		ret = ctx_begin(&cp->atom);
	if (ret)
		return ret;
	fill(&cp->atom, VA_PICTURE, H * PITCH, CLEAR_COLOUR);
	ret = ctx_run(&cp->atom);
	if (!ret)
		ret = export(&cp->atom, cp->picture, &dmabuf);
	if (!ret)
		ret = ctx_import(&cp->llc, dmabuf, VA_PICTURE, H * PITCH);
	/* jdgpu's 40-bit DMA reaches the atom BO's pages, as llc's does. */
	if (!ret && g->jd >= 0)
		ret = ctx_open(&cp->jd, &jdgpu_gmmu_ioctls, g->jd);
	if (!ret && g->jd >= 0)
		ret = ctx_import(&cp->jd, dmabuf, VA_PICTURE, H * PITCH);
	if (!ret && g->jd >= 0)
		ret = ctx_bo(&cp->jd, VA_RESULTS, 4096, NULL, (void **)&cp->crc);
	if (dmabuf >= 0)
		close(dmabuf);
	return ret;
}

/*
 * Starts the producers: @n workers and the panel's (@panel_cmd, or a
 * fork of this program). Returns how many started; -errno on error.
 */
static int start(struct proc *p, int n, const struct gpus *g, const char *panel_cmd)
{
	for (int i = 0; i <= n; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
			return -errno;
		fflush(stdout);
		p[i].pid = fork();
		if (p[i].pid < 0) {
			close(sv[0]);
			close(sv[1]);
			return -errno;
		}
		if (!p[i].pid) {
			char fd[16], size[16];

			for (int k = 0; k < i; k++)
				close(p[k].sock);
			close(sv[0]);
			if (i < n)
				_exit(worker(sv[1], g, i, n));
			if (!panel_cmd)
				_exit(panel_producer(sv[1], g));
			/* The hook: the socket, kept open across exec. */
			snprintf(fd, sizeof(fd), "%d", sv[1]);
			snprintf(size, sizeof(size), "%dx%d", PANEL_W, PANEL_H);
			if (fcntl(sv[1], F_SETFD, 0) ||
			    setenv(PANEL_ENV_FD, fd, 1) ||
			    setenv(PANEL_ENV_SIZE, size, 1))
				_exit(127);
			execl("/bin/sh", "sh", "-c", panel_cmd, (char *)NULL);
			_exit(127);
		}
		close(sv[1]);
		p[i].sock = sv[0];
		p[i].part = false;
		if (i < n)
			snprintf(p[i].name, sizeof(p[i].name), "worker %d (pid %d)",
				 i, (int)p[i].pid);
		else
			snprintf(p[i].name, sizeof(p[i].name), "panel (pid %d)",
				 (int)p[i].pid);
	}
	return 0;
}

/* Receives every part and composites the strips as they come. */
static int gather(struct compositor *cp, struct proc *p, int n)
{
	int parts = 0;

	while (parts < n + 1) {
		struct pollfd pfd[MAX_WORKERS + 1];
		int idx[MAX_WORKERS + 1], np = 0, ret;

		for (int i = 0; i <= n; i++) {
			if (p[i].sock < 0)
				continue;
			pfd[np].fd = p[i].sock;
			pfd[np].events = POLLIN;
			idx[np++] = i;
		}
		if (!np)
			return -EPIPE;
		ret = poll(pfd, np, TIMEOUT_MS);
		if (ret <= 0) {
			note(&cp->pg, "picture: no word from the producers for %d s\n",
			     TIMEOUT_MS / 1000);
			return ret ? -errno : -ETIMEDOUT;
		}
		for (int k = 0; k < np; k++) {
			struct proc *pr = &p[idx[k]];
			struct part_msg m;
			int fd;

			if (!pfd[k].revents)
				continue;
			ret = recv_msg(pr->sock, &m, &fd);
			if (ret <= 0) {
				close(pr->sock);
				pr->sock = -1;
				if (pr->part)
					continue;
				note(&cp->pg, "picture: %s: %s before sending its part\n",
				     pr->name, ret ? strerror(-ret) : "gone");
				return -EPIPE;
			}
			if (m.kind == MSG_FAIL || (m.kind == MSG_PART && fd < 0) ||
			    (m.kind != MSG_PROGRESS && m.kind != MSG_PART) ||
			    (m.kind == MSG_PART && pr->part)) {
				note(&cp->pg, "picture: %s: FAILED: %s\n", pr->name,
				     m.kind == MSG_FAIL ? m.text : "bad message");
				if (fd >= 0)
					close(fd);
				return -EPROTO;
			}
			if (m.kind == MSG_PROGRESS) {
				progress(&cp->pg, pr->name, "%s", m.text);
				continue;
			}
			pr->part = true;
			parts++;
			progress(&cp->pg, pr->name, "sent its part (%s) as a dma-buf",
				 m.text);
			if (idx[k] == n)
				cp->panel = m;
			ret = composite_part(cp, idx[k], n, &m, fd);
			close(fd);
			if (ret) {
				note(&cp->pg, "picture: %s's part: FAILED: %s\n",
				     pr->name, strerror(-ret));
				return ret;
			}
			progress(&cp->pg, "compositor", idx[k] == n ?
				 "imported the panel on the llc GPU" :
				 "imported the strip on the llc GPU, BLITted it in");
		}
	}
	return 0;
}

/*
 * Which part of the picture drew pixel (@x, @y), for a mismatch report;
 * @jd: whether jdgpu drew the ripples.
 */
static const char *owner(int x, int y, int n, bool jd)
{
	static char buf[48];
	int i, ry, x0, x1;

	if (x < FRAME || x >= W - FRAME || y < FRAME || y >= H - FRAME)
		return "the frame (compositor, atom GPU)";
	for (int k = 0; k < NRIPPLES; k++) {
		ripple(k, &ry, &x0, &x1);
		if (y == ry && x >= x0 && x < x1)
			return jd ? "a ripple (compositor, jdgpu)" :
				"a ripple (compositor, llc GPU)";
	}
	if (y >= HORIZON && y < SHORE_Y)
		return "the lake (compositor, llc GPU)";
	if (x >= PANEL_X && x < PANEL_X + PANEL_W && y >= PANEL_Y && y < PANEL_Y + PANEL_H)
		return "the panel";
	for (i = 0; i < n - 1 && x >= W * (i + 1) / n; i++)
		;
	snprintf(buf, sizeof(buf), "worker %d's strip", i);
	return buf;
}

static long first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

/* jdgpu's CRC32s @got against zlib's of @ref; says the first that differs. */
static int crc_check(struct progress *pg, const uint32_t *got, const uint8_t *ref)
{
	uint64_t off, len;

	for (int k = 0; k < NCRCS; k++) {
		uint32_t want;

		crc_range(k, &off, &len);
		want = crc32(0, ref + off, len);
		if (got[k] == want)
			continue;
		if (k < NBANDS)
			note(pg, "picture: jdgpu's CRC32 of rows %d-%d is %08x, zlib's of the CPU reference %08x\n",
			     k * BAND_ROWS, (k + 1) * BAND_ROWS - 1, got[k], want);
		else
			note(pg, "picture: jdgpu's CRC32 of the whole picture is %08x, zlib's of the CPU reference %08x\n",
			     got[k], want);
		return -EIO;
	}
	return 0;
}

static int write_png(const char *path, const uint8_t *img);
static int read_png(const char *path, uint8_t *img);

static int compositor_main(int n, const char *panel_cmd, const char *out,
			   bool require_jd)
{
	static uint8_t img[H * PITCH], ref[H * PITCH], back[H * PITCH];
	struct compositor cp = {
		.atom.fd = -1, .llc.fd = -1, .jd.fd = -1, .panel_idx = -1,
	};
	uint32_t crcs[NCRCS];
	struct proc p[MAX_WORKERS + 1];
	long long viol0, viol1, steals0, steals1;
	int ret, failed = 0;
	struct timespec t0, t1;
	struct gpus g;
	long bad;

	memset(p, 0, sizeof(p));
	for (int i = 0; i <= MAX_WORKERS; i++)
		p[i].sock = -1;
	if (find_gpus(&g)) {
		printf("picture: needs an llc and an atom swgpu GPU\n");
		return 1;
	}
	if (g.jd < 0 && require_jd) {
		printf("picture: no jdgpu GPU, and --require-jdgpu: FAILED\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cp.pg.tty = isatty(STDOUT_FILENO);
	/*
	 * Each worker: 2 drawn + 1 sent; panel: 1 + 1; compositor: 1 + per
	 * part + 5; jdgpu: its CRC32s and their check.
	 */
	cp.pg.total = 3 * n + 2 + 1 + (n + 1) + 5 + (g.jd >= 0 ? 2 : 0);
	viol0 = dfs_counter(g.atom, "swgpu_coherency", "violations");
	steals0 = dfs_counter(g.atom, "gmmu_slots", "steals");
	printf("picture: %dx%d, %d worker processes and a panel producer (%s%s), on gpu%d (llc) and gpu%d (atom)\n",
	       W, H, n, panel_cmd ? "--panel-cmd " : "swgpu, forked",
	       panel_cmd ? panel_cmd : "", g.llc, g.atom);
	if (g.jd >= 0)
		printf("picture: and jdgpu (PCI slot %d), another driver: it draws the ripples and CRC32s the finished picture\n",
		       g.jd);
	else
		printf("picture: no jdgpu GPU: the llc GPU draws the ripples, and no second driver checks the picture\n");

	ret = start(p, n, &g, panel_cmd);
	if (!ret)
		ret = setup(&cp, &g);
	if (!ret) {
		progress(&cp.pg, "compositor", "picture BO made and cleared on the atom GPU, imported on llc");
		ret = gather(&cp, p, n);
	}
	if (!ret) {
		ret = finish_llc(&cp);
		if (!ret)
			progress(&cp.pg, "compositor", "llc GPU: panel BLITted, lake COPYed from the hills");
	}
	if (!ret) {
		struct ctx *c = g.jd >= 0 ? &cp.jd : &cp.llc;

		ret = draw_ripples(c);
		if (!ret && g.jd >= 0)
			progress(&cp.pg, "compositor", "jdgpu: %d ripples, a chain of %d FILL descriptors, into its import of the atom BO",
				 NRIPPLES, c->cmds);
		else if (!ret)
			progress(&cp.pg, "compositor", "llc GPU: %d ripples, %d FILLs",
				 NRIPPLES, c->cmds);
	}
	if (!ret) {
		ret = draw_frame(&cp);
		if (!ret)
			progress(&cp.pg, "compositor", "atom GPU: frame");
	}
	if (!ret && g.jd >= 0) {
		ret = jdgpu_crcs(&cp);
		if (!ret)
			progress(&cp.pg, "compositor", "jdgpu: CRC32 of %d bands of %d rows and of the whole picture, %d CRC32 descriptors",
				 NBANDS, BAND_ROWS, cp.jd.cmds);
	}
	if (ret) {
		note(&cp.pg, "picture: FAILED: %s\n", strerror(-ret));
		failed++;
	}

	/* Every producer ends; those still busy after a failure are stopped. */
	for (int i = 0; i <= n; i++) {
		int status = 0;

		if (p[i].sock >= 0)
			close(p[i].sock);
		if (p[i].pid <= 0)
			continue;
		if (failed)
			kill(p[i].pid, SIGTERM);
		if (waitpid(p[i].pid, &status, 0) < 0 ||
		    (!failed && (!WIFEXITED(status) || WEXITSTATUS(status)))) {
			note(&cp.pg, "picture: %s did not exit cleanly (status %#x)\n",
			     p[i].name, status);
			failed++;
		}
	}
	if (failed) {
		ctx_close(&cp.jd);
		ctx_close(&cp.llc);
		ctx_close(&cp.atom);
		return 1;
	}

	/* Read back through the atom BO's mmap: the faults invalidate. */
	memcpy(img, cp.map, sizeof(img));
	munmap(cp.map, H * PITCH);
	if (cp.crc) {
		memcpy(crcs, cp.crc, sizeof(crcs));
		munmap(cp.crc, 4096);
	}
	ctx_close(&cp.jd);
	ctx_close(&cp.llc);
	ctx_close(&cp.atom);
	ref_scene(ref);
	bad = first_diff(img, ref, sizeof(ref));
	if (bad >= 0) {
		int x = bad % PITCH / BPP, y = bad / PITCH;

		note(&cp.pg, "picture: MISMATCH with the CPU reference at pixel (%d, %d), in %s\n",
		     x, y, owner(x, y, n, g.jd >= 0));
		return 1;
	}
	progress(&cp.pg, "compositor", "every pixel equal to the CPU reference");
	if (g.jd >= 0) {
		if (crc_check(&cp.pg, crcs, ref))
			return 1;
		progress(&cp.pg, "compositor", "jdgpu's %d CRC32s equal zlib's of the CPU reference",
			 NCRCS);
	}

	viol1 = dfs_counter(g.atom, "swgpu_coherency", "violations");
	steals1 = dfs_counter(g.atom, "gmmu_slots", "steals");
	if (viol0 >= 0 && viol1 != viol0) {
		note(&cp.pg, "picture: the atom GPU's coherency checker counted %lld violations\n",
		     viol1 - viol0);
		return 1;
	}

	ret = write_png(out, img);
	if (!ret)
		ret = read_png(out, back);
	if (ret) {
		note(&cp.pg, "picture: writing or reading %s: FAILED: %s\n", out, strerror(-ret));
		return 1;
	}
	bad = first_diff(back, ref, sizeof(ref));
	if (bad >= 0) {
		note(&cp.pg, "picture: %s read back: MISMATCH with the CPU reference at pixel (%ld, %ld)\n",
		     out, bad % PITCH / BPP, bad / PITCH);
		return 1;
	}
	progress(&cp.pg, "compositor", "PNG written, decoded again, equal to the reference");
	if (cp.pg.tty)
		printf("\n");
	if (viol0 >= 0)
		printf("picture: atom GPU: coherency checker silent (0 violations); its %llu address-space slot(s) changed hands %lld times\n",
		       (unsigned long long)g.atom_as_slots, steals1 - steals0);
	else
		printf("picture: atom GPU: coherency checker not readable (root and debugfs needed)\n");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("picture: %s (%dx%d RGBA) decoded and equal to the CPU reference, %.1f s: ok\n",
	       out, W, H, t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
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

static int usage(void)
{
	fprintf(stderr, "usage: swgpu_picture [--workers N] [--panel-cmd CMD] [--require-jdgpu] OUT.png\n"
		"       swgpu_picture --panel-producer\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *panel_cmd = NULL, *out = NULL;
	bool require_jd = false;
	int n = 4;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--panel-producer") && argc == 2)
			return panel_producer_main();
		if (!strcmp(argv[i], "--workers") && i + 1 < argc) {
			n = atoi(argv[++i]);
			if (n < 3 || n > MAX_WORKERS)
				return usage();
		} else if (!strcmp(argv[i], "--panel-cmd") && i + 1 < argc) {
			panel_cmd = argv[++i];
		} else if (!strcmp(argv[i], "--require-jdgpu")) {
			require_jd = true;
		} else if (argv[i][0] != '-' && !out) {
			out = argv[i];
		} else {
			return usage();
		}
	}
	if (!out)
		return usage();
	/* A producer that dies must not take the compositor with it. */
	signal(SIGPIPE, SIG_IGN);
	return compositor_main(n, panel_cmd, out, require_jd);
}
