#!/bin/bash
# Guest job: benchmarks, all in this one boot so that figures compare.
# Every *_bench.ko prints "bench NAME VALUE UNIT" and "ratio NAME VALUE"
# lines on load; userspace benchmarks in build/bench/ print the same lines.
# Arguments, if any: only the benchmarks of those names, once each (the
# copy rounds are skipped; the bind benchmark still runs on drm_gmmu
# loaded again with huge=0, as below, so that its figures compare).
. tools/vm/guest-lib.sh
export GMMU_IN_VM=1

load_project_modules || { echo "bench: cannot load the modules"; exit 1; }
figures=/tmp/gmmu-bench-figures
failed=/tmp/gmmu-bench-failed
: >"$figures"
: >"$failed"
copies=/tmp/gmmu-bench-copies
: >"$copies"

# bench_module KO: load a *_bench.ko and print its figures. The marks
# carry a count, so that a module named twice prints each run once.
bench_runs=0
bench_module() {
	local ko=$1 name
	name=$(basename "$ko" .ko)
	bench_runs=$((bench_runs + 1))
	kmsg_mark "begin $name $bench_runs"
	insmod "$ko" || echo "bench: $name failed to load"
	kmsg_mark "end $name $bench_runs"
	dmesg | sed -e 's/^\[[ 0-9.]*\] //' |
		awk -v b="gmmu-mark: begin $name $bench_runs" \
			-v e="gmmu-mark: end $name $bench_runs" \
			'$0 == b { on = 1; next } $0 == e { on = 0 } on && /^(bench|ratio) /'
	grep -q "^$name " /proc/modules && rmmod "$name"
}

# The bind benchmark compares costs per 4 KiB page at both levels, so its
# BOs must be on 4 KiB pages: it runs last, with drm_gmmu loaded again
# without its huge-page backing (huge=0).
bind_bench=$GMMU_KMOD/drm_gmmu_bind_bench.ko
# bind_bench_module: the bind benchmark so, leaving iommu_ctx and drm_gmmu
# (huge=0) loaded.
bind_bench_module() {
	if unload_project_modules && load_kernel_deps &&
		insmod "$GMMU_KMOD/iommu_ctx.ko" &&
		insmod "$GMMU_KMOD/drm_gmmu.ko" huge=0; then
		bench_module "$bind_bench"
	else
		echo "drm_gmmu_bind_bench (drm_gmmu huge=0)" >>"$failed"
	fi
}

# bench_binary BIN: run a userspace benchmark; a benchmark that finds its
# result wrong (data, checker) fails the job.
bench_binary() {
	"$1" || echo "$(basename "$1")" >>"$failed"
}

if [ $# -gt 0 ]; then
	for name in "$@"; do
		if [ "$GMMU_KMOD/$name.ko" = "$bind_bench" ] && [ -e "$bind_bench" ]; then
			bind_bench_module
			unload_project_modules
			load_project_modules ||
				{ echo "bench: cannot load the modules"; exit 1; }
		elif [ -e "$GMMU_KMOD/$name.ko" ]; then
			bench_module "$GMMU_KMOD/$name.ko"
		elif [ -x "$GMMU_DIR/build/bench/$name" ]; then
			bench_binary "$GMMU_DIR/build/bench/$name"
		else
			echo "$name (no such benchmark)" >>"$failed"
		fi
	done
	unload_project_modules
	if [ -s "$failed" ]; then
		echo "bench: failed: $(cat "$failed")"
		exit 1
	fi
	exit 0
fi

# The engine's copy and the CPU copy it is compared with are measured in
# turns, COPY_ROUNDS times, and each of their figures is the best of its
# rounds. The host's load changes over a run (up to a quarter of the
# time stolen by other guests has been seen here): two best figures
# taken a minute apart would compare the load as much as the copies.
COPY_ROUNDS=3
cpu_copy=$GMMU_KMOD/swgpu_cpu_copy_bench.ko
engine_copy=$GMMU_DIR/build/bench/swgpu_engine_bench
{
for ko in "$GMMU_KMOD"/*_bench.ko; do
	[ -e "$ko" ] && [ "$ko" != "$cpu_copy" ] && [ "$ko" != "$bind_bench" ] || continue
	bench_module "$ko"
done
for b in "$GMMU_DIR"/build/bench/*; do
	[ -f "$b" ] && [ -x "$b" ] && [ "$b" != "$engine_copy" ] || continue
	bench_binary "$b"
done
for round in $(seq "$COPY_ROUNDS"); do
	[ -e "$cpu_copy" ] && bench_module "$cpu_copy"
	[ -x "$engine_copy" ] && bench_binary "$engine_copy"
done >"$copies"
# Every copy figure is in MiB/s: higher is better.
awk '$1 == "bench" { if (!($2 in v) || $3 + 0 > v[$2]) { v[$2] = $3 + 0; u[$2] = $4 }
		     if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 } }
     $1 != "bench" { print }
     END { for (i = 0; i < n; i++) printf "bench %s %s %s\n", order[i], v[order[i]], u[order[i]] }' "$copies"
[ -e "$bind_bench" ] && bind_bench_module
} | tee "$figures"
# Comparisons of figures from different benchmarks of this boot.
awk '$1 == "bench" { v[$2] = $3 + 0 }
END {
	# The best CPU copy: memcpy or an 8-byte loop, vmalloc or linear map.
	cpu = 0
	for (k in v) if (k ~ /^cpu_copy_64m_/ && v[k] > cpu) cpu = v[k]
	if (cpu > 0 && v["engine_copy_64m"] > 0) printf "ratio engine_copy_vs_cpu_copy %.2f\n", v["engine_copy_64m"] / cpu
	# The same with the TLB empty: the first copy after binding.
	if (cpu > 0 && v["engine_copy_64m_cold"] > 0) printf "ratio engine_copy_cold_vs_cpu_copy %.2f\n", v["engine_copy_64m_cold"] / cpu
	# Above 1: an swgpu NOP job round trip is faster than vgem fence attach + signal + wait.
	if (v["exec_roundtrip_median_us"] > 0 && v["vgem_fence_roundtrip_median_us"] > 0)
		printf "ratio exec_roundtrip_vs_vgem_fence %.2f\n", v["vgem_fence_roundtrip_median_us"] / v["exec_roundtrip_median_us"]
}' "$figures"
unload_project_modules
if [ -s "$failed" ]; then
	echo "bench: failed: $(cat "$failed")"
	exit 1
fi
