#!/bin/bash
# make fuzz-ioctl [FUZZ_TIME=seconds] [FUZZ_SEED=n] [FUZZ_LANE=vtd|novtd]:
# one VM boot runs igt-tests/swgpu_fuzz_ioctl for FUZZ_TIME seconds, then
# checks the guest's kernel log as tools/check.sh does. The seed and the
# number of the failing call, printed on failure, reproduce a finding.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
secs=${FUZZ_TIME:-600}
seed=${FUZZ_SEED:-0x5eed}
lane=${FUZZ_LANE:-vtd}
out=$top/build/fuzz-ioctl/$lane
case "$secs" in ''|*[!0-9]*) echo "fuzz-ioctl: FUZZ_TIME must be seconds" >&2; exit 2 ;; esac
tools/vm/run.sh --lane "$lane" --job fuzz-ioctl --out "$out" \
	--timeout $((secs + 900)) --args "$secs $seed" || exit 1
grep -E '^(seed|Subtest|gmmu-result)' "$out/results.log"
rc=0
if ! bad=$(tools/vm/dmesg-check.sh "$out/dmesg.txt"); then
	echo "fuzz-ioctl: the guest kernel log has reports:" >&2
	echo "$bad" >&2
	rc=1
fi
grep -q '^Subtest fuzz: SUCCESS' "$out/results.log" || rc=1
grep -q '^gmmu-result FAIL' "$out/results.log" && rc=1
echo "fuzz-ioctl: $([ $rc = 0 ] && echo passed || echo FAILED) ($secs s, seed $seed, lane $lane; logs in $out)"
exit $rc
