#!/usr/bin/env bash
# Builds tinymlc and runs the whole test suite (unit, kernels, support, end-to-end, and the
# oracle: TFLM and the TensorFlow converter from PyPI, in the virtual environment that
# scripts/oracle_env.sh makes or reuses; tinymlc itself never needs Python).
# Environment: BUILD_DIR (default: build), JOBS (default: 2), TINYMLC_NO_ORACLE=1 (do not
# make the oracle environment: the oracle tests are then skipped unless it exists).
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

oracle=()
if [ "${TINYMLC_NO_ORACLE:-0}" != 1 ]; then
  # --int4: ai-edge-quantizer too, for convert(mode="int4") and the int4 oracle models.
  oracle_python=$(bash "$root/scripts/oracle_env.sh" --int4)
  oracle=("-DTINYMLC_ORACLE_PYTHON=$oracle_python")
fi

cmake -S "$root" -B "$build" -DTINYMLC_BUILD_TESTS=ON "${oracle[@]}"
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 900
