#!/bin/bash
# planted.sh OUTDIR [BUG...]: prove that the debug kernel's checkers fire.
# One boot of the debug kernel per planted bug (tools/vm/jobs/planted.sh
# loads gmmu_planted.ko bug=BUG); each test PASSes only if the checker's
# report is in that boot's log, and FAILs if the checker stayed silent.
# Results: OUTDIR/results.log (gmmu-result lines for tools/summarize.sh);
# OUTDIR/no-dmesg, since these boots are dirty on purpose. Each boot's own
# output is in OUTDIR/BUG/.
# Needs the debug kernel and `make debug-modules` done.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:?usage: planted.sh OUTDIR [BUG...]}
shift
bugs=${*:-${GMMU_PLANTED:-dma_dir lock_order kasan_uaf kmemleak odebug_free}}

# What each checker must have reported: "FILE REGEX" lines, all required.
# FILE is dmesg.txt (the guest's kernel log) or results.log (its lane
# checks: DMA-API error_count and the kmemleak scan).
expect() {
	case "$1" in
	dma_dir)
		echo 'dmesg.txt DMA-API: .*gmmu_planted: device driver frees DMA memory with different direction'
		echo 'results.log gmmu-result FAIL dma-api-error-count'
		;;
	dma_sync_dir)
		echo 'dmesg.txt DMA-API: .*gmmu_planted: device driver syncs DMA memory with different direction'
		echo 'results.log gmmu-result FAIL dma-api-error-count'
		;;
	lock_order)
		echo 'dmesg.txt WARNING: possible circular locking dependency detected'
		echo 'dmesg.txt planted_[ab]'
		;;
	kasan_uaf)
		echo 'dmesg.txt BUG: KASAN: slab-use-after-free in planted_kasan_uaf'
		;;
	kmemleak)
		echo 'results.log gmmu-result FAIL kmemleak'
		echo 'results.log unreferenced object 0x[0-9a-f]+ \(size 128\)'
		;;
	odebug_free)
		echo 'dmesg.txt ODEBUG: free active .*object type: timer_list hint: planted_timer_fn'
		;;
	*) return 1 ;;
	esac
}

mkdir -p "$out"
res=$out/results.log
: >"$res"
touch "$out/no-dmesg"
d=$("$here/build.sh" --dir)
if [ ! -f "$d/ok" ]; then
	echo "gmmu-result FAIL planted (no debug kernel: make debug-kernel)" >>"$res"
	exit 1
fi
kver=$(cat "$d/kernelrelease")
# A planted boot loads one small module: 1 GiB boots faster than the
# suite's 3 GiB, and the kmemleak bug's scan covers a third of the memory.
mem=${GMMU_PLANTED_MEM:-1024}

rc=0
for bug in $bugs; do
	if ! exp=$(expect "$bug"); then
		echo "gmmu-result FAIL planted-$bug (unknown bug)" >>"$res"
		rc=1
		continue
	fi
	start=$(date +%s)
	if ! "$top/tools/vm/run.sh" --lane debug --kernel "$d/bzImage" --kver "$kver" \
		--mem "$mem" --job planted --args "$bug" \
		--out "$out/$bug" --timeout 600; then
		echo "gmmu-result FAIL planted-$bug (the boot failed: $out/$bug/console.log)" >>"$res"
		rc=1
		continue
	fi
	# A report before the bug was planted would be some other bug, and
	# could switch the checker off (lockdep, KASAN report only once).
	sed '/gmmu-mark: planting /,$d' "$out/$bug/dmesg.txt" >"$out/$bug/dmesg-before.txt"
	if early=$("$top/tools/vm/dmesg-check.sh" "$out/$bug/dmesg-before.txt"); then :; else
		echo "gmmu-result FAIL planted-$bug (a report before the bug was planted: $out/$bug/dmesg.txt)" >>"$res"
		echo "planted: $bug: a report before the bug was planted:"
		echo "$early" | head -n 10 | sed 's/^/    /'
		rc=1
		continue
	fi
	missing=
	while read -r file re; do
		if ! grep -qE -- "$re" "$out/$bug/$file"; then
			missing+=" [$file: $re]"
		fi
	done <<<"$exp"
	if [ -z "$missing" ]; then
		echo "gmmu-result PASS planted-$bug" >>"$res"
	else
		echo "gmmu-result FAIL planted-$bug (the checker stayed silent: missing$missing)" >>"$res"
		echo "planted: $bug: the checker stayed silent: missing$missing"
		rc=1
	fi
	echo "planted: $bug: $(($(date +%s) - start)) s"
done
exit $rc
