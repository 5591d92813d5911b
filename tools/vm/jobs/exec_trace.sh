#!/bin/bash
# Guest job: where the time of an exec round trip goes. Runs
# swgpu_exec_bench with the job tracepoints (drm_gmmu, gpu_scheduler) and the ioctl/poll/close syscalls traced, and prints the
# mean time of each stage of a NOP job, from the exec ioctl's entry to the
# poll that waits for its out-fence returning. Stages may overlap (a short
# job can complete before its exec ioctl returns); the last line is the
# whole, entry to poll return. Tracing slows every stage a little: the
# whole is the traced round trip, not the benchmark's figure.
#   tools/vm/run.sh --lane vtd --job exec_trace --out DIR
. tools/vm/guest-lib.sh
export GMMU_IN_VM=1

load_project_modules || { echo "exec_trace: cannot load the modules"; exit 1; }
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs none $T
echo 16384 >$T/buffer_size_kb
for e in drm_gmmu/drm_gmmu_job_submit drm_gmmu/drm_gmmu_job_run \
	 drm_gmmu/drm_gmmu_job_complete \
	 gpu_scheduler/drm_sched_job gpu_scheduler/drm_sched_process_job; do
	echo 1 >$T/events/$e/enable || { echo "exec_trace: no event $e"; exit 1; }
done
# ioctl, poll, close
for d in sys_enter sys_exit; do
	echo 'id == 16 || id == 7 || id == 3' >$T/events/raw_syscalls/$d/filter
	echo 1 >$T/events/raw_syscalls/$d/enable
done
echo 1 >$T/tracing_on
"$GMMU_DIR"/build/bench/swgpu_exec_bench || echo "exec_trace: the benchmark failed"
echo 0 >$T/tracing_on

# One job's stages, in the order they happen; the exec ioctl is
# DRM_IOCTL_SWGPU_EXEC (c0486446). Jobs are told apart by seqno (the
# benchmark uses one queue of one VM), and the scheduler's events by the
# job's fence pointer (a job that bypasses the scheduler has none).
grep -v '^#' $T/trace | awk '
function us(s) { sub(":", "", s); return s * 1e6 }
function seqno(s) { match(s, /seqno=[0-9]+/); return substr(s, RSTART + 6, RLENGTH - 6) }
{
	for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) break
	t = us($i); ev = $(i + 1)
	rest = substr($0, index($0, ev) + length(ev))
}
ev == "sys_enter:" && $(i + 3) == "16" && rest ~ /c0486446/ { enter = t; inexec = 1; next }
ev == "drm_gmmu_job_submit:" && inexec { cur = seqno(rest); sub_t[cur] = t; enter_t[cur] = enter; next }
ev == "drm_sched_job:" && inexec {
	match(rest, /fence=[0-9a-f]+/); fseq[substr(rest, RSTART + 6, RLENGTH - 6)] = cur; next
}
ev == "sys_exit:" && $(i + 3) == "16" && inexec { exit_t[cur] = t; inexec = 0; next }
ev == "drm_gmmu_job_run:" { run_t[seqno(rest)] = t; next }
ev == "drm_gmmu_job_complete:" {
	s = seqno(rest); done_t[s] = t
	# A job that bypassed the scheduler: its out-fence signals here.
	sig_t[s] = t; waiting = s
	next
}
ev == "drm_sched_process_job:" {
	match(rest, /fence=[0-9a-f]+/); s = fseq[substr(rest, RSTART + 6, RLENGTH - 6)]
	if (s != "") { sig_t[s] = t; waiting = s }
	next
}
ev == "sys_exit:" && $(i + 3) == "7" && waiting != "" { wake_t[waiting] = t; waiting = ""; next }
END {
	n = 0
	for (s in wake_t) {
		if (!(s in enter_t) || !(s in exit_t) || !(s in run_t) ||
		    !(s in done_t) || !(s in sig_t))
			continue
		a += sub_t[s] - enter_t[s]; b += exit_t[s] - sub_t[s]
		c += run_t[s] - sub_t[s]
		e += done_t[s] - run_t[s]; f += sig_t[s] - done_t[s]
		g += wake_t[s] - sig_t[s]; w += wake_t[s] - enter_t[s]; n++
	}
	if (!n) { print "exec_trace: no complete job in the trace"; exit 1 }
	printf "exec_trace: %d jobs, mean microseconds per stage\n", n
	printf "  exec ioctl entry -> job submitted    %6.1f\n", a / n
	printf "  job submitted -> exec ioctl exit     %6.1f (out-fence fd; the job itself if direct)\n", b / n
	printf "  job submitted -> run_job             %6.1f (scheduler worker, none if direct)\n", c / n
	printf "  run_job -> engine done               %6.1f (driver, doorbell, NOP batch)\n", e / n
	printf "  engine done -> fence signalled       %6.1f (scheduler callback, none if direct)\n", f / n
	printf "  fence signalled -> poll returns      %6.1f (rest of the ioctl, waiter wakeup)\n", g / n
	printf "  entry -> poll returns                %6.1f\n", w / n
}'
rc=$?
unload_project_modules
[ $rc = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
