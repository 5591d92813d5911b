#!/bin/bash
# preflight.sh check|run|bench: what make check, make run and make bench
# need of the host beyond the packages (tools/vm/deps.sh), checked before
# anything is built, each failure with what to do about it. Exits 1 on a
# failure; prints nothing when all is well and nothing needs a long wait.
#
# Not needed, so not checked (Documentation/testing.rst, "The host"):
# - KVM: the VMs run under QEMU's TCG, /dev/kvm is never opened;
# - running 32-bit programs: the uapi layout check is only compiled
#   with -m32 (tools/uapi-layout-check.sh);
# - the host's /tmp in the guest: the guest sees the host's / read-only
#   over 9p, the project wherever it is, and writes only to its own
#   tmpfs overlay and to the lane's output directory under build/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
what=${1:-check}
bad=0
fail() { echo "preflight: $*" >&2; bad=1; }

# On 2 idle cores (Documentation/testing.rst, "The first make check"): the
# debug kernel's build, 1057 to 1128 s, and the rest of a first make check,
# about 900 s. A host shared with other VMs took 3553 and 1385.
KERNEL_BUILD_S_2CORES=1130
CHECK_REST_S_2CORES=900

# The project's path goes to the guest on the kernel command line, which
# splits at blanks.
case "$top" in
*[[:space:]]*) fail "the project's path '$top' has a blank in it: the VM cannot be told" \
	"where it is; clone it to a path without blanks" ;;
esac

# The stock kernel: headers to build against, and the same release's image
# and modules (9p, overlay, zram) to boot the guest with.
if kver=$("$here/kver.sh"); then
	[ -r "/boot/vmlinuz-$kver" ] || fail "/boot/vmlinuz-$kver is not readable by" \
		"$(id -un), and QEMU boots it: run as root or make it readable"
	mods=
	for m in 9pnet_virtio 9p overlay zram; do
		modinfo -k "$kver" -n "$m" >/dev/null 2>&1 || mods+=" $m"
	done
	[ -z "$mods" ] || fail "kernel $kver has no module$mods in /lib/modules/$kver:" \
		"the guest needs them; reinstall linux-image-$kver"
else
	bad=1 # kver.sh said what is missing
fi
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing: run make deps"
[ -x /bin/busybox ] || fail "/bin/busybox missing (the VM's initramfs): run make deps"
if ! t=$(mktemp -d 2>/dev/null); then
	fail "mktemp -d failed in ${TMPDIR:-/tmp}: set TMPDIR to a writable directory"
else
	rmdir "$t"
fi

# Memory: QEMU holds the guest's RAM once touched (the swap test touches
# nearly all of it) plus about 540 MiB of its own (measured: 6685 MiB
# resident for novtd's 6144).
lanes=${GMMU_LANES:-vtd novtd debug}
case "$what" in
check) vms=$lanes ;;
run) vms=${GMMU_RUN_LANE:-vtd} ;;
*) vms=${GMMU_BENCH_LANE:-vtd} ;;
esac
guest=0
for l in $vms; do
	case "$l" in
	novtd) m=6144 ;;
	debug | debug-failinj) m=${GMMU_DEBUG_MEM:-3072} ;;
	host) m=0 ;;
	*) m=2048 ;;
	esac
	[ "$m" -le "$guest" ] || guest=$m
done
if [ "$guest" -gt 0 ]; then
	need=$((guest + 640))
	total=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
	avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
	if [ "$total" -lt "$need" ]; then
		fail "this host has $total MiB of memory; a $guest MiB guest needs about $need:" \
			"choose lanes with GMMU_LANES (novtd has 6144 MiB, debug 3072, vtd 2048)"
	elif [ "$avail" -lt "$need" ]; then
		echo "preflight: warning: $avail MiB available now, a $guest MiB guest needs about" \
			"$need: with other VMs running, the kernel may kill one" >&2
	fi
fi

# The debug lane of make check builds its kernel on first use: say how long
# that takes, and stop now if it cannot fit.
if [ "$what" = check ] && [[ " $lanes " == *" debug "* || " $lanes " == *" debug-failinj "* ]] &&
	! "$top/tools/debug-kernel/build.sh" --check 2>/dev/null; then
	if ! dir=$("$top/tools/debug-kernel/build.sh" --dir); then
		bad=1 # build.sh said what is missing
	else
		if ! msg=$("$top/tools/debug-kernel/build.sh" --space 2>&1); then
			fail "${msg#debug-kernel: }"
		fi
		n=$(nproc)
		k=$((KERNEL_BUILD_S_2CORES * 2 / n / 60))
		all=$(((KERNEL_BUILD_S_2CORES * 2 / n + CHECK_REST_S_2CORES) / 60))
		echo "preflight: the debug kernel is not built yet (cache: $dir):" \
			"this make check builds it, about $k min on $n idle cores, and takes" \
			"about $all min in all; up to three times that on a host busy with other" \
			"VMs (82 min measured on 2 cores). Later runs reuse it." \
			"GMMU_LANES=\"vtd novtd\" skips the debug lanes and the build."
	fi
fi
exit $bad
