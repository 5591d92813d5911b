// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_mesa_panel: the demo picture's panel (the test card) drawn by
 * Mesa, an outside client of swgpu, through swgpu_picture's hook:
 *
 *   swgpu_picture --panel-cmd swgpu_mesa_panel OUT.png
 *   swgpu_mesa_panel --probe
 *
 * Run by the hook (SWGPU_PICTURE_FD and SWGPU_PICTURE_PANEL set, see
 * swgpu_picture_proto.h), it opens Mesa's software EGL device (llvmpipe;
 * EGL_EXT_platform_device with EGL_MESA_device_software, no surface),
 * makes a PANEL_W x PANEL_H GL_RGBA8 texture the colour buffer of a
 * framebuffer, clears each rectangle of panel_rects[] into it with
 * glScissor() and glClear() (a clear writes exactly the colour asked for,
 * no blending, no rounding of coordinates), waits for GL with glFinish(),
 * exports the texture as a dma-buf with EGL_MESA_image_dma_buf_export,
 * which must be one LINEAR DRM_FORMAT_ABGR8888 plane, and sends it to
 * the compositor as the panel part with Mesa's pitch and offset. It says
 * each step as a progress message, and any failure as MSG_FAIL.
 *
 * Synchronisation is explicit: the compositor waits on no fence of the
 * dma-buf (and Mesa attaches none to its udmabuf), so glFinish() comes
 * before the part is sent.
 *
 * --probe says on stdout whether Mesa can draw the panel here: exit 0 with
 * Mesa's version and renderer; 77 with what is missing (Mesa older than
 * 25, no software device, no dma-buf export: a reason to use another
 * producer); 1 if what is there fails.
 */
#include <stdio.h>
#include <string.h>

#include <drm_fourcc.h>

#include "mesa_egl.h"
#include "swgpu_picture_proto.h"

#define WHO	"mesa panel"

/* Mesa's version and renderer, for messages: "Mesa 25.0.7, llvmpipe (...)". */
static void mesa_name(char *buf, size_t len)
{
	const char *gl = (const char *)glGetString(GL_VERSION);
	const char *ver = gl ? strstr(gl, "Mesa ") : NULL;

	snprintf(buf, len, "%s, %s", ver ? ver : "Mesa ?",
		 (const char *)glGetString(GL_RENDERER));
}

/* Opens Mesa's device: 0, 1 if something is missing, -1 (m->why says). */
static int mesa_open(struct mesa_egl *m)
{
	int ret = mesa_egl_open(m, NULL);

	if (!ret && m->no_export) {
		snprintf(m->why, sizeof(m->why), "%s", m->no_export);
		ret = 1;
	}
	return ret;
}

static int probe(void)
{
	struct mesa_egl m;
	char name[160];
	int ret = mesa_open(&m);

	if (ret) {
		printf("%s\n", m.why);
	} else {
		mesa_name(name, sizeof(name));
		printf("%s, EGL %d.%d, EGL_MESA_image_dma_buf_export\n", name,
		       m.major, m.minor);
	}
	mesa_egl_close(&m);
	return ret < 0 ? 1 : ret ? 77 : 0;
}

/* The panel into @tex, a GL_RGBA8 texture; then waits for GL. 0 or -1. */
static int draw(struct mesa_egl *m, GLuint tex)
{
	GLuint fbo;
	GLenum err;

	glBindTexture(GL_TEXTURE_2D, tex);
	glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, PANEL_W, PANEL_H);
	glGenFramebuffers(1, &fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0,
			       GL_TEXTURE_2D, tex, 0);
	if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
		snprintf(m->why, sizeof(m->why),
			 "a %dx%d GL_RGBA8 texture is not a complete framebuffer",
			 PANEL_W, PANEL_H);
		glDeleteFramebuffers(1, &fbo);
		return -1;
	}
	glViewport(0, 0, PANEL_W, PANEL_H);
	glEnable(GL_SCISSOR_TEST);
	/*
	 * GL's y = 0 is the texture's first row in memory, which the
	 * compositor takes as the panel's top row: no flip.
	 */
	for (unsigned int i = 0; i < npanel_rects; i++) {
		const struct panel_rect *r = &panel_rects[i];

		glScissor(r->x, r->y, r->w, r->h);
		glClearColor(r->r / 255.0f, r->g / 255.0f, r->b / 255.0f, 1.0f);
		glClear(GL_COLOR_BUFFER_BIT);
	}
	glDisable(GL_SCISSOR_TEST);
	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	glDeleteFramebuffers(1, &fbo);
	/* Explicit sync: every pixel written before anyone else reads. */
	glFinish();
	err = glGetError();
	if (err != GL_NO_ERROR) {
		snprintf(m->why, sizeof(m->why), "GL error %#x while drawing", err);
		return -1;
	}
	return 0;
}

static int panel(int sock)
{
	struct mesa_egl m;
	struct mesa_export e = { .img = EGL_NO_IMAGE_KHR, .fd = -1 };
	struct part_msg part = {
		.kind = MSG_PART, .width = PANEL_W, .height = PANEL_H,
		.format = DRM_FORMAT_ABGR8888,
	};
	char name[160];
	GLuint tex = 0;
	int ret;

	ret = mesa_open(&m);
	if (ret)
		goto out;
	mesa_name(name, sizeof(name));
	send_text(sock, MSG_PROGRESS, "%s: software EGL device, GLES 3 context",
		  name);
	glGenTextures(1, &tex);
	ret = draw(&m, tex);
	if (ret)
		goto out;
	send_text(sock, MSG_PROGRESS,
		  "GL: %u rectangles, glScissor and glClear each, glFinish",
		  npanel_rects);
	ret = mesa_egl_export(&m, tex, PANEL_W, PANEL_H, &e);
	if (ret)
		goto out;
	send_text(sock, MSG_PROGRESS,
		  "texture exported: ABGR8888 LINEAR, pitch %d, offset %d, a %llu-byte dma-buf",
		  e.pitch, e.offset, (unsigned long long)e.size);
	part.pitch = e.pitch;
	part.offset = e.offset;
	part.size = e.size;
	snprintf(part.text, sizeof(part.text), "%dx%d, by Mesa", PANEL_W, PANEL_H);
	ret = send_msg(sock, &part, e.fd);
	if (ret)
		snprintf(m.why, sizeof(m.why), "sending the part: %s", strerror(-ret));
out:
	if (ret)
		send_text(sock, MSG_FAIL, WHO ": %s", m.why);
	/* The compositor holds the dma-buf now: Mesa's pages stay. */
	if (mesa_egl_export_close(&m, &e) && !ret) {
		send_text(sock, MSG_FAIL, WHO ": %s", m.why);
		ret = -1;
	}
	if (tex)
		glDeleteTextures(1, &tex);
	mesa_egl_close(&m);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	int sock;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "--probe"))
		return probe();
	if (argc != 1) {
		fprintf(stderr, "usage: swgpu_mesa_panel             (through swgpu_picture --panel-cmd)\n"
			"       swgpu_mesa_panel --probe\n");
		return 2;
	}
	sock = panel_client_socket(WHO);
	if (sock < 0)
		return sock == -2 ? 2 : 1;
	return panel(sock);
}
