#!/bin/bash
# make bench: one VM boot (VT-d on) runs every benchmark; print the
# "bench NAME VALUE UNIT" and "ratio NAME VALUE" lines. BENCH="NAME...":
# only those benchmarks (a *_bench.ko or a build/bench/ binary, by name).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$top/build/bench
lane=${GMMU_BENCH_LANE:-vtd}
args=()
[ -n "${BENCH:-}" ] && args=(--args "$BENCH")
tools/vm/run.sh --lane "$lane" --job bench --out "$out/$lane" --timeout 1800 "${args[@]}" || exit 1
grep -E '^(bench|ratio) ' "$out/$lane/results.log"
n=$(grep -cE '^(bench|ratio) ' "$out/$lane/results.log")
if ! bad=$(tools/vm/dmesg-check.sh "$out/$lane/dmesg.txt"); then
	echo "bench: the guest kernel log has reports:" >&2
	echo "$bad" >&2
	exit 1
fi
[ "$n" -gt 0 ] || { echo "bench: no figures were produced" >&2; exit 1; }
grep -q '^gmmu-job-exit 0$' "$out/$lane/results.log" ||
	{ grep '^bench: failed' "$out/$lane/results.log" >&2; exit 1; }
