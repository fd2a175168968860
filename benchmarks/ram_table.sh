#!/usr/bin/env bash
# Arena bytes and extra MACs of tinymlc's memory options (benchmarks/results/ram.txt):
# for each model, `tinymlc inspect` as it is, with --input external, with --optimize ram
# (the smallest arena) and with both, and with --memory-budget B (the fewest extra MACs
# that fit) when a budget is given as MODEL=B.
#
#   bash benchmarks/ram_table.sh MODEL.tflite[=BUDGET] ...
#
# Environment: TINYMLC (default build/compiler/tinymlc). Columns: arena bytes, the model's
# MACs as compiled (patch copies included) and the extra MACs in % of the plain model's.
set -euo pipefail
tinymlc=${TINYMLC:-build/compiler/tinymlc}
row() {  # model label flags...
  local m=$1 label=$2
  shift 2
  local out
  if ! out=$("$tinymlc" inspect "$m" "$@" 2>&1); then
    printf '  %-34s %s\n' "$label" "$(echo "$out" | sed 's/.*no plan fits/no plan fits/' | cut -c1-150)"
    return
  fi
  local arena macs plan
  arena=$(echo "$out" | sed -n 's/^Memory plan (arena \([0-9]*\) bytes.*/\1/p')
  macs=$(echo "$out" | sed -n 's/^ *total  *\([0-9][0-9]*\) *$/\1/p' | head -1)
  plan=$(echo "$out" | sed -n 's/^Patch plan: //p')
  local grid
  grid=$(echo "$plan" | sed -n 's/.*in \([0-9]* x 1\) patches, split after operator \([0-9]*\).*/\1 patches, split after op \2/p')
  [ -n "$grid" ] || grid="no patches"
  case "$plan" in *"kept in line buffers"*) grid="$grid, halo kept" ;; *recomputed*) grid="$grid, halo recomputed" ;; esac
  awk -v l="$label" -v a="$arena" -v m="$macs" -v b="$base_macs" -v g="$grid" \
    'BEGIN { printf "  %-34s %10d  %12d  %+6.1f %%  %s\n", l, a, m, 100 * (m - b) / b, g }'
}
for arg in "$@"; do
  m=${arg%%=*}
  budget=""
  [ "$arg" != "$m" ] && budget=${arg#*=}
  base_macs=$("$tinymlc" inspect "$m" | sed -n 's/^ *total  *\([0-9][0-9]*\) *$/\1/p' | head -1)
  echo "$(basename "$m")"
  printf '  %-34s %10s  %12s  %8s  %s\n' "options" "arena B" "MACs" "extra" "patch plan"
  row "$m" "(none)"
  row "$m" "--input external" --input external
  row "$m" "--optimize ram" --optimize ram
  row "$m" "--optimize ram --input external" --optimize ram --input external
  if [ -n "$budget" ]; then
    row "$m" "--memory-budget $budget" --memory-budget "$budget"
    row "$m" "--memory-budget $budget --input external" --memory-budget "$budget" --input external
  fi
  echo
done
