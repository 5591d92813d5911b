#!/bin/bash
# dkms-check.sh DIR: the dkms.conf at the top, through the real dkms, in
# a throw-away tree under DIR (never /var/lib/dkms, /usr/src or
# /lib/modules): make dkms-source, dkms add, build (a full build of the
# three modules against Debian's headers: minutes, hence its own lane,
# "dkms", of make check), install into DIR/root, then depmod there.
# Prints gmmu-result lines. As on any Debian machine, dkms signs what it
# builds with /var/lib/dkms/mok.key, and makes that key on first use.
#
# GMMU_DKMS_PLANT=conf plants a wrong BUILT_MODULE_LOCATION in the copied
# dkms.conf, to show that the check can fail.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
dir=${1:?usage: dkms-check.sh DIR}
rm -rf "$dir"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
log=$dir/dkms.log
res() { echo "gmmu-result $1 $2${3:+ ($3)}"; }

if ! command -v dkms >/dev/null; then
	res FAIL dkms-build "dkms is not installed: run make deps"
	exit 0
fi
kver=$(tools/vm/kver.sh) || { res FAIL dkms-build "no Debian 6.12 kernel with headers"; exit 0; }
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
src=$dir/src tree=$dir/tree root=$dir/root
opts=(-m gmmu -v "$ver" -k "$kver" --sourcetree "$src" --dkmstree "$tree")
if ! make --no-print-directory dkms-source DKMS_SRC="$src/gmmu-$ver" >"$log" 2>&1; then
	res FAIL dkms-build "make dkms-source failed: $log"
	exit 0
fi
[ "${GMMU_DKMS_PLANT:-}" = conf ] &&
	sed -i 's|^BUILT_MODULE_LOCATION\[2\]=.*|BUILT_MODULE_LOCATION[2]="drivers/"|' "$src/gmmu-$ver/dkms.conf"

# A full module build: 3 minutes on 2 busy cores; never hang.
run() { echo "+ dkms $*" >>"$log"; timeout 1200 dkms "$@" </dev/null >>"$log" 2>&1; }
mkdir -p "$tree"
if ! run add "${opts[@]}"; then
	res FAIL dkms-build "dkms add failed: $log"
	tail -n 5 "$log"
	exit 0
fi
if run build "${opts[@]}" &&
	[ "$(ls "$tree/gmmu/$ver/$kver"/*/module/ 2>/dev/null | sort | tr '\n' ' ')" = \
		"drm_gmmu.ko.xz iommu_ctx.ko.xz jdgpu.ko.xz swgpu.ko.xz " ]; then
	res PASS dkms-build
else
	res FAIL dkms-build "see $log"
	tail -n 15 "$log"
	[ -f "$tree/gmmu/$ver/build/make.log" ] && tail -n 15 "$tree/gmmu/$ver/build/make.log"
	exit 0
fi

# Install into a root of our own; depmod there, then ask it what
# modprobe swgpu would load.
bad=
mkdir -p "$root/lib/modules/$kver"
run install "${opts[@]}" --installtree "$root/lib/modules" --no-depmod || bad="dkms install failed"
if [ -z "$bad" ]; then
	depmod -b "$root" "$kver" 2>/dev/null
	deps=$(modprobe -d "$root" -S "$kver" --show-depends swgpu 2>&1 |
		awk '/^insmod/ { n = split($2, p, "/"); printf "%s ", p[n] }')
	[ "$deps" = "iommu_ctx.ko.xz drm_gmmu.ko.xz swgpu.ko.xz " ] ||
		bad="modprobe --show-depends swgpu: '$deps'"
	vm=$(modinfo -b "$root" -k "$kver" -F vermagic swgpu 2>/dev/null)
	[ "${vm%% *}" = "$kver" ] || bad="$bad vermagic '$vm'"
	dkms status "${opts[@]}" --installtree "$root/lib/modules" 2>/dev/null | grep -q ': installed$' ||
		bad="$bad dkms status does not say installed"
fi
if [ -z "$bad" ]; then res PASS dkms-install; else res FAIL dkms-install "$bad; $log"; fi
