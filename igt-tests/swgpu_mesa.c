// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Mesa client test
 *
 * ``igt-tests/swgpu_mesa.c`` shares buffers between each swgpu GPU and
 * Mesa's software renderer (llvmpipe, on the EGL device that has
 * ``EGL_MESA_device_software``), both ways, synchronising explicitly:
 *
 * - ``swgpu-to-mesa``: the GPU builds a picture in a BO (FILL, then
 *   STORE_DWORD and COPY), the client waits for the job's out-fence, and
 *   Mesa imports the BO's dma-buf as an EGLImage (``DRM_FORMAT_ARGB8888``,
 *   linear, the BO's own pitch), samples it with ``texelFetch()`` into a
 *   second swgpu BO imported as an EGLImage and bound as a renderbuffer,
 *   flipping it vertically and swapping red and blue. After an EGL fence
 *   the GPU CRC32s the second BO; the CRC and every byte read by the CPU
 *   must match the CPU's reference, padding included.
 * - ``mesa-to-swgpu``: Mesa renders a gradient into a texture, exports it
 *   with ``EGL_MESA_image_dma_buf_export`` (a udmabuf) and, after an EGL
 *   fence, the GPU imports it, binds it in two VMs at different GPU
 *   addresses, BLITs it to a packed BO in one and COPYs it whole in the
 *   other, and CRC32s it; the CPU checks every pixel of both copies.
 * - ``bad-layouts-refused``: Mesa refuses an import whose layout does not
 *   fit the swgpu dma-buf, swgpu refuses a bind beyond the end of the
 *   imported udmabuf, and a good import still works afterwards.
 *
 * On the ``atom`` GPU the coherency checker must report nothing. On
 * dma-direct (lane ``novtd``) a GPU whose DMA mask does not reach Mesa's
 * pages refuses the import (``-ERANGE``, or ``-EIO``), as for any foreign
 * dma-buf; that is checked and said. Without EGL headers at build time, or
 * without Mesa 25's EGL device at run time, every subtest skips and says
 * why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "swgpu_dfs.h"

#define SUBTESTS(X) \
	X("swgpu-to-mesa", test_swgpu_to_mesa) \
	X("mesa-to-swgpu", test_mesa_to_swgpu) \
	X("bad-layouts-refused", test_bad_layouts)

#if !HAVE_MESA_CLIENT

/* Built without libegl-dev and libgles-dev: every subtest skips. */
igt_main
{
#define SKIP_SUBTEST(name, fn) \
	igt_subtest(name) \
		igt_skip("built without the EGL and GLES headers (make deps installs libegl-dev libgles-dev)\n");
	SUBTESTS(SKIP_SUBTEST)
}

#else

#include <drm_fourcc.h>
#include <xf86drm.h>

#include "mesa_egl.h"

#define PAGE		4096ull

/* swgpu -> Mesa: a picture with a pitch wider than its rows. */
#define SRC_W		200
#define SRC_H		120
#define SRC_PITCH	1024
#define SRC_SIZE	((uint64_t)SRC_PITCH * SRC_H)	/* 30 pages */
#define SRC_PAD		0x0badf00du	/* bytes between rows of the source */
#define DST_PAD		0x5eedc0deu	/* ... of the destination */
/* The GPU's master row: 2 * SRC_W pixels, each row a window into it. */
#define MASTER_PX	(2 * SRC_W)

/* Mesa -> swgpu: the gradient's size; Mesa picks the pitch. */
#define GRAD_W		150
#define GRAD_H		50

/* GPU addresses in a test VM. */
#define VA_A		TVM_DATA_VA
#define VA_B		(TVM_DATA_VA + 0x100000ull)
#define VA_MASTER	(TVM_DATA_VA + 0x200000ull)
#define VA_IMPORT_1	(TVM_DATA_VA + 0x400000ull)
#define VA_IMPORT_2	0x40000000ull	/* a different place in the second VM */
#define VA_COPY		(TVM_DATA_VA + 0x800000ull)

/* Mesa's device (mesa_egl.h) and the test's programs. */
struct mesa {
	struct mesa_egl egl;
	const char *skip;	/* why nothing can run, or NULL */
	GLuint sample_prog, grad_prog;
};

static struct mesa mesa;

static GLuint shader(GLenum type, const char *src)
{
	GLuint s = glCreateShader(type);
	GLint ok = 0;
	char log[512] = "";

	glShaderSource(s, 1, &src, NULL);
	glCompileShader(s);
	glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
	if (!ok)
		glGetShaderInfoLog(s, sizeof(log), NULL, log);
	igt_assert_f(ok, "shader: %s\n", log);
	return s;
}

/* A full-viewport triangle from gl_VertexID: no vertex buffer. */
static const char vs_src[] =
	"#version 300 es\n"
	"void main() {\n"
	"	vec2 p = vec2(float((gl_VertexID & 1) << 2), float((gl_VertexID & 2) << 1));\n"
	"	gl_Position = vec4(p - 1.0, 0.0, 1.0);\n"
	"}\n";

/* Destination (x, y) = source (x, height - 1 - y), red and blue swapped. */
static const char sample_fs_src[] =
	"#version 300 es\n"
	"precision highp float;\n"
	"uniform highp sampler2D src;\n"
	"uniform int height;\n"
	"out vec4 color;\n"
	"void main() {\n"
	"	ivec2 p = ivec2(gl_FragCoord.xy);\n"
	"	color = texelFetch(src, ivec2(p.x, height - 1 - p.y), 0).bgra;\n"
	"}\n";

/* grad_pixel() below, in GLSL. */
static const char grad_fs_src[] =
	"#version 300 es\n"
	"precision highp float;\n"
	"out vec4 color;\n"
	"void main() {\n"
	"	uvec2 p = uvec2(gl_FragCoord.xy);\n"
	"	uvec4 c = uvec4(p.x, p.y, p.x * 7u + p.y * 3u, p.x ^ (p.y << 3)) & 255u;\n"
	"	color = vec4(c) / 255.0;\n"
	"}\n";

static GLuint program(const char *fs_src)
{
	GLuint p = glCreateProgram();
	GLuint vs = shader(GL_VERTEX_SHADER, vs_src);
	GLuint fs = shader(GL_FRAGMENT_SHADER, fs_src);
	GLint ok = 0;
	char log[512] = "";

	glAttachShader(p, vs);
	glAttachShader(p, fs);
	glLinkProgram(p);
	/* Freed with the program. */
	glDeleteShader(vs);
	glDeleteShader(fs);
	glGetProgramiv(p, GL_LINK_STATUS, &ok);
	if (!ok)
		glGetProgramInfoLog(p, sizeof(log), NULL, log);
	igt_assert_f(ok, "program: %s\n", log);
	return p;
}

/*
 * Mesa's software device with what the test needs; mesa.skip says what
 * is missing. A failure past the checks is a failure.
 */
static void mesa_init(void)
{
	int ret = mesa_egl_open(&mesa.egl, "EGL_EXT_image_dma_buf_import");

	igt_assert_f(ret >= 0, "%s\n", mesa.egl.why);
	if (ret) {
		mesa.skip = mesa.egl.why;
		return;
	}
	igt_info("EGL %d.%d, %s, %s\n", mesa.egl.major, mesa.egl.minor,
		 glGetString(GL_VERSION), glGetString(GL_RENDERER));
	igt_assert(has_ext((const char *)glGetString(GL_EXTENSIONS), "GL_OES_EGL_image"));
	mesa.sample_prog = program(sample_fs_src);
	mesa.grad_prog = program(grad_fs_src);
}

static void mesa_fini(void)
{
	if (mesa.egl.ctx != EGL_NO_CONTEXT) {
		glDeleteProgram(mesa.sample_prog);
		glDeleteProgram(mesa.grad_prog);
	}
	mesa_egl_close(&mesa.egl);
}

/* Hand Mesa's work to swgpu: an EGL fence, waited for on the CPU. */
static void mesa_finish(void)
{
	igt_assert_f(!mesa_egl_finish(&mesa.egl), "%s\n", mesa.egl.why);
}

/* An EGLImage of a linear single-plane dma-buf, or EGL_NO_IMAGE_KHR. */
static EGLImageKHR mesa_import(int dmabuf, int w, int h, uint32_t fourcc,
			       int pitch, int offset)
{
	const EGLint attr[] = {
		EGL_WIDTH, w, EGL_HEIGHT, h,
		EGL_LINUX_DRM_FOURCC_EXT, (EGLint)fourcc,
		EGL_DMA_BUF_PLANE0_FD_EXT, dmabuf,
		EGL_DMA_BUF_PLANE0_OFFSET_EXT, offset,
		EGL_DMA_BUF_PLANE0_PITCH_EXT, pitch,
		EGL_NONE,
	};

	return mesa.egl.create_image(mesa.egl.dpy, EGL_NO_CONTEXT, EGL_LINUX_DMA_BUF_EXT,
				 NULL, attr);
}

static EGLImageKHR mesa_import_ok(int dmabuf, int w, int h, int pitch)
{
	EGLImageKHR img = mesa_import(dmabuf, w, h, DRM_FORMAT_ARGB8888, pitch, 0);

	igt_assert_f(img != EGL_NO_IMAGE_KHR, "import of a %dx%d dma-buf, pitch %d: %#x\n",
		     w, h, pitch, eglGetError());
	return img;
}

static void fence_check(int fence)
{
	igt_assert_eq(fence_status(fence), 0);
}

/* Zero the atom checker's count; nothing to do on a GPU that snoops. */
static void checker_reset(const struct gpu *g, struct dfs *d)
{
	if (g->coherent)
		return;
	dfs_init(d, g);
	dfs_write(d, "swgpu_coherency", "0");
}

static void checker_silent(const struct gpu *g, const struct dfs *d)
{
	if (!g->coherent)
		igt_assert_f(dfs_violations(d) == 0, "%s: %lld coherency violations\n",
			     g->name, dfs_violations(d));
}

/* First byte where @p and @want differ, as "x,y" in a picture of @pitch. */
static void assert_same(const uint8_t *p, const uint8_t *want, uint64_t size,
			uint32_t pitch, const char *what)
{
	for (uint64_t i = 0; i < size; i++)
		igt_assert_f(p[i] == want[i],
			     "%s: byte %llu (pixel %llu,%llu byte %llu) is %#x, expected %#x\n",
			     what, (unsigned long long)i,
			     (unsigned long long)(i % pitch / 4),
			     (unsigned long long)(i / pitch),
			     (unsigned long long)(i % 4), p[i], want[i]);
}

/* ---- swgpu -> Mesa ---- */

/* The master row's pixels (ARGB8888 dwords). */
static uint32_t master_px(unsigned int i)
{
	uint32_t x = i * 0x9e3779b1u + 0x7f4a7c15u;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	return x ^ x >> 12;
}

/* Row y of the source shows master pixels from this one on. */
static unsigned int master_start(unsigned int y)
{
	return y * 7 % SRC_W;
}

/* The source picture as the GPU builds it, padding included. */
static void src_reference(uint32_t *px)
{
	for (unsigned int y = 0; y < SRC_H; y++)
		for (unsigned int x = 0; x < SRC_PITCH / 4; x++)
			px[y * SRC_PITCH / 4 + x] = x < SRC_W ?
				master_px(master_start(y) + x) : SRC_PAD;
}

/* What Mesa's shader makes of it in the destination. */
static void dst_reference(const uint32_t *src, uint32_t *px)
{
	for (unsigned int y = 0; y < SRC_H; y++) {
		for (unsigned int x = 0; x < SRC_PITCH / 4; x++) {
			uint32_t s = src[(SRC_H - 1 - y) * SRC_PITCH / 4 + x];

			px[y * SRC_PITCH / 4 + x] = x >= SRC_W ? DST_PAD :
				(s & 0xff00ff00u) | (s >> 16 & 0xff) | (s & 0xff) << 16;
		}
	}
}

static void test_swgpu_to_mesa(struct gpu *g)
{
	uint32_t *src_ref = malloc(SRC_SIZE), *dst_ref = malloc(SRC_SIZE);
	struct buf a, b, master;
	struct swgpu_batch *bb;
	EGLImageKHR img_a, img_b;
	GLuint tex, rb, fbo;
	int fd_a, fd_b;
	struct tvm v;
	struct dfs d;
	uint32_t crc;

	igt_assert(src_ref && dst_ref);
	src_reference(src_ref);
	dst_reference(src_ref, dst_ref);
	checker_reset(g, &d);
	tvm_init(&v, g->fd);
	buf_create(g->fd, SRC_SIZE, &a);
	buf_create(g->fd, SRC_SIZE, &b);
	buf_create(g->fd, PAGE, &master);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, a.handle, 0, VA_A, SRC_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, b.handle, 0, VA_B, SRC_SIZE, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v.id, master.handle, 0, VA_MASTER, PAGE, 0), 0);

	/* The GPU draws the source and clears the destination. */
	bb = tvm_batch(&v);
	swgpu_batch_fill(bb, VA_A, SRC_SIZE, SRC_PAD);
	swgpu_batch_fill(bb, VA_B, SRC_SIZE, DST_PAD);
	for (unsigned int i = 0; i < MASTER_PX; i++)
		swgpu_batch_store_dword(bb, VA_MASTER + 4 * i, master_px(i));
	for (unsigned int y = 0; y < SRC_H; y++)
		swgpu_batch_copy(bb, VA_A + y * SRC_PITCH,
				 VA_MASTER + 4 * master_start(y), 4 * SRC_W);
	/* Explicit sync: the job's out-fence, waited for before Mesa runs. */
	fence_check(tvm_submit(&v, NULL));

	/* Mesa samples a into b. */
	igt_assert_eq(drmPrimeHandleToFD(g->fd, a.handle, DRM_CLOEXEC | DRM_RDWR, &fd_a), 0);
	igt_assert_eq(drmPrimeHandleToFD(g->fd, b.handle, DRM_CLOEXEC | DRM_RDWR, &fd_b), 0);
	img_a = mesa_import_ok(fd_a, SRC_W, SRC_H, SRC_PITCH);
	img_b = mesa_import_ok(fd_b, SRC_W, SRC_H, SRC_PITCH);
	glGenTextures(1, &tex);
	glBindTexture(GL_TEXTURE_2D, tex);
	mesa.egl.image_texture(GL_TEXTURE_2D, img_a);
	/* One level: complete only without mipmap filtering. */
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
	glGenRenderbuffers(1, &rb);
	glBindRenderbuffer(GL_RENDERBUFFER, rb);
	mesa.egl.image_renderbuffer(GL_RENDERBUFFER, img_b);
	glGenFramebuffers(1, &fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo);
	glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb);
	igt_assert_eq(glCheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
	igt_assert_eq(glGetError(), GL_NO_ERROR);
	glViewport(0, 0, SRC_W, SRC_H);
	glUseProgram(mesa.sample_prog);
	glUniform1i(glGetUniformLocation(mesa.sample_prog, "src"), 0);
	glUniform1i(glGetUniformLocation(mesa.sample_prog, "height"), SRC_H);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	/* Explicit sync: an EGL fence, waited for before swgpu runs. */
	mesa_finish();

	/* The GPU checks b with a CRC, then so does the CPU, byte by byte. */
	swgpu_batch_crc32(tvm_batch(&v), TVM_SCRATCH_VA, VA_B, SRC_SIZE);
	fence_check(tvm_submit(&v, NULL));
	crc = buf_dword(&v.scratch, 0);
	assert_same(a.map, (const uint8_t *)src_ref, SRC_SIZE, SRC_PITCH, "source");
	assert_same(b.map, (const uint8_t *)dst_ref, SRC_SIZE, SRC_PITCH, "Mesa's picture");
	igt_assert_f(crc == cpu_crc32(dst_ref, SRC_SIZE),
		     "%s: GPU CRC32 of Mesa's picture %#x, reference %#x\n",
		     g->name, crc, cpu_crc32(dst_ref, SRC_SIZE));
	igt_info("%s: Mesa sampled a %dx%d swgpu BO (pitch %d) into another: CRC32 %#x\n",
		 g->name, SRC_W, SRC_H, SRC_PITCH, crc);

	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	glDeleteFramebuffers(1, &fbo);
	glDeleteRenderbuffers(1, &rb);
	glDeleteTextures(1, &tex);
	igt_assert(mesa.egl.destroy_image(mesa.egl.dpy, img_a));
	igt_assert(mesa.egl.destroy_image(mesa.egl.dpy, img_b));
	mesa_finish();
	close(fd_a);
	close(fd_b);
	checker_silent(g, &d);
	buf_destroy(&master);
	buf_destroy(&b);
	buf_destroy(&a);
	tvm_fini(&v);
	free(src_ref);
	free(dst_ref);
}

/* ---- Mesa -> swgpu ---- */

/* Pixel (x, y) of Mesa's gradient: bytes R, G, B, A (DRM_FORMAT_ABGR8888). */
static uint32_t grad_pixel(uint32_t x, uint32_t y)
{
	return (x & 0xff) | (y & 0xff) << 8 | ((x * 7 + y * 3) & 0xff) << 16 |
		((x ^ y << 3) & 0xff) << 24;
}

struct exported {
	GLuint tex;
	struct mesa_export x;
};

/* Mesa renders the gradient into a texture and exports it. */
static void mesa_export_gradient(struct exported *e)
{
	GLuint fbo;

	igt_require_f(!mesa.egl.no_export, "%s\n", mesa.egl.no_export);
	glGenTextures(1, &e->tex);
	glBindTexture(GL_TEXTURE_2D, e->tex);
	glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, GRAD_W, GRAD_H);
	glGenFramebuffers(1, &fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
			       e->tex, 0);
	igt_assert_eq(glCheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
	glViewport(0, 0, GRAD_W, GRAD_H);
	glUseProgram(mesa.grad_prog);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	glDeleteFramebuffers(1, &fbo);

	igt_assert_f(!mesa_egl_export(&mesa.egl, e->tex, GRAD_W, GRAD_H, &e->x),
		     "%s\n", mesa.egl.why);
	/* Explicit sync: Mesa is done before anyone else reads the pages. */
	mesa_finish();
	igt_info("Mesa exports %dx%d GL_RGBA8 as ABGR8888, modifier %#llx, pitch %d, offset %d, dma-buf of %llu bytes\n",
		 GRAD_W, GRAD_H, (unsigned long long)e->x.modifier, e->x.pitch,
		 e->x.offset, (unsigned long long)e->x.size);
}

static void mesa_export_fini(struct exported *e)
{
	igt_assert_f(!mesa_egl_export_close(&mesa.egl, &e->x), "%s\n", mesa.egl.why);
	glDeleteTextures(1, &e->tex);
	mesa_finish();
}

/* GPUs that refused Mesa's dma-buf in this subtest. */
static int grad_refused;

/*
 * Import @e into @g. False, said, if @g cannot reach its pages without
 * bouncing (dma-direct, narrow DMA mask): the documented refusal.
 */
static bool swgpu_import_exported(struct gpu *g, const struct exported *e,
				  uint32_t *handle)
{
	if (!drmPrimeFDToHandle(g->fd, e->x.fd, handle))
		return true;
	grad_refused++;
	igt_assert_f((errno == ERANGE || errno == EIO) && gpu_import_may_bounce(g),
		     "%s: import of Mesa's dma-buf: %s\n", g->name, strerror(errno));
	igt_info("%s: import of Mesa's dma-buf refused (%s): its pages are beyond this GPU's DMA mask without an IOMMU\n",
		 g->name, strerror(errno));
	return false;
}

static void test_mesa_to_swgpu(struct gpu *g)
{
	const uint64_t packed = (uint64_t)4 * GRAD_W * GRAD_H;
	const uint64_t packed_bo = (packed + PAGE - 1) & ~(PAGE - 1);
	struct tvm v1, v2;
	struct buf x, y;
	struct exported e;
	uint32_t handle, crc;
	int f1, f2;
	struct dfs d;

	checker_reset(g, &d);
	mesa_export_gradient(&e);
	if (!swgpu_import_exported(g, &e, &handle)) {
		mesa_export_fini(&e);
		return;
	}
	tvm_init(&v1, g->fd);
	tvm_init(&v2, g->fd);
	buf_create(g->fd, packed_bo, &x);
	buf_create(g->fd, e.x.size, &y);
	/* The same import in two contexts, at two GPU addresses. */
	igt_assert_eq(swgpu_vm_bind(g->fd, v1.id, handle, 0, VA_IMPORT_1, e.x.size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v2.id, handle, 0, VA_IMPORT_2, e.x.size, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v1.id, x.handle, 0, VA_COPY, packed_bo, 0), 0);
	igt_assert_eq(swgpu_vm_bind(g->fd, v2.id, y.handle, 0, VA_COPY, e.x.size, 0), 0);

	/* Context 1 packs the rows; context 2 copies it whole and CRCs it. */
	swgpu_batch_blit(tvm_batch(&v1), VA_COPY, 4 * GRAD_W, VA_IMPORT_1 + e.x.offset,
			 e.x.pitch, GRAD_W, GRAD_H, 4);
	f1 = tvm_submit(&v1, NULL);
	swgpu_batch_copy(tvm_batch(&v2), VA_COPY, VA_IMPORT_2, e.x.size);
	swgpu_batch_crc32(&v2.b, TVM_SCRATCH_VA, VA_IMPORT_2 + e.x.offset,
			  (uint64_t)e.x.pitch * GRAD_H);
	f2 = tvm_submit(&v2, NULL);
	fence_check(f1);
	fence_check(f2);

	for (uint32_t py = 0; py < GRAD_H; py++) {
		for (uint32_t px = 0; px < GRAD_W; px++) {
			uint32_t want = grad_pixel(px, py);
			uint32_t got1 = buf_dword(&x, 4 * (py * GRAD_W + px));
			uint32_t got2 = buf_dword(&y, e.x.offset + (uint64_t)py * e.x.pitch + 4 * px);

			igt_assert_f(got1 == want && got2 == want,
				     "%s: pixel %u,%u: context 1 read %#x, context 2 %#x, Mesa drew %#x\n",
				     g->name, px, py, got1, got2, want);
		}
	}
	crc = buf_dword(&v2.scratch, 0);
	igt_assert_eq_u32(crc, cpu_crc32(y.map + e.x.offset, (uint64_t)e.x.pitch * GRAD_H));
	igt_info("%s: Mesa's %dx%d gradient read in two contexts: every pixel right, CRC32 %#x\n",
		 g->name, GRAD_W, GRAD_H, crc);

	tvm_fini(&v1);
	tvm_fini(&v2);
	igt_assert_eq(swgpu_bo_close(g->fd, handle), 0);
	buf_destroy(&x);
	buf_destroy(&y);
	mesa_export_fini(&e);
	checker_silent(g, &d);
}

/* ---- Refusals ---- */

static void test_bad_layouts(struct gpu *g)
{
	static const struct {
		const char *what;
		int w, h;
		uint32_t fourcc;
		EGLint error;
	} bad[] = {
		{ "an unknown fourcc", SRC_W, SRC_H, 0x20202020, EGL_BAD_MATCH },
		{ "a zero width", 0, SRC_H, DRM_FORMAT_ARGB8888, EGL_BAD_PARAMETER },
		{ "a zero height", SRC_W, 0, DRM_FORMAT_ARGB8888, EGL_BAD_PARAMETER },
		{ "a two-plane format and one plane", SRC_W, SRC_H, DRM_FORMAT_NV12,
		  EGL_BAD_PARAMETER },
	};
	uint32_t handle, row[GRAD_W];
	struct exported e;
	EGLImageKHR img;
	struct tvm v;
	struct buf a;
	EGLint err;
	int fd;

	/* Mesa refuses what EGL_EXT_image_dma_buf_import says it must. */
	buf_create(g->fd, SRC_SIZE, &a);
	igt_assert_eq(drmPrimeHandleToFD(g->fd, a.handle, DRM_CLOEXEC | DRM_RDWR, &fd), 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		img = mesa_import(fd, bad[i].w, bad[i].h, bad[i].fourcc, SRC_PITCH, 0);
		err = eglGetError();
		igt_assert_f(img == EGL_NO_IMAGE_KHR && err == bad[i].error,
			     "import of a swgpu dma-buf with %s: image %p, EGL error %#x, expected %#x\n",
			     bad[i].what, img, err, bad[i].error);
	}
	/* The dma-buf is still good. */
	img = mesa_import_ok(fd, SRC_W, SRC_H, SRC_PITCH);
	igt_assert(mesa.egl.destroy_image(mesa.egl.dpy, img));
	close(fd);
	buf_destroy(&a);

	/* swgpu refuses to bind past the end of Mesa's dma-buf. */
	mesa_export_gradient(&e);
	if (swgpu_import_exported(g, &e, &handle)) {
		tvm_init(&v, g->fd);
		igt_assert_eq(swgpu_vm_bind(g->fd, v.id, handle, 0, VA_IMPORT_1,
					    e.x.size + PAGE, 0), -EINVAL);
		igt_assert_eq(swgpu_vm_bind(g->fd, v.id, handle, e.x.size, VA_IMPORT_1,
					    PAGE, 0), -EINVAL);
		igt_assert_eq(swgpu_vm_bind(g->fd, v.id, handle, 0, VA_IMPORT_1,
					    e.x.size, 0), 0);
		/* The refused binds changed nothing: the GPU reads row 0. */
		for (uint32_t px = 0; px < GRAD_W; px++)
			row[px] = grad_pixel(px, 0);
		swgpu_batch_crc32(tvm_batch(&v), TVM_SCRATCH_VA, VA_IMPORT_1 + e.x.offset,
				  sizeof(row));
		fence_check(tvm_submit(&v, NULL));
		igt_assert_eq_u32(buf_dword(&v.scratch, 0), cpu_crc32(row, sizeof(row)));
		tvm_fini(&v);
		igt_assert_eq(swgpu_bo_close(g->fd, handle), 0);
	}
	mesa_export_fini(&e);
}

static void each_gpu_mesa(struct gpu *g, int n, void (*fn)(struct gpu *g))
{
	igt_require_f(!mesa.skip, "%s\n", mesa.skip);
	grad_refused = 0;
	each_gpu(g, n, fn);
	/* A refusal is right on some GPUs of some lanes, never on all. */
	igt_assert_f(grad_refused < n, "every GPU refused Mesa's dma-buf\n");
}

igt_main
{
	struct gpu g[MAX_GPUS];
	int n = 0;

	igt_fixture {
		n = gpus_open(g);
		mesa_init();
	}

#define RUN_SUBTEST(name, fn) \
	igt_subtest(name) \
		each_gpu_mesa(g, n, fn);
	SUBTESTS(RUN_SUBTEST)

	igt_fixture {
		mesa_fini();
		gpus_close(g, n);
	}
}

#endif /* HAVE_MESA_CLIENT */
