#!/bin/bash
# Guest job (debug kernel only): the IGT-style suite under random allocation
# failures, lane debug-failinj (Documentation/debug-kernel.rst).
#
#   failinj.sh [PROBABILITY [PASSES [FILTER [TIMEOUT [BUDGET [TESTS]]]]]]
#
# failslab and fail_page_alloc fail PROBABILITY percent of the allocations
# that are made by a test process (task-filter: tools/vm/make-it-fail.sh
# sets /proc/self/make-it-fail, then execs the test) and, with FILTER 1 (the
# default), only those whose call chain passes through the gmmu modules'
# code (the stack trace filter): exec, the C library and the generic DRM
# paths that never reach the modules do not fail, so the failures land in
# the code under test. The suite runs PASSES times; each test is killed
# after TIMEOUT s, and no test starts once BUDGET s have gone since the
# first (those not reached are named: a SKIP, so a slow host shows in the
# summary). TESTS (names separated by ':', default all) selects tests.
#
# The tests' own results are logged (build/check/debug-failinj/failinj/) but
# not judged: a failed allocation makes a test fail. What is judged here:
# failures were injected (0 fails the lane, it must not pass vacuously);
# once every test process is gone, each device holds as many VMs and
# level-1 mappings as before the tests; the GPUs are (or can be rebound)
# there; with injection off, a few subtests that bind and execute pass;
# the modules unload. The host judges the kernel log (dmesg-check.sh: any
# oops, WARN, lockdep, KASAN, refcount or list-corruption report fails),
# and guest.sh runs the kmemleak scan and the DMA-API error count after
# this job.
. tools/vm/guest-lib.sh
export GMMU_IN_VM=1
prob=${1:-2}
passes=${2:-1}
filter=${3:-1}
limit=${4:-180}
budget=${5:-900}
only=${6:-all}
dbg=/sys/kernel/debug
caps="failslab fail_page_alloc"
# Run with injection off, after everything else, and judged: binaries and
# their subtests (--run-subtest patterns), the paths every test takes.
sanity=("swgpu_vm_bind map-unmap-basic" "swgpu_vm_bind array-all-or-nothing"
	"swgpu_vm_bind unmap-partial-splits" "swgpu_exec store-dword"
	"swgpu_exec fill" "jdgpu_basic descriptors")
# Not run under injection: swgpu_mesa spends minutes in Mesa's own start-up
# (llvmpipe's shader compiler under TCG and KASAN) before its first ioctl,
# and its kernel paths, dma-buf export to and import from another
# driver, are those of swgpu_import_vgem and swgpu_dmabuf.
# swgpu_failnth makes its own failures, one allocation at a time
# (fail-nth), and checks what each one leaves: it runs on the debug lane.
skip_tests=" swgpu_mesa swgpu_failnth "
logs=$GMMU_OUT/failinj
mkdir -p "$logs"

if load_project_modules; then
	result PASS load-modules
else
	result FAIL load-modules
	exit 1
fi
for c in $caps; do
	if [ ! -d "$dbg/$c" ]; then
		result FAIL failinj-setup "no $dbg/$c: this kernel has no fault injection"
		exit 1
	fi
done

# gmmu_state: per device, what must be back to its value before the tests
# once every test process has gone: open VMs, level-1 mappings still made,
# page-table bytes the VMs hold. Without the DRM minor, which a GPU that
# was unbound and bound again may change.
gmmu_state() {
	local f
	for f in "$dbg"/dri/*/gmmu_vms; do
		[ -r "$f" ] || continue
		awk '
			$1 == "level1_maps:" { m = $2 }
			$1 == "level1_unmaps:" { u = $2 }
			$1 == "vms:" { v = $2 }
			$1 == "table_bytes:" { t = $2 }
			END { printf "[vms %s level1_held %d table_bytes %s]\n", v, m - u, t }' "$f"
	done | sort | xargs
}
# gpus: every bound GPU of either driver, as DRIVER/BDF.
drivers="swgpu jdgpu"
gpus() {
	local d
	for d in $drivers; do
		ls -d /sys/bus/pci/drivers/$d/0000:* 2>/dev/null |
			xargs -rn1 basename | sed "s|^|$d/|"
	done
}
# ensure_gpus: bind again, without injection, a GPU that a test unbound and
# whose rebind an injected failure made fail (swgpu_unbind's and
# jdgpu_unplug's probes run in the test's process).
ensure_gpus() {
	local g
	for g in $gpus0; do
		[ -e "/sys/bus/pci/drivers/$g" ] ||
			echo "${g#*/}" >"/sys/bus/pci/drivers/${g%/*}/bind" 2>/dev/null || true
	done
	[ "$(gpus | xargs)" = "$(echo $gpus0)" ]
}
# injected: failures injected so far, both capabilities ("times" counts
# down from the value set below on each one).
times0=1000000
injected() {
	local c n=0
	for c in $caps; do n=$((n + times0 - $(cat "$dbg/$c/times"))); done
	echo $n
}
gpus0=$(gpus)
state0=$(gmmu_state)
echo "failinj: GPUs: $(echo $gpus0); state before: $state0"
if [ -z "$gpus0" ] || [ -z "$state0" ]; then
	result FAIL failinj-setup "no GPU bound or no gmmu_vms in $dbg/dri: nothing to compare"
	exit 1
fi

# text_range ERE: the lowest address of the text symbols whose "NAME
# [MODULE]" matches ERE, and the address of the first text symbol above the
# highest of them (or 64 KiB above it when there is none).
text_range() {
	grep -E '^[0-9a-f]+ [tT] ' /proc/kallsyms | LC_ALL=C sort | awk -v re="$1" '
		hi != "" && end == "" && $1 > hi { end = $1 }
		($3 " " $4) ~ re { if (lo == "") lo = $1; hi = $1; end = "" }
		END {
			if (lo == "") exit
			if (end == "") end = sprintf("0x%s+0x10000", hi)
			print "0x" lo, (end ~ /\+/ ? end : "0x" end)
		}'
}
# The stack trace filter takes one range a call chain must pass through:
# the four modules' text, from the lowest to the highest symbol. The debug
# kernel has everything else built in, so no other module's code lies in
# between.
read -r req_lo req_hi <<<"$(text_range '\[(iommu_ctx|drm_gmmu|swgpu|jdgpu)\]$')"
# And one range it must not pass through: DMA-API debug's entry points.
# Its pool of entries grows with GFP_ATOMIC under the mapping call, and a
# failure there switches DMA-API debug off for the boot (it prints "DMA-API:
# debugging out of memory - disabling"): a checker lost, not a bug found.
read -r rej_lo rej_hi <<<"$(text_range '^debug_dma_[a-z_]+ $')"
if [ -z "$req_lo" ] || [ "$((req_lo))" = 0 ] || [ -z "$rej_lo" ]; then
	result FAIL failinj-setup "no module or DMA-API debug text in /proc/kallsyms"
	exit 1
fi
case "$req_hi" in *+*) req_hi=$(printf '0x%x' $((${req_hi%+*} + ${req_hi#*+}))) ;; esac
case "$rej_hi" in *+*) rej_hi=$(printf '0x%x' $((${rej_hi%+*} + ${rej_hi#*+}))) ;; esac
others=$(grep -vE '^(iommu_ctx|drm_gmmu|swgpu|jdgpu) ' /proc/modules | cut -d' ' -f1 | xargs)
[ -z "$others" ] || echo "failinj: other modules loaded (their code may share the range): $others"

# set_attr FILE VALUE: a fault-injection setting; one that does not take
# fails the setup (a lane that injects something else proves nothing).
bad_attrs=
set_attr() { echo "$2" 2>/dev/null >"$1" || bad_attrs+=" $(basename "$(dirname "$1")")/$(basename "$1")"; }
for c in $caps; do
	a=$dbg/$c
	set_attr "$a/probability" 0
	set_attr "$a/task-filter" Y
	# Sleeping allocations fail too: the default (Y) fails only atomic ones.
	set_attr "$a/ignore-gfp-wait" N
	set_attr "$a/interval" 1
	set_attr "$a/space" 0
	set_attr "$a/times" $times0
	# One line per failure, rate-limited by the kernel: no stack dumps,
	# which the log check would take for a report.
	set_attr "$a/verbose" 1
	set_attr "$a/stacktrace-depth" 32
	set_attr "$a/reject-start" "$rej_lo"
	set_attr "$a/reject-end" "$rej_hi"
	if [ "$filter" = 1 ]; then
		set_attr "$a/require-start" "$req_lo"
		set_attr "$a/require-end" "$req_hi"
	fi
done
# Order-0 pages (shmem backing, page tables) are the common case; the
# default min-order (1) would never fail them. No highmem on x86_64, but
# nothing is to be skipped for it either.
set_attr "$dbg/fail_page_alloc/min-order" 0
set_attr "$dbg/fail_page_alloc/ignore-gfp-highmem" N
if [ -n "$bad_attrs" ]; then
	result FAIL failinj-setup "could not set:$bad_attrs"
	exit 1
fi
for c in $caps; do echo "$prob" >"$dbg/$c/probability"; done
echo "failinj: failslab, fail_page_alloc: probability $prob%, task-filter, " \
	"stack $([ "$filter" = 1 ] && echo "through $req_lo..$req_hi" || echo "anywhere")" \
	"but not through $rej_lo..$rej_hi, $passes pass(es), $limit s a test"
kmsg_mark "failinj: injection on"

tests=()
last=()
for t in "$GMMU_DIR"/build/igt/*; do
	[ -x "$t" ] || continue
	case "$skip_tests" in *" $(basename "$t") "*) continue ;; esac
	[ "$only" = all ] || case ":$only:" in *":$(basename "$t"):"*) ;; *) continue ;; esac
	# Unbinding a GPU under injection may leave it unbound; run them last.
	case "$(basename "$t")" in
	swgpu_unbind | jdgpu_unplug) last+=("$t") ;;
	*) tests+=("$t") ;;
	esac
done
timeouts=
unreached=
t_start=$(date +%s)
for pass in $(seq "$passes"); do
	for t in "${tests[@]}" "${last[@]}"; do
		name=$(basename "$t")
		if [ $(($(date +%s) - t_start)) -ge "$budget" ]; then
			unreached+=" $name.$pass"
			continue
		fi
		n0=$(injected)
		s=$(date +%s)
		timeout -k 5 "$limit" "$GMMU_DIR/tools/vm/make-it-fail.sh" "$t" \
			>"$logs/$name.$pass.log" 2>&1 </dev/null
		rc=$?
		[ $rc -ne 124 ] && [ $rc -ne 137 ] || timeouts+=" $name.$pass"
		echo "failinj: pass $pass $name: exit $rc in $(($(date +%s) - s)) s," \
			"$(($(injected) - n0)) failures injected;" \
			"subtests $(grep -c ': SUCCESS' "$logs/$name.$pass.log") ok," \
			"$(grep -cE '^Subtest [^ ]+: (FAIL|CRASH|TIMEOUT)' "$logs/$name.$pass.log") failed"
	done
	ensure_gpus || true
done
for c in $caps; do echo 0 >"$dbg/$c/probability"; done
kmsg_mark "failinj: injection off"

total=$(injected)
per=
for c in $caps; do per+=" $c $((times0 - $(cat "$dbg/$c/times")))"; done
echo "failinj: injected $total failures:$per; kernel log lines:" \
	"$(dmesg | grep -c 'FAULT_INJECTION: forcing a failure') (rate-limited)"
[ -z "$timeouts" ] || echo "failinj: killed after $limit s:$timeouts"
echo "failinj: the tests under injection took $(($(date +%s) - t_start)) s"
if [ -n "$unreached" ]; then
	result SKIP failinj-budget "not started within $budget s:$unreached"
fi
if [ "$total" -gt 0 ]; then
	result PASS failinj-injected "$total failures"
else
	result FAIL failinj-injected "no failure was injected: the lane proved nothing"
fi

if ensure_gpus; then
	result PASS failinj-gpus-bound
else
	result FAIL failinj-gpus-bound "bound: $(gpus | xargs), before: $(echo $gpus0)"
fi
# Freeing is partly deferred (workqueues, RCU, the scheduler's cleanup):
# give it up to 30 s to settle.
end=$(($(date +%s) + 30))
while :; do
	state=$(gmmu_state)
	[ "$state" != "$state0" ] && [ "$(date +%s)" -lt "$end" ] || break
	sleep 1
done
if [ "$state" = "$state0" ]; then
	result PASS failinj-state-restored
else
	result FAIL failinj-state-restored "before: $state0 / after: $state"
fi

# With injection off, a test passes: nothing half-done stayed behind.
for s in "${sanity[@]}"; do
	set -- $s
	igt_binary "$GMMU_DIR/build/igt/$1" --run-subtest "$2"
done

if unload_project_modules; then
	result PASS unload-modules
else
	result FAIL unload-modules
	cat /proc/modules
fi
