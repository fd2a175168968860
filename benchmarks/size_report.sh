#!/usr/bin/env bash
# Code size of tinymlc-generated models on a Cortex-M (default: Cortex-M4, hard float),
# at -Os and -O2: builds examples/firmware for every model in ../shared/models (and the
# bundled examples/models) with the GNU Arm toolchain and writes a table of the generated
# model object's sizes (examples/firmware/size_report.cmake):
#   weights  constant tensors (bytes)
#   code     text minus weights: machine code + operator parameters + I/O descriptions
#   arena    the model's activation arena (<NAME>_ARENA_SIZE, .bss)
#   functions  the machine code alone (function symbols): code minus operator parameters
#
# Environment: BUILD_DIR (tinymlc host build, default build; tinymlc is built there if
# TINYMLC is not set), TINYMLC (host tinymlc executable), SHARED_DIR (default ../shared),
# CPU (default cortex-m4), WORK_DIR (firmware builds, default $BUILD_DIR/benchmarks),
# OUT (default benchmarks/results/size_<cpu>.md; a .csv is written beside it), JOBS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
shared=${SHARED_DIR:-$root/../shared}
cpu=${CPU:-cortex-m4}
work=${WORK_DIR:-$build/benchmarks}
out=${OUT:-$root/benchmarks/results/size_${cpu}.md}
jobs=${JOBS:-2}

command -v arm-none-eabi-gcc >/dev/null || { echo "size_report: arm-none-eabi-gcc not found" >&2; exit 1; }
if [ -z "${TINYMLC:-}" ]; then
  cmake -S "$root" -B "$build" >/dev/null
  cmake --build "$build" --target tinymlc -j "$jobs" >/dev/null
  TINYMLC=$build/compiler/tinymlc
fi
[ -d "$shared/models" ] || echo "size_report: no $shared/models: only the bundled models" >&2

opts=(-Os -O2)
for opt in "${opts[@]}"; do
  dir=$work/${cpu}${opt}
  echo "== $cpu $opt: $dir"
  cmake -S "$root/examples/firmware" -B "$dir" \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi.cmake" -DTINYMLC_ARM_CPU="$cpu" \
    -DTINYMLC_HOST_TINYMLC="$TINYMLC" -DTINYMLC_SHARED_DIR="$shared" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="$opt -DNDEBUG" >/dev/null
  if ! cmake --build "$dir" -j "$jobs" >"$dir.log" 2>&1; then
    cat "$dir.log" >&2
    exit 1
  fi
done

# size/<name>.txt: "model=<n> text=<t> data=<d> bss=<b> weights=<w> code=<c> arena=<a> functions=<f>"
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$1"; }
mkdir -p "$(dirname "$out")"
csv=${out%.md}.csv
gcc_version=$(arm-none-eabi-gcc -dumpversion)
{
  echo "# Generated model size on $cpu (arm-none-eabi-gcc $gcc_version, -mfloat-abi=hard)"
  echo
  echo "Written by benchmarks/size_report.sh. Bytes of the generated model object"
  echo "(arm-none-eabi-size): weights = constant tensors, code = text - weights (machine code,"
  echo "operator parameters such as per-channel requantization multipliers/shifts, I/O"
  echo "descriptions), functions = the machine code alone, arena = activations (.bss)."
  echo "Models from ../shared/models (and examples/models)."
  echo
  echo "| model | weights | code -Os | code -O2 | arena | functions -Os | functions -O2 | data |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} > "$out"
echo "model,weights,code_Os,code_O2,arena,functions_Os,functions_O2,text_Os,text_O2,data,bss" > "$csv"
for f in "$work/${cpu}-Os"/size/*.txt; do
  name=$(basename "$f" .txt)
  g=$work/${cpu}-O2/size/$name.txt
  w=$(field "$f" weights); a=$(field "$f" arena); d=$(field "$f" data); b=$(field "$f" bss)
  cs=$(field "$f" code); c2=$(field "$g" code); ts=$(field "$f" text); t2=$(field "$g" text)
  fs=$(field "$f" functions); f2=$(field "$g" functions)
  echo "| $name | $w | $cs | $c2 | $a | $fs | $f2 | $d |" >> "$out"
  echo "$name,$w,$cs,$c2,$a,$fs,$f2,$ts,$t2,$d,$b" >> "$csv"
done
cat "$out"
echo "size_report: wrote $out and $csv"
