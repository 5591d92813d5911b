#!/bin/bash
# Guest job: benchmarks, all in this one boot so that figures compare.
# Every *_bench.ko prints "bench NAME VALUE UNIT" and "ratio NAME VALUE"
# lines on load; userspace benchmarks in build/bench/ print the same lines.
. tools/vm/guest-lib.sh
export GMMU_IN_VM=1

load_project_modules || { echo "bench: cannot load the modules"; exit 1; }
figures=/tmp/gmmu-bench-figures
failed=/tmp/gmmu-bench-failed
: >"$figures"
: >"$failed"
{
for ko in "$GMMU_KMOD"/*_bench.ko; do
	[ -e "$ko" ] || continue
	name=$(basename "$ko" .ko)
	kmsg_mark "begin $name"
	insmod "$ko" || echo "bench: $name failed to load"
	kmsg_mark "end $name"
	dmesg | sed -e 's/^\[[ 0-9.]*\] //' |
		awk -v b="gmmu-mark: begin $name" -v e="gmmu-mark: end $name" \
			'$0 == b { on = 1; next } $0 == e { on = 0 } on && /^(bench|ratio) /'
	grep -q "^$name " /proc/modules && rmmod "$name"
done
for b in "$GMMU_DIR"/build/bench/*; do
	[ -f "$b" ] && [ -x "$b" ] || continue
	# A benchmark that finds its result wrong (data, checker) fails the job.
	"$b" || echo "$(basename "$b")" >>"$failed"
done
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
