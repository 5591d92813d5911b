#!/bin/bash
# Check that the summary can fail: feed tools/summarize.sh a made-up lane
# with a failing KTAP case, a KTAP module that failed to load, a crashed IGT
# binary and a WARN in dmesg, and compare its counts. Prints gmmu-result lines.
set -u
here=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/fake"
cat >"$d/fake/results.log" <<'LOG'
gmmu-result PASS load-modules
gmmu-ktap-begin demo_selftest
KTAP version 1
1..3
ok 1 first
not ok 2 second
ok 3 third # SKIP no hardware
gmmu-ktap-end demo_selftest 0
gmmu-ktap-begin broken_selftest
gmmu-ktap-end broken_selftest 1
gmmu-igt-begin demo_igt
Subtest a: SUCCESS (0.000s)
Subtest b: CRASH (signal 11)
gmmu-igt-end demo_igt 98
gmmu-job-exit 0
LOG
printf '[ 1.0] ok\n[ 2.0] WARNING: CPU: 0 PID: 1 at foo.c:1 bar\n' >"$d/fake/dmesg.txt"
out=$("$here/summarize.sh" "$d/fake")
rc=$?
check() {
	if [ "$2" = "$3" ]; then echo "gmmu-result PASS summary.$1"
	else echo "gmmu-result FAIL summary.$1 expected[$2] got[$3]"; fi
}
check exit-code 1 $rc
check totals "3 passed, 4 failed, 1 skipped" "$(echo "$out" | tail -n 1)"
check ktap-not-ok "FAIL [fake] demo_selftest.second" "$(echo "$out" | grep -o 'FAIL \[fake\] demo_selftest.second')"
check ktap-load-failure 1 "$(echo "$out" | grep -c 'broken_selftest (module load failed')"
check igt-crash 1 "$(echo "$out" | grep -c 'demo_igt@b (CRASH)')"
check dmesg-warn 1 "$(echo "$out" | grep -c 'FAIL \[fake\] dmesg-clean')"
