/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * mesa_egl: Mesa's software renderer (llvmpipe) as a dma-buf peer, on the
 * EGL device that has EGL_MESA_device_software, with an OpenGL ES 3.0
 * context current and no surface; and the export of a GL texture as a
 * linear dma-buf. Shared by the test igt-tests/swgpu_mesa.c and the demo's
 * Mesa panel tools/swgpu_mesa_panel.c (Documentation/mesa.rst). Needs the
 * EGL and GLES headers (libegl-dev, libgles-dev). No helper asserts: each
 * says in @why what went wrong, and its caller decides.
 */
#ifndef MESA_EGL_H
#define MESA_EGL_H

#include <stdbool.h>
#include <stdint.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>
#include <GLES2/gl2ext.h>

/**
 * struct mesa_egl - Mesa's software EGL device, opened
 * @dpy: its display, or EGL_NO_DISPLAY
 * @ctx: the current GLES 3.0 context, or EGL_NO_CONTEXT
 * @major: EGL's major version
 * @minor: EGL's minor version
 * @no_export: why a texture cannot be exported (no
 *	EGL_MESA_image_dma_buf_export, and the likely reason), or NULL
 * @why: what mesa_egl_open() or a helper found missing or wrong
 * @create_image: eglCreateImageKHR
 * @destroy_image: eglDestroyImageKHR
 * @create_sync: eglCreateSyncKHR
 * @client_wait_sync: eglClientWaitSyncKHR
 * @destroy_sync: eglDestroySyncKHR
 * @export_query: eglExportDMABUFImageQueryMESA, unless @no_export
 * @export_image: eglExportDMABUFImageMESA, unless @no_export
 * @image_texture: glEGLImageTargetTexture2DOES
 * @image_renderbuffer: glEGLImageTargetRenderbufferStorageOES
 */
struct mesa_egl {
	EGLDisplay dpy;
	EGLContext ctx;
	EGLint major, minor;
	const char *no_export;
	char why[256];
	PFNEGLCREATEIMAGEKHRPROC create_image;
	PFNEGLDESTROYIMAGEKHRPROC destroy_image;
	PFNEGLCREATESYNCKHRPROC create_sync;
	PFNEGLCLIENTWAITSYNCKHRPROC client_wait_sync;
	PFNEGLDESTROYSYNCKHRPROC destroy_sync;
	PFNEGLEXPORTDMABUFIMAGEQUERYMESAPROC export_query;
	PFNEGLEXPORTDMABUFIMAGEMESAPROC export_image;
	PFNGLEGLIMAGETARGETTEXTURE2DOESPROC image_texture;
	PFNGLEGLIMAGETARGETRENDERBUFFERSTORAGEOESPROC image_renderbuffer;
};

/* Whether the space-separated @list names @ext. */
bool has_ext(const char *list, const char *ext);

/*
 * Opens Mesa's software device, checks it has what a client of swgpu
 * needs (surfaceless, config-less contexts, GL texture images, fence
 * syncs, and @need unless it is NULL) and is Mesa 25 or later, and makes
 * a GLES 3.0 context current. 0 when ready; 1 when something is missing
 * (a reason to skip, in @m->why); -1 when what is there fails (@m->why).
 * Call mesa_egl_close() in every case.
 */
int mesa_egl_open(struct mesa_egl *m, const char *need);

/* Releases the context and the display; mesa_egl_open()'s or not. */
void mesa_egl_close(struct mesa_egl *m);

/*
 * Waits on the CPU for every GL command so far (an EGL fence): what
 * hands Mesa's work to another device. 0, or -1 with @m->why.
 */
int mesa_egl_finish(struct mesa_egl *m);

/**
 * struct mesa_export - a GL texture exported as a dma-buf
 * @img: the texture's EGLImage
 * @fd: the dma-buf, or -1
 * @pitch: bytes from one row to the next
 * @offset: bytes from the dma-buf's start to row 0
 * @modifier: the layout's modifier (DRM_FORMAT_MOD_LINEAR)
 * @size: bytes of the dma-buf
 */
struct mesa_export {
	EGLImageKHR img;
	int fd;
	EGLint pitch, offset;
	uint64_t modifier;
	uint64_t size;
};

/*
 * Exports level 0 of the GL_RGBA8 texture @tex, @w x @h, as a dma-buf,
 * which must be one linear DRM_FORMAT_ABGR8888 plane that holds its rows.
 * 0, or -1 with @m->why (and nothing to release). It does not wait for
 * GL: see mesa_egl_finish().
 */
int mesa_egl_export(struct mesa_egl *m, GLuint tex, int w, int h,
		    struct mesa_export *e);

/*
 * Closes the dma-buf and destroys the EGLImage of mesa_egl_export(): 0, or
 * -1 with @m->why.
 */
int mesa_egl_export_close(struct mesa_egl *m, struct mesa_export *e);

#endif /* MESA_EGL_H */
