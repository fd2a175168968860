#!/usr/bin/env bash
# Stack use of the generated code, per model, on a Cortex-M4 (arm-none-eabi-gcc -O2
# -mcpu=cortex-m4 -mthumb -mfloat-abi=hard, the firmware's flags).
#
#   benchmarks/stack_report.sh [TINYMLC] [MODEL.tflite ...]
#
# Defaults: build/compiler/tinymlc, every ../shared/models/*.tflite and examples/models/
# *.tflite. For each model: tinymlc compile, then arm-none-eabi-gcc with -fstack-usage
# -fcallgraph-info=su -Wvla -Wstack-usage=<bound>; the call graph (.ci) gives every
# function's frame and its callees, and the report sums the frames along the deepest
# call chain from NAME_invoke (library calls such as memcpy count 0 bytes). A cycle in
# the call graph (recursion), a dynamic frame (alloca/VLA) or a frame over the bound
# is reported and makes the script exit 1.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tinymlc=${1:-$root/build/compiler/tinymlc}
shift || true
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  models=("$root"/../shared/models/*.tflite "$root"/examples/models/*.tflite)
fi
bound=${STACK_BOUND:-512}
cc=${ARM_CC:-arm-none-eabi-gcc}
flags=(-std=c99 -O2 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
       -Wall -Wextra -Wvla "-Wstack-usage=$bound" -fstack-usage -fcallgraph-info=su)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%-26s %12s %10s  %s\n' "model" "invoke chain" "max frame" "deepest chain (frame bytes)"
status=0
for m in "${models[@]}"; do
  [ -f "$m" ] || continue
  name=$(basename "$m" .tflite | tr -c 'A-Za-z0-9_\n' '_' | tr 'A-Z' 'a-z')
  out="$tmp/$name"
  "$tinymlc" compile "$m" -o "$out" --name "$name" >/dev/null
  if ! (cd "$out" && "$cc" "${flags[@]}" -c "$name.c" -o "$name.o" 2>"$tmp/$name.warn"); then
    echo "$name: arm-none-eabi-gcc failed:" >&2; cat "$tmp/$name.warn" >&2; status=1; continue
  fi
  if [ -s "$tmp/$name.warn" ]; then cat "$tmp/$name.warn" >&2; status=1; fi
  # .ci (VCG): node: { title: "T" label: "NAME\nFILE:L:C\nN bytes (static)" }
  #            edge: { sourcename: "S" targetname: "T" ... }
  awk -v root="${name}_invoke" -v model="$name" '
    /^node:/ {
      match($0, /title: "[^"]*"/); t = substr($0, RSTART + 8, RLENGTH - 9)
      bytes[t] = 0; kind[t] = ""
      if (match($0, /[0-9]+ bytes \([a-z,]+\)/)) {
        s = substr($0, RSTART, RLENGTH); split(s, p, " ")
        bytes[t] = p[1]; kind[t] = p[3]
      }
      split(substr($0, index($0, "label: \"") + 8), l, "\\\\n"); label[t] = l[1]
    }
    /^edge:/ {
      match($0, /sourcename: "[^"]*"/); s = substr($0, RSTART + 13, RLENGTH - 14)
      match($0, /targetname: "[^"]*"/); d = substr($0, RSTART + 13, RLENGTH - 14)
      n[s]++; callee[s, n[s]] = d
    }
    function deepest(f,    i, best, c, v) {
      if (f in memo) return memo[f]
      if (onstack[f]) { cycle = cycle " " label[f]; return 0 }
      onstack[f] = 1; best = 0; bestc[f] = ""
      for (i = 1; i <= n[f]; i++) {
        c = callee[f, i]; v = deepest(c)
        if (v > best || bestc[f] == "") { best = v; bestc[f] = c }
      }
      onstack[f] = 0
      memo[f] = bytes[f] + best
      return memo[f]
    }
    END {
      if (!(root in bytes)) { printf "%s: no %s in the call graph\n", model, root; exit 1 }
      total = deepest(root)
      maxf = 0; dyn = ""
      for (t in bytes) { if (bytes[t] + 0 > maxf) maxf = bytes[t] + 0; if (kind[t] ~ /dynamic/) dyn = dyn " " label[t] }
      chain = ""; f = root
      while (f != "") { chain = chain (chain == "" ? "" : " > ") label[f] "(" bytes[f] ")"; f = bestc[f] }
      printf "%-26s %10d B %8d B  %s\n", model, total, maxf, chain
      if (cycle != "") { printf "  RECURSION:%s\n", cycle; exit 1 }
      if (dyn != "") { printf "  DYNAMIC FRAME:%s\n", dyn; exit 1 }
    }' "$out/$name.ci" || status=1
done
echo "(bound per frame: $bound bytes; -Wvla -Wstack-usage=$bound clean unless reported above)"
exit $status
