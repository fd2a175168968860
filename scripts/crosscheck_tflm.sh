#!/usr/bin/env bash
# crosscheck_tflm.sh - optional developer tool: replay the random sweep configurations
# exported by the sweep tests on TensorFlow Lite Micro's reference interpreter and compare
# its outputs with those of tinymlc's generated C, byte for byte.
#
# Not run by any test (TFLM is not part of this project). You need a host build of TFLM
# and a small runner program around its MicroInterpreter:
#
#   RUNNER MODEL.tflite OUTDIR IN0.bin [IN1.bin ...]
#     loads the model, AllocateTensors(), copies INi.bin into input i, Invoke(), writes
#     OUTDIR/out<j>.bin (raw bytes of output j); exit status 0 on success, non-zero when
#     the model is rejected (AllocateTensors or Invoke fails; a message on stderr).
#   With TFLM_RUN_CASES=K in the environment it gets K*num_inputs input files (case 0's
#     inputs, then case 1's, ...), invokes K times on ONE interpreter (variable tensors
#     carry their state over) and writes OUTDIR/case<k>/out<j>.bin.
#
# Usage:
#   1. export the sweeps (every configuration, its inputs and tinymlc's outputs):
#        TINYMLC_SWEEP_EXPORT=/tmp/sweeps TINYMLC_SWEEP_NO_SAVE=1 TINYMLC_SWEEP_COUNT=150 \
#          build/tests/support/tinymlc_sweep_tests --gtest_filter='Sweep*'
#      which writes /tmp/sweeps/<OP>/<i>.tflite, <i>.case<k>.in<j>.bin and
#      <i>.case<k>.out<j>.bin (or <i>.rejected.txt when tinymlc rejected the model).
#   2. compare:
#        scripts/crosscheck_tflm.sh /path/to/tflm_run /tmp/sweeps [OP ...]
#
# Prints one line per operator folder:
#   OP: N configs, M match, D differ, R1 rejected by TFLM only, R2 rejected by tinymlc only,
#       B rejected by both
# and writes the details (first differing byte of every mismatch, the error of every
# one-sided rejection) to EXPORT_DIR/crosscheck_report.txt. Exit status 1 if anything
# differs or is rejected by only one side, 0 otherwise, 2 on bad usage.
set -u

if [ $# -lt 2 ] || [ ! -x "$1" ] || [ ! -d "$2" ]; then
  sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
RUNNER=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
EXPORT_DIR=$(cd "$2" && pwd)
shift 2
REPORT=$EXPORT_DIR/crosscheck_report.txt
: > "$REPORT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/crosscheck.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [ $# -gt 0 ]; then
  OPS=("$@")
else
  OPS=()
  for d in "$EXPORT_DIR"/*/; do [ -d "$d" ] && OPS+=("$(basename "$d")"); done
fi

# first_diff EXPECTED GOT -> "byte B: tinymlc X tflm Y (N bytes differ of S)"
first_diff() {
  local tml=$1 ref=$2
  if [ ! -f "$ref" ]; then echo "TFLM wrote no $(basename "$ref")"; return; fi
  if [ "$(stat -c %s "$tml")" != "$(stat -c %s "$ref")" ]; then
    echo "sizes differ: tinymlc $(stat -c %s "$tml") TFLM $(stat -c %s "$ref")"; return
  fi
  cmp -l "$tml" "$ref" | awk -v size="$(stat -c %s "$ref")" '
    function s8(o,   v, i) {  # cmp -l prints octal bytes
      v = 0; for (i = 1; i <= length(o); i++) v = v * 8 + substr(o, i, 1)
      return v > 127 ? v - 256 : v
    }
    NR == 1 { b = $1 - 1; x = s8($2); y = s8($3) }
    END { printf "byte %d: tinymlc %d TFLM %d (as int8; %d of %d bytes differ)\n", b, x, y, NR, size }'
}

status=0
for op in "${OPS[@]}"; do
  dir=$EXPORT_DIR/$op
  [ -d "$dir" ] || { echo "$op: no folder $dir"; status=1; continue; }
  shared_state=0
  [ -f "$dir/cases_share_state" ] && shared_state=1
  n=0 match=0 differ=0 tflm_only=0 tml_only=0 both=0
  while IFS= read -r model; do
    i=$(basename "$model" .tflite)
    n=$((n + 1))
    # Cases and inputs present for this configuration.
    ncases=0
    while [ -n "$(ls "$dir/$i.case$ncases".in*.bin 2>/dev/null)" ] || \
          [ -f "$dir/$i.case$ncases.out0.bin" ]; do ncases=$((ncases + 1)); done
    [ "$ncases" -eq 0 ] && ncases=1
    out=$WORK/$op.$i
    rm -rf "$out"; mkdir -p "$out"
    tflm_err=""
    if [ "$shared_state" = 1 ]; then
      ins=()
      for ((k = 0; k < ncases; k++)); do
        while IFS= read -r f; do ins+=("$f"); done < <(ls "$dir/$i.case$k".in*.bin 2>/dev/null | sort -V)
      done
      if ! TFLM_RUN_CASES=$ncases "$RUNNER" "$model" "$out" "${ins[@]}" > "$out/log" 2>&1; then
        tflm_err=$(tail -n 1 "$out/log")
      fi
    else
      for ((k = 0; k < ncases; k++)); do
        mkdir -p "$out/case$k"
        ins=()
        while IFS= read -r f; do ins+=("$f"); done < <(ls "$dir/$i.case$k".in*.bin 2>/dev/null | sort -V)
        if ! "$RUNNER" "$model" "$out/case$k" "${ins[@]}" > "$out/log" 2>&1; then
          tflm_err=$(tail -n 1 "$out/log"); break
        fi
      done
    fi
    if [ -f "$dir/$i.rejected.txt" ]; then
      if [ -n "$tflm_err" ]; then
        both=$((both + 1))
      else
        tml_only=$((tml_only + 1))
        echo "$op/$i: rejected by tinymlc only: $(head -c 600 "$dir/$i.rejected.txt" | tr '\n' ' ')" >> "$REPORT"
      fi
      continue
    fi
    if [ -n "$tflm_err" ]; then
      tflm_only=$((tflm_only + 1))
      echo "$op/$i: rejected by TFLM only: $tflm_err" >> "$REPORT"
      continue
    fi
    diff_msg=""
    for ((k = 0; k < ncases; k++)); do
      [ -z "$diff_msg" ] || break
      for tml in "$dir/$i.case$k".out*.bin; do
        [ -f "$tml" ] || continue
        j=${tml##*.out}; j=${j%.bin}
        if ! cmp -s "$tml" "$out/case$k/out$j.bin"; then
          diff_msg="case $k output $j: $(first_diff "$tml" "$out/case$k/out$j.bin")"
          break
        fi
      done
    done
    if [ -n "$diff_msg" ]; then
      differ=$((differ + 1))
      echo "$op/$i: DIFFERS: $diff_msg" >> "$REPORT"
    else
      match=$((match + 1))
    fi
  done < <(ls "$dir"/*.tflite 2>/dev/null | sort -V)
  echo "$op: $n configs, $match match, $differ differ, $tflm_only rejected by TFLM only," \
       "$tml_only rejected by tinymlc only, $both rejected by both"
  if [ $((differ + tflm_only + tml_only)) -gt 0 ]; then status=1; fi
done
echo "details: $REPORT"
exit $status
