# SPDX-License-Identifier: GPL-2.0-only
# iommu-ctx in userspace: the walker and format files of the module,
# built against a small shim, checked against a reference model.
#   make fuzz          libFuzzer (clang-14), FUZZ_TIME seconds (default 60)
#   make fuzz-quick    deterministic run, fixed seed, a few seconds
ICTX_U := $(TOP)/iommu-ctx/userspace
ICTX_SRC := $(TOP)/iommu-ctx/iommu_ctx_pgtable.c $(TOP)/iommu-ctx/iommu_ctx_fmt.c \
	$(TOP)/iommu-ctx/iommu_ctx_fmt_x86_48.c $(TOP)/iommu-ctx/iommu_ctx_fmt_x86_32.c \
	$(TOP)/iommu-ctx/iommu_ctx_fmt_lpae_40.c $(ICTX_U)/ictx_fuzz.c
ICTX_DEPS := $(ICTX_SRC) $(TOP)/iommu-ctx/iommu_ctx_pt.h $(ICTX_U)/ictx_shim.h \
	$(TOP)/include/linux/iommu_ctx.h $(TOP)/include/linux/iommu_ctx_format.h
ICTX_UFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-sign-compare -I$(ICTX_U) -I$(ICTX_U)/include -I$(TOP)/include
FUZZ_CC ?= clang-14
FUZZ_TIME ?= 60
ICTX_FUZZ_SEED ?= 1
ICTX_FUZZ_ITERS ?= 500

$(BUILD)/fuzz/ictx_fuzz_replay: $(ICTX_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ICTX_UFLAGS) -DICTX_REPLAY -fsanitize=address,undefined \
		-fno-sanitize-recover=all -o $@ $(ICTX_SRC)

$(BUILD)/fuzz/ictx_fuzz: $(ICTX_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ICTX_UFLAGS) -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $(ICTX_SRC)

.PHONY: fuzz fuzz-quick fuzz-deps
fuzz-deps:
	@GMMU_EXTRA_PKGS="clang-14 libclang-rt-14-dev" $(TOP)/tools/vm/deps.sh

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory $(BUILD)/fuzz/ictx_fuzz
	@mkdir -p $(BUILD)/fuzz/corpus
	$(BUILD)/fuzz/ictx_fuzz -max_total_time=$(FUZZ_TIME) -max_len=2048 -len_control=0 \
		-print_final_stats=1 $(BUILD)/fuzz/corpus

fuzz-quick: $(BUILD)/fuzz/ictx_fuzz_replay
	$(BUILD)/fuzz/ictx_fuzz_replay $(ICTX_FUZZ_SEED) $(ICTX_FUZZ_ITERS)

USERSPACE_TARGETS += $(BUILD)/fuzz/ictx_fuzz_replay
