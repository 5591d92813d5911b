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
	say "drawing the picture: worker processes on both GPUs, sharing through dma-buf, checked against the CPU"
	"$GMMU_BIN/swgpu_picture" "$GMMU_OUT/swgpu-picture.png" || exit 1
fi
say "unloading the modules"
unload_project_modules || exit 1
say "done"
