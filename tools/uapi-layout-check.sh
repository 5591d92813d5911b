#!/bin/bash
# uapi-layout-check.sh [HEADER_DIR]: the uapi has one layout on i386 and
# x86_64. Compiles tools/uapi_layout_check.c, whose static assertions are the
# check, with -m32 and with -m64 against the headers in HEADER_DIR (default
# uapi/drm; tools/uapi-layout-selftest.sh passes broken copies), compile
# only: nothing 32-bit is run, so a host without 32-bit execution is fine
# (gcc-multilib supplies the -m32 headers). Then checks that every struct
# and field of those headers has its assertion. Prints gmmu-result lines,
# each failure followed by its reason; exits 1 on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
hdr=${1:-$top/uapi/drm}
src=$top/tools/uapi_layout_check.c
rc=0

for m in m32 m64; do
	if out=$(${CC:-gcc} -$m -fsyntax-only -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
		-I"$hdr" $(pkg-config --cflags libdrm 2>/dev/null) "$src" 2>&1); then
		echo "gmmu-result PASS uapi-layout-$m"
	else
		echo "gmmu-result FAIL uapi-layout-$m"
		# The asserts that failed name the struct and field; any other
		# error (a missing header, a field that is gone) is shown whole.
		if grep -q 'static assertion failed' <<<"$out"; then
			grep -o 'static assertion failed: .*' <<<"$out" | sed "s/^/uapi-layout: -$m: /"
		else
			head -n 20 <<<"$out"
		fi
		rc=1
	fi
done

# Every "struct drm_*" defined in the headers, and each of its fields: the
# headers without comments (-fpreprocessed: no includes, no expansion),
# members one per line; a nested union or struct counts as its members.
members=$(for h in "$hdr"/*.h; do
	${CC:-gcc} -fpreprocessed -dD -E -P "$h"
done | awk '
	/^#/ { next }
	depth == 0 && /^struct drm_[a-z0-9_]+ *\{/ {
		s = $2; depth = 1; print "size " s; next
	}
	depth == 0 { next }
	/\{/ { depth++; next }
	/^[ \t]*\}/ {
		depth--
		if (depth > 0 && match($0, /[A-Za-z_][A-Za-z0-9_]* *;/)) {
			f = substr($0, RSTART, RLENGTH); sub(/ *;/, "", f)
			print "offset " s " " f
		}
		next
	}
	/;/ {
		f = $0; sub(/;.*/, "", f); sub(/\[.*/, "", f); sub(/:.*/, "", f)
		n = split(f, w, /[ \t*]+/); print "offset " s " " w[n]
	}')
missing=
while read -r kind s f; do
	case $kind in
	size) re="CHECK_SIZE\(struct $s," ;;
	*) re="CHECK_OFFSET\(struct $s, *$f," ;;
	esac
	grep -qE "^$re" "$src" || missing+=" struct $s${f:+.$f}"
done <<<"$members"
if [ -z "$members" ]; then
	echo "gmmu-result FAIL uapi-layout-asserts-cover-headers (no struct found in $hdr)"
	rc=1
elif [ -z "$missing" ]; then
	echo "gmmu-result PASS uapi-layout-asserts-cover-headers"
else
	echo "gmmu-result FAIL uapi-layout-asserts-cover-headers"
	echo "uapi-layout: no CHECK_SIZE/CHECK_OFFSET in tools/uapi_layout_check.c for:$missing"
	rc=1
fi
exit $rc
