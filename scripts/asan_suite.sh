#!/usr/bin/env bash
# Builds tinymlc and every test with AddressSanitizer + UndefinedBehaviorSanitizer (gcc;
# any report aborts) and runs the whole ctest suite on that build.
#
#   scripts/asan_suite.sh [extra ctest arguments, e.g. -L validation or -E sweep]
#
# Environment: BUILD_DIR (default build-asan), JOBS (default 2), CC/CXX (default gcc/g++).
# The tests that run `tinymlc` run the sanitized executable, so every model the suite
# compiles (real, example, builder-made and broken ones) goes through the sanitized
# importer, validation, lowering, folding, planner and emitter. LeakSanitizer is on.
# Expect about 3x the time of scripts/test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build-asan}
jobs=${JOBS:-2}
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

bash "$root/scripts/install_deps.sh"
cmake -S "$root" -B "$build" -DTINYMLC_BUILD_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="${CC:-gcc}" -DCMAKE_CXX_COMPILER="${CXX:-g++}" \
  -DCMAKE_C_FLAGS="$san" -DCMAKE_CXX_FLAGS="$san" \
  -DCMAKE_EXE_LINKER_FLAGS="$san" -DCMAKE_SHARED_LINKER_FLAGS="$san"
cmake --build "$build" -j "$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 1800 "$@"
