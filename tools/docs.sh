#!/bin/bash
# make docs: Documentation/ into HTML (OUT/html, default build/docs) with
# Debian's python3-sphinx and the kernel's own kernel-doc: the script from
# the 6.12 headers, the Sphinx extension (Documentation/sphinx/kerneldoc.py
# and kernellog.py) from Debian's linux-source-6.12, unpacked once per
# machine. Any warning, Sphinx's or kernel-doc's, fails the
# build. With --result, prints a gmmu-result line (host lane of make check).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
result= out=$top/build/docs
while [ $# -gt 0 ]; do
	case "$1" in
	--result) result=1; shift ;;
	*) out=$1; shift ;;
	esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
log=$out/sphinx.log
die() {
	echo "docs: $*" >&2
	[ -z "$result" ] || echo "gmmu-result FAIL docs-html ($*)"
	exit 1
}

command -v sphinx-build >/dev/null || die "sphinx-build missing: run make deps (python3-sphinx)"
kver=$(tools/vm/kver.sh) || die "no Debian 6.12 kernel headers: run make deps"
kdoc=$(ls /usr/src/linux-headers-"${kver%-amd64}"-common/scripts/kernel-doc 2>/dev/null ||
	ls /lib/modules/"$kver"/build/scripts/kernel-doc 2>/dev/null) ||
	die "scripts/kernel-doc not found in the headers of $kver"

# The kernel's Sphinx extension, unpacked once per linux-source version
# into the machine's cache (as the debug kernel is; build/ if that is not
# writable): from the debug kernel's unpacked sources when they are there,
# else from the linux-source tarball (about 45 s on a busy host). Made in
# a temporary directory and renamed, so concurrent checkouts never see a
# half-made one.
tarball=/usr/src/linux-source-6.12.tar.xz
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null)
[ -n "$srcver" ] && [ -r "$tarball" ] ||
	die "no kernel Sphinx extension: run make deps (linux-source-6.12)"
cache=${GMMU_CACHE:-/var/cache/gmmu}/kernel-sphinx
mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] || cache=$top/build/kernel-sphinx
ext=$cache/$srcver
if [ ! -s "$ext/kerneldoc.py" ] || [ ! -s "$ext/kernellog.py" ]; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.tmp.XXXXXX") || die "cannot write to $cache"
	dsrc=$(tools/debug-kernel/build.sh --dir 2>/dev/null)/src/Documentation/sphinx
	if [ -s "$dsrc/kerneldoc.py" ] && [ -s "$dsrc/kernellog.py" ] &&
		[[ "$dsrc" == *"/$srcver-"* ]]; then
		cp "$dsrc/kerneldoc.py" "$dsrc/kernellog.py" "$tmp/"
	else
		echo "docs: unpacking the kernel's kerneldoc.py from $tarball (once)" >&2
		timeout 600 tar xJf "$tarball" -C "$tmp" --strip-components=3 \
			linux-source-6.12/Documentation/sphinx/kerneldoc.py \
			linux-source-6.12/Documentation/sphinx/kernellog.py ||
			{ rm -rf "$tmp"; die "cannot unpack kerneldoc.py from $tarball"; }
	fi
	chmod 755 "$tmp"
	mv -T "$tmp" "$ext" 2>/dev/null || rm -rf "$tmp"
fi

# -E: a fresh environment, so that every warning is reported every time.
rm -rf "$out/html"
GMMU_KERNEL_DOC=$kdoc GMMU_KERNEL_SPHINX=$ext timeout 600 \
	sphinx-build -E -W --keep-going -q -b html -d "$out/doctrees" \
	Documentation "$out/html" >"$log" 2>&1
rc=$?
# kernel-doc's stderr reaches the log but not Sphinx's warning count.
warn=$(grep -iE 'warning|error' "$log")
if [ $rc -ne 0 ] || [ -n "$warn" ] || [ ! -s "$out/html/index.html" ]; then
	echo "docs: sphinx-build failed (exit $rc) or warned; $log:" >&2
	head -n 30 "$log" >&2
	[ -z "$result" ] || { echo "gmmu-result FAIL docs-html"; head -n 30 "$log"; }
	exit 1
fi
echo "docs: $out/html/index.html"
[ -z "$result" ] || echo "gmmu-result PASS docs-html"
exit 0
