# SPDX-License-Identifier: GPL-2.0-only
#
# gmmu top-level Makefile.
#   make            build the kernel modules (W=1, warnings are errors) and
#                   the userspace library, tools and tests
#   make run        install what is missing, build, boot the VM, run the demo
#   make check      install what is missing, build, run every test lane
#   make check-failinj  the IGT-style suite on the debug kernel under
#                   random allocation failures (lane debug-failinj, not
#                   part of make check: 15 to 30 minutes)
#   make bench [BENCH="NAME..."]
#                   benchmarks, one VM boot (BENCH: only those, by name)
#   make check-tests TESTS="NAME..." [LANE=vtd] [REPEAT=1]
#                   only the named tests, on one lane (tools/check-tests.sh)
#   make install    install the kernel modules (modules_install, depmod),
#                   libswgpu, its headers and swgpu.pc; DESTDIR, PREFIX,
#                   LIBDIR and INSTALL_MOD_PATH honoured
#                   (Documentation/install.rst)
#   make dkms-source  copy what dkms.conf builds to DKMS_SRC
#                   (default /usr/src/gmmu-VERSION), for dkms add
#   make docs       Documentation/ into HTML (build/docs/html) with Sphinx
#                   and the kernel's kernel-doc; warnings are errors
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
	CONFIG_DRM_GMMU=m CONFIG_DRM_GMMU_SELFTEST=m CONFIG_DRM_GMMU_BENCH=m CONFIG_DRM_SWGPU=m CONFIG_DRM_SWGPU_BENCH=m CONFIG_DRM_JDGPU=m

SHELL := /bin/bash
CC ?= gcc
CFLAGS ?= -O2 -g
USER_CFLAGS := $(CFLAGS) -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE \
	-I$(TOP)/uapi/drm -I$(TOP)/lib -I$(TOP)/igt-tests/lib \
	$(shell pkg-config --cflags libdrm 2>/dev/null)
USER_LDLIBS := $(shell pkg-config --libs libdrm 2>/dev/null)

.PHONY: all modules userspace deps preflight check check-failinj check-tests run bench fuzz fuzz-ioctl clean uapi-check \
	debug-kernel debug-modules install install-modules install-lib install-tools dkms-source docs FORCE

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

# What Kbuild writes next to the sources, left out of copies of them.
KBUILD_OBJ_EXCLUDES := --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.a' --exclude=Module.symvers \
	--exclude=modules.order --exclude='.tmp*' --exclude='.*.d'

# Same sources, copied without objects; then the planted-bug module, which
# exists only for the debug kernel, into build/kmod/RELEASE/planted/.
debug-modules: debug-kernel
	@mkdir -p $(DEBUG_SRC)
	@rsync -a --delete --exclude=/build/ --exclude=/.git $(KBUILD_OBJ_EXCLUDES) \
		$(TOP)/ $(DEBUG_SRC)/
	@d=$$($(DEBUG_KERNEL) --dir) && r=$$(cat $$d/kernelrelease) && \
	$(MAKE) --no-print-directory modules KDIR=$$d/build KVER=$$r MSRC=$(DEBUG_SRC) && \
	set -o pipefail && \
	$(MAKE) -C $$d/build M=$(DEBUG_SRC)/tools/debug-kernel/planted W=1 modules 2>&1 \
		| tee $(BUILD)/planted-$$r.log && \
	if grep -q 'warning:' $(BUILD)/planted-$$r.log; then \
		echo "planted-bug module build has warnings: fix them" >&2; exit 1; fi && \
	mkdir -p $(BUILD)/kmod/$$r/planted && \
	cp $(DEBUG_SRC)/tools/debug-kernel/planted/gmmu_planted.ko $(BUILD)/kmod/$$r/planted/

# make install: the product modules only (the selftest and benchmark modules
# are test-only), through the kernel's modules_install into
# INSTALL_MOD_PATH/lib/modules/KVER/updates/gmmu (xz-compressed as Debian's
# kernels want), then depmod for that root. The kernel's own depmod step
# needs System.map, which headers do not ship: it is skipped and run here.
# Debian's headers have no signing key: modules are installed unsigned.
# Debug info is stripped as Debian strips its own modules (INSTALL_MOD_STRIP=
# keeps it). depmod on a staging root that holds only these modules warns
# that the kernel's modules.order and modules.builtin are missing: expected
# there, and filtered.
INSTALL_MOD_PATH ?= $(DESTDIR)
INSTALL_MOD_STRIP ?= 1
GMMU_MODULES := iommu-ctx/iommu_ctx drm-core/drm_gmmu drivers/swgpu/swgpu drivers/jdgpu/jdgpu
GMMU_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)

install: install-modules install-lib install-tools

install-modules: modules
	@mkdir -p $(BUILD)/install
	@printf '$(MSRC)/%s.o\n' $(GMMU_MODULES) >$(BUILD)/install/modules.order
	@set -o pipefail; $(MAKE) --no-print-directory -C $(KDIR) M=$(MSRC) $(GMMU_CONFIG) \
		MODORDER=$(BUILD)/install/modules.order INSTALL_MOD_DIR=updates/gmmu \
		INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) INSTALL_MOD_STRIP=$(INSTALL_MOD_STRIP) \
		CONFIG_MODULE_SIG_ALL= modules_install 2>&1 | \
		{ grep -v "missing 'System.map' file" || true; }
	@echo "  DEPMOD  $(KVER) in $(or $(INSTALL_MOD_PATH),/)"
	@set -o pipefail; depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER) 2>&1 | \
		{ grep -v 'could not open modules\.\(order\|builtin\)' || true; }

# The sources dkms.conf builds (the kernel parts, without objects), where
# `dkms add gmmu/VERSION` looks for them.
DKMS_SRC ?= /usr/src/gmmu-$(GMMU_VERSION)
dkms-source:
	@mkdir -p $(DKMS_SRC)
	@rsync -a --delete $(KBUILD_OBJ_EXCLUDES) --exclude=/iommu-ctx/userspace/ \
		--include=/dkms.conf --include=/Kbuild --include=/Kconfig \
		--include='/include/***' --include='/uapi/***' --include='/iommu-ctx/***' \
		--include='/drm-core/***' --include='/drivers/***' --exclude='*' \
		$(TOP)/ $(DKMS_SRC)/
	@echo "dkms-source: $(DKMS_SRC) ($(GMMU_VERSION))"

FORCE:

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

docs: deps
	@$(TOP)/tools/docs.sh

check: deps
	@$(TOP)/tools/vm/preflight.sh check
	@$(MAKE) --no-print-directory all
	@$(TOP)/tools/check.sh

run: deps
	@$(TOP)/tools/vm/preflight.sh run
	@$(MAKE) --no-print-directory all
	@$(TOP)/tools/run-demo.sh

check-failinj: deps
	@GMMU_LANES=debug-failinj $(TOP)/tools/vm/preflight.sh check
	@$(MAKE) --no-print-directory all
	@GMMU_LANES=debug-failinj $(TOP)/tools/check.sh

check-tests: deps
	@$(TOP)/tools/vm/preflight.sh check
	@$(MAKE) --no-print-directory all
	@TESTS="$(TESTS)" LANE=$(LANE) REPEAT=$(REPEAT) $(TOP)/tools/check-tests.sh

bench: deps
	@$(TOP)/tools/vm/preflight.sh bench
	@$(MAKE) --no-print-directory all
	@BENCH="$(BENCH)" $(TOP)/tools/bench.sh

# The ioctl fuzzer alone in the VM, for FUZZ_TIME seconds (default 600).
fuzz-ioctl: deps
	@$(TOP)/tools/vm/preflight.sh check
	@$(MAKE) --no-print-directory all
	@FUZZ_TIME=$(FUZZ_TIME) FUZZ_SEED=$(FUZZ_SEED) FUZZ_LANE=$(FUZZ_LANE) $(TOP)/tools/fuzz-ioctl.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) $(GMMU_CONFIG) clean
	rm -rf $(BUILD)
