#!/bin/bash
# Check that the uapi layout check can fail: run tools/uapi-layout-check.sh
# on test-only variants of the uapi headers, each made from the real ones
# with one deliberate change (so that they follow the headers as those
# grow), and compare its verdicts. Prints gmmu-result lines.
#   long         a __u64 field declared unsigned long: 8 bytes on x86_64,
#                4 on i386, so the fields after it move under -m32 only
#   i386-shift   a field that exists only under #ifdef __i386__
#   unasserted   a struct and a field with no assertion
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

check() {
	if [ "$2" = "$3" ]; then echo "gmmu-result PASS uapi-layout-selftest.$1"
	else echo "gmmu-result FAIL uapi-layout-selftest.$1 expected[$2] got[$3]"; fi
}
# variant NAME FILE SED-SCRIPT: a copy of uapi/drm/ in $d/NAME with FILE
# edited; the edit must change something, or the variant proves nothing.
variant() {
	mkdir -p "$d/$1"
	cp "$top"/uapi/drm/*.h "$d/$1/"
	sed -i -e "$3" "$d/$1/$2"
	cmp -s "$top/uapi/drm/$2" "$d/$1/$2" && echo "uapi-layout-selftest: variant $1 did not change $2"
}
# verdict DIR: the check's result lines on those headers, as "PASS FAIL PASS"
# (m32 m64 coverage) and its exit status; the output in $d/out.
verdict() {
	local rc
	"$top/tools/uapi-layout-check.sh" "$1" >"$d/out" 2>&1
	rc=$?
	echo "$(grep '^gmmu-result' "$d/out" | cut -d' ' -f2 | xargs) $rc"
}
has() { if grep -qF -- "$1" "$d/out"; then echo 1; else echo 0; fi; }

check real-headers "PASS PASS PASS 0" "$(verdict "$top/uapi/drm")"

variant long gmmu_drm.h 's/^\t__u64 next_extension;/\tunsigned long next_extension;/'
check long-fails-m32-only "FAIL PASS PASS 1" "$(verdict "$d/long")"
check long-names-field 1 \
	"$(has "uapi-layout: -m32: static assertion failed: \"struct drm_gmmu_user_extension.name: offset is not 8 on i386\"")"

variant i386-shift gmmu_drm.h \
	'/^struct drm_gmmu_submit {/,/^};/ s/^\t__u64 seqno;/#ifdef __i386__\n\t__u32 i386_only;\n#endif\n&/'
check i386-shift-fails-m32-only "FAIL PASS FAIL 1" "$(verdict "$d/i386-shift")"
check i386-shift-names-field 1 \
	"$(has "static assertion failed: \"struct drm_gmmu_submit.seqno: offset is not 16 on i386\"")"

variant unasserted swgpu_drm.h \
	's/^enum drm_swgpu_profile {/struct drm_swgpu_unasserted {\n\t__u64 value;\n};\n\n&/; /^struct drm_swgpu_exec {/,/^};/ s/^};/\t__u64 added;\n&/'
check unasserted-fails "FAIL FAIL FAIL 1" "$(verdict "$d/unasserted")"
check unasserted-names-both 1 \
	"$(has "for: struct drm_swgpu_unasserted struct drm_swgpu_unasserted.value struct drm_swgpu_exec.added")"
exit 0
