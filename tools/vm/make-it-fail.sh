#!/bin/bash
# make-it-fail.sh CMD [ARGS...]: run CMD as a process the kernel's fault
# injection may fail. failslab and fail_page_alloc with task-filter=Y fail
# only allocations of tasks whose /proc/PID/make-it-fail is 1; the flag is
# copied to every child and thread, and survives exec. The echo is a
# builtin, so /proc/self is this shell, which then becomes CMD.
# Used by the guest job tools/vm/jobs/failinj.sh.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: make-it-fail.sh CMD [ARGS...]" >&2; exit 2; }
echo 1 >/proc/self/make-it-fail
exec "$@"
