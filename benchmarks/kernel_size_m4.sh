#!/usr/bin/env bash
# Code bytes and deepest stack frame of every kernel template compiled alone for the
# Cortex-M4 (arm-none-eabi-gcc -Os, hard float, every TML_OPT path on): the table behind
# the code and stack totals of `tinymlc report` / `inspect --json` (KernelFootprintM4() in
# compiler/src/report.cc). Code = text of the template alone minus the text of the
# templates it includes. Writes benchmarks/results/kernel_size_m4.txt.
#
#   bash benchmarks/kernel_size_m4.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=(arm-none-eabi-gcc -std=c99 -Os -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
    -ffunction-sections -I "$root/templates/kernels")
out=$root/benchmarks/results/kernel_size_m4.txt
{
  echo "# Kernel templates alone on cortex-m4 ($(arm-none-eabi-gcc -dumpversion), -Os, every path on)"
  echo "# code: text bytes minus those of the templates it includes; stack: deepest frame"
  printf '%-32s %6s %6s\n' template code stack
  for f in "$root"/templates/kernels/*.h; do
    name=$(basename "$f")
    printf '#define TML_KERNEL\n#include "%s"\n' "$name" > "$work/one.c"
    printf '#define TML_KERNEL\n' > "$work/inc.c"
    grep '^#include "' "$f" | sed 's/#include "\(.*\)"/#include "\1"/' >> "$work/inc.c" || true
    "${cc[@]}" -fstack-usage -c "$work/one.c" -o "$work/one.o"
    "${cc[@]}" -c "$work/inc.c" -o "$work/inc.o"
    text=$(arm-none-eabi-size "$work/one.o" | awk 'NR==2{print $1}')
    base=$(arm-none-eabi-size "$work/inc.o" | awk 'NR==2{print $1}')
    stack=$(awk -F'\t' '{ if ($2 + 0 > m) m = $2 + 0 } END { print m + 0 }' "$work/one.su")
    printf '%-32s %6d %6d\n' "$name" $((text - base)) "$stack"
  done
} > "$out"
cat "$out"
