#!/bin/bash
# Check that the IGT-style harness can fail: run tools/igt_harness_sample
# and compare what it reports with what IGT would. Prints gmmu-result lines.
set -u
bin=$1
check() {
	local name=$1 expect=$2 got=$3
	if [ "$expect" = "$got" ]; then echo "gmmu-result PASS harness.$name"
	else echo "gmmu-result FAIL harness.$name expected[$expect] got[$got]"; fi
}
out=$("$bin" --run-subtest pass 2>&1); check pass-exit 0 $?
check pass-line "Subtest pass: SUCCESS" "$(echo "$out" | grep -o 'Subtest pass: SUCCESS')"
out=$("$bin" --run-subtest fail 2>&1); check fail-exit 98 $?
check fail-line "Subtest fail: FAIL" "$(echo "$out" | grep -o 'Subtest fail: FAIL')"
out=$("$bin" --run-subtest skip 2>&1); check skip-exit 77 $?
"$bin" --run-subtest ioctl-errno >/dev/null 2>&1; check ioctl-errno-exit 0 $?
out=$("$bin" --run-subtest crash 2>&1); check crash-exit 98 $?
check crash-line "Subtest crash: CRASH" "$(echo "$out" | grep -o 'Subtest crash: CRASH')"
"$bin" --run-subtest no-such-test >/dev/null 2>&1; check no-match-exit 79 $?
check list "pass fail skip ioctl-errno crash after-fixture" "$("$bin" --list-subtests | xargs)"
out=$(SAMPLE_SKIP_REST=1 "$bin" --run-subtest after-fixture 2>&1); check fixture-skip-exit 77 $?
check fixture-skip-line "Subtest after-fixture: SKIP" "$(echo "$out" | grep -o 'Subtest after-fixture: SKIP')"
"$bin" --run-subtest 'p*' >/dev/null 2>&1; check wildcard-exit 0 $?
