#!/bin/bash
# Guest job: only the named tests, REPEAT times (tools/check-tests.sh).
#   --args "REPEAT NAME..."  NAME: an IGT binary in build/igt, or a selftest
#   module (NAME_selftest); an IGT name may carry subtest arguments after a
#   colon, words joined by + (swgpu_slots:--run-subtest+busy-keeps-slot);
#   or "swgpu-info" (the info tool's check) or "demo-picture" (every run of
#   the demo's picture), as the check job runs them.
. tools/vm/guest-lib.sh
export GMMU_IN_VM=1

repeat=$1
shift
if load_project_modules; then
	result PASS load-modules
else
	result FAIL load-modules
	exit 1
fi
for i in $(seq "$repeat"); do
	for t in "$@"; do
		name=${t%%:*} targs=
		[ "$name" != "$t" ] && targs=${t#*:}
		if [ "$name" = swgpu-info ]; then
			info_check
		elif [ "$name" = demo-picture ]; then
			demo_pictures
		elif [ -e "$GMMU_KMOD/$name.ko" ]; then
			ktap_module "$name" "$GMMU_KMOD/$name.ko"
		elif [ -x "$GMMU_DIR/build/igt/$name" ]; then
			# shellcheck disable=SC2086
			igt_binary "$GMMU_DIR/build/igt/$name" ${targs//+/ }
		else
			result FAIL "$name" "no such test"
		fi
	done
done
if unload_project_modules; then
	result PASS unload-modules
else
	result FAIL unload-modules
fi
