# libswgpu: shared and static library plus a pkg-config file.
# One small file per area: swgpu.c (devices, params, BOs), swgpu_vm.c (VMs,
# bindings, private BOs, faults), swgpu_exec.c (submission, waits, fences),
# swgpu_batch.c (command stream builder).
LIBSWGPU_SRC := lib/swgpu.c lib/swgpu_vm.c lib/swgpu_exec.c lib/swgpu_batch.c
LIBSWGPU_HDR := lib/swgpu.h uapi/drm/swgpu_drm.h uapi/drm/gmmu_drm.h
LIBSWGPU_OBJ := $(patsubst lib/%.c,$(BUILD)/lib/obj/%.o,$(LIBSWGPU_SRC))
PREFIX ?= /usr/local

$(BUILD)/lib/libswgpu.so: $(LIBSWGPU_SRC) $(LIBSWGPU_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -fPIC -shared -Wl,-soname,libswgpu.so.0 -o $@.0 $(LIBSWGPU_SRC) $(USER_LDLIBS)
	ln -sf libswgpu.so.0 $@

$(BUILD)/lib/obj/%.o: lib/%.c $(LIBSWGPU_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c -o $@ $<

$(BUILD)/lib/libswgpu.a: $(LIBSWGPU_OBJ)
	@rm -f $@
	ar rcs $@ $(LIBSWGPU_OBJ)

$(BUILD)/lib/libswgpu.pc: lib/libswgpu.pc.in
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' $< >$@

USERSPACE_TARGETS += $(BUILD)/lib/libswgpu.so $(BUILD)/lib/libswgpu.a $(BUILD)/lib/libswgpu.pc
