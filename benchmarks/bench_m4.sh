#!/usr/bin/env bash
# Instructions and estimated Cortex-M4 cycles per inference of tinymlc-generated models on
# an emulated Cortex-M4 (QEMU mps2-an386, hard float), at -O2 and -Os, counted with
# ../shared/tools/qemu-cycles (the Cortex-M4 TRM timing model, zero wait states) between
# the `dbg #1` / `dbg #2` markers that examples/firmware puts around the first invoke.
# Writes a table to stdout and benchmarks/results/m4.txt, and per-layer counts (layer
# hooks executing `dbg #3` / `dbg #4`, examples/firmware/layer_marks.h) with the class
# histogram of the hottest layers to benchmarks/results/m4_layers.txt.
#
#   bash benchmarks/bench_m4.sh [--host] [MODEL.tflite ...]
#
# Models: every ../shared/models/*.tflite, or the paths given. Columns: MACs (tinymlc
# inspect), instructions and estimated cycles of one invoke, CPI, MACs per cycle, the
# ratio to the best published Cortex-M4 figure (benchmarks/published_m4.txt), arena and its lower bound
# (inspect), weights and code = text - weights of the generated model object
# (examples/firmware/size_report.cmake).
#
# --host: x86 build of the generated C (gcc -O2 and -Os), instructions of one invoke
# counted by valgrind --tool=callgrind (results/host.txt).
#
# Environment: BUILD_DIR (host build of tinymlc, default build; tinymlc is built there
# unless TINYMLC is set), TINYMLC, SHARED_DIR (default ../shared), WORK_DIR (default
# $BUILD_DIR/bench), OUT_DIR (default benchmarks/results), OPTS (default "-O2 -Os"),
# TINYMLC_OPTIONS (more `tinymlc compile` flags, e.g. "--optimize speed"; results go to
# m4_<flags>.txt), CPU (default cortex-m4; cortex-m7 / cortex-m55 select mps2-an500 / mps3-an547),
# JOBS (default 2), LAYERS=0 to skip the per-layer builds.
# Every firmware's printed outputs are compared with ../shared/golden (when it has the
# model): the benchmark fails rather than report cycles of wrong bytes.
# Skips (exit 0, "SKIPPED: ...") without ../shared, arm-none-eabi-gcc or qemu-system-arm
# (valgrind in --host mode).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
shared=${SHARED_DIR:-$root/../shared}
work=${WORK_DIR:-$build/bench}
outdir=${OUT_DIR:-$root/benchmarks/results}
opts=${OPTS:--O2 -Os}
cpu=${CPU:-cortex-m4}
jobs=${JOBS:-2}
layers=${LAYERS:-1}

mode=m4
models=()
for arg in "$@"; do
  case "$arg" in
    --host) mode=host ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    -*) echo "bench_m4: unknown option $arg" >&2; exit 2 ;;
    *) models+=("$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")") ;;
  esac
done

skip() { echo "bench_m4: SKIPPED: $*"; exit 0; }
[ -d "$shared" ] || skip "no $shared (models and the qemu-cycles plugin live there)"
if [ ${#models[@]} -eq 0 ]; then
  shopt -s nullglob
  models=("$shared"/models/*.tflite)
  shopt -u nullglob
  [ ${#models[@]} -gt 0 ] || skip "no models in $shared/models"
fi
case "$cpu" in
  cortex-m4) board=mps2-an386 ;;
  cortex-m7) board=mps2-an500 ;;
  cortex-m55) board=mps3-an547 ;;
  *) echo "bench_m4: unsupported CPU $cpu" >&2; exit 2 ;;
esac
if [ "$mode" = m4 ]; then
  command -v arm-none-eabi-gcc >/dev/null || skip "arm-none-eabi-gcc not found (Debian: gcc-arm-none-eabi libnewlib-arm-none-eabi)"
  command -v qemu-system-arm >/dev/null || skip "qemu-system-arm not found (Debian: qemu-system-arm)"
  [ -f "$shared/tools/qemu-cycles/cycles.c" ] || skip "no $shared/tools/qemu-cycles"
else
  command -v valgrind >/dev/null || skip "valgrind not found (Debian: valgrind)"
  command -v cc >/dev/null || skip "no host C compiler"
fi

if [ -z "${TINYMLC:-}" ]; then
  cmake -S "$root" -B "$build" >/dev/null
  cmake --build "$build" --target tinymlc -j "$jobs" >/dev/null
  TINYMLC=$build/compiler/tinymlc
fi
mkdir -p "$work" "$outdir"

c_name() {  # file stem made into a C identifier, as add_tinyml_model() does
  local s; s=$(basename "$1" .tflite); s=$(printf '%s' "$s" | sed 's/[^A-Za-z0-9_]/_/g')
  case "$s" in [0-9]*) s="_$s" ;; esac
  printf '%s' "$s"
}
# inspect: "      total   <macs>" and "Memory plan (arena A bytes, lower bound L bytes, weights W bytes)"
inspect_field() {
  case "$2" in
    macs) sed -n 's/^ *total  *\([0-9][0-9]*\) *$/\1/p' "$1" | head -1 ;;
    arena) sed -n 's/^Memory plan (arena \([0-9]*\) bytes.*/\1/p' "$1" ;;
    lower) sed -n 's/^Memory plan .*lower bound \([0-9]*\) bytes.*/\1/p' "$1" ;;
  esac
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$1"; }
ratio() { awk -v m="$1" -v i="$2" 'BEGIN { if (i > 0) printf "%.3f", m / i; else printf "-" }'; }

# The flags of TINYMLC_OPTIONS that change the plan (--optimize, --memory-budget, --input,
# --sparse: the forms' scratch) go to inspect too, so that the arena column is that of the
# compiled firmware.
inspect_flags=()
read -r -a _opts <<< "${TINYMLC_OPTIONS:-}"
for ((k = 0; k < ${#_opts[@]}; ++k)); do
  case "${_opts[$k]}" in
    --optimize|--memory-budget|--input|--sparse) inspect_flags+=("${_opts[$k]}" "${_opts[$((k + 1))]:-}") ;;
  esac
done
for m in "${models[@]}"; do
  n=$(c_name "$m")
  "$TINYMLC" inspect "$m" ${inspect_flags[@]+"${inspect_flags[@]}"} > "$work/$n.inspect.txt"
done

# ---------------------------------------------------------------------------------------
if [ "$mode" = host ]; then
  out=$outdir/host.txt
  cc_version=$(cc --version | head -1)
  {
    echo "# Instructions of one invoke on the host ($cc_version, valgrind callgrind)"
    echo
    printf '%-24s %-4s %12s %14s %9s\n' model opt MACs instructions MACs/insn
  } > "$out.tmp"
  for opt in $opts; do
    for m in "${models[@]}"; do
      n=$(c_name "$m")
      d=$work/host$opt/$n
      mkdir -p "$d"
      "$TINYMLC" compile "$m" -o "$d" --name "$n" >/dev/null
      cat > "$d/bench_main.c" <<EOF
#include <string.h>
#include "$n.h"
int main(void) {
  size_t i, j;
  for (i = 0; i < ${n^^}_NUM_INPUTS; ++i) {
    const tinyml_tensor_info_t *info = ${n}_input_info(i);
    unsigned char *p = (unsigned char *)${n}_input(i);
    for (j = 0; j < info->bytes; ++j) p[j] = (unsigned char)(j * 2654435761u >> 24);
  }
  return ${n}_invoke() == TINYML_OK ? 0 : 1;
}
EOF
      cc -std=c99 $opt -I"$d" "$d/bench_main.c" "$d/$n.c" -o "$d/bench" -lm
      (cd "$d" && valgrind --tool=callgrind --callgrind-out-file=callgrind.out \
         --collect-atstart=no "--toggle-collect=${n}_invoke" ./bench >/dev/null 2>"$d/valgrind.log")
      insns=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$d/callgrind.out")
      [ -n "$insns" ] || insns=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$d/callgrind.out")
      macs=$(inspect_field "$work/$n.inspect.txt" macs)
      printf '%-24s %-4s %12s %14s %9s\n' "$n" "$opt" "$macs" "$insns" "$(ratio "$macs" "$insns")" >> "$out.tmp"
    done
  done
  mv "$out.tmp" "$out"
  cat "$out"
  echo "bench_m4: wrote $out"
  exit 0
fi

# ---------------------------------------------------------------------------------------
plugin_dir=$work/qemu-cycles
mkdir -p "$plugin_dir"
plugin=$plugin_dir/cycles.so
# Built here with the Makefile's flags, not through make's VPATH: with VPATH, a cycles.so
# next to cycles.c in $shared counts as up to date and nothing lands in $plugin_dir.
if [ ! -f "$plugin" ] || [ "$shared/tools/qemu-cycles/cycles.c" -nt "$plugin" ]; then
  ${CC:-cc} -O2 -Wall -Wextra -fPIC -fvisibility=hidden -std=gnu11 -shared \
    -o "$plugin" "$shared/tools/qemu-cycles/cycles.c"
fi
model_list=$(IFS=';'; echo "${models[*]}")
published=$root/benchmarks/published_m4.txt

build_fw() {  # dir opt marks
  cmake -S "$root/examples/firmware" -B "$1" \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi.cmake" -DTINYMLC_ARM_CPU="$cpu" \
    -DTINYMLC_HOST_TINYMLC="$TINYMLC" -DTINYMLC_SHARED_DIR="$shared" \
    "-DTINYMLC_FW_MODELS=$model_list" -DTINYMLC_FW_LAYER_MARKS="$3" \
    "-DTINYMLC_FW_COMPILE_OPTIONS=${TINYMLC_OPTIONS:-}" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="$2 -DNDEBUG" >"$1.log" 2>&1 &&
  cmake --build "$1" -j "$jobs" >>"$1.log" 2>&1 || { cat "$1.log" >&2; echo "bench_m4: firmware build failed" >&2; exit 1; }
}
run_fw() {  # elf report-file [plugin args]
  local sh=$2.semihosting
  rm -f "$2" "$sh"
  if ! timeout 600 qemu-system-arm -M "$board" -nographic \
      -chardev "file,id=semihost,path=$sh" \
      -semihosting-config enable=on,target=native,chardev=semihost -kernel "$1" \
      -plugin "$plugin,outfile=$2,quiet=1${3:+,$3}" </dev/null >/dev/null 2>&1; then
    echo "bench_m4: $1 failed under QEMU:" >&2; cat "$sh" >&2 || true; return 1
  fi
}

# The outputs a firmware printed ("case <k> out <j> <hex>") against ../shared/golden/<name>
# (when it has the model): a figure from a kernel that computes the wrong bytes is no figure.
check_outputs() {  # semihosting-file model-name
  local file=$1 name=$2 g=$shared/golden/$2 line k j hex want bad=0 seen=0
  [ -d "$g" ] || return 0
  while read -r line; do
    set -- $line
    k=$2 j=$4 hex=${5:-}
    [ -f "$g/case$k/out$j.bin" ] || continue
    want=$(od -An -tx1 -v "$g/case$k/out$j.bin" | tr -d ' \n')
    seen=$((seen + 1))
    [ "$hex" = "$want" ] || { echo "bench_m4: $name case $k output $j differs from $g" >&2; bad=1; }
  done < <(grep -E '^case [0-9]+ out [0-9]+ ' "$file")
  [ "$seen" -gt 0 ] || { echo "bench_m4: $name: no outputs printed to compare with $g" >&2; bad=1; }
  return $bad
}

out=$outdir/m4.txt
lay=$outdir/m4_layers.txt
[ "$cpu" = cortex-m4 ] || { out=$outdir/$cpu.txt; lay=$outdir/${cpu}_layers.txt; }
if [ -n "${TINYMLC_OPTIONS:-}" ]; then
  tag=$(printf '%s' "$TINYMLC_OPTIONS" | sed 's/--//g; s/[^A-Za-z0-9]\{1,\}/_/g; s/^_//; s/_$//')
  out=${out%.txt}_$tag.txt
  lay=${lay%.txt}_$tag.txt
fi
gcc_version=$(arm-none-eabi-gcc -dumpversion)
header() {
  echo "# One inference on $cpu (QEMU $board, arm-none-eabi-gcc $gcc_version, -mfloat-abi=hard)${TINYMLC_OPTIONS:+, tinymlc $TINYMLC_OPTIONS}"
  echo "# instructions, cycles: qemu-cycles region of the first invoke (cycles: Cortex-M4 TRM model, zero"
  echo "# wait states; on other CPUs still the M4 model); published: best published real Cortex-M4 cycles"
  echo "# (benchmarks/published_m4.txt), ratio = cycles / published; code = text - weights (bytes)"
  echo
  printf '%-24s %-4s %10s %12s %12s %5s %9s %11s %6s %8s %8s %9s %7s\n' model opt MACs instructions \
    cycles CPI MACs/cyc published ratio arena lower weights code
}
header > "$out.tmp"
: > "$lay.tmp"
for opt in $opts; do
  dir=$work/${cpu}$opt${tag:+_$tag}
  echo "bench_m4: building $cpu $opt firmware in $dir" >&2
  build_fw "$dir" "$opt" OFF
  if [ "$layers" = 1 ]; then
    echo "bench_m4: building $cpu $opt firmware with layer markers in $dir-layers" >&2
    build_fw "$dir-layers" "$opt" ON
  fi
  for m in "${models[@]}"; do
    n=$(c_name "$m")
    run_fw "$dir/fw_$n.elf" "$dir/$n.counts"
    check_outputs "$dir/$n.counts.semihosting" "$n" || exit 1
    insns=$(awk '$1 == "cycles.region" && $2 == 0 { print $3 }' "$dir/$n.counts")
    cycles=$(awk '$1 == "cycles.region" && $2 == 0 { print $4 }' "$dir/$n.counts")
    macs=$(inspect_field "$work/$n.inspect.txt" macs)
    pub=$( [ -f "$published" ] && awk -v n="$n" '$1 == n { print $2 }' "$published" || true)
    size=$dir/size/$n.txt
    printf '%-24s %-4s %10s %12s %12s %5s %9s %11s %6s %8s %8s %9s %7s\n' "$n" "$opt" "$macs" "$insns" \
      "$cycles" "$(ratio "$cycles" "$insns")" "$(ratio "$macs" "$cycles")" "${pub:--}" \
      "$( [ -n "$pub" ] && ratio "$cycles" "$pub" || echo -)" \
      "$(inspect_field "$work/$n.inspect.txt" arena)" \
      "$(inspect_field "$work/$n.inspect.txt" lower)" "$(field "$size" weights)" \
      "$(field "$size" code)" >> "$out.tmp"
    if [ "$layers" = 1 ]; then
      run_fw "$dir-layers/fw_$n.elf" "$dir-layers/$n.counts" layer_classes=1
      src=$dir-layers/tinymlc/fw_${n}_model/$n.c
      # Layers in invoke order (op index, name from the generated C), their MACs from
      # inspect, and the plugin's spans of the first invoke (cycles.layer K: DBG #3..#4,
      # including the DBG #3 itself, hence the - 1); then the class histogram of the
      # three layers with the most cycles.
      {
        echo "## $n $opt (between the layer's dbg #3 and dbg #4)"
        echo "# ceiling: ../shared/research/m4_ceiling.md's bound for the shape, in est. cycles: CONV_2D and"
        echo "#   FULLY_CONNECTED MACs / 0.857 (3x2 block, K unrolled) + 6 per output (short exact requantization);"
        echo "#   DEPTHWISE_CONV_2D MACs / 0.42 (3x3 in int16 planes with tap pairing, requantization included);"
        echo "#   other operators none (-). vs ceil = cycles / ceiling."
        printf '%-5s %-20s %10s %12s %12s %5s %9s %9s %7s %10s %7s\n' op name MACs instructions cycles CPI MACs/insn MACs/cyc share ceiling 'vs ceil'
        awk -v insp="$work/$n.inspect.txt" -v counts="$dir-layers/$n.counts" -v total="$cycles" '
          BEGIN {
            while ((getline l < insp) > 0) {
              if (l ~ /^Operators:/) inops = 1
              else if (inops && l ~ /^ *total/) inops = 0
              else if (inops && split(l, f, " ") >= 5 && f[1] ~ /^[0-9]+$/) {
                mac[f[1]] = f[5]; outt[f[1]] = f[4]; sub(/,.*/, "", outt[f[1]])
              }
              else if (l ~ /^Tensors:/) intens = 1
              else if (intens && (l ~ /^[A-Za-z]/ || l ~ /^ *$/)) intens = 0
              else if (intens && split(l, f, " ") >= 4 && f[1] ~ /^[0-9]+$/ && f[2] ~ /^[a-z]/)
                outn[f[1]] = f[2] == "int8" ? f[4] : f[2] == "int16" ? f[4] / 2 : 0
            }
            # Spans from the marks (absolute counters, in execution order): a layer runs
            # from its dbg #3 to its dbg #4, or to the next dbg #3 where the plugin
            # reports no dbg #4 (seen after some calls; its cycles.layer list then skips
            # that layer and every later layer shifts by one; the class histograms below
            # keep the plugin numbering), or from the previous dbg #4 where no dbg #3 is
            # reported.
            nl = 0; open = 0
            while ((getline l < counts) > 0) {
              split(l, f, " ")
              if (f[1] == "cycles.mark" && (f[2] == 3 || f[2] == 4)) {
                if (open) { li[nl] = f[3] - si - 1; lc[nl] = f[4] - sc - 1; ++nl; open = 0 }
                # A dbg #4 right after a dbg #4 (the plugin missed the dbg #3 of that layer): the
                # span from the end of the previous layer, with the glue between them.
                else if (f[2] == 4 && nl > 0 && last == 4) { li[nl] = f[3] - ei - 1; lc[nl] = f[4] - ec - 1; ++nl }
                if (f[2] == 3) { open = 1; si = f[3]; sc = f[4] }
                if (f[2] == 4) { ei = f[3]; ec = f[4] }
                last = f[2]
              }
              else if (f[1] == "cycles.layer_class") { key = f[2] SUBSEP f[3]; ci[key] = f[4]; cc[key] = f[5]; cls[f[3]] = 1 }
            }
          }
          match($0, /TINYML_LAYER_BEGIN\([0-9]+, "[A-Za-z_0-9]+"\)/) {
            s = substr($0, RSTART + 19, RLENGTH - 20); gsub(/[" ]/, "", s); split(s, f, ",")
            k = i++
            if (k >= nl) next
            m = (f[1] in mac) ? mac[f[1]] : 0
            op[k] = f[1]; nm[k] = f[2]
            n_out = (f[1] in outt && outt[f[1]] in outn) ? outn[outt[f[1]]] : 0
            ceil = 0
            if (m > 0 && (f[2] == "CONV_2D" || f[2] == "FULLY_CONNECTED")) ceil = m / 0.857 + 6 * n_out
            else if (m > 0 && f[2] == "DEPTHWISE_CONV_2D") ceil = m / 0.42
            printf "%-5s %-20s %10d %12d %12d %5s %9s %9s %6.1f%% %10s %7s\n", f[1], f[2], m, li[k], lc[k],
                   (li[k] > 0 ? sprintf("%.2f", lc[k] / li[k]) : "-"),
                   (li[k] > 0 && m > 0 ? sprintf("%.3f", m / li[k]) : "-"),
                   (lc[k] > 0 && m > 0 ? sprintf("%.3f", m / lc[k]) : "-"),
                   (total > 0 ? 100 * lc[k] / total : 0),
                   (ceil > 0 ? sprintf("%d", ceil) : "-"),
                   (ceil > 0 ? sprintf("%.2f", lc[k] / ceil) : "-")
          }
          END {
            for (t = 0; t < 3; ++t) {
              best = -1
              for (k = 0; k < i && k < nl; ++k) if (!(k in done) && (best < 0 || lc[k] > lc[best])) best = k
              if (best < 0) break
              done[best] = 1
              printf "  classes of op %s %s (insns / cycles):", op[best], nm[best]
              for (c in cls) { key = best SUBSEP c; if (cc[key] > 0) printf " %s %d/%d", c, ci[key], cc[key] }
              printf "\n"
            }
          }' "$src"
        echo
      } >> "$lay.tmp"
    fi
  done
done
mv "$out.tmp" "$out"
[ "$layers" = 1 ] && mv "$lay.tmp" "$lay" || rm -f "$lay.tmp"
cat "$out"
echo "bench_m4: wrote $out${layers:+ and $lay}"
