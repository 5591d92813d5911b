# SPDX-License-Identifier: GPL-2.0-only
#
# gmmu top-level Makefile.
#   make            build the kernel modules (W=1, warnings are errors) and
#                   the userspace library, tools and tests
#   make run        install what is missing, build, boot the VM, run the demo
#   make check      install what is missing, build, run every test lane
#   make bench      benchmarks, one VM boot
#   make deps       only install the Debian packages
#   make preflight  only check the host (tools/vm/preflight.sh), as the
#                   three above do before building
#   make debug-kernel   build (once per machine, cached) the debug kernel
#   make debug-modules  build the same modules against it (and the
#                   test-only planted-bug module), in build/debug-src/
# KDIR/KVER select the kernel to build against (default: Debian's 6.12).

TOP := $(CURDIR)
KVER ?= $(shell $(TOP)/tools/vm/kver.sh 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := $(TOP)/build
KMOD_OUT := $(BUILD)/kmod/$(KVER)
# Kbuild writes objects next to the sources: a second kernel builds from a
# copy of the sources (MSRC), so the two builds never share an object.
MSRC ?= $(TOP)
DEBUG_SRC := $(BUILD)/debug-src
DEBUG_KERNEL := $(TOP)/tools/debug-kernel/build.sh

# Out of tree, no .config has our symbols: set them here.
GMMU_CONFIG := CONFIG_IOMMU_CTX=m CONFIG_IOMMU_CTX_SELFTEST=m CONFIG_IOMMU_CTX_BENCH=m \
	CONFIG_DRM_GMMU=m CONFIG_DRM_GMMU_SELFTEST=m CONFIG_DRM_SWGPU=m CONFIG_DRM_SWGPU_BENCH=m

SHELL := /bin/bash
CC ?= gcc
CFLAGS ?= -O2 -g
USER_CFLAGS := $(CFLAGS) -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE \
	-I$(TOP)/uapi/drm -I$(TOP)/lib -I$(TOP)/igt-tests/lib \
	$(shell pkg-config --cflags libdrm 2>/dev/null)
USER_LDLIBS := $(shell pkg-config --libs libdrm 2>/dev/null)

.PHONY: all modules userspace deps preflight check run bench fuzz clean uapi-check \
	debug-kernel debug-modules

all: modules userspace

deps:
	@$(TOP)/tools/vm/deps.sh

preflight: deps
	@$(TOP)/tools/vm/preflight.sh check

modules:
	@if [ -z "$(KVER)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "No kernel headers for Debian 6.12 ($(KDIR)): run 'make deps' or set KDIR" >&2; \
		exit 1; fi
	@mkdir -p $(BUILD)
	@set -o pipefail; $(MAKE) -C $(KDIR) M=$(MSRC) W=1 $(GMMU_CONFIG) modules 2>&1 \
		| tee $(BUILD)/modules-$(KVER).log
	@if grep -q 'warning:' $(BUILD)/modules-$(KVER).log; then \
		echo "Kernel module build has warnings (see above): fix them" >&2; exit 1; fi
	@rm -rf $(KMOD_OUT) && mkdir -p $(KMOD_OUT)
	@find $(MSRC)/iommu-ctx $(MSRC)/drm-core $(MSRC)/drivers -name '*.ko' -exec cp {} $(KMOD_OUT)/ \;
	@echo "modules for $(KVER): $$(cd $(KMOD_OUT) && echo *.ko)"

# The debug kernel is built on demand (about 20 minutes on 2 cores, once).
debug-kernel:
	@$(DEBUG_KERNEL) >/dev/null

# Same sources, copied without objects; then the planted-bug module, which
# exists only for the debug kernel, into build/kmod/RELEASE/planted/.
debug-modules: debug-kernel
	@mkdir -p $(DEBUG_SRC)
	@rsync -a --delete --exclude=/build/ --exclude=/.git \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.a' --exclude=Module.symvers \
		--exclude=modules.order --exclude='.tmp*' $(TOP)/ $(DEBUG_SRC)/
	@d=$$($(DEBUG_KERNEL) --dir) && r=$$(cat $$d/kernelrelease) && \
	$(MAKE) --no-print-directory modules KDIR=$$d/build KVER=$$r MSRC=$(DEBUG_SRC) && \
	set -o pipefail && \
	$(MAKE) -C $$d/build M=$(DEBUG_SRC)/tools/debug-kernel/planted W=1 modules 2>&1 \
		| tee $(BUILD)/planted-$$r.log && \
	if grep -q 'warning:' $(BUILD)/planted-$$r.log; then \
		echo "planted-bug module build has warnings: fix them" >&2; exit 1; fi && \
	mkdir -p $(BUILD)/kmod/$$r/planted && \
	cp $(DEBUG_SRC)/tools/debug-kernel/planted/gmmu_planted.ko $(BUILD)/kmod/$$r/planted/

include $(TOP)/lib/lib.mk
include $(TOP)/igt-tests/igt.mk
include $(TOP)/tools/tools.mk
include $(TOP)/iommu-ctx/userspace/iommu-ctx.mk

userspace: $(USERSPACE_TARGETS)

# The uapi must have one layout on i386 and x86_64: static assertions,
# compiled for both and never run (a host may not run 32-bit programs).
uapi-check: $(BUILD)/uapi/layout-m32.ok $(BUILD)/uapi/layout-m64.ok
$(BUILD)/uapi/layout-%.ok: tools/uapi_layout_check.c uapi/drm/*.h
	@mkdir -p $(dir $@)
	$(CC) -$* $(USER_CFLAGS) -fsyntax-only $<
	@touch $@

check: deps
	@$(TOP)/tools/vm/preflight.sh check
	@$(MAKE) --no-print-directory all
	@$(TOP)/tools/check.sh

run: deps
	@$(TOP)/tools/vm/preflight.sh run
	@$(MAKE) --no-print-directory all
	@$(TOP)/tools/run-demo.sh

bench: deps
	@$(TOP)/tools/vm/preflight.sh bench
	@$(MAKE) --no-print-directory all
	@$(TOP)/tools/bench.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) $(GMMU_CONFIG) clean
	rm -rf $(BUILD)
