#!/bin/bash
# make check: host-side checks, then every VM lane, then one summary.
# GMMU_LANES selects lanes (default: vtd novtd debug). The debug lane runs
# the suite on a kernel with lockdep, KASAN, DMA-API debug, kmemleak and
# debug objects (Documentation/debug-kernel.rst): it builds that kernel on
# first use (tools/debug-kernel/build.sh, about 20 minutes on 2 idle cores,
# then cached per machine), builds the modules against it, runs the suite on it,
# then one boot per planted bug (lane debug-planted) to show that each
# checker reports. The suite under random allocation failures (lane
# debug-failinj, tools/vm/jobs/failinj.sh) is not a default lane: it takes
# 15 to 30 minutes, past CI's budget on a fresh machine;
# GMMU_LANES=debug-failinj (make check-failinj) runs it alone, and
# GMMU_LANES="... debug debug-failinj" after the others. GMMU_LANES="vtd
# novtd" skips the debug lanes on a machine in a hurry;
# the host lane always runs, and GMMU_LANES=host runs only it (seconds).
# Lane dkms builds the modules through the real dkms from dkms.conf into a
# throw-away tree (tools/dkms-check.sh): a full build, 3 minutes on 2 busy
# cores, so not in the host lane; no VM.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$top/build/check
rm -rf "$out"
mkdir -p "$out/host"
lanes=${GMMU_LANES:-vtd novtd dkms debug}
t0=$(date +%s)

# Host lane: uapi layout on i386 and x86_64 (compiled, never run), and the
# harness's own tests.
{
	"$top/tools/uapi-layout-check.sh"
	"$top/tools/uapi-layout-selftest.sh"
	"$top/tools/debug-kernel-selftest.sh"
	"$top/tools/harness-selftest.sh" "$top/build/bin/igt_harness_sample"
	"$top/tools/summarize-selftest.sh"
	"$top/tools/lane-checks-selftest.sh"
	"$top/tools/kdoc-check.sh"
	"$top/tools/layering-check.sh"
	# make install into a staging root, and a client built against it
	# through pkg-config alone; the VM lanes run that client.
	"$top/tools/install-check.sh" "$out/host/install"
	# make docs: Sphinx and the kernel's kernel-doc, warnings are errors.
	"$top/tools/docs.sh" --result "$out/host/docs" 2>/dev/null
	# iommu-ctx's walker in userspace against its reference model, fixed seed.
	if "$top/build/fuzz/ictx_fuzz_replay" 1 500 >"$out/host/ictx-replay.log" 2>&1; then
		echo "gmmu-result PASS iommu-ctx-model-replay"
	else
		echo "gmmu-result FAIL iommu-ctx-model-replay"
		tail -n 20 "$out/host/ictx-replay.log"
	fi
} >"$out/host/results.log" 2>&1
touch "$out/host/no-dmesg"

# debug_prepare: the debug kernel and the modules built against it; on
# failure the lane gets a FAIL result instead of a boot. Once per run.
debug_ready=
debug_prepare() {
	local start=$(date +%s)
	[ -z "$debug_ready" ] || return "$debug_ready"
	debug_ready=1
	"$top/tools/debug-kernel/build.sh" --check ||
		echo "check: lane debug: building the debug kernel (first time only: about 20 minutes" \
			"on 2 idle cores, up to an hour on a busy host)"
	make --no-print-directory debug-modules 2>&1 | tee "$out/debug-build.log"
	if [ "${PIPESTATUS[0]}" -ne 0 ]; then
		echo "check: lane debug: building the debug kernel or its modules failed:" \
			"see above, $out/debug-build.log and $("$top/tools/debug-kernel/build.sh" --dir)/build.log"
		mkdir -p "$out/debug"
		echo "gmmu-result FAIL debug-build (no debug kernel or modules: $out/debug-build.log)" \
			>"$out/debug/results.log"
		touch "$out/debug/no-dmesg"
		return 1
	fi
	debug_ready=0
	echo "check: lane debug: kernel and modules ready: $(($(date +%s) - start)) s"
}

# failinj: lane debug-failinj, the suite on the debug kernel with failslab
# and fail_page_alloc failing GMMU_FAILINJ_PROB percent (default 2) of the
# test processes' allocations made under the gmmu modules' code,
# GMMU_FAILINJ_PASSES times (default 1); GMMU_FAILINJ_FILTER=0 drops the
# stack trace filter (any allocation of a test process may fail); a test
# still running after GMMU_FAILINJ_TEST_TIMEOUT s (default 180) is killed,
# and none starts after GMMU_FAILINJ_BUDGET s (default 900);
# GMMU_FAILINJ_TESTS="a b" runs only those tests.
# The guest job judges the injection itself, dmesg-check.sh the kernel log.
failinj() {
	local d start=$(date +%s) o=$out/debug-failinj
	local a="${GMMU_FAILINJ_PROB:-2} ${GMMU_FAILINJ_PASSES:-1}"
	local t=${GMMU_FAILINJ_TESTS:-all}
	a+=" ${GMMU_FAILINJ_FILTER:-1} ${GMMU_FAILINJ_TEST_TIMEOUT:-180}"
	a+=" ${GMMU_FAILINJ_BUDGET:-900} $(echo $t | tr ' ' :)"
	d=$("$top/tools/debug-kernel/build.sh" --dir)
	echo "check: lane debug-failinj: booting the VM"
	mkdir -p "$o"
	if ! tools/vm/run.sh --lane debug --job failinj --out "$o" --timeout 2400 \
		--kernel "$d/bzImage" --kver "$(cat "$d/kernelrelease")" \
		--mem "${GMMU_DEBUG_MEM:-3072}" --args "$a"; then
		echo "check: lane debug-failinj: the VM run failed (see $o/console.log)"
		echo "gmmu-result FAIL vm-run (the guest did not finish: console.log)" \
			>>"$o/results.log"
	fi
	echo "check: lane debug-failinj: $(($(date +%s) - start)) s"
	dirs+=("$o")
}

dirs=("$out/host")
for lane in $lanes; do
	[ "$lane" != host ] || continue
	if [ "$lane" = dkms ]; then
		echo "check: lane dkms: dkms add, build, install into a temporary tree"
		start=$(date +%s)
		mkdir -p "$out/dkms"
		touch "$out/dkms/no-dmesg"
		"$top/tools/dkms-check.sh" "$out/dkms/tree" >"$out/dkms/results.log" 2>&1
		echo "check: lane dkms: $(($(date +%s) - start)) s"
		dirs+=("$out/dkms")
		continue
	fi
	if [ "$lane" = debug-failinj ]; then
		if debug_prepare; then
			failinj
		else
			# Its debug-build FAIL, counted once.
			case " ${dirs[*]} " in
			*" $out/debug "*) ;;
			*) dirs+=("$out/debug") ;;
			esac
		fi
		continue
	fi
	args=(--timeout 1200)
	if [ "$lane" = debug ]; then
		debug_prepare || { dirs+=("$out/debug"); continue; }
		d=$("$top/tools/debug-kernel/build.sh" --dir)
		# KASAN, lockdep and kmemleak make TCG slower and need memory;
		# with 3 GiB, q35 also puts 1 GiB above 4 GiB, behind VT-d.
		args=(--timeout 2400 --kernel "$d/bzImage" --kver "$(cat "$d/kernelrelease")"
			--mem "${GMMU_DEBUG_MEM:-3072}")
	fi
	echo "check: lane $lane: booting the VM"
	start=$(date +%s)
	mkdir -p "$out/$lane"
	if ! tools/vm/run.sh --lane "$lane" --job check --out "$out/$lane" "${args[@]}"; then
		echo "check: lane $lane: the VM run failed (see $out/$lane/console.log)"
		# A guest that crashed or timed out may have left passing
		# results behind: the lane must fail all the same.
		echo "gmmu-result FAIL vm-run (the guest did not finish: console.log)" \
			>>"$out/$lane/results.log"
	fi
	echo "check: lane $lane: $(($(date +%s) - start)) s"
	dirs+=("$out/$lane")
	if [ "$lane" = debug ]; then
		echo "check: lane debug-planted: one boot per planted bug"
		start=$(date +%s)
		"$top/tools/debug-kernel/planted.sh" "$out/debug-planted"
		echo "check: lane debug-planted: $(($(date +%s) - start)) s"
		dirs+=("$out/debug-planted")
	fi
done

tools/summarize.sh "${dirs[@]}"
rc=$?
echo "check: total $(($(date +%s) - t0)) s"
exit $rc
