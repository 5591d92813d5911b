#!/bin/bash
# make check: host-side checks, then every VM lane, then one summary.
# GMMU_LANES selects lanes (default: vtd novtd, plus debug when built).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$top/build/check
rm -rf "$out"
mkdir -p "$out/host"
lanes=${GMMU_LANES:-vtd novtd}

# Host lane: uapi layout on i386 and x86_64, and the harness's own test.
{
	for b in 32 64; do
		if "$top/build/uapi/check$b" >/dev/null; then
			echo "gmmu-result PASS uapi-layout-m$b"
		else
			echo "gmmu-result FAIL uapi-layout-m$b"
		fi
	done
	"$top/tools/harness-selftest.sh" "$top/build/bin/igt_harness_sample"
	"$top/tools/summarize-selftest.sh"
	"$top/tools/kdoc-check.sh"
	# iommu-ctx's walker in userspace against its reference model, fixed seed.
	if "$top/build/fuzz/ictx_fuzz_replay" 1 500 >"$out/host/ictx-replay.log" 2>&1; then
		echo "gmmu-result PASS iommu-ctx-model-replay"
	else
		echo "gmmu-result FAIL iommu-ctx-model-replay"
		tail -n 20 "$out/host/ictx-replay.log"
	fi
} >"$out/host/results.log" 2>&1
touch "$out/host/no-dmesg"

for lane in $lanes; do
	echo "check: lane $lane: booting the VM"
	start=$(date +%s)
	tools/vm/run.sh --lane "$lane" --job check --out "$out/$lane" --timeout 1200 ||
		echo "check: lane $lane: the VM run failed (see $out/$lane/console.log)"
	echo "check: lane $lane: $(($(date +%s) - start)) s"
done

dirs=("$out/host")
for lane in $lanes; do dirs+=("$out/$lane"); done
tools/summarize.sh "${dirs[@]}"
