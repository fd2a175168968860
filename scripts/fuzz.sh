#!/usr/bin/env bash
# Fuzzing campaign: builds the libFuzzer targets (clang, -DTINYMLC_FUZZ=ON: libFuzzer +
# AddressSanitizer + UndefinedBehaviorSanitizer on the whole compiler) and runs them at
# nice 19, one process each (one core), one after the other.
#
#   scripts/fuzz.sh [SECONDS per target, default 600] [raw|structured|both, default both]
#
# Environment: TINYMLC_FUZZ_BUILD (build folder, default build-fuzz), FUZZ_FORK=1 (fork
# mode: a crash, leak, timeout or OOM is recorded and fuzzing goes on, instead of stopping
# at the first one), FUZZ_MAX_LEN (bytes, default 16384: inputs stay small and fast; the
# big real models are still loaded, truncated, and are covered whole by the sanitizer
# tests), JOBS (build jobs, default 2).
# Seeds: <build>/tests/fuzz/seeds (builder models, examples/models, ../shared/models,
# tests/fuzz/regressions), generated at build time. New inputs accumulate in
# <build>/tests/fuzz/corpus_<mode>, failures in <build>/tests/fuzz/artifacts/.
# Prints per target: executions, exec/s, coverage (libFuzzer's edge counter "cov" and
# feature counter "ft"), corpus size, failures. Exits 1 if any target failed.
#
# A failure: reproduce with `<build>/tests/fuzz/tinymlc_fuzz_raw <artifact>`, fix it, and
# commit the input as tests/fuzz/regressions/<what>.tflite (keep it small:
# `tinymlc_fuzz_raw -minimize_crash=1 -runs=10000 <artifact>`); tinymlc_validation_tests
# replays every file there in the default test suite.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
secs=${1:-600}
mode=${2:-both}
build=${TINYMLC_FUZZ_BUILD:-$root/build-fuzz}
jobs=${JOBS:-2}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DTINYMLC_FUZZ=ON >/dev/null
nice -n 19 cmake --build "$build" -j "$jobs" \
  --target tinymlc_fuzz_raw tinymlc_fuzz_structured tinymlc_fuzz_corpus

dir="$build/tests/fuzz"
mkdir -p "$dir/artifacts"
run() {
  local target=$1 log="$dir/$1.log" extra=()
  mkdir -p "$dir/corpus_${target#tinymlc_fuzz_}"
  [ "${FUZZ_FORK:-0}" = 1 ] && extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  echo "== $target for ${secs}s (log: $log)"
  local before status=0
  before=$(find "$dir/artifacts" -type f | wc -l)
  nice -n 19 "$dir/$target" "$dir/corpus_${target#tinymlc_fuzz_}" "$dir/seeds" \
    -max_total_time="$secs" -max_len="${FUZZ_MAX_LEN:-16384}" -rss_limit_mb=2048 -timeout=20 \
    -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/${target#tinymlc_fuzz_}-" "${extra[@]}" >"$log" 2>&1 || status=$?
  local execs last
  execs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}' | tail -1)
  if [ -z "$execs" ]; then  # fork mode: the last status line has the total
    execs=$(grep -oE "^#[0-9]+" "$log" | tail -1 | tr -d '#')
  fi
  last=$(grep -E "^#[0-9]+" "$log" | tail -1 || true)
  echo "   executions: ${execs:-?}"
  echo "   last status: $last"
  grep -E "^stat::(average_exec_per_sec|peak_rss_mb)" "$log" | sed 's/^/   /' || true
  echo "   corpus files: $(find "$dir/corpus_${target#tinymlc_fuzz_}" -type f | wc -l)"
  echo "   new failures: $(( $(find "$dir/artifacts" -type f | wc -l) - before ))"
  grep -E "^(==[0-9]+==ERROR|SUMMARY|.*runtime error)" "$log" | head -5 | sed 's/^/   /' || true
  return $status
}
status=0
case "$mode" in
  raw) run tinymlc_fuzz_raw || status=1 ;;
  structured) run tinymlc_fuzz_structured || status=1 ;;
  *) run tinymlc_fuzz_raw || status=1; run tinymlc_fuzz_structured || status=1 ;;
esac
exit $status
