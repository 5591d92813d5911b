# IGT-style tests: one binary per file in igt-tests/, linked with the
# project's harness and libswgpu. sigsetjmp-based subtests, as IGT's, need
# -Wno-clobbered: locals set in a fixture are read after it, not across a
# longjmp of their own.
IGT_LIB_SRC := igt-tests/lib/gmmu_igt.c
# swgpu helpers shared by the tests (not by the tools).
IGT_SWGPU_SRC := igt-tests/lib/swgpu_igt.c igt-tests/lib/swgpu_dfs.c igt-tests/lib/swgpu_mem.c
IGT_TESTS := $(patsubst igt-tests/%.c,%,$(wildcard igt-tests/*.c))
IGT_BINS := $(addprefix $(BUILD)/igt/,$(IGT_TESTS))

$(BUILD)/igt/%: igt-tests/%.c $(IGT_LIB_SRC) $(IGT_SWGPU_SRC) igt-tests/lib/gmmu_igt.h \
		igt-tests/lib/swgpu_igt.h igt-tests/lib/swgpu_dfs.h igt-tests/lib/swgpu_mem.h \
		igt-tests/lib/vgem.h lib/swgpu.h \
		$(BUILD)/lib/libswgpu.a
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(IGT_THREADS) -Wno-clobbered -o $@ $< $(IGT_LIB_SRC) $(IGT_SWGPU_SRC) \
		$(BUILD)/lib/libswgpu.a $(USER_LDLIBS)

# Tests that start threads of their own (one command compiles and links).
$(BUILD)/igt/swgpu_races: IGT_THREADS := -pthread
$(BUILD)/igt/swgpu_slots: IGT_THREADS := -pthread

USERSPACE_TARGETS += $(IGT_BINS)
