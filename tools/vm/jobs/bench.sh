#!/bin/bash
# Guest job: benchmarks, all in this one boot so that figures compare.
# Every *_bench.ko prints "bench NAME VALUE UNIT" and "ratio NAME VALUE"
# lines on load; userspace benchmarks in build/bench/ print the same lines.
. tools/vm/guest-lib.sh
export GMMU_IN_VM=1

load_project_modules || { echo "bench: cannot load the modules"; exit 1; }
for ko in "$GMMU_KMOD"/*_bench.ko; do
	[ -e "$ko" ] || continue
	name=$(basename "$ko" .ko)
	kmsg_mark "begin $name"
	insmod "$ko" || echo "bench: $name failed to load"
	kmsg_mark "end $name"
	dmesg | sed -e 's/^\[[ 0-9.]*\] //' |
		awk -v b="gmmu-mark: begin $name" -v e="gmmu-mark: end $name" \
			'$0 == b { on = 1; next } $0 == e { on = 0 } on && /^(bench|ratio) /'
	grep -q "^$name " /proc/modules && rmmod "$name"
done
for b in "$GMMU_DIR"/build/bench/*; do
	[ -x "$b" ] || continue
	"$b"
done
unload_project_modules
