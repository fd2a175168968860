#!/usr/bin/env bash
# Builds tinymlc and runs the whole test suite (unit, kernels, support, end-to-end).
# Environment: BUILD_DIR (default: build), JOBS (default: 2).
# The end-to-end tests read ../shared (models and TFLM golden data) beside the
# repository; without it they are skipped.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-2}

bash "$root/scripts/install_deps.sh"
if [ ! -d "$root/../shared/golden" ]; then
  echo "test.sh: no $root/../shared/golden: the end-to-end tests will be skipped" >&2
fi

cmake -S "$root" -B "$build" -DTINYMLC_BUILD_TESTS=ON
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 900
