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
# KTAP on load, and copy that KTAP into the results.
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
			'$0 == b { on = 1; next } $0 == e { on = 0 } on'
	echo "gmmu-ktap-end $name $rc"
	[ $rc -eq 0 ] && rmmod "$(basename "$ko" .ko)"
	return 0
}

# igt_binary PATH [ARGS...]: run an IGT-style test binary.
igt_binary() {
	local bin=$1 rc
	shift
	echo "gmmu-igt-begin $(basename "$bin")"
	timeout -k 5 "${GMMU_TEST_TIMEOUT:-300}" "$bin" "$@"
	rc=$?
	echo "gmmu-igt-end $(basename "$bin") $rc"
}

# Lane-specific checks after a job: debug-kernel checkers report here.
guest_lane_checks() {
	local f=/sys/kernel/debug/dma-api/error_count
	if [ -r "$f" ]; then
		local n
		n=$(cat "$f")
		if [ "$n" = 0 ]; then result PASS dma-api-error-count; else result FAIL dma-api-error-count "$n errors"; fi
	fi
	f=/sys/kernel/debug/kmemleak
	if [ -w "$f" ]; then
		echo scan >"$f"
		sleep 1
		echo scan >"$f"
		local leaks
		leaks=$(grep -c '^unreferenced object' "$f")
		if [ "$leaks" = 0 ]; then result PASS kmemleak; else
			result FAIL kmemleak "$leaks unreferenced objects"
			head -n 60 "$f"
		fi
	fi
}

# Kernel modules the project's modules depend on (built in on the debug kernel).
load_kernel_deps() {
	local m
	for m in drm drm_exec drm_gpuvm gpu-sched drm_shmem_helper vgem; do
		modprobe -q "$m" 2>/dev/null || true
	done
}

# load_project_modules: iommu_ctx, drm_gmmu, swgpu, in dependency order.
load_project_modules() {
	load_kernel_deps
	insmod "$GMMU_KMOD/iommu_ctx.ko" &&
		insmod "$GMMU_KMOD/drm_gmmu.ko" &&
		insmod "$GMMU_KMOD/swgpu.ko" "$@"
}

unload_project_modules() {
	local m ok=0
	for m in swgpu drm_gmmu iommu_ctx; do
		if grep -q "^$m " /proc/modules; then
			rmmod "$m" || ok=1
		fi
	done
	return $ok
}
