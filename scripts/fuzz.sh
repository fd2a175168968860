#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + AddressSanitizer + UndefinedBehaviorSanitizer
# and runs them. Usage: scripts/fuzz.sh [SECONDS per mode, default 120] [raw|structured|both]
# Seed corpus: the real models in ../shared/models (if present) and examples/models.
# Crashes land in build-fuzz/artifacts/; copy each into tests/fuzz/regressions/ (replayed
# by tests/fuzz/CMakeLists.txt's regression test when built) after fixing it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-120}
mode=${2:-both}
build=${TINYMLC_FUZZ_BUILD:-$root/build-fuzz}
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DTINYMLC_FUZZ=ON \
  -DCMAKE_C_FLAGS="$san -fsanitize=fuzzer-no-link" -DCMAKE_CXX_FLAGS="$san -fsanitize=fuzzer-no-link" \
  -DCMAKE_EXE_LINKER_FLAGS="$san" >/dev/null
cmake --build "$build" --target tinymlc_fuzz_raw tinymlc_fuzz_structured -j"$(nproc)"

corpus="$build/corpus"
mkdir -p "$corpus" "$build/artifacts"
cp "$root"/examples/models/*.tflite "$corpus"/ 2>/dev/null || true
if [ -d "$root/../shared/models" ]; then cp "$root"/../shared/models/*.tflite "$corpus"/; fi
if [ -d "$root/tests/fuzz/regressions" ]; then cp "$root"/tests/fuzz/regressions/* "$corpus"/ 2>/dev/null || true; fi

run() {
  local target=$1
  echo "== $target for ${secs}s"
  # -rss_limit_mb / -timeout: out-of-memory and hangs count as failures.
  "$build/tests/fuzz/$target" "$corpus" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
    -max_len=400000 -artifact_prefix="$build/artifacts/" -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+.*(DONE|pulse)|stat::|==.*ERROR|SUMMARY|Done)" | tail -12
  return "${PIPESTATUS[0]}"
}
status=0
case "$mode" in
  raw) run tinymlc_fuzz_raw || status=1 ;;
  structured) run tinymlc_fuzz_structured || status=1 ;;
  *) run tinymlc_fuzz_raw || status=1; run tinymlc_fuzz_structured || status=1 ;;
esac
exit $status
