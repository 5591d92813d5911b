#!/bin/bash
# install-check.sh DIR: `make install DESTDIR=DIR/root` produces the tree
# Documentation/install.rst describes, and a client builds against that
# tree through pkg-config alone. Host lane of make check; prints
# gmmu-result lines. The client, DIR/swgpu_installed_sample, runs in the
# guest (tools/vm/jobs/check.sh) against DIR/root's libswgpu.
#
# GMMU_INSTALL_PLANT=tree|pc|client plants a fault in the installed tree
# before it is checked, to show that each check can fail.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
dir=${1:?usage: install-check.sh DIR}
rm -rf "$dir"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
root=$dir/root
kver=$(tools/vm/kver.sh) || { echo "gmmu-result FAIL install-tree (no kernel)"; exit 0; }
ma=$(${CC:-gcc} -print-multiarch)
libdir=/usr/local/lib${ma:+/$ma}
ver=$(sed -n 's/^LIBSWGPU_VERSION := $(LIBSWGPU_MAJOR)\.//p' lib/lib.mk)
ver=$(sed -n 's/^LIBSWGPU_MAJOR := //p' lib/lib.mk).$ver
mdir=lib/modules/$kver/updates/gmmu

fail() { echo "install-check: $*"; bad=1; }

# 1. make install into a staging root, defaults otherwise.
if ! timeout 300 make --no-print-directory install DESTDIR="$root" >"$dir/install.log" 2>&1; then
	echo "gmmu-result FAIL install-tree (make install failed: $dir/install.log)"
	tail -n 20 "$dir/install.log"
	exit 0
fi
case "${GMMU_INSTALL_PLANT:-}" in
tree) rm "$root$libdir/libswgpu.so.0" ;;
pc) sed -i 's|^includedir=.*|includedir=${prefix}/inc|' "$root$libdir/pkgconfig/swgpu.pc" ;;
client) rm "$root/usr/local/include/swgpu/gmmu_drm.h" ;;
esac

# 2. The tree: exactly these files and links, nothing else.
bad=
expect=$(sort <<-EOT
	$libdir/libswgpu.a
	$libdir/libswgpu.so -> libswgpu.so.0
	$libdir/libswgpu.so.0 -> libswgpu.so.$ver
	$libdir/libswgpu.so.$ver
	$libdir/pkgconfig/swgpu.pc
	/usr/local/bin/swgpu-info
	/usr/local/include/swgpu/gmmu.h
	/usr/local/include/swgpu/gmmu_drm.h
	/usr/local/include/swgpu/jdgpu.h
	/usr/local/include/swgpu/jdgpu_drm.h
	/usr/local/include/swgpu/swgpu.h
	/usr/local/include/swgpu/swgpu_drm.h
	/$mdir/drivers/jdgpu/jdgpu.ko.xz
	/$mdir/drivers/swgpu/swgpu.ko.xz
	/$mdir/drm-core/drm_gmmu.ko.xz
	/$mdir/iommu-ctx/iommu_ctx.ko.xz
EOT
)
got=$(cd "$root" && find . \( -type f -o -type l \) -printf '/%P %l\n' |
	sed 's/ $//; s/ \(.\)/ -> \1/' | grep -v "^/lib/modules/$kver/modules\." | sort)
[ "$got" = "$expect" ] || fail "tree differs from the expected one:$(diff <(echo "$expect") <(echo "$got") | grep '^[<>]' | sed 's/^/ /' | tr '\n' ';')"
for f in modules.dep modules.alias modules.symbols; do
	[ -s "$root/lib/modules/$kver/$f" ] || fail "depmod did not write $f"
done
# depmod resolved the modules' dependencies among themselves.
deps=$(modprobe -d "$root" -S "$kver" --show-depends swgpu 2>&1 | awk '/^insmod/ { print $2 }' | xargs -n1 basename 2>/dev/null | tr '\n' ' ')
[ "$deps" = "iommu_ctx.ko.xz drm_gmmu.ko.xz swgpu.ko.xz " ] || fail "modprobe --show-depends swgpu: '$deps'"
so=$(readelf -d "$root$libdir/libswgpu.so.$ver" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$so" = libswgpu.so.0 ] || fail "soname '$so', not libswgpu.so.0"
vm=$(modinfo -b "$root" -k "$kver" -F vermagic swgpu 2>/dev/null)
[ "${vm%% *}" = "$kver" ] || fail "modinfo swgpu in the staged tree: vermagic '$vm'"
if [ -z "$bad" ]; then echo "gmmu-result PASS install-tree"; else echo "gmmu-result FAIL install-tree"; fi

# 3. swgpu.pc: its variables as pkg-config reads them; PREFIX=/usr moves
# the library to Debian's multiarch directory.
bad=
pc() { PKG_CONFIG_PATH=$root$libdir/pkgconfig pkg-config "$@" swgpu 2>&1; }
[ "$(pc --modversion)" = "$ver" ] || fail "version '$(pc --modversion)'"
[ "$(pc --variable=libdir)" = "$libdir" ] || fail "libdir '$(pc --variable=libdir)'"
[ "$(pc --variable=includedir)" = /usr/local/include ] || fail "includedir '$(pc --variable=includedir)'"
[ "$(pc --print-requires)" = libdrm ] || fail "requires '$(pc --print-requires)'"
pcf=$(pc --cflags-only-I)
case " $pcf " in *" -I/usr/local/include/swgpu "*) ;; *) fail "cflags '$pcf'" ;; esac
if make --no-print-directory install-lib DESTDIR="$dir/usr-root" PREFIX=/usr >"$dir/install-usr.log" 2>&1; then
	p=$dir/usr-root/usr/lib${ma:+/$ma}/pkgconfig/swgpu.pc
	[ -L "$dir/usr-root/usr/lib${ma:+/$ma}/libswgpu.so.0" ] || fail "PREFIX=/usr: no libswgpu.so.0 in /usr/lib/$ma"
	grep -qx 'prefix=/usr' "$p" 2>/dev/null && grep -qx "libdir=/usr/lib${ma:+/$ma}" "$p" ||
		fail "PREFIX=/usr: $p says $(grep -E '^(prefix|libdir)=' "$p" 2>/dev/null | tr '\n' ' ')"
else
	fail "make install-lib PREFIX=/usr failed: $dir/install-usr.log"
fi
if [ -z "$bad" ]; then echo "gmmu-result PASS install-pkgconfig"; else echo "gmmu-result FAIL install-pkgconfig"; fi

# 4. A client built through pkg-config alone, with the staging root as
# the sysroot: no path of the source tree, no flag of the project's.
# pkg-config puts the sysroot before libdrm's paths too; a real sysroot
# would hold libdrm-dev, this one links the host's in.
bad=
mkdir -p "$root/usr/include" "$root/usr/lib${ma:+/$ma}"
ln -sfn /usr/include/libdrm "$root/usr/include/libdrm"
for l in /usr/lib${ma:+/$ma}/libdrm.so*; do ln -sfn "$l" "$root/usr/lib${ma:+/$ma}/"; done
bin=$dir/swgpu_installed_sample
rm -f "$bin"
flags=$(PKG_CONFIG_PATH=$root$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root \
	pkg-config --cflags --libs swgpu 2>&1) || fail "pkg-config: $flags"
if [ -z "$bad" ]; then
	# shellcheck disable=SC2086
	(cd "$dir" && env -u CFLAGS -u CPATH -u C_INCLUDE_PATH -u LIBRARY_PATH \
		${CC:-gcc} -Wall -Werror -o "$bin" "$top/tools/install/swgpu_installed_sample.c" $flags) \
		>"$dir/client-build.log" 2>&1 || fail "the client did not build: $(head -c 600 "$dir/client-build.log")"
fi
if [ -z "$bad" ]; then
	readelf -d "$bin" | grep -q 'NEEDED.*\[libswgpu\.so\.0\]' || fail "the client does not link libswgpu.so.0"
	l=$(LD_LIBRARY_PATH=$root$libdir ldd "$bin" | awk '$1 == "libswgpu.so.0" { print $3 }')
	[ "$l" = "$root$libdir/libswgpu.so.0" ] || fail "the client loads libswgpu from '$l'"
	echo "$root$libdir" >"$dir/ld-library-path"
fi
if [ -z "$bad" ]; then echo "gmmu-result PASS install-pkgconfig-client"; else echo "gmmu-result FAIL install-pkgconfig-client"; fi
