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

# Every kernel source file starts with a DOC: section, and every DOC:
# section is pulled into Documentation/ with ".. kernel-doc:: FILE" and
# ":doc: TITLE", so that prose and code cannot drift apart; every such
# pull names a section that exists.
nodoc= unpulled= dangling=
for f in $files; do
	case "$f" in uapi/*) continue ;; esac
	grep -q '^ \* DOC: ' "$f" || nodoc="$nodoc $f"
	while IFS= read -r t; do
		[ -n "$t" ] || continue
		grep -rqzP "\.\. kernel-doc:: \Q$f\E\n   :doc: \Q$t\E\n" Documentation/ ||
			unpulled="$unpulled $f:\"$t\""
	done < <(sed -n 's/^ \* DOC: //p' "$f")
done
while read -r f t; do
	sed -n 's/^ \* DOC: //p' "$f" 2>/dev/null | grep -qxF "$t" || dangling="$dangling $f:\"$t\""
done < <(grep -rhzoP '\.\. kernel-doc:: \S+\n   :doc: [^\n]+' Documentation/ |
	tr '\0' '\n' | paste -d' ' - - | sed 's/^\.\. kernel-doc:: //; s/    *:doc: / /')
if [ -z "$nodoc$unpulled$dangling" ]; then
	echo "gmmu-result PASS doc-sections-pulled"
else
	echo "gmmu-result FAIL doc-sections-pulled"
	[ -z "$nodoc" ] || echo "no DOC: section in:$nodoc"
	[ -z "$unpulled" ] || echo "DOC: sections no Documentation/*.rst pulls in:$unpulled"
	[ -z "$dangling" ] || echo "kernel-doc pulls of sections that do not exist:$dangling"
fi
