#!/bin/bash
# Guest job (debug kernel only): plant one bug, tools/vm/jobs/planted.sh BUG.
# The host (tools/debug-kernel/planted.sh) then expects the matching
# checker's report in this boot's dmesg or lane checks; this boot is never
# judged as a normal run.
. tools/vm/guest-lib.sh
bug=${1:?usage: planted.sh BUG}
ko=$GMMU_KMOD/planted/gmmu_planted.ko
[ -f "$ko" ] || { echo "planted: $ko missing (make debug-modules)"; exit 1; }
# Only the kmemleak bug needs the scan after the job (guest_lane_checks):
# for the others it would cost 20 s and more and prove nothing.
[ "$bug" = kmemleak ] || echo "planted $bug" >"$GMMU_SKIP_KMEMLEAK"
kmsg_mark "planting $bug"
insmod "$ko" bug="$bug"
# The module always refuses to stay loaded (-EAGAIN) once the bug is done.
echo "planted: insmod bug=$bug exit $?"
kmsg_mark "planted $bug"
# kmemleak reports an object only once it is 5 s old and two scans (in
# guest_lane_checks) found no pointer to it.
[ "$bug" = kmemleak ] && sleep 6
exit 0
