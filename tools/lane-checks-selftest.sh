#!/bin/bash
# Check that the debug lane's post-suite checks can fail: run
# guest_lane_checks (tools/vm/guest-lib.sh) on fake debugfs files, with
# DMA-API errors, a leak, the checkers missing, and on a lane without them.
# Prints gmmu-result lines.
set -u
here=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
. "$here/vm/guest-lib.sh"
export GMMU_SKIP_KMEMLEAK=$d/skip
check() {
	if [ "$2" = "$3" ]; then echo "gmmu-result PASS lane-checks.$1"
	else echo "gmmu-result FAIL lane-checks.$1 expected[$2] got[$3]"; fi
}
# lanecheck LANE DEBUGFS: the result lines, one per line, reasons cut off.
lanecheck() {
	GMMU_LANE=$1 GMMU_DEBUGFS=$2 guest_lane_checks | grep '^gmmu-result' | cut -d' ' -f2,3 | xargs
}

mkdir -p "$d/clean/dma-api" "$d/bad/dma-api" "$d/off/dma-api" "$d/none"
echo 0 >"$d/clean/dma-api/error_count"
echo N >"$d/clean/dma-api/disabled"
: >"$d/clean/kmemleak"
echo 3 >"$d/bad/dma-api/error_count"
echo N >"$d/bad/dma-api/disabled"
printf 'unreferenced object 0xffff888100000000 (size 128):\n' >"$d/bad/kmemleak"
echo 0 >"$d/off/dma-api/error_count"
echo Y >"$d/off/dma-api/disabled"
: >"$d/off/kmemleak"

check clean "PASS dma-api-error-count PASS kmemleak" "$(lanecheck debug "$d/clean")"
check errors-and-leak "FAIL dma-api-error-count FAIL kmemleak" "$(lanecheck debug "$d/bad")"
check dma-api-switched-off "FAIL dma-api-error-count PASS kmemleak" "$(lanecheck debug "$d/off")"
check checkers-missing "FAIL dma-api-error-count FAIL kmemleak" "$(lanecheck debug "$d/none")"
check stock-kernel "" "$(lanecheck vtd "$d/none")"
echo "planted dma_dir" >"$GMMU_SKIP_KMEMLEAK"
check scan-skipped "PASS dma-api-error-count SKIP kmemleak" "$(lanecheck debug "$d/clean")"
