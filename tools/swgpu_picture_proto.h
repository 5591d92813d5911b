/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_picture_proto: what a producer of a part of the demo's picture
 * shares with its compositor (tools/swgpu_picture.c): the messages sent
 * over the UNIX socket, the panel's size and its rectangles, and how a
 * --panel-cmd client finds its socket. Used by swgpu_picture and by the
 * Mesa client tools/swgpu_mesa_panel.c.
 */
#ifndef SWGPU_PICTURE_PROTO_H
#define SWGPU_PICTURE_PROTO_H

#include <stdint.h>

/* The panel (the test card), in pixels. */
#define PANEL_W		96
#define PANEL_H		64

/* Environment of a --panel-cmd client: its socket, the panel's size. */
#define PANEL_ENV_FD	"SWGPU_PICTURE_FD"
#define PANEL_ENV_SIZE	"SWGPU_PICTURE_PANEL"

/**
 * struct panel_rect - a solid rectangle of the panel
 * @x: left column, in the panel
 * @y: top row, in the panel (row 0 is the first in memory)
 * @w: width
 * @h: height
 * @r: red
 * @g: green
 * @b: blue (alpha is 255)
 */
struct panel_rect {
	int x, y, w, h;
	uint8_t r, g, b;
};

/* The panel: drawn in this order, they cover it. */
extern const struct panel_rect panel_rects[];
extern const unsigned int npanel_rects;

#define PART_MAGIC	0x50475753	/* "SWGP" */

/**
 * enum msg_kind - what a &struct part_msg says
 * @MSG_PROGRESS: a step is done: its text says which
 * @MSG_PART: the part, with its dma-buf
 * @MSG_FAIL: the sender failed: its text says why
 */
enum msg_kind {
	MSG_PROGRESS = 1,	/* a step is done: text says which */
	MSG_PART = 2,		/* the part, with its dma-buf */
	MSG_FAIL = 3,		/* the sender failed: text says why */
};

/**
 * struct part_msg - what a part's producer sends the compositor
 * @magic: PART_MAGIC
 * @kind: one of &enum msg_kind
 * @width: MSG_PART: pixels per row of the part
 * @height: MSG_PART: rows
 * @pitch: MSG_PART: bytes from one row to the next in the dma-buf
 * @format: MSG_PART: DRM_FORMAT_ABGR8888, linear
 * @offset: MSG_PART: bytes from the dma-buf's start to the first row
 * @pad: zero
 * @size: MSG_PART: bytes of the dma-buf
 * @text: MSG_PROGRESS, MSG_FAIL: what was done, or what went wrong
 *
 * A MSG_PART carries the dma-buf's descriptor (SCM_RIGHTS).
 */
struct part_msg {
	uint32_t magic;
	uint32_t kind;
	uint32_t width;
	uint32_t height;
	uint32_t pitch;
	uint32_t format;
	uint32_t offset;
	uint32_t pad;
	uint64_t size;
	char text[112];
};

/* Sends @m (its magic set here), with descriptor @fd unless it is -1. */
int send_msg(int sock, struct part_msg *m, int fd);

/* Sends a MSG_PROGRESS or MSG_FAIL message whose text is printf's. */
void send_text(int sock, enum msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Receives one message and its descriptor (*fd, or -1): 1, 0 at end of
 * file, -errno on error (-EPROTO for a message that is not one).
 */
int recv_msg(int sock, struct part_msg *m, int *fd);

/*
 * The socket of a --panel-cmd client (@who names it in messages), from
 * its environment. -2 if not run through the hook (said on stderr); -1 if
 * the panel asked for is not PANEL_W x PANEL_H (said to the compositor).
 */
int panel_client_socket(const char *who);

#endif /* SWGPU_PICTURE_PROTO_H */
