#!/bin/bash
# Guest job for `make run`: load the modules, show the GPUs, run the demo.
. tools/vm/guest-lib.sh
export GMMU_IN_VM=1
say() { echo "demo: $*"; }

say "lane $GMMU_LANE, kernel $GMMU_KVER"
say "loading iommu_ctx, drm_gmmu and swgpu (profiles llc,atom on the first two edu slots)"
load_project_modules || { say "cannot load the modules"; exit 1; }
say "GPUs found:"
"$GMMU_BIN/swgpu-info" || exit 1
if [ -x "$GMMU_BIN/swgpu_demo" ]; then
	"$GMMU_BIN/swgpu_demo" || exit 1
fi
if [ -x "$GMMU_BIN/swgpu_picture" ]; then
	# The test card: Mesa's where it can (through the hook), else swgpu's.
	panel=()
	if why=$(mesa_panel_probe); then
		say "the test card: drawn by Mesa ($why), through --panel-cmd swgpu_mesa_panel"
		panel=(--panel-cmd "$GMMU_BIN/swgpu_mesa_panel")
	else
		say "the test card: drawn by swgpu's own panel producer on the atom GPU (not by Mesa: $why)"
	fi
	say "drawing the picture: worker processes on both swgpu GPUs and jdgpu, sharing through dma-buf, checked against the CPU"
	"$GMMU_BIN/swgpu_picture" "${panel[@]}" "$GMMU_OUT/swgpu-picture.png" || exit 1
fi
say "unloading the modules"
unload_project_modules || exit 1
say "done"
