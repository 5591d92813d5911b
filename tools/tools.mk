# Userspace tools: the info tool, the demo (make run), the harness sample.
TOOLS := swgpu_demo igt_harness_sample
TOOL_BINS := $(addprefix $(BUILD)/bin/,$(TOOLS)) $(BUILD)/bin/swgpu-info

# swgpu-info, named as installed (make install puts it in PREFIX/bin).
$(BUILD)/bin/swgpu-info: tools/swgpu_info.c $(BUILD)/lib/libswgpu.a lib/swgpu.h lib/jdgpu.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $< $(BUILD)/lib/libswgpu.a $(USER_LDLIBS)

# The demo's picture (make run): libpng writes and reads back the PNG.
PNG_CFLAGS := $(shell pkg-config --cflags libpng 2>/dev/null)
PNG_LIBS := $(shell pkg-config --libs libpng 2>/dev/null || echo -lpng)
# The messages between the picture's processes and the panel they draw,
# shared with the Mesa panel client below.
PICTURE_PROTO := tools/swgpu_picture_proto.c tools/swgpu_picture_proto.h
$(BUILD)/bin/swgpu_picture: tools/swgpu_picture.c $(PICTURE_PROTO) $(BUILD)/lib/libswgpu.a lib/swgpu.h lib/jdgpu.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(PNG_CFLAGS) -o $@ $< tools/swgpu_picture_proto.c \
		$(BUILD)/lib/libswgpu.a $(USER_LDLIBS) $(PNG_LIBS) -lz

TOOL_BINS += $(BUILD)/bin/swgpu_picture

# The picture's panel drawn by Mesa (--panel-cmd): built only with the EGL
# and GLES headers, as the Mesa test is (igt-tests/igt.mk), with Mesa's
# device helpers shared with that test.
ifeq ($(HAVE_MESA_CLIENT),1)
$(BUILD)/bin/swgpu_mesa_panel: tools/swgpu_mesa_panel.c $(PICTURE_PROTO) \
		$(MESA_EGL_SRC) igt-tests/lib/mesa_egl.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(MESA_CFLAGS) -o $@ $< tools/swgpu_picture_proto.c \
		$(MESA_EGL_SRC) $(USER_LDLIBS) $(MESA_LIBS)

TOOL_BINS += $(BUILD)/bin/swgpu_mesa_panel
endif

install-tools: $(BUILD)/bin/swgpu-info
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/bin/swgpu-info $(DESTDIR)$(PREFIX)/bin/

$(BUILD)/bin/%: tools/%.c $(BUILD)/lib/libswgpu.a lib/swgpu.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Wno-clobbered -o $@ $< $(IGT_LIB_SRC) $(BUILD)/lib/libswgpu.a $(USER_LDLIBS)

USERSPACE_TARGETS += $(TOOL_BINS) uapi-check

# Userspace benchmarks, run by the bench job (tools/vm/jobs/bench.sh).
BENCHES := swgpu_engine_bench swgpu_exec_bench swgpu_flush_bench swgpu_bind_bench \
	swgpu_reset_bench swgpu_bind_async_bench swgpu_slot_bench
BENCH_BINS := $(addprefix $(BUILD)/bench/,$(BENCHES))

$(BUILD)/bench/%: tools/bench/%.c tools/bench/bench_stats.h $(BUILD)/lib/libswgpu.a lib/swgpu.h igt-tests/lib/vgem.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $< $(BUILD)/lib/libswgpu.a $(USER_LDLIBS)

USERSPACE_TARGETS += $(BENCH_BINS)
