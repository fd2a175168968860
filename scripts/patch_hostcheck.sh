#!/usr/bin/env bash
# Host check of patch-based execution on any model (no golden data needed): compiles MODEL
# as it is and with each set of OPTIONS, builds each with tests/e2e/golden_runner.c and its
# layer hooks (gcc -O2), runs all of them on one random input and compares every tensor two
# compiles both report (the patched prefix reports only its last tensor; after it, every
# layer). Exit status 1 if any differs.
#
#   bash scripts/patch_hostcheck.sh MODEL.tflite "--optimize ram" "--memory-budget 90000 --input external" ...
#
# Environment: TINYMLC (default build/compiler/tinymlc), WORK (default /tmp/patch_hostcheck).
set -euo pipefail
tinymlc=${TINYMLC:-build/compiler/tinymlc}
model=$1
shift
work=${WORK:-/tmp/patch_hostcheck}/$(basename "$model" .tflite)
rm -rf "$work"
mkdir -p "$work"
variants=(plain "$@")
for v in "${variants[@]}"; do
  d=$work/$(echo "$v" | tr ' -' '__')
  mkdir -p "$d/out"
  flags=()
  [ "$v" != plain ] && read -r -a flags <<< "$v"
  "$tinymlc" compile "$model" -o "$d/gen" --name m ${flags[@]+"${flags[@]}"} > /dev/null
  def=()
  case "$v" in *external*) def=(-DRUNNER_EXTERNAL_INPUT) ;; esac
  gcc -std=c99 -O2 ${def[@]+"${def[@]}"} -I "$d/gen" -include tests/e2e/harness_hooks.h -DMODEL_NAME=m \
      -DMODEL_NAME_UPPER=M '-DMODEL_HEADER="m.h"' "$d/gen/m.c" tests/e2e/golden_runner.c -o "$d/run" -lm
  if [ ! -f "$work/in0.bin" ]; then
    bytes=$(sed -n 's/.*\.bytes = \([0-9]*\)u.*/\1/p' "$d/gen/m.c" | head -1)
    head -c "$bytes" /dev/urandom > "$work/in0.bin"
  fi
  "$d/run" "$d/out" "$work/in0.bin" > /dev/null
done
status=0
for v in "${@}"; do
  d=$work/$(echo "$v" | tr ' -' '__')/out
  n=0
  bad=0
  for f in "$d"/t*.bin "$d"/out*.bin; do
    b=$(basename "$f")
    [ -f "$work/plain/out/$b" ] || continue
    n=$((n + 1))
    if ! cmp -s "$f" "$work/plain/out/$b"; then
      bad=$((bad + 1))
      echo "differs: $b"
    fi
  done
  echo "$v: $n tensors compared with the plain compile, $bad differ"
  [ "$bad" -eq 0 ] && [ "$n" -gt 0 ] || status=1
done
exit $status
