#!/bin/bash
# Runs inside the guest as PID 1 after switch_root: set up the system, run
# one job (tools/vm/jobs/JOB.sh) with its output in /gmmu-out/results.log,
# save dmesg, power off. Never returns.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
job=$1
shift
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# /tmp stays the overlay's (writable, tmpfs-backed): a tmpfs mounted on it
# would hide a project checked out under the host's /tmp.
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug
OUT=/gmmu-out
if ! cd "$gmmu_dir"; then
	echo "gmmu-guest: project directory $gmmu_dir not visible in the guest" >/dev/kmsg
	poweroff -f
fi
export GMMU_DIR=$gmmu_dir GMMU_LANE=$gmmu_lane GMMU_OUT=$OUT
export GMMU_KVER=$(uname -r)
export GMMU_KMOD=$gmmu_dir/build/kmod/$GMMU_KVER
export GMMU_BIN=$gmmu_dir/build/bin
export LD_LIBRARY_PATH=$gmmu_dir/build/lib
echo "gmmu-guest: lane $gmmu_lane job $job kernel $GMMU_KVER" >/dev/kmsg

. tools/vm/guest-lib.sh
bash "tools/vm/jobs/$job.sh" "$@" >"$OUT/results.log" 2>&1
echo "gmmu-job-exit $?" >>"$OUT/results.log"
guest_lane_checks >>"$OUT/results.log" 2>&1
dmesg >"$OUT/dmesg.txt"
sync
touch "$OUT/done"
sync
poweroff -f
