#!/bin/bash
# Guest job: the ioctl fuzzer alone, for as long as asked (make fuzz-ioctl).
# Arguments: seconds, seed.
. tools/vm/guest-lib.sh
export GMMU_IN_VM=1

secs=${1:-600}
seed=${2:-0x5eed}
if load_project_modules; then result PASS load-modules; else result FAIL load-modules; exit 1; fi
FUZZ_TIME=$secs FUZZ_SEED=$seed GMMU_TEST_TIMEOUT=$((secs + 300)) \
	igt_binary "$GMMU_DIR/build/igt/swgpu_fuzz_ioctl"
guest_lane_checks
if unload_project_modules; then result PASS unload-modules; else
	result FAIL unload-modules; cat /proc/modules; fi
