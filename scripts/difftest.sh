#!/usr/bin/env bash
# The differential test campaign: N converter-made models per mode (tests/oracle/factory.py)
# through tinymlc and TFLM, compared byte for byte on every output and every layer.
#
#   scripts/difftest.sh --count N --seed S [--mode int8|...|misc_int8|compressed|compressed_float32|compressed_metadata|all]
#                       [--jobs J] [--report FILE] [--budget SEC]
#
# Prints a table per mode: models, match, mismatch, crash, refused by tinymlc (TFLM runs
# it), refused by both, refused by TFLM only, not converted; then every refusal reason with
# its count (operator: reason) and seeds. A mismatching or crashing model is saved with
# TFLM's inputs and outputs under tests/oracle/regressions/<mode>_seed<S>/, which
# oracle_regressions (ctest) replays. Makes the oracle environment when needed
# (scripts/oracle_env.sh) and uses BUILD_DIR/compiler/tinymlc (default build/), building it
# when missing. Exit status 1 on any mismatch or crash.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
int4=()
case " $* " in *" int4"*|*"int4 "*|*",int4"*|*"all"*) int4=(--int4) ;; esac
python=$(bash "$root/scripts/oracle_env.sh" "${int4[@]}")
tinymlc=$build/compiler/tinymlc
if [ ! -x "$tinymlc" ]; then
  cmake -S "$root" -B "$build" >&2
  cmake --build "$build" -j "${JOBS:-2}" --target tinymlc >&2
fi
export TF_CPP_MIN_LOG_LEVEL=3
exec "$python" "$root/tests/oracle/difftest.py" --tinymlc "$tinymlc" \
  --save "$root/tests/oracle/regressions" "$@"
