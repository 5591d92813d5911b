#!/bin/bash
# Guest job: every test of the lane. Output is read by tools/summarize.sh.
. tools/vm/guest-lib.sh
export GMMU_IN_VM=1

if [ -d /sys/class/iommu ] && [ -n "$(ls /sys/class/iommu 2>/dev/null)" ]; then
	echo "lane $GMMU_LANE: system IOMMU present: $(ls /sys/class/iommu | tr '\n' ' ')"
else
	echo "lane $GMMU_LANE: no system IOMMU (dma-direct)"
fi
echo "lane $GMMU_LANE: memory $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)"

if load_project_modules; then
	result PASS load-modules
else
	result FAIL load-modules
	exit 1
fi

# In-kernel selftests: every *_selftest.ko prints KTAP on load.
for ko in "$GMMU_KMOD"/*_selftest.ko; do
	[ -e "$ko" ] || continue
	ktap_module "$(basename "$ko" .ko)" "$ko"
done

# The two GPUs the harness asked for, and the edu slot left unbound.
n=$(ls -d /sys/bus/pci/drivers/swgpu/0000:* 2>/dev/null | wc -l)
if [ "$n" = 2 ]; then result PASS swgpu-binds-two-slots; else
	result FAIL swgpu-binds-two-slots "bound $n"; fi
n=$(ls -d /sys/bus/pci/drivers/jdgpu/0000:* 2>/dev/null | wc -l)
if [ "$n" = 1 ]; then result PASS jdgpu-binds-one-slot; else
	result FAIL jdgpu-binds-one-slot "bound $n"; fi

for t in "$GMMU_DIR"/build/igt/*; do
	[ -x "$t" ] || continue
	igt_binary "$t"
done

# swgpu-info --json against GET_PARAM, sysfs and debugfs; the demo's
# picture, drawn by several processes on both GPUs (guest-lib.sh).
info_check
demo_pictures

# The client the host lane built against `make install`'s staging root
# through pkg-config alone (tools/install-check.sh), on that root's libswgpu.
inst=$GMMU_DIR/build/check/host/install
if [ -x "$inst/swgpu_installed_sample" ] && [ -r "$inst/ld-library-path" ]; then
	out=$(LD_LIBRARY_PATH=$(cat "$inst/ld-library-path") "$inst/swgpu_installed_sample" 2>&1)
	rc=$?
	echo "$out"
	if [ $rc -eq 0 ] && echo "$out" | grep -qE '^installed-sample: profile (llc|atom) va_bits (32|48)$'; then
		result PASS installed-client
	else
		result FAIL installed-client "exit $rc"
	fi
else
	result FAIL installed-client "no $inst/swgpu_installed_sample: see the host lane's install checks"
fi

if unload_project_modules; then
	result PASS unload-modules
else
	result FAIL unload-modules
	cat /proc/modules
fi
