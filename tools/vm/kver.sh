#!/bin/bash
# Print the release string of the newest installed Debian 6.12 kernel.
set -euo pipefail
v=$(ls /lib/modules 2>/dev/null | grep -E '^6\.12\..*-amd64$' | sort -V | tail -n 1 || true)
if [ -z "$v" ] || [ ! -d "/lib/modules/$v/build" ]; then
	echo "kver: no Debian 6.12 kernel with headers installed (run tools/vm/deps.sh)" >&2
	exit 1
fi
echo "$v"
