#!/bin/bash
# make run: boot the VM (VT-d on), load the modules, run the demo, and
# show what it printed. Fails if the demo fails or the kernel complains.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$top/build/run
lane=${GMMU_RUN_LANE:-vtd}
echo "run: booting the VM ($lane lane)"
mkdir -p "$out" && rm -f "$out/swgpu-picture.png"
tools/vm/run.sh --lane "$lane" --job demo --out "$out" --timeout 600 || exit 1
grep -v '^gmmu-job-exit' "$out/results.log"
if ! grep -q '^gmmu-job-exit 0$' "$out/results.log"; then
	echo "run: the demo failed" >&2
	exit 1
fi
if ! bad=$(tools/vm/dmesg-check.sh "$out/dmesg.txt"); then
	echo "run: the guest kernel log has reports:" >&2
	echo "$bad" >&2
	exit 1
fi
if [ ! -s "$out/swgpu-picture.png" ]; then
	echo "run: the demo wrote no picture ($out/swgpu-picture.png)" >&2
	exit 1
fi
echo "run: ok (guest kernel log clean)"
echo "run: the picture is $out/swgpu-picture.png"
