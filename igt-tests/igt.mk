# IGT-style tests: one binary per file in igt-tests/, linked with the
# project's harness and libswgpu. sigsetjmp-based subtests, as IGT's, need
# -Wno-clobbered: locals set in a fixture are read after it, not across a
# longjmp of their own.
IGT_LIB_SRC := igt-tests/lib/gmmu_igt.c
# swgpu and jdgpu helpers shared by the tests (not by the tools).
IGT_SWGPU_SRC := igt-tests/lib/swgpu_igt.c igt-tests/lib/swgpu_dfs.c igt-tests/lib/swgpu_mem.c \
	igt-tests/lib/jdgpu_igt.c
IGT_TESTS := $(patsubst igt-tests/%.c,%,$(wildcard igt-tests/*.c))
IGT_BINS := $(addprefix $(BUILD)/igt/,$(IGT_TESTS))

$(BUILD)/igt/%: igt-tests/%.c $(IGT_LIB_SRC) $(IGT_SWGPU_SRC) igt-tests/lib/gmmu_igt.h \
		igt-tests/lib/swgpu_igt.h igt-tests/lib/swgpu_dfs.h igt-tests/lib/swgpu_mem.h \
		igt-tests/lib/vgem.h lib/swgpu.h igt-tests/lib/jdgpu_igt.h lib/jdgpu.h lib/gmmu.h \
		$(BUILD)/lib/libswgpu.a
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(IGT_THREADS) $(IGT_EXTRA_CFLAGS) -Wno-clobbered -o $@ $< \
		$(IGT_LIB_SRC) $(IGT_SWGPU_SRC) $(IGT_EXTRA_SRC) $(BUILD)/lib/libswgpu.a \
		$(USER_LDLIBS) $(IGT_EXTRA_LIBS)

# Tests that start threads of their own (one command compiles and links).
$(BUILD)/igt/swgpu_races: IGT_THREADS := -pthread
$(BUILD)/igt/swgpu_slots: IGT_THREADS := -pthread
# Systematic allocation failures (fail-nth), for the test that makes them.
$(BUILD)/igt/swgpu_failnth: igt-tests/lib/failnth.c igt-tests/lib/failnth.h
$(BUILD)/igt/swgpu_failnth: IGT_EXTRA_SRC := igt-tests/lib/failnth.c
# jdgpu's CRC32 descriptor is checked against zlib's crc32().
$(BUILD)/igt/jdgpu_%: IGT_EXTRA_LIBS := -lz

# The Mesa client links libEGL and libGLESv2 (glvnd's) through pkg-config,
# and Mesa's device helpers (shared with tools/swgpu_mesa_panel.c).
# Without their headers (libegl-dev, libgles-dev) it builds as a stub whose
# subtests skip and say so.
MESA_PC := egl glesv2
HAVE_MESA_CLIENT := $(shell pkg-config --exists $(MESA_PC) 2>/dev/null && echo 1 || echo 0)
MESA_CFLAGS := $(if $(filter 1,$(HAVE_MESA_CLIENT)),$(shell pkg-config --cflags $(MESA_PC)))
MESA_LIBS := $(if $(filter 1,$(HAVE_MESA_CLIENT)),$(shell pkg-config --libs $(MESA_PC)))
MESA_EGL_SRC := igt-tests/lib/mesa_egl.c
ifeq ($(HAVE_MESA_CLIENT),1)
$(BUILD)/igt/swgpu_mesa: $(MESA_EGL_SRC) igt-tests/lib/mesa_egl.h
$(BUILD)/igt/swgpu_mesa: IGT_EXTRA_CFLAGS := -DHAVE_MESA_CLIENT=1 $(MESA_CFLAGS)
$(BUILD)/igt/swgpu_mesa: IGT_EXTRA_SRC := $(MESA_EGL_SRC)
$(BUILD)/igt/swgpu_mesa: IGT_EXTRA_LIBS := $(MESA_LIBS)
else
$(BUILD)/igt/swgpu_mesa: IGT_EXTRA_CFLAGS := -DHAVE_MESA_CLIENT=0
endif

USERSPACE_TARGETS += $(IGT_BINS)
