#!/bin/bash
# kernel-doc on the kernel sources and uapi headers: no kernel-doc warning,
# and every exported symbol has a kernel-doc comment. Prints gmmu-result lines.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
kver=$(tools/vm/kver.sh) || exit 1
kdoc=$(ls /usr/src/linux-headers-"${kver%-amd64}"-common/scripts/kernel-doc 2>/dev/null ||
	ls /lib/modules/"$kver"/build/scripts/kernel-doc 2>/dev/null)
if [ -z "$kdoc" ]; then
	echo "gmmu-result FAIL kernel-doc (scripts/kernel-doc not found in the kernel headers)"
	exit 0
fi
files=$(git ls-files '*.c' '*.h' | grep -E '^(iommu-ctx|drm-core|drivers|include|uapi)/' |
	grep -v '/userspace/')
out=$(perl "$kdoc" -none -Wall $files 2>&1)
if [ -z "$out" ]; then
	echo "gmmu-result PASS kernel-doc-warnings"
else
	echo "gmmu-result FAIL kernel-doc-warnings"
	echo "$out" | head -n 30
fi
missing=
for sym in $(grep -ho 'EXPORT_SYMBOL_GPL([a-z0-9_]*)' $files | sed 's/.*(\(.*\))/\1/' | sort -u); do
	grep -qE "^ \* ${sym}(\(\))? - " $files || missing="$missing $sym"
done
if [ -z "$missing" ]; then
	echo "gmmu-result PASS kernel-doc-on-exports"
else
	echo "gmmu-result FAIL kernel-doc-on-exports missing:$missing"
fi
