#!/bin/bash
# check-tests.sh: a few tests on one lane, for work on one feature.
#   make check-tests TESTS="swgpu_slots drm_gmmu_slots_selftest" [LANE=vtd]
#        [REPEAT=1]
# LANE is vtd, novtd or debug (the debug kernel and modules must be built:
# make debug-modules). Ends like make check: N passed, N failed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
lane=${LANE:-vtd} repeat=${REPEAT:-1}
[ -n "${TESTS:-}" ] || { echo "check-tests: set TESTS to the tests to run" >&2; exit 2; }
out=$top/build/check-tests
rm -rf "$out"
mkdir -p "$out/$lane"
args=(--timeout 2400)
if [ "$lane" = debug ]; then
	d=$("$top/tools/debug-kernel/build.sh" --dir)
	"$top/tools/debug-kernel/build.sh" --check ||
		{ echo "check-tests: no debug kernel: make debug-modules first" >&2; exit 1; }
	args+=(--kernel "$d/bzImage" --kver "$(cat "$d/kernelrelease")" --mem "${GMMU_DEBUG_MEM:-3072}")
fi


tools/vm/run.sh --lane "$lane" --job tests --out "$out/$lane" "${args[@]}" \
	--args "$repeat $TESTS" || echo "check-tests: the VM run failed (see $out/$lane/console.log)"
exec tools/summarize.sh "$out/$lane"
