# libswgpu: shared and static library plus a pkg-config file (swgpu.pc).
# One small file per area: gmmu.c (drm_gmmu's shared ioctls under any
# driver's numbers), swgpu.c (devices, params, BOs), swgpu_vm.c (VMs,
# bindings, private BOs, faults), swgpu_exec.c (submission, waits, fences),
# swgpu_batch.c (command stream builder), jdgpu.c (jdgpu's numbers,
# descriptor chains, SUBMIT: the library serves both drivers).
LIBSWGPU_SRC := lib/gmmu.c lib/swgpu.c lib/swgpu_vm.c lib/swgpu_exec.c lib/swgpu_batch.c \
	lib/jdgpu.c
LIBSWGPU_HDR := lib/swgpu.h lib/gmmu.h lib/jdgpu.h uapi/drm/swgpu_drm.h uapi/drm/gmmu_drm.h \
	uapi/drm/jdgpu_drm.h
LIBSWGPU_OBJ := $(patsubst lib/%.c,$(BUILD)/lib/obj/%.o,$(LIBSWGPU_SRC))

# The shared object is libswgpu.so.$(LIBSWGPU_VERSION), soname
# libswgpu.so.$(LIBSWGPU_MAJOR): the major changes when the ABI breaks.
LIBSWGPU_MAJOR := 0
LIBSWGPU_VERSION := $(LIBSWGPU_MAJOR).1.0
LIBSWGPU_SONAME := libswgpu.so.$(LIBSWGPU_MAJOR)
LIBSWGPU_SO := $(BUILD)/lib/libswgpu.so.$(LIBSWGPU_VERSION)

# Install locations (make install; Documentation/install.rst). LIBDIR is
# Debian's multiarch directory under PREFIX (/usr/local/lib/x86_64-linux-gnu
# by default, /usr/lib/x86_64-linux-gnu with PREFIX=/usr): both are in the
# default search paths of ld.so and pkg-config on Debian. Set LIBDIR to
# override, e.g. LIBDIR='$(PREFIX)/lib'.
PREFIX ?= /usr/local
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
LIBDIR ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
INCLUDEDIR ?= $(PREFIX)/include

$(LIBSWGPU_SO): $(LIBSWGPU_SRC) $(LIBSWGPU_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -fPIC -shared -Wl,-soname,$(LIBSWGPU_SONAME) \
		-o $@ $(LIBSWGPU_SRC) $(USER_LDLIBS)

# The soname link (what ld.so looks for) and the link for -lswgpu.
$(BUILD)/lib/libswgpu.so: $(LIBSWGPU_SO)
	ln -sfn libswgpu.so.$(LIBSWGPU_VERSION) $(BUILD)/lib/$(LIBSWGPU_SONAME)
	ln -sfn $(LIBSWGPU_SONAME) $@

$(BUILD)/lib/obj/%.o: lib/%.c $(LIBSWGPU_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c -o $@ $<

$(BUILD)/lib/libswgpu.a: $(LIBSWGPU_OBJ)
	@rm -f $@
	ar rcs $@ $(LIBSWGPU_OBJ)

# Rewritten only when a location changes (make install PREFIX=...).
$(BUILD)/lib/swgpu.pc: lib/swgpu.pc.in FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(LIBSWGPU_VERSION)|' $< >$@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

USERSPACE_TARGETS += $(BUILD)/lib/libswgpu.so $(BUILD)/lib/libswgpu.a $(BUILD)/lib/swgpu.pc

# install-lib: the shared object with its soname link and the unversioned
# link for the linker, the static library, the headers under
# $(INCLUDEDIR)/swgpu/ (swgpu.h and the uapi headers it includes, which
# find libdrm's drm.h through libdrm's own Cflags) and swgpu.pc.
install-lib: $(BUILD)/lib/libswgpu.so $(BUILD)/lib/libswgpu.a $(BUILD)/lib/swgpu.pc
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/swgpu
	install -m 755 $(LIBSWGPU_SO) $(DESTDIR)$(LIBDIR)/
	ln -sfn libswgpu.so.$(LIBSWGPU_VERSION) $(DESTDIR)$(LIBDIR)/$(LIBSWGPU_SONAME)
	ln -sfn $(LIBSWGPU_SONAME) $(DESTDIR)$(LIBDIR)/libswgpu.so
	install -m 644 $(BUILD)/lib/libswgpu.a $(DESTDIR)$(LIBDIR)/
	install -m 644 $(BUILD)/lib/swgpu.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 $(LIBSWGPU_HDR) $(DESTDIR)$(INCLUDEDIR)/swgpu/
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi
