#!/bin/bash
# Build (once per machine) the gmmu debug kernel from Debian's
# linux-source-6.12 and the fragment tools/debug-kernel/debug.config.
#
#   build.sh            build if the cache has no finished build; print its dir
#   build.sh --dir      print the cache dir for this source + fragment, no build
#   build.sh --check    exit 0 if that dir holds a finished build
#   build.sh --space    exit 0 if its file system has room for a build
#
# The cache dir (outside the repo, so every clone on the machine shares it):
#   ${GMMU_DEBUG_KERNEL_CACHE:-/var/cache/gmmu/debug-kernel}/<src version>-<hash>/
#     src/           the unpacked linux-source-6.12 (kept: KDIR needs it)
#     build/         O= object tree, usable as KDIR for external modules
#     bzImage        the kernel to boot
#     kernelrelease  its `uname -r` (ends in -gmmu-debug)
#     build.log      the full build log
#     ok             present once everything above is complete
# The hash covers the fragment, the Kconfig addition and BUILD_REV (bump it
# when a change to this script changes the result), so a change to any of
# them builds a new kernel next to the old one.
#
# A new directory starts from the newest finished build of the same source
# version, when there is one (another fragment, BUILD_REV): its src/ hard
# linked, its build/ copied, so Kbuild recompiles only the objects that
# depend on an option that changed. GMMU_DEBUG_KERNEL_SEED=0 builds from the
# tarball alone.
#
# Before building, the file system of the cache must have
# GMMU_DEBUG_KERNEL_NEED_MB free (default below; 0 skips the check).
#
# Test-only (tools/debug-kernel-selftest.sh runs this script's control flow
# with a stub instead of the kernel build; never set them otherwise):
#   GMMU_DEBUG_KERNEL_TEST_SRCVER   stands for linux-source-6.12's version
#                                   (set and empty: "not installed")
#   GMMU_DEBUG_KERNEL_TEST_TARBALL  stands for the source tarball
#   GMMU_DEBUG_KERNEL_TEST_MAKE     runs instead of make for every kernel step
#   GMMU_DEBUG_KERNEL_TEST_TICK     seconds between "still building" lines
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
frag=$here/debug.config
kin=$here/kconfig-gmmu.in
tarball=${GMMU_DEBUG_KERNEL_TEST_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
kmake=${GMMU_DEBUG_KERNEL_TEST_MAKE:-make}
tick=${GMMU_DEBUG_KERNEL_TEST_TICK:-120}
# A finished build of 6.12.118 takes 2483 MiB (src/ 1640, build/ 828,
# bzImage 16), the most it took at any time of the build; and a margin.
need_mb=${GMMU_DEBUG_KERNEL_NEED_MB:-3072}
BUILD_REV=1

die() { echo "debug-kernel: $*" >&2; exit 1; }

cache_root() {
	if [ -n "${GMMU_DEBUG_KERNEL_CACHE:-}" ]; then
		echo "$GMMU_DEBUG_KERNEL_CACHE"
	elif mkdir -p /var/cache/gmmu/debug-kernel 2>/dev/null &&
		[ -w /var/cache/gmmu/debug-kernel ]; then
		echo /var/cache/gmmu/debug-kernel
	else
		echo "${XDG_CACHE_HOME:-$HOME/.cache}/gmmu/debug-kernel"
	fi
}

if [ -n "${GMMU_DEBUG_KERNEL_TEST_SRCVER+set}" ]; then
	srcver=$GMMU_DEBUG_KERNEL_TEST_SRCVER
else
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
fi
[ -n "$srcver" ] || die "linux-source-6.12 is not installed (run tools/vm/deps.sh)"
hash=$( (cat "$frag" "$kin"; echo "rev $BUILD_REV") | sha256sum | cut -c1-12)
dir=$(cache_root)/$srcver-$hash

# space_ok: whether the file system $dir is (or will be) on has need_mb
# free; says so on stderr when it has not.
space_ok() {
	local p=$dir free
	while [ ! -d "$p" ]; do p=$(dirname "$p"); done
	free=$(df -Pm "$p" | awk 'NR == 2 { print $4 }')
	[ "$need_mb" -gt 0 ] && [ "$free" -lt "$need_mb" ] || return 0
	echo "debug-kernel: only $free MiB free on $(df -P "$p" | awk 'NR == 2 { print $6 }')" \
		"for $dir; the build needs $need_mb MiB: free some space, or set" \
		"GMMU_DEBUG_KERNEL_CACHE to a directory elsewhere" >&2
	return 1
}

case "${1:-}" in
--dir) echo "$dir"; exit 0 ;;
--check) [ -f "$dir/ok" ]; exit ;;
--space) space_ok; exit ;;
"") ;;
*) die "unknown option $1" ;;
esac

if [ -f "$dir/ok" ]; then
	echo "$dir"
	exit 0
fi
[ -r "$tarball" ] || die "$tarball missing (run tools/vm/deps.sh)"
mkdir -p "$dir"
exec 9>"$dir.lock"
if ! flock -n 9; then
	echo "debug-kernel: another build of $dir is running, waiting" >&2
	flock 9
fi
if [ -f "$dir/ok" ]; then
	echo "$dir"
	exit 0
fi

log=$dir/build.log
start=$(date +%s)
# The newest finished build of this source version, if any: the glob's 12
# characters are a hash, so another version never matches.
seed=
if [ "${GMMU_DEBUG_KERNEL_SEED:-1}" != 0 ]; then
	while IFS= read -r ok; do
		s=$(dirname "$ok")
		if [ "$s" != "$dir" ] && [ -d "$s/src" ] && [ -d "$s/build" ]; then
			seed=$s
			break
		fi
	done < <(ls -td "$(cache_root)/$srcver"-????????????/ok 2>/dev/null || true)
fi
echo "debug-kernel: building $srcver ($hash) in $dir with -j$(nproc)" \
	"${seed:+starting from $seed }(about 20 minutes on 2 idle cores from nothing," \
	"up to an hour on a busy host; log: $log)" >&2
rm -rf "$dir/src" "$dir/build" "$dir/bzImage" "$dir/kernelrelease"
# Fail now rather than after 20 minutes with "No space left on device".
space_ok || exit 1
: >"$log"
run() {
	if ! "$@" >>"$log" 2>&1; then
		echo "debug-kernel: failed: $*; log tail:" >&2
		tail -n 40 "$log" >&2
		exit 1
	fi
}

if [ -n "$seed" ]; then
	echo "debug-kernel: seeding from $seed" >>"$log"
	# An O= build never writes into the source tree, so src/ can share the
	# seed's files (1.6 GiB) through hard links. The one file this script
	# changes is replaced by a new file, never written through a link,
	# which would change the seed's copy too.
	run cp -al "$seed/src" "$dir/src"
	rm -f "$dir/src/drivers/gpu/drm/Kconfig"
	tar -xJf "$tarball" -O linux-source-6.12/drivers/gpu/drm/Kconfig \
		>"$dir/src/drivers/gpu/drm/Kconfig" ||
		die "could not take drivers/gpu/drm/Kconfig from $tarball"
	# The object tree is written by the build: a real copy, mtimes kept so
	# that objects stay newer than their sources.
	run cp -a "$seed/build" "$dir/build"
	# Kbuild saves each object's command line and dependencies with the
	# source tree's absolute path; a command line that differs from the
	# saved one rebuilds the object, so the seed's path must become ours.
	find "$dir/build" -type f \( -name '*.cmd' -o -name '*.d' \) -print0 |
		OLD=$seed/ NEW=$dir/ xargs -0 -r perl -pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' ||
		die "could not rewrite the seed's paths in $dir/build"
	[ ! -f "$dir/build/Makefile" ] ||
		OLD=$seed/ NEW=$dir/ perl -pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "$dir/build/Makefile"
	ln -sfn "$dir/src" "$dir/build/source"
else
	mkdir -p "$dir/build"
	tar -xJf "$tarball" -C "$dir"
	mv "$dir/linux-source-6.12" "$dir/src"
fi
cat "$kin" >>"$dir/src/drivers/gpu/drm/Kconfig"

k=("$kmake" -C "$dir/src" O="$dir/build")
run "${k[@]}" x86_64_defconfig
run "$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/build" \
	"$dir/build/.config" "$frag"
run "${k[@]}" olddefconfig

# Every option the fragment asks for must have survived olddefconfig: a
# dependency that is not met drops an option silently.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		if ! grep -qxF -- "$line" "$dir/build/.config"; then
			got=$(grep -E "^(# )?${line%%=*}[= ]" "$dir/build/.config" || echo "absent")
			echo "debug-kernel: requested $line, got: $got" >&2
			bad=1
		fi ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -qE "^$opt=[ym]" "$dir/build/.config"; then
			echo "debug-kernel: requested $opt off, but it is on" >&2
			bad=1
		fi ;;
	esac
done <"$frag"
[ $bad -eq 0 ] || die "the fragment did not apply (see above); .config: $dir/build/.config"
echo "debug-kernel: config verified: every option of $(basename "$frag") is set" >&2

# A line every 2 minutes, so a CI log shows the build is alive. The ticker
# shares our stderr, often a pipe (make check tees it): whoever reads that
# pipe waits until every writer is gone, so stopping the ticker must also
# stop its sleep, and we wait for both before going on.
ticker=
ticker() {
	set +e
	# jobs -p, not a saved $!: TERM may come between the fork and the save.
	trap 'kill $(jobs -p) 2>/dev/null; wait; exit 0' TERM
	while :; do
		# Even a sleep that outlived us would hold neither the pipe nor
		# the lock (fd 9).
		sleep "$tick" </dev/null >/dev/null 2>&1 9>&- &
		wait $!
		echo "debug-kernel: still building: $(grep -c '^  CC ' "$log") files compiled," \
			"$(( ($(date +%s) - start) / 60 )) min" >&2
	done
}
# Runs from the EXIT trap too (a failed step exits through die/run), so it
# must not fail: under errexit its status would become the script's.
stop_ticker() {
	[ -n "$ticker" ] || return 0
	kill "$ticker" 2>/dev/null || true
	wait "$ticker" 2>/dev/null || true
	ticker=
}
trap stop_ticker EXIT
ticker &
ticker=$!
run "${k[@]}" -j"$(nproc)" all
stop_ticker
cp "$dir/build/arch/x86/boot/bzImage" "$dir/bzImage"
"${k[@]}" -s kernelrelease >"$dir/kernelrelease"
case "$(cat "$dir/kernelrelease")" in
*-gmmu-debug) ;;
*) die "unexpected kernel release $(cat "$dir/kernelrelease")" ;;
esac
touch "$dir/ok"
echo "debug-kernel: built $(cat "$dir/kernelrelease") in $(( $(date +%s) - start ))s" | tee -a "$log" >&2
echo "$dir"
