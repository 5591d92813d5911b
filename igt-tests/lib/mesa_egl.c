// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * mesa_egl: Mesa's software EGL device opened for a client of swgpu, and
 * GL textures exported as dma-bufs (mesa_egl.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <drm_fourcc.h>

#include "mesa_egl.h"

bool has_ext(const char *list, const char *ext)
{
	size_t n = strlen(ext);

	for (const char *p = list; p && (p = strstr(p, ext)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/* Mesa's software EGL device, or EGL_NO_DEVICE_EXT. */
static EGLDeviceEXT software_device(void)
{
	PFNEGLQUERYDEVICESEXTPROC query_devices;
	PFNEGLQUERYDEVICESTRINGEXTPROC query_string;
	EGLDeviceEXT devs[16];
	EGLint n = 0;

	query_devices = (void *)eglGetProcAddress("eglQueryDevicesEXT");
	query_string = (void *)eglGetProcAddress("eglQueryDeviceStringEXT");
	if (!query_devices || !query_string || !query_devices(16, devs, &n))
		return EGL_NO_DEVICE_EXT;
	for (EGLint i = 0; i < n; i++)
		if (has_ext(query_string(devs[i], EGL_EXTENSIONS),
			    "EGL_MESA_device_software"))
			return devs[i];
	return EGL_NO_DEVICE_EXT;
}

/* Says @fmt in @m->why; returns @ret. */
static int why(struct mesa_egl *m, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int why(struct mesa_egl *m, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
	return ret;
}

#define PROC(field, name) \
	(m->field = (void *)eglGetProcAddress(name)) != NULL

int mesa_egl_open(struct mesa_egl *m, const char *need)
{
	static const EGLint ctx_attr[] = {
		EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 0,
		EGL_NONE,
	};
	const char *const needed[] = {
		"EGL_KHR_gl_texture_2D_image", "EGL_KHR_surfaceless_context",
		"EGL_KHR_no_config_context", "EGL_KHR_fence_sync", need,
	};
	PFNEGLGETPLATFORMDISPLAYEXTPROC get_display;
	const char *ext, *gl, *mesa_ver;
	EGLDeviceEXT dev;

	memset(m, 0, sizeof(*m));
	m->dpy = EGL_NO_DISPLAY;
	m->ctx = EGL_NO_CONTEXT;
	if (!has_ext(eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS),
		     "EGL_EXT_platform_device"))
		return why(m, 1, "EGL has no EGL_EXT_platform_device (Mesa >= 25: make deps)");
	dev = software_device();
	if (dev == EGL_NO_DEVICE_EXT)
		return why(m, 1, "no EGL device with EGL_MESA_device_software");
	get_display = (void *)eglGetProcAddress("eglGetPlatformDisplayEXT");
	if (!get_display)
		return why(m, -1, "EGL_EXT_platform_device without eglGetPlatformDisplayEXT");
	m->dpy = get_display(EGL_PLATFORM_DEVICE_EXT, dev, NULL);
	if (m->dpy == EGL_NO_DISPLAY || !eglInitialize(m->dpy, &m->major, &m->minor)) {
		m->dpy = EGL_NO_DISPLAY;
		return why(m, -1, "the software EGL device does not initialise: %#x",
			   eglGetError());
	}
	ext = eglQueryString(m->dpy, EGL_EXTENSIONS);
	for (unsigned int i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (needed[i] && !has_ext(ext, needed[i]))
			return why(m, 1, "Mesa %s has no %s on its software device (Mesa >= 25: make deps)",
				   eglQueryString(m->dpy, EGL_VERSION), needed[i]);
	if (!has_ext(ext, "EGL_MESA_image_dma_buf_export"))
		m->no_export = access("/dev/udmabuf", R_OK | W_OK) ?
			"no EGL_MESA_image_dma_buf_export: Mesa exports through /dev/udmabuf, which is missing (CONFIG_UDMABUF)" :
			"no EGL_MESA_image_dma_buf_export (Mesa >= 25: make deps)";
	if (!(PROC(create_image, "eglCreateImageKHR") &&
	      PROC(destroy_image, "eglDestroyImageKHR") &&
	      PROC(create_sync, "eglCreateSyncKHR") &&
	      PROC(client_wait_sync, "eglClientWaitSyncKHR") &&
	      PROC(destroy_sync, "eglDestroySyncKHR") &&
	      PROC(image_texture, "glEGLImageTargetTexture2DOES") &&
	      PROC(image_renderbuffer, "glEGLImageTargetRenderbufferStorageOES")) ||
	    (!m->no_export &&
	     !(PROC(export_query, "eglExportDMABUFImageQueryMESA") &&
	       PROC(export_image, "eglExportDMABUFImageMESA"))))
		return why(m, -1, "an advertised EGL or GL entry point is missing");

	if (!eglBindAPI(EGL_OPENGL_ES_API))
		return why(m, -1, "eglBindAPI(EGL_OPENGL_ES_API): %#x", eglGetError());
	m->ctx = eglCreateContext(m->dpy, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, ctx_attr);
	if (m->ctx == EGL_NO_CONTEXT)
		return why(m, -1, "eglCreateContext: %#x", eglGetError());
	if (!eglMakeCurrent(m->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, m->ctx))
		return why(m, -1, "eglMakeCurrent: %#x", eglGetError());
	/* "OpenGL ES 3.2 Mesa 25.0.7-2~bpo12+1": llvmpipe's dma-buf is 25's. */
	gl = (const char *)glGetString(GL_VERSION);
	mesa_ver = gl ? strstr(gl, "Mesa ") : NULL;
	if (!mesa_ver || atoi(mesa_ver + 5) < 25)
		return why(m, 1, "%s: llvmpipe's dma-buf import and export need Mesa >= 25 (make deps)",
			   gl ? gl : "no GL_VERSION");
	return 0;
}

void mesa_egl_close(struct mesa_egl *m)
{
	if (m->dpy == EGL_NO_DISPLAY)
		return;
	if (m->ctx != EGL_NO_CONTEXT) {
		eglMakeCurrent(m->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
		eglDestroyContext(m->dpy, m->ctx);
		m->ctx = EGL_NO_CONTEXT;
	}
	eglTerminate(m->dpy);
	m->dpy = EGL_NO_DISPLAY;
}

/*
 * Mesa has no sync_file to give (no EGL_ANDROID_native_fence_sync on
 * llvmpipe) and swgpu takes no EGL fence: the wait is on the CPU.
 */
int mesa_egl_finish(struct mesa_egl *m)
{
	EGLSyncKHR sync = m->create_sync(m->dpy, EGL_SYNC_FENCE_KHR, NULL);
	EGLint ret;
	GLenum err;

	if (sync == EGL_NO_SYNC_KHR)
		return why(m, -1, "eglCreateSyncKHR: %#x", eglGetError());
	ret = m->client_wait_sync(m->dpy, sync, EGL_SYNC_FLUSH_COMMANDS_BIT_KHR,
				  EGL_FOREVER_KHR);
	if (!m->destroy_sync(m->dpy, sync) || ret != EGL_CONDITION_SATISFIED_KHR)
		return why(m, -1, "eglClientWaitSyncKHR: %#x, error %#x", ret,
			   eglGetError());
	err = glGetError();
	if (err != GL_NO_ERROR)
		return why(m, -1, "GL error %#x", err);
	return 0;
}

int mesa_egl_export(struct mesa_egl *m, GLuint tex, int w, int h,
		    struct mesa_export *e)
{
	EGLint attr[] = { EGL_GL_TEXTURE_LEVEL_KHR, 0, EGL_NONE };
	EGLuint64KHR modifier = 0;
	int fourcc = 0, planes = 0;
	off_t end;

	e->fd = -1;
	if (m->no_export)
		return why(m, -1, "%s", m->no_export);
	e->img = m->create_image(m->dpy, m->ctx, EGL_GL_TEXTURE_2D_KHR,
				 (EGLClientBuffer)(uintptr_t)tex, attr);
	if (e->img == EGL_NO_IMAGE_KHR)
		return why(m, -1, "EGLImage of a texture: %#x", eglGetError());
	if (!m->export_query(m->dpy, e->img, &fourcc, &planes, &modifier)) {
		why(m, -1, "eglExportDMABUFImageQueryMESA: %#x", eglGetError());
		goto fail;
	}
	e->modifier = modifier;
	if (fourcc != DRM_FORMAT_ABGR8888 || planes != 1 ||
	    modifier != DRM_FORMAT_MOD_LINEAR) {
		why(m, -1, "Mesa exports GL_RGBA8 as fourcc %#x (%.4s), %d planes, modifier %#llx: not one LINEAR ABGR8888 plane",
		    fourcc, (const char *)&fourcc, planes,
		    (unsigned long long)modifier);
		goto fail;
	}
	if (!m->export_image(m->dpy, e->img, &e->fd, &e->pitch, &e->offset)) {
		e->fd = -1;
		why(m, -1, "eglExportDMABUFImageMESA: %#x", eglGetError());
		goto fail;
	}
	end = e->fd >= 0 ? lseek(e->fd, 0, SEEK_END) : -1;
	e->size = end > 0 ? end : 0;
	if (e->fd < 0 || e->pitch < 4 * w || e->offset < 0 || end <= 0 ||
	    (e->size & 4095) ||
	    (uint64_t)e->offset + (uint64_t)e->pitch * h > e->size) {
		why(m, -1, "Mesa's dma-buf does not hold its rows: fd %d, pitch %d, offset %d, %lld bytes",
		    e->fd, e->pitch, e->offset, (long long)end);
		goto fail;
	}
	return 0;
fail:
	mesa_egl_export_close(m, e);
	return -1;
}

int mesa_egl_export_close(struct mesa_egl *m, struct mesa_export *e)
{
	int ret = 0;

	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
	if (e->img != EGL_NO_IMAGE_KHR && !m->destroy_image(m->dpy, e->img))
		ret = why(m, -1, "eglDestroyImageKHR: %#x", eglGetError());
	e->img = EGL_NO_IMAGE_KHR;
	return ret;
}
