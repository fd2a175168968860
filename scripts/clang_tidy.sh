#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) on the compiler's sources: compiler/src,
# compiler/tools. Needs a build folder with compile_commands.json (configured here).
#   scripts/clang_tidy.sh [BUILD_DIR, default build-tidy]
# Exit status 1 on any finding.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build-tidy}
jobs=${JOBS:-2}
cmake -S "$root" -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DTINYMLC_BUILD_TESTS=OFF >/dev/null
# The flatc header and the embedded templates must exist before clang-tidy parses.
cmake --build "$build" --target tinymlc_schema_gen -j "$jobs" >/dev/null
mapfile -t files < <(cd "$root" && find compiler/src compiler/tools -name '*.cc' | sort)
printf '%s\n' "${files[@]/#/$root/}" |
  xargs -P "$jobs" -n 4 clang-tidy -p "$build" --quiet 2>/dev/null | tee "$build/clang-tidy.log"
if grep -qE "(warning|error):" "$build/clang-tidy.log"; then
  echo "clang-tidy: findings above" >&2
  exit 1
fi
echo "clang-tidy: ${#files[@]} files clean"
