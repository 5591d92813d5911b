#!/bin/bash
# Check tools/debug-kernel/build.sh's control flow without building a kernel:
# a fake linux-source tarball and a stub make (build.sh's test-only
# GMMU_DEBUG_KERNEL_TEST_* variables) take the kernel's place, so the first
# build, the cache hit, the failure paths and the progress ticker run as on a
# fresh machine, in seconds. Prints gmmu-result lines.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$here/debug-kernel/build.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

check() {
	if [ "$2" = "$3" ]; then echo "gmmu-result PASS debug-kernel.$1"
	else echo "gmmu-result FAIL debug-kernel.$1 expected[$2] got[$3]"; fi
}
# has FILE TEXT: 1 if FILE contains the fixed string TEXT, else 0.
has() { if grep -qF -- "$2" "$1"; then echo 1; else echo 0; fi; }

# The fake source: only what build.sh itself touches.
src=$d/tree/linux-source-6.12
mkdir -p "$src/drivers/gpu/drm" "$src/scripts/kconfig"
echo '# fake drivers/gpu/drm/Kconfig' >"$src/drivers/gpu/drm/Kconfig"
# merge_config.sh -m -O DIR BASE FRAGMENT: the fragment wins, as in the kernel.
cat >"$src/scripts/kconfig/merge_config.sh" <<'EOF'
#!/bin/bash
set -e
cat "$4" "$5" >"$3/.config.merged"
mv "$3/.config.merged" "$3/.config"
EOF
chmod +x "$src/scripts/kconfig/merge_config.sh"
tar -cJf "$d/linux-source-6.12.tar.xz" -C "$d/tree" linux-source-6.12

# The stub make: logs every call to $STUB_LOG; STUB_FAIL=TARGET fails that
# target, STUB_DROP=LINE makes olddefconfig drop an option the way an unmet
# dependency does, STUB_SECONDS is how long "all" takes, STUB_RELEASE what
# kernelrelease prints.
cat >"$d/make" <<'EOF'
#!/bin/bash
set -e
obj= target=
for a in "$@"; do
	case "$a" in
	O=*) obj=${a#O=} ;;
	-*) ;;
	*) target=$a ;;
	esac
done
echo "$target" >>"$STUB_LOG"
if [ "${STUB_FAIL:-}" = "$target" ]; then
	echo "stub make: error: $target failed on purpose"
	exit 2
fi
case "$target" in
x86_64_defconfig) echo "CONFIG_X86_64=y" >"$obj/.config" ;;
olddefconfig) [ -z "${STUB_DROP:-}" ] || sed -i "/^${STUB_DROP}\$/d" "$obj/.config" ;;
all)
	echo "  CC      init/main.o"
	sleep "${STUB_SECONDS:-0}"
	mkdir -p "$obj/arch/x86/boot"
	echo "not a kernel" >"$obj/arch/x86/boot/bzImage" ;;
kernelrelease) echo "${STUB_RELEASE:-6.12.0-gmmu-debug}" ;;
esac
EOF
chmod +x "$d/make"

export GMMU_DEBUG_KERNEL_TEST_SRCVER=6.12.0-selftest
export GMMU_DEBUG_KERNEL_TEST_TARBALL=$d/linux-source-6.12.tar.xz
export GMMU_DEBUG_KERNEL_TEST_MAKE=$d/make
export GMMU_DEBUG_KERNEL_NEED_MB=1
export STUB_LOG=$d/make.log
unset STUB_FAIL STUB_DROP STUB_SECONDS STUB_RELEASE GMMU_DEBUG_KERNEL_TEST_TICK
: >"$STUB_LOG"

# run CACHE [VAR=VALUE...] [-- ARGS]: build.sh with that cache; stdout in
# $d/out, stderr in $d/err, exit status in $rc.
run() {
	local cache=$1
	shift
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ "${1:-}" != -- ] || shift
	env GMMU_DEBUG_KERNEL_CACHE="$cache" "${envs[@]}" "$build" "$@" >"$d/out" 2>"$d/err"
	rc=$?
}
calls() { wc -l <"$STUB_LOG"; }

# A cache miss builds, writes ok last, exits 0 and prints the directory:
# the first build on every machine used to exit 1 from its EXIT trap.
c=$d/cache
run "$c" -- --check; check check-before-build 1 $rc
run "$c" -- --dir; dir=$(cat "$d/out")
run "$c"
check first-build-exit 0 $rc
[ $rc -eq 0 ] || tail -n 5 "$d/err"
check first-build-prints-dir "$dir" "$(cat "$d/out")"
check first-build-steps "x86_64_defconfig olddefconfig all kernelrelease" "$(xargs <"$STUB_LOG")"
check first-build-complete "ok bzImage 6.12.0-gmmu-debug" \
	"$(ls "$dir/ok" "$dir/bzImage" >/dev/null 2>&1 && echo ok bzImage) $(cat "$dir/kernelrelease" 2>/dev/null)"
check first-build-config-verified 1 "$(has "$d/err" "config verified")"
check kconfig-appended 1 "$(has "$dir/src/drivers/gpu/drm/Kconfig" "config GMMU_DRM_HELPERS")"
run "$c" -- --check; check check-after-build 0 $rc

# The second call is a cache hit: no step runs again.
n=$(calls)
run "$c"
check cache-hit "0 $dir 0" "$rc $(cat "$d/out") $(($(calls) - n))"

# A new fragment or BUILD_REV for a source version already built starts
# from the newest finished build of that version: src/ hard linked but for
# the Kconfig file build.sh appends to (a new file: the seed's must not
# change), build/ copied with the seed's absolute paths made ours, then the
# same steps as a first build. A build without ok, or of another version
# (even one whose name starts with ours), is never a seed.
c=$d/cache-seed
mkdir -p "$c"
# seed_dir NAME MARKER: a finished build with Kbuild-like path records.
seed_dir() {
	local s=$c/$1
	mkdir -p "$s/src/drivers/gpu/drm" "$s/src/include" "$s/build/kernel"
	cp -a "$src/scripts" "$s/src/"
	echo "$2" >"$s/src/marker"
	printf '# fake drivers/gpu/drm/Kconfig\nconfig GMMU_DRM_HELPERS_OF_%s\n' "$2" \
		>"$s/src/drivers/gpu/drm/Kconfig"
	echo "savedcmd_kernel/fork.o := gcc -I$s/src/include -c $s/src/kernel/fork.c" \
		>"$s/build/kernel/.fork.o.cmd"
	echo "include $s/src/Makefile" >"$s/build/Makefile"
	ln -s "$s/src" "$s/build/source"
	echo "object of $2" >"$s/build/kernel/fork.o"
	touch "$s/ok"
}
seed_dir 6.12.0-selftest-00000000000a older
seed_dir 6.12.0-selftest-00000000000b newest
seed_dir 6.12.0-selftest-00000000000c unfinished
seed_dir 6.12.0-selftest-9-00000000000d other-version
rm "$c/6.12.0-selftest-00000000000c/ok"
touch -d 2020-01-01 "$c/6.12.0-selftest-00000000000a/ok"
touch -d 2021-01-01 "$c/6.12.0-selftest-00000000000b/ok"
touch -d 2022-01-01 "$c/6.12.0-selftest-9-00000000000d/ok"
seed=$c/6.12.0-selftest-00000000000b
run "$c" -- --dir; dir=$(cat "$d/out")
: >"$STUB_LOG"
run "$c"
check seeded-build-exit 0 $rc
[ $rc -eq 0 ] || tail -n 5 "$d/err"
check seeded-from-newest 1 "$(has "$d/err" "starting from $seed ")"
check seeded-steps "x86_64_defconfig olddefconfig all kernelrelease" "$(xargs <"$STUB_LOG")"
check seeded-src-hard-linked "newest $(stat -c %i "$seed/src/marker")" \
	"$(cat "$dir/src/marker" 2>/dev/null) $(stat -c %i "$dir/src/marker" 2>/dev/null)"
k=drivers/gpu/drm/Kconfig
check seeded-kconfig-own-file 1 \
	"$([ "$(stat -c %i "$seed/src/$k")" != "$(stat -c %i "$dir/src/$k" 2>/dev/null)" ] && echo 1)"
check seeded-kconfig-pristine-plus-ours "1 0 1" \
	"$(grep -c '^# fake drivers/gpu/drm/Kconfig$' "$dir/src/$k") $(has "$dir/src/$k" OF_newest) $(has "$dir/src/$k" "config GMMU_DRM_HELPERS")"
check seed-kconfig-untouched "1 0" "$(has "$seed/src/$k" OF_newest) $(has "$seed/src/$k" "config GMMU_DRM_HELPERS$")"
check seeded-objects-copied "object of newest" "$(cat "$dir/build/kernel/fork.o" 2>/dev/null)"
check seeded-paths-ours "1 0 1 $dir/src" \
	"$(has "$dir/build/kernel/.fork.o.cmd" "-I$dir/src/include -c $dir/src/kernel/fork.c") $(has "$dir/build/kernel/.fork.o.cmd" "$seed/") $(has "$dir/build/Makefile" "include $dir/src/Makefile") $(readlink "$dir/build/source")"
check seed-paths-untouched "1 $seed/src" \
	"$(has "$seed/build/kernel/.fork.o.cmd" "-I$seed/src/include") $(readlink "$seed/build/source")"
# GMMU_DEBUG_KERNEL_SEED=0 builds from the tarball alone.
rm -rf "$dir" "$dir.lock"
run "$c" GMMU_DEBUG_KERNEL_SEED=0
check unseeded-on-request "0 0 absent" \
	"$rc $(has "$d/err" "starting from") $([ -e "$dir/src/marker" ] && echo present || echo absent)"
# No finished build of this version: the first-build path.
c=$d/cache-noseed
seed_dir 6.12.0-selftest-00000000000c unfinished
rm "$c/6.12.0-selftest-00000000000c/ok"
seed_dir 6.12.0-selftest-9-00000000000d other-version
run "$c" -- --dir; dir=$(cat "$d/out")
run "$c"
check no-seed-unfinished-or-other-version "0 0 absent" \
	"$rc $(has "$d/err" "starting from") $([ -e "$dir/src/marker" ] && echo present || echo absent)"

# A failing build step: non-zero, no ok file, the step and the log's tail
# on stderr; the next call builds again.
c=$d/cache-fail
run "$c" -- --dir; dir=$(cat "$d/out")
run "$c" STUB_FAIL=all
check failed-step-exit 1 $rc
check failed-step-no-ok absent "$([ -e "$dir/ok" ] && echo present || echo absent)"
check failed-step-message "1 1" "$(has "$d/err" "debug-kernel: failed: $d/make") $(has "$d/err" "all failed on purpose")"
run "$c" -- --check; check failed-step-check 1 $rc
run "$c"
check rebuild-after-failure "0 $dir" "$rc $(cat "$d/out")"

# An option of the fragment that olddefconfig dropped stops the build
# before the long step.
c=$d/cache-config
run "$c" -- --dir; dir=$(cat "$d/out")
: >"$STUB_LOG"
run "$c" STUB_DROP=CONFIG_KASAN=y
check config-verification-exit 1 $rc
check config-verification-message "1 1" \
	"$(has "$d/err" "requested CONFIG_KASAN=y, got: absent") $(has "$d/err" "the fragment did not apply")"
check config-verification-stops "x86_64_defconfig olddefconfig absent" \
	"$(xargs <"$STUB_LOG") $([ -e "$dir/ok" ] && echo present || echo absent)"

# A kernel whose release is not ours is not cached.
c=$d/cache-release
run "$c" -- --dir; dir=$(cat "$d/out")
run "$c" STUB_RELEASE=6.12.0
check wrong-release "1 1 absent" \
	"$rc $(has "$d/err" "unexpected kernel release 6.12.0") $([ -e "$dir/ok" ] && echo present || echo absent)"

# What is missing on the host is named, before anything is built.
: >"$STUB_LOG"
run "$d/cache-nosrc" GMMU_DEBUG_KERNEL_TEST_SRCVER=
check no-linux-source "1 1" "$rc $(has "$d/err" "linux-source-6.12 is not installed")"
run "$d/cache-notar" GMMU_DEBUG_KERNEL_TEST_TARBALL="$d/none.tar.xz"
check no-tarball "1 1" "$rc $(has "$d/err" "$d/none.tar.xz missing")"
run "$d/cache-disk" GMMU_DEBUG_KERNEL_NEED_MB=999999999
check low-disk "1 1" "$rc $(has "$d/err" "the build needs 999999999 MiB")"
run "$d/cache-disk/not/yet" GMMU_DEBUG_KERNEL_NEED_MB=999999999 -- --space
check space-option-low "1 1" "$rc $(has "$d/err" "the build needs 999999999 MiB")"
run "$d/cache-disk/not/yet" -- --space
check space-option-enough 0 $rc
check nothing-built-when-missing 0 "$(calls)"

# Another build of the same directory holds the lock: wait for it, then
# use what it built.
c=$d/cache-lock
run "$c" -- --dir; dir=$(cat "$d/out")
mkdir -p "$dir"
flock "$dir.lock" sh -c "sleep 2; touch '$dir/ok'" &
holder=$!
for _ in $(seq 100); do flock -n "$dir.lock" true || break; sleep 0.1; done
n=$(calls)
run "$c"
wait $holder
check waits-for-other-build "0 1 $dir 0" \
	"$rc $(has "$d/err" "another build of $dir is running") $(cat "$d/out") $(($(calls) - n))"

# The ticker prints while the build runs.
run "$d/cache-tick" GMMU_DEBUG_KERNEL_TEST_TICK=1 STUB_SECONDS=3
check ticker-prints "0 1" "$rc $(has "$d/err" "debug-kernel: still building: 1 files compiled")"

# Whoever reads build.sh's output through a pipe (make check tees it) gets
# EOF as soon as build.sh exits, success or failure: no ticker or sleep of
# it may keep the pipe open. A 40 s tick would keep it 40 s.
# piped VAR=VALUE...: seconds until a pipe reader sees EOF, and the status.
piped() {
	local t0=$(date +%s)
	env GMMU_DEBUG_KERNEL_TEST_TICK=40 STUB_SECONDS=1 "$@" \
		timeout 120 bash -c '"$0" 2>&1 | cat >/dev/null; exit ${PIPESTATUS[0]}' "$build"
	echo "$? $(($(date +%s) - t0))"
}
read -r prc secs < <(piped GMMU_DEBUG_KERNEL_CACHE="$d/cache-pipe")
check pipe-closed-at-exit "0 prompt" "$prc $([ "$secs" -lt 15 ] && echo prompt || echo "after ${secs}s")"
read -r prc secs < <(piped GMMU_DEBUG_KERNEL_CACHE="$d/cache-pipe-fail" STUB_FAIL=all)
check pipe-closed-at-failure "1 prompt" "$prc $([ "$secs" -lt 15 ] && echo prompt || echo "after ${secs}s")"
exit 0
