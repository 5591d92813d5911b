#!/bin/bash
# Boot the test VM once and run one guest job in it.
#
#   run.sh --lane LANE --job JOB --out DIR [--timeout SEC] [--kernel BZIMAGE]
#          [--kver RELEASE] [--append "ARGS"] [--mem MIB] [--args "A B"]
#
# LANE: vtd    q35 + intel-iommu, intel_iommu=on, 2 GiB
#       novtd  no IOMMU (dma-direct), 6 GiB so memory above 4 GiB exists
#       debug  like vtd, on the debug kernel (--kernel/--kver required)
# JOB:  a file tools/vm/jobs/JOB.sh run inside the guest, with --args as its
#       arguments (words without spaces or commas).
# The guest's results and dmesg land in DIR; the console log in
# DIR/console.log. Exits non-zero if the guest did not finish its job.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

lane=vtd job= out= timeout=600 kernel= kver= append= mem= jargs=
while [ $# -gt 0 ]; do
	case "$1" in
	--lane) lane=$2; shift 2 ;;
	--job) job=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--args) jargs=$2; shift 2 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -n "$job" ] && [ -n "$out" ] || { echo "run.sh: --job and --out are required" >&2; exit 2; }
[ -f "$here/jobs/$job.sh" ] || { echo "run.sh: no guest job $job" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "run.sh: qemu-system-x86_64 missing (run tools/vm/deps.sh)" >&2; exit 1; }

if [ -z "$kernel" ]; then
	kver=${kver:-$("$here/kver.sh")}
	kernel=/boot/vmlinuz-$kver
fi
[ -r "$kernel" ] || { echo "run.sh: kernel $kernel not readable" >&2; exit 1; }
[ -n "$kver" ] || { echo "run.sh: --kver is required with --kernel" >&2; exit 2; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/done "$out"/results.log "$out"/dmesg.txt "$out"/console.log

cache=$top/build/vm
mkdir -p "$cache"
initrd=$cache/initramfs-$kver.cpio.gz
if [ ! -s "$initrd" ] || [ "$here/init" -nt "$initrd" ] || [ "$here/mkinitramfs.sh" -nt "$initrd" ]; then
	"$here/mkinitramfs.sh" "$kver" "$initrd"
fi

machine=(-machine q35 -accel tcg,thread=multi -cpu max -smp 2)
iommu=()
cmdline="console=ttyS0 panic=-1 oops=panic loglevel=4 printk.devkmsg=on"
case "$lane" in
vtd | debug)
	iommu=(-device intel-iommu)
	cmdline+=" intel_iommu=on"
	mem=${mem:-2048}
	;;
novtd)
	cmdline+=" intel_iommu=off"
	mem=${mem:-6144}
	;;
*) echo "run.sh: unknown lane $lane" >&2; exit 2 ;;
esac
# no5lvl: with -cpu max the guest would use 5-level paging, and 6.12 has a
# window in early boot (identify_cpu() clears the CPU feature bits, LA57
# among them, before alternatives are patched) where an interrupt makes
# KASAN see a valid address as wild: a false "BUG: KASAN: wild-memory-access
# in do_raw_spin_lock" in a few boots out of ten, which also turns lockdep
# and further KASAN reports off. 4-level paging has no such window.
[ "$lane" = debug ] && cmdline+=" kmemleak=on no5lvl"

# Four edu devices at fixed slots: swgpu binds the first two as GPUs, the
# third stays unbound for reference measurements against VT-d, jdgpu binds
# the fourth (its models parameter).
edu=(-device edu,addr=0x10 -device edu,addr=0x11 -device edu,addr=0x12
     -device edu,addr=0x13)

jobargs="$job"
for a in $jargs; do jobargs+=",$a"; done
cmdline+=" gmmu_dir=$top gmmu_script=tools/vm/guest.sh gmmu_args=$jobargs gmmu_lane=$lane $append"

# One boot; a second one if the first died before the guest job started
# (no results.log): under TCG on a loaded host, the kernel's own boot-time
# text patching now and then takes a spurious int3 oops, before any module
# of ours is loaded. The first console log is kept as console-boot1.log,
# and a crash once the job has started is never retried.
boot() {
	set +e
	timeout --foreground -k 10 "$timeout" qemu-system-x86_64 \
		"${machine[@]}" -m "$mem" "${iommu[@]}" "${edu[@]}" \
		-nographic -no-reboot -serial "file:$out/console.log" -monitor none \
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$out",mount_tag=gmmuout,security_model=none \
		</dev/null >"$out/qemu.log" 2>&1
	rc=$?
	set -e
}
boot
if [ ! -f "$out/done" ] && [ ! -e "$out/results.log" ] &&
   grep -qE 'Kernel panic|Oops:|BUG:' "$out/console.log" 2>/dev/null; then
	mv "$out/console.log" "$out/console-boot1.log"
	echo "run.sh: [$lane] the kernel crashed before the guest job started" \
	     "(console-boot1.log): booting once more" >&2
	boot
fi
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "run.sh: [$lane] guest timed out after ${timeout}s; console tail:" >&2
	tail -n 30 "$out/console.log" >&2
	exit 1
fi
if [ ! -f "$out/done" ]; then
	echo "run.sh: [$lane] guest did not finish its job (qemu rc=$rc); console tail:" >&2
	tail -n 40 "$out/console.log" >&2
	cat "$out/qemu.log" >&2
	exit 1
fi
exit 0
