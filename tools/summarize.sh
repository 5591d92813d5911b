#!/bin/bash
# summarize.sh LANE_DIR...: read each lane's results.log (and dmesg.txt),
# print one line per test and per lane, and end with the total:
#   N passed, N failed, N skipped
# Exit 1 if anything failed.
set -u
total_p=0 total_f=0 total_s=0
for dir in "$@"; do
	lane=$(basename "$dir")
	log=$dir/results.log
	if [ ! -f "$log" ]; then
		echo "FAIL [$lane] no results (the guest did not run)"
		total_f=$((total_f + 1))
		continue
	fi
	out=$(awk -v lane="$lane" '
	function emit(st, name) {
		printf "%s [%s] %s\n", st, lane, name
		if (st == "PASS") p++; else if (st == "SKIP") s++; else f++
	}
	/^gmmu-result / {
		st = $2; name = $3; emit(st, name); next
	}
	/^gmmu-ktap-begin / { ktap = $2; kn = 0; plan = -1; next }
	/^gmmu-ktap-end / {
		if ($3 != 0) emit("FAIL", ktap " (module load failed: " $3 ")")
		else if (kn == 0) emit("FAIL", ktap " (no KTAP results)")
		else if (plan >= 0 && plan != kn) emit("FAIL", ktap " (planned " plan ", ran " kn ")")
		ktap = ""; next
	}
	ktap != "" && /^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; next }
	ktap != "" && /^(not )?ok [0-9]+/ {
		line = $0; kn++
		st = (line ~ /^not ok/) ? "FAIL" : "PASS"
		if (line ~ /# *SKIP/) st = "SKIP"
		sub(/^(not )?ok [0-9]+ (- )?/, "", line); sub(/ *#.*/, "", line)
		emit(st, ktap "." line); next
	}
	/^gmmu-igt-begin / { igt = $2; igtn = 0; igtf = 0; next }
	/^gmmu-igt-end / {
		rc = $3
		if (igtn == 0 && rc == 77) emit("SKIP", igt)
		else if (igtn == 0 || (rc != 0 && rc != 77 && igtf == 0))
			emit("FAIL", igt " (exit " rc ")")
		igt = ""; next
	}
	igt != "" && /^Subtest [^ ]+: / {
		name = $2; sub(/:$/, "", name); igtn++
		if ($3 == "SUCCESS") emit("PASS", igt "@" name)
		else if ($3 == "SKIP") emit("SKIP", igt "@" name)
		else { emit("FAIL", igt "@" name " (" $3 ")"); igtf++ }
		next
	}
	/^gmmu-job-exit / { if ($2 != 0) emit("FAIL", "job (exit " $2 ")"); next }
	END { printf "counts %d %d %d\n", p, f, s }
	' "$log")
	echo "$out" | grep -v '^counts '
	read -r _ p f s <<<"$(echo "$out" | grep '^counts ')"
	if [ -f "$dir/no-dmesg" ]; then
		:
	elif [ -f "$dir/dmesg.txt" ]; then
		if bad=$("$(dirname "$0")/vm/dmesg-check.sh" "$dir/dmesg.txt"); then
			echo "PASS [$lane] dmesg-clean"
			p=$((p + 1))
		else
			echo "FAIL [$lane] dmesg-clean:"
			echo "$bad" | head -n 20 | sed 's/^/    /'
			f=$((f + 1))
		fi
	else
		echo "FAIL [$lane] dmesg-clean (no dmesg)"
		f=$((f + 1))
	fi
	echo "lane $lane: $p passed, $f failed, $s skipped"
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
done
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
