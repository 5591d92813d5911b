# libswgpu: shared and static library plus a pkg-config file.
LIBSWGPU_SRC := lib/swgpu.c
LIBSWGPU_HDR := lib/swgpu.h uapi/drm/swgpu_drm.h uapi/drm/gmmu_drm.h
PREFIX ?= /usr/local

$(BUILD)/lib/libswgpu.so: $(LIBSWGPU_SRC) $(LIBSWGPU_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -fPIC -shared -Wl,-soname,libswgpu.so.0 -o $@.0 $(LIBSWGPU_SRC) $(USER_LDLIBS)
	ln -sf libswgpu.so.0 $@

$(BUILD)/lib/libswgpu.a: $(LIBSWGPU_SRC) $(LIBSWGPU_HDR)
	@mkdir -p $(BUILD)/lib/obj
	$(CC) $(USER_CFLAGS) -c -o $(BUILD)/lib/obj/swgpu.o $(LIBSWGPU_SRC)
	ar rcs $@ $(BUILD)/lib/obj/swgpu.o

$(BUILD)/lib/libswgpu.pc: lib/libswgpu.pc.in
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' $< >$@

USERSPACE_TARGETS += $(BUILD)/lib/libswgpu.so $(BUILD)/lib/libswgpu.a $(BUILD)/lib/libswgpu.pc
