#!/bin/bash
# make run: boot the VM (VT-d on), load the modules, run the demo, and
# show what it prints as it goes: the guest writes its results.log on the
# host's side of a 9p share, which is read here every second. On a
# terminal the picture's progress lines ("picture: [k/n] ...") are drawn
# over each other as one progress line. Fails if the demo fails or the
# kernel complains; ends by saying where the picture is.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$top/build/run
lane=${GMMU_RUN_LANE:-vtd}
log=$out/results.log
echo "run: booting the VM ($lane lane)"
mkdir -p "$out" && rm -f "$out/swgpu-picture.png" "$log"

shown=0 drawn='' tty='' cols=100
if [ -t 1 ]; then
	tty=1
	cols=$(tput cols 2>/dev/null) || cols=''
	cols=$(( ${cols:-100} - 1 ))
fi
# show_new: print the lines of results.log not shown yet (whole lines only).
show_new() {
	local n line
	[ -r "$log" ] || return 0
	n=$(wc -l <"$log")
	[ "$n" -gt "$shown" ] || return 0
	while IFS= read -r line; do
		case "$line" in
		gmmu-job-exit*) continue ;;
		"picture: ["[0-9]*/[0-9]*"] "*)
			if [ -n "$tty" ]; then
				printf '\r%.*s\033[K' "$cols" "$line"
				drawn=1
				continue
			fi
			;;
		esac
		[ -n "$drawn" ] && printf '\n'
		drawn=
		printf '%s\n' "$line"
	done < <(sed -n "$((shown + 1)),${n}p" "$log")
	shown=$n
}

tools/vm/run.sh --lane "$lane" --job demo --out "$out" --timeout 600 &
vm=$!
while kill -0 "$vm" 2>/dev/null; do
	show_new
	sleep 1
done
wait "$vm"
rc=$?
show_new
[ -n "$drawn" ] && printf '\n'
[ $rc -eq 0 ] || exit 1
if ! grep -q '^gmmu-job-exit 0$' "$log"; then
	echo "run: the demo failed" >&2
	exit 1
fi
if ! bad=$(tools/vm/dmesg-check.sh "$out/dmesg.txt"); then
	echo "run: the guest kernel log has reports:" >&2
	echo "$bad" >&2
	exit 1
fi
if [ ! -s "$out/swgpu-picture.png" ]; then
	echo "run: the demo wrote no picture ($out/swgpu-picture.png)" >&2
	exit 1
fi
echo "run: ok (guest kernel log clean)"
panel=$(sed -n 's/^demo: the test card: drawn by //p' "$log" | tail -n 1)
[ -n "$panel" ] && echo "run: the test card (top left) was drawn by $panel"
echo "run: the picture is $out/swgpu-picture.png"
