#!/bin/bash
# Print the release of the newest installed Debian 6.12 kernel that has both
# its headers (the modules build against them) and its image in /boot (the
# VM boots it, with its modules from /lib/modules). The point release is
# whatever Debian installed (6.12.117, 6.12.118, ...), never a fixed one.
set -euo pipefail
rels=$(ls /lib/modules 2>/dev/null | grep -E '^6\.12\..*-amd64$' | sort -V || true)
best=
for v in $rels; do
	[ -d "/lib/modules/$v/build" ] && [ -e "/boot/vmlinuz-$v" ] && best=$v
done
if [ -n "$best" ]; then
	echo "$best"
	exit 0
fi
if [ -z "$rels" ]; then
	echo "kver: no Debian 6.12 kernel installed: run make deps" \
		"(linux-image-6.12-amd64, linux-headers-6.12-amd64)" >&2
	exit 1
fi
v=$(tail -n 1 <<<"$rels")
missing=
[ -d "/lib/modules/$v/build" ] || missing+=" linux-headers-$v"
[ -e "/boot/vmlinuz-$v" ] || missing+=" linux-image-$v"
echo "kver: no Debian 6.12 kernel has both its headers and /boot/vmlinuz;" \
	"for the newest, $v, run: apt-get install$missing" >&2
exit 1
