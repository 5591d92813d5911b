#!/bin/bash
# Build the tiny initramfs: busybox, the modules needed to mount the host
# root over 9p under an overlay, and tools/vm/init.
#   mkinitramfs.sh KVER OUTPUT.cpio.gz
# For a kernel that has 9p and overlayfs built in (the debug kernel), KVER
# may name a release with no /lib/modules directory: no module is copied.
set -euo pipefail
kver=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,lib/mod,lower,upper,newroot}
cp /bin/busybox "$work/bin/busybox"
cp "$here/init" "$work/init"
chmod +x "$work/init"

# Order matters: dependencies first.
mods="netfs 9pnet 9pnet_virtio 9p overlay"
: >"$work/lib/mod/order"
if [ -d "/lib/modules/$kver" ]; then
	for m in $mods; do
		f=$(modinfo -k "$kver" -n "$m" 2>/dev/null || true)
		case "$f" in
		"" | "(builtin)") continue ;;
		*.ko.xz) xz -dc "$f" >"$work/lib/mod/$m.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$work/lib/mod/$m.ko" ;;
		*.ko.gz) gzip -dc "$f" >"$work/lib/mod/$m.ko" ;;
		*.ko) cp "$f" "$work/lib/mod/$m.ko" ;;
		esac
		echo "$m" >>"$work/lib/mod/order"
	done
fi
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
