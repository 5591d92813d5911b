#!/bin/bash
# Install (idempotently) every Debian package the build, the VM harness and
# the tests need. Only Debian's default sources are used. What the host
# needs beyond packages is checked by tools/vm/preflight.sh.
set -euo pipefail

PKGS=(
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	qemu-system-x86 busybox-static cpio kmod
	# gcc-multilib: the -m32 headers for the uapi layout check, which is
	# only compiled; nothing 32-bit runs on the host
	libdrm-dev pkg-config gcc make gcc-multilib
	# the debug kernel (tools/debug-kernel/build.sh) and its module build
	linux-source-6.12 bc bison flex libssl-dev libelf-dev xz-utils rsync
	# make install and dkms.conf (the dkms build is checked in the host
	# lane), make docs (Sphinx with the kernel's kernel-doc), the demo's PNG
	dkms python3-sphinx libpng-dev
)
# Extra packages for optional lanes, requested through the environment.
if [ -n "${GMMU_EXTRA_PKGS:-}" ]; then
	read -r -a extra <<<"$GMMU_EXTRA_PKGS"
	PKGS+=("${extra[@]}")
fi

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -q >/tmp/gmmu-apt-update.log 2>&1; then
	echo "deps: apt-get update failed; see /tmp/gmmu-apt-update.log" >&2
	tail -5 /tmp/gmmu-apt-update.log >&2
	exit 1
fi
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >/tmp/gmmu-apt-install.log 2>&1; then
	echo "deps: apt-get install failed; see /tmp/gmmu-apt-install.log" >&2
	tail -15 /tmp/gmmu-apt-install.log >&2
	exit 1
fi
