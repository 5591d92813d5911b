#!/bin/bash
# drivers/ hold only what is specific to their hardware; what every driver
# needs is drm-core's (Documentation/porting.rst). Measured and kept:
#   driver-lines.swgpu   lines of drivers/swgpu/ outside hw/ and tests/
#                        (.c and .h, comments included), at most 700
#   driver-lines.jdgpu   the same for drivers/jdgpu/, at most 800
#   driver-no-core-calls no call of drm_sched_*, drm_syncobj_*, dma_resv_*
#                        or drm_exec_* in drivers/: submission is drm-core's
#   driver-duplicates    the `duplicates` tool finds no pair of places
#                        shared by drm-core/ and drivers/, or by two
#                        drivers, but boilerplate (skipped where the tool
#                        is not installed)
# Prints gmmu-result lines.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# driver_lines NAME MAX: the driver's lines outside its hardware model.
driver_lines() {
	local files lines
	files=$(find "drivers/$1" -maxdepth 1 -name '*.[ch]' ! -name '*.mod.c' | sort)
	lines=$(cat $files | wc -l)
	if [ "$lines" -le "$2" ]; then
		echo "gmmu-result PASS driver-lines.$1 ($lines lines, at most $2)"
	else
		echo "gmmu-result FAIL driver-lines.$1 ($lines lines, more than $2):"
		wc -l $files
	fi
}
driver_lines swgpu "${GMMU_SWGPU_MAX_LINES:-700}"
driver_lines jdgpu "${GMMU_JDGPU_MAX_LINES:-800}"

calls=$(grep -rnE '\b(drm_sched|drm_syncobj|dma_resv|drm_exec)_[a-z0-9_]*[[:space:]]*\(' \
	--include='*.c' --include='*.h' drivers/)
if [ -z "$calls" ]; then
	echo "gmmu-result PASS driver-no-core-calls"
else
	echo "gmmu-result FAIL driver-no-core-calls:"
	echo "$calls"
fi

if ! command -v duplicates >/dev/null; then
	echo "gmmu-result SKIP driver-duplicates (the duplicates tool is not installed)"
	exit 0
fi
# A row names two places; keep those with one side in drm-core/ and the
# other in drivers/ (either order), or in two drivers, except rows the tool itself marks as
# boilerplate (a struct file_operations initialiser, say: same shape,
# nothing shared worth a helper).
pairs=$(duplicates --most 200 --seconds 60 2>&1 |
	grep -E '^D[0-9]+ ' | grep -v ' boilerplate' |
	grep -E '(drm-core/[^ ]* ~ drivers/|drivers/[^ ]* ~ drm-core/|drivers/([^/ ]*)/[^ ]* ~ drivers/)' |
	awk '{ split($2, a, "/"); split($4, b, "/");
	       if (a[1] != "drivers" || b[1] != "drivers" || a[2] != b[2]) print }')
if [ -z "$pairs" ]; then
	echo "gmmu-result PASS driver-duplicates"
else
	echo "gmmu-result FAIL driver-duplicates:"
	echo "$pairs"
fi
