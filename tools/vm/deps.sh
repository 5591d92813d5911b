#!/bin/bash
# Install (idempotently) every Debian package the build, the VM harness and
# the tests need. Debian's default sources are used, and on Debian 12
# (bookworm) also bookworm-backports, pinned so that only Mesa and the
# libdrm it needs come from there (see mesa_deps below and
# Documentation/mesa.rst). What the host needs beyond packages is checked
# by tools/vm/preflight.sh.
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
	# the Mesa client (igt-tests/swgpu_mesa.c): EGL and GLES headers
	# (glvnd's, from the default sources); Mesa itself is mesa_deps's
	libegl-dev libgles-dev
)
# Extra packages for optional lanes, requested through the environment.
if [ -n "${GMMU_EXTRA_PKGS:-}" ]; then
	read -r -a extra <<<"$GMMU_EXTRA_PKGS"
	PKGS+=("${extra[@]}")
fi

# Mesa with dma-buf on its software (llvmpipe) EGL device: 25.0 or later.
# Debian 12's own Mesa 22.3 cannot import or export a dma-buf there;
# bookworm-backports has 25.0.x.
MESA_MIN=25.0
MESA_PKGS=(libegl1 libegl-mesa0 libgl1-mesa-dri libgles2 libgbm1 mesa-libgallium)
# What bookworm-backports may provide, pinned at 500 (so its newer version
# wins over bookworm's): the binary packages of Mesa's source package, and
# those of libdrm, which Mesa 25 needs at >= 2.4.121 (bookworm has
# 2.4.114). Every other package of bookworm-backports is pinned at 1:
# never chosen over an installed or bookworm version, never upgraded to.
BP_PKGS="libegl-mesa0 libegl1-mesa-dev libgbm1 libgbm-dev libgl1-mesa-dev"
BP_PKGS+=" libgl1-mesa-dri libgles2-mesa-dev libglx-mesa0 libosmesa6"
BP_PKGS+=" libosmesa6-dev mesa-common-dev mesa-libgallium mesa-drm-shim"
BP_PKGS+=" mesa-opencl-icd mesa-va-drivers mesa-vdpau-drivers"
BP_PKGS+=" mesa-vulkan-drivers libxatracker2 libxatracker-dev"
BP_PKGS+=" libd3dadapter9-mesa libd3dadapter9-mesa-dev"
BP_PKGS+=" libdrm2 libdrm-common libdrm-dev libdrm-amdgpu1 libdrm-intel1"
BP_PKGS+=" libdrm-nouveau2 libdrm-radeon1 libdrm-tests"
BP_SOURCES=/etc/apt/sources.list.d/gmmu-bookworm-backports.sources
BP_PREFS=/etc/apt/preferences.d/gmmu-mesa-backports
BP_MIRROR=${GMMU_BACKPORTS_MIRROR:-http://deb.debian.org/debian}
APT_LOG=${TMPDIR:-/tmp}/gmmu-apt

die() {
	echo "deps: $*" >&2
	exit 1
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# The installed version of $1 is at least $2.
installed_ge() {
	local v

	v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null) || return 1
	installed "$1" && dpkg --compare-versions "$v" ge "$2"
}

need_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	echo "deps: $1" >&2
	echo "deps: run as root (or: sudo make deps)" >&2
	exit 1
}

apt_update() {
	if ! apt-get update -q >"$APT_LOG-update.log" 2>&1; then
		echo "deps: apt-get update failed; see $APT_LOG-update.log" >&2
		tail -5 "$APT_LOG-update.log" >&2
		exit 1
	fi
}

apt_install() {
	if ! apt-get install -y -q --no-install-recommends "$@" </dev/null \
			>"$APT_LOG-install.log" 2>&1; then
		echo "deps: apt-get install failed; see $APT_LOG-install.log" >&2
		tail -15 "$APT_LOG-install.log" >&2
		exit 1
	fi
}

# Writes $2 to file $1 unless it already holds exactly that.
write_if_changed() {
	[ "$(cat "$1" 2>/dev/null)" != "$2" ] || return 0
	if ! { printf '%s\n' "$2" >"$1.gmmu-tmp" && mv "$1.gmmu-tmp" "$1"; }; then
		die "cannot write $1"
	fi
}

# Mesa >= MESA_MIN; on bookworm from bookworm-backports, pinned.
mesa_deps() {
	local codename='' p missing=() src

	for p in "${MESA_PKGS[@]}"; do
		installed "$p" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ] && installed_ge libegl-mesa0 "$MESA_MIN" &&
	   installed_ge libgl1-mesa-dri "$MESA_MIN"; then
		return 0
	fi
	need_root "Mesa >= $MESA_MIN is needed (the Mesa client test), have" \
		"$(dpkg-query -W -f='${Version}' libegl-mesa0 2>/dev/null || echo none)"
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	if [ "$codename" = bookworm ]; then
		echo "deps: Mesa >= $MESA_MIN from bookworm-backports ($BP_PREFS pins" \
			"only Mesa and libdrm there)"
		write_if_changed "$BP_PREFS" "# gmmu (tools/vm/deps.sh): from bookworm-backports only Mesa
# and the libdrm it needs; nothing else is chosen from there.
Package: $BP_PKGS
Pin: release n=bookworm-backports
Pin-Priority: 500

Package: *
Pin: release n=bookworm-backports
Pin-Priority: 1"
		# Add the suite unless a source already provides it.
		src=$(grep -lsE '^[^#]*bookworm-backports' /etc/apt/sources.list \
			/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources |
			grep -vxF "$BP_SOURCES" || true)
		if [ -z "$src" ]; then
			write_if_changed "$BP_SOURCES" "Types: deb
URIs: $BP_MIRROR
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
		else
			rm -f "$BP_SOURCES"
		fi
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt_update
	apt_install "${MESA_PKGS[@]}"
	if ! installed_ge libegl-mesa0 "$MESA_MIN" ||
	   ! installed_ge libgl1-mesa-dri "$MESA_MIN"; then
		die "Mesa is still $(dpkg-query -W -f='${Version}' libegl-mesa0) after" \
			"apt-get install (need >= $MESA_MIN; on Debian 12 from" \
			"bookworm-backports, see $APT_LOG-install.log and" \
			"'apt-cache policy libegl-mesa0')"
	fi
	echo "deps: Mesa $(dpkg-query -W -f='${Version}' libegl-mesa0)"
}

missing=()
for p in "${PKGS[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	need_root "missing packages: ${missing[*]}"
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt_update
	apt_install "${missing[@]}"
fi
[ -n "${GMMU_NO_MESA:-}" ] || mesa_deps
