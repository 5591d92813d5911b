# Shell helpers for guest jobs (sourced). Results are lines the host's
# tools/summarize.sh reads:
#   gmmu-result PASS|FAIL|SKIP NAME [why]
#   gmmu-ktap-begin NAME ... KTAP ... gmmu-ktap-end NAME RC
#   gmmu-igt-begin NAME ... IGT output ... gmmu-igt-end NAME RC

result() {
	echo "gmmu-result $1 $2${3:+ $3}"
}

# kmsg_mark TEXT: a marker in the kernel log, to cut a module's KTAP out.
kmsg_mark() {
	echo "gmmu-mark: $1" >/dev/kmsg
}

# ktap_module NAME KO [PARAMS...]: load a selftest module, which prints
# KTAP on load, and copy that KTAP into the results (the last load's, when
# a job loads it more than once).
ktap_module() {
	local name=$1 ko=$2 rc
	shift 2
	kmsg_mark "begin $name"
	insmod "$ko" "$@"
	rc=$?
	kmsg_mark "end $name"
	echo "gmmu-ktap-begin $name"
	dmesg | sed -e 's/^\[[ 0-9.]*\] //' |
		awk -v b="gmmu-mark: begin $name" -v e="gmmu-mark: end $name" \
			'$0 == b { on = 1; out = ""; next } $0 == e { on = 0 }
			 on { out = out $0 "\n" } END { printf "%s", out }'
	echo "gmmu-ktap-end $name $rc"
	[ $rc -eq 0 ] && rmmod "$(basename "$ko" .ko)"
	return 0
}

# igt_binary PATH [ARGS...]: run an IGT-style test binary, killed after
# GMMU_TEST_TIMEOUT seconds: 300, or 900 on the debug lane, whose kernel
# runs job submission one to two hundred times slower (KASAN, kmemleak).
igt_binary() {
	local bin=$1 rc limit=300
	shift
	[ "$GMMU_LANE" = debug ] && limit=900
	echo "gmmu-igt-begin $(basename "$bin")"
	timeout -k 5 "${GMMU_TEST_TIMEOUT:-$limit}" "$bin" "$@"
	rc=$?
	echo "gmmu-igt-end $(basename "$bin") $rc"
}

# Lane-specific checks after a job: the debug kernel's checkers report here.
# DMA-API debug prints only its first error; error_count has them all.
# kmemleak scans only when asked (no automatic scanning): twice, since an
# object is reported only when a second scan finds it unchanged and still
# unreferenced, and only if it was at least 5 s old when the scan began. On the debug lane both checkers must be there and on: one
# that is missing or switched itself off fails, it does not pass quietly.
# A job that does not need the scan (a planted bug for another checker; two
# scans cost 20 s and more under TCG) creates $GMMU_SKIP_KMEMLEAK.
# GMMU_DEBUGFS lets tools/lane-checks-selftest.sh run this on fake files.
GMMU_SKIP_KMEMLEAK=${GMMU_SKIP_KMEMLEAK:-/run/gmmu-skip-kmemleak-scan}
guest_lane_checks() {
	local dbg=${GMMU_DEBUGFS:-/sys/kernel/debug} need=
	local f=$dbg/dma-api/error_count n t0 leaks

	[ "$GMMU_LANE" = debug ] && need=1
	if [ -r "$f" ]; then
		n=$(cat "$f")
		if [ "$(cat "$dbg/dma-api/disabled" 2>/dev/null)" = Y ]; then
			result FAIL dma-api-error-count "DMA-API debug switched itself off"
		elif [ "$n" = 0 ]; then
			result PASS dma-api-error-count
		else
			result FAIL dma-api-error-count "$n errors"
		fi
	elif [ -n "$need" ]; then
		result FAIL dma-api-error-count "no $f: DMA-API debug is off"
	fi
	f=$dbg/kmemleak
	if [ -e "$GMMU_SKIP_KMEMLEAK" ]; then
		result SKIP kmemleak "not scanned: $(cat "$GMMU_SKIP_KMEMLEAK")"
	elif [ -w "$f" ]; then
		t0=$(date +%s)
		# ">>": the same write to debugfs, and a fake file in the
		# selftest keeps its made-up report.
		if ! { echo scan >>"$f" && echo scan >>"$f"; } 2>/dev/null; then
			result FAIL kmemleak "cannot scan: kmemleak is off (see dmesg)"
			return
		fi
		echo "lane checks: kmemleak: two scans in $(($(date +%s) - t0)) s"
		leaks=$(grep -c '^unreferenced object' "$f" 2>/dev/null)
		case "$leaks" in
		0) result PASS kmemleak ;;
		"") result FAIL kmemleak "cannot read $f (see dmesg)" ;;
		*)
			result FAIL kmemleak "$leaks unreferenced objects"
			head -n 60 "$f"
			;;
		esac
	elif [ -n "$need" ]; then
		result FAIL kmemleak "no $f: kmemleak is off"
	fi
}

# Kernel modules the project's modules depend on (built in on the debug kernel).
load_kernel_deps() {
	local m
	for m in drm drm_exec drm_gpuvm gpu-sched drm_shmem_helper vgem; do
		modprobe -q "$m" 2>/dev/null || true
	done
}

# load_project_modules: iommu_ctx, drm_gmmu, swgpu (with the arguments
# given), jdgpu, in dependency order.
load_project_modules() {
	load_kernel_deps
	insmod "$GMMU_KMOD/iommu_ctx.ko" &&
		insmod "$GMMU_KMOD/drm_gmmu.ko" &&
		insmod "$GMMU_KMOD/swgpu.ko" "$@" &&
		insmod "$GMMU_KMOD/jdgpu.ko"
}

unload_project_modules() {
	local m ok=0
	for m in jdgpu swgpu drm_gmmu iommu_ctx; do
		if grep -q "^$m " /proc/modules; then
			rmmod "$m" || ok=1
		fi
	done
	return $ok
}

# info_check: swgpu-info --json against GET_PARAM, sysfs and debugfs
# (tools/swgpu_info_check.py prints its own result lines).
info_check() {
	python3 "$GMMU_DIR/tools/swgpu_info_check.py" "$GMMU_BIN/swgpu-info"
}

# mesa_panel_probe: whether Mesa can draw the picture's panel here
# (tools/swgpu_mesa_panel.c, Mesa >= 25 with EGL_MESA_image_dma_buf_export
# on its software device). Prints Mesa's version, or why not; returns 0
# if it can, 1 if something is missing, 2 if the probe itself failed.
mesa_panel_probe() {
	local bin=$GMMU_BIN/swgpu_mesa_panel out rc
	if [ ! -x "$bin" ]; then
		echo "swgpu_mesa_panel not built: no EGL and GLES headers (make deps installs libegl-dev libgles-dev)"
		return 1
	fi
	out=$("$bin" --probe)
	rc=$?
	echo "${out:-no word from $bin --probe}"
	case $rc in
	0) return 0 ;;
	77) return 1 ;;
	*) return 2 ;;
	esac
}

# demo_pictures: the demo's picture (tools/swgpu_picture.c) drawn by its
# worker processes on both GPUs, checked against the CPU's, written as a
# PNG and decoded again; then once more with the panel drawn by a command
# run through --panel-cmd, the hook for an outside client's part: swgpu's
# own producer, then Mesa (skipped, saying why, where Mesa cannot). The
# lanes always have a jdgpu device, so each run requires its stage
# (--require-jdgpu): its ripples and its CRC32s of the picture.
demo_pictures() {
	local pic=$GMMU_BIN/swgpu_picture why rc
	if "$pic" --require-jdgpu "$GMMU_OUT/swgpu-picture.png"; then
		result PASS demo-picture
	else
		result FAIL demo-picture
	fi
	if "$pic" --require-jdgpu --workers 3 --panel-cmd "$pic --panel-producer" \
		"$GMMU_OUT/swgpu-picture-panel-cmd.png"; then
		result PASS demo-picture-panel-cmd
	else
		result FAIL demo-picture-panel-cmd
	fi
	why=$(mesa_panel_probe)
	rc=$?
	if [ $rc -eq 1 ]; then
		result SKIP demo-picture-mesa-panel "$why"
	elif [ $rc -ne 0 ]; then
		result FAIL demo-picture-mesa-panel "probing Mesa: $why"
	elif echo "demo-picture-mesa-panel: the panel by $why" &&
		"$pic" --require-jdgpu --workers 5 --panel-cmd "$GMMU_BIN/swgpu_mesa_panel" \
			"$GMMU_OUT/swgpu-picture-mesa-panel.png"; then
		result PASS demo-picture-mesa-panel
	else
		result FAIL demo-picture-mesa-panel
	fi
}
