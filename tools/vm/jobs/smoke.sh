#!/bin/bash
. tools/vm/guest-lib.sh
load_project_modules || exit 1
insmod $GMMU_KMOD/drm_gmmu_vm_selftest.ko; dmesg | grep -A12 "1\.\.10" | tail -12
for n in /dev/dri/renderD129 /dev/dri/renderD130; do echo "== $n"; /tmp/smoke/smoke $n; done
rmmod drm_gmmu_vm_selftest
unload_project_modules; echo unload=$?
