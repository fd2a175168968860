#!/usr/bin/env bash
# target_sweep.sh - the random sweeps of the compute kernels, run on an emulated board:
# every configuration that the host sweep checked against the C++ reference (generated C
# built for the host) is built into a firmware for BOARD and run under QEMU, and its
# outputs must equal the host's byte for byte. This is what checks the Arm DSP and Helium
# (MVE) paths of the fast kernels on shapes the golden models do not have.
#
#   target_sweep.sh SWEEP_TESTS TINYMLC QEMU TIMEOUT_TOOL SOURCE_DIR WORK BOARD CPU OPT COUNT
#
# SWEEP_TESTS: tests/support/tinymlc_sweep_tests; COUNT: configurations per sweep.
# Sweeps: SweepCore.{Conv2D,DepthwiseConv2D,Depthwise3x3,Depthwise3x3Channels,FullyConnected,Chains}, or the
# gtest filter in $TARGET_SWEEP_FILTER; more `tinymlc compile` flags for the firmwares in
# $TARGET_SWEEP_COMPILE_OPTIONS (e.g. "--sparse force").
set -euo pipefail
if [ $# -ne 10 ]; then
  sed -n '2,13p' "$0"
  exit 2
fi
sweep=$1 tinymlc=$2 qemu=$3 timeout_tool=$4 src=$5 work=$6 board=$7 cpu=$8 opt=$9 count=${10}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

rm -rf "$work"
mkdir -p "$work/export" "$work/shared/models" "$work/shared/golden"
echo "target_sweep: exporting $count configurations per sweep"
TINYMLC_SWEEP_EXPORT="$work/export" TINYMLC_SWEEP_NO_SAVE=1 TINYMLC_SWEEP_COUNT="$count" \
  "$sweep" --gtest_brief=1 \
  --gtest_filter="${TARGET_SWEEP_FILTER:-SweepCore.Conv2D:SweepCore.Conv2D3x3x3:SweepCore.Conv2DPruned:SweepCore.Pointwise8:SweepCore.DepthwiseConv2D:SweepCore.DepthwisePadded:SweepCore.Depthwise3x3:SweepCore.Depthwise3x3Channels:SweepCore.FullyConnected:SweepCore.Chains}" \
  > "$work/sweep.log" 2>&1 || { cat "$work/sweep.log"; echo "target_sweep: the host sweep failed"; exit 1; }

# <OP>/<i>.tflite + <i>.case<k>.{in,out}<j>.bin -> models/<op>_<i>.tflite and
# golden/<op>_<i>/case<k>/{in,out}<j>.bin (the layout the firmware build reads).
models=()
for m in "$work"/export/*/*.tflite; do
  op=$(basename "$(dirname "$m")" | tr 'A-Z' 'a-z')
  i=$(basename "$m" .tflite)
  [ -e "${m%.tflite}.rejected.txt" ] && continue
  name="${op}_$i"
  cp "$m" "$work/shared/models/$name.tflite"
  for f in "${m%.tflite}".case*.bin; do
    b=$(basename "$f")            # <i>.case<k>.<in|out><j>.bin
    k=${b#*.case}; k=${k%%.*}
    mkdir -p "$work/shared/golden/$name/case$k"
    cp "$f" "$work/shared/golden/$name/case$k/${b#*.case$k.}"
  done
  models+=("$work/shared/models/$name.tflite")
done
[ ${#models[@]} -gt 0 ] || { echo "target_sweep: no configuration was exported"; exit 1; }
echo "target_sweep: building ${#models[@]} firmwares for $board ($cpu, $opt)"
list=$(IFS='|'; echo "${models[*]}")
cmake "-DSOURCE_DIR=$src" "-DBINARY_DIR=$work/build" "-DTOOLCHAIN=$root/cmake/arm-none-eabi.cmake" \
  "-DCPU=$cpu" "-DBOARD=$board" "-DOPT=$opt" "-DHOST_TINYMLC=$tinymlc" \
  "-DSHARED_DIR=$work/shared" "-DMODELS=$list" \
  "-DCOMPILE_OPTIONS=${TARGET_SWEEP_COMPILE_OPTIONS:-}" -P "$root/tests/firmware/build_firmware.cmake" \
  > "$work/build.log" 2>&1 || { tail -50 "$work/build.log"; exit 1; }

failed=0
for m in "${models[@]}"; do
  name=$(basename "$m" .tflite)
  if ! cmake "-DMANIFEST=$work/build/manifest/$name.cmake" "-DQEMU=$qemu" \
       "-DTIMEOUT_TOOL=$timeout_tool" -DTIMEOUT=60 -P "$root/tests/firmware/run_firmware.cmake" \
       > "$work/$name.log" 2>&1; then
    echo "target_sweep: FAILED $name ($work/shared/models/$name.tflite):"
    tail -5 "$work/$name.log"
    failed=$((failed + 1))
  fi
done
echo "target_sweep: $board: $((${#models[@]} - failed)) of ${#models[@]} configurations bit-exact with the host"
[ $failed -eq 0 ]
