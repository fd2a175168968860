#!/usr/bin/env bash
# Flash of two models in one Cortex-M4 firmware, each compiled alone (its kernels inlined
# in NAME.c) against both compiled together (`tinymlc compile a.tflite b.tflite`: the
# kernels once, in tinyml_kernels.c). A minimal program invoking both with one external
# arena, arm-none-eabi-gcc -Os, -ffunction-sections -fdata-sections, --gc-sections;
# flash = text + data of the ELF. Writes benchmarks/results/shared_kernels_m4.txt.
#
#   bash benchmarks/shared_kernels_m4.sh
#
# Environment: TINYMLC (default build/compiler/tinymlc), SHARED_DIR (default ../shared).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tinymlc=${TINYMLC:-$root/build/compiler/tinymlc}
models=${SHARED_DIR:-$root/../shared}/models
if [ ! -d "$models" ] || ! command -v arm-none-eabi-gcc >/dev/null; then
  echo "SKIPPED: no $models or no arm-none-eabi-gcc"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=(arm-none-eabi-gcc -std=c99 -Os -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
    -ffunction-sections -fdata-sections -Wall -Wextra -Werror)
out=$root/benchmarks/results/shared_kernels_m4.txt
pairs=("kws_ref_model micro_speech_quantized" "kws_ref_model vww_96_int8"
       "kws_ref_model pretrainedResnet_quant" "vww_96_int8 pretrainedResnet_quant"
       "ad01_int8 kws_ref_model")
{
  echo "# Two models in one cortex-m4 firmware ($(arm-none-eabi-gcc -dumpversion), -Os, --gc-sections):"
  echo "# flash (text + data) with each model compiled alone and with both compiled together"
  echo "# (kernels once in tinyml_kernels.c); a program that only invokes both"
  printf '%-24s %-24s %9s %9s %7s\n' model_a model_b alone shared saved
  for p in "${pairs[@]}"; do
    read -r a b <<< "$p"
    rm -rf "$work/alone" "$work/shared"
    "$tinymlc" compile "$models/$a.tflite" -o "$work/alone" --name ma --arena external > /dev/null
    "$tinymlc" compile "$models/$b.tflite" -o "$work/alone" --name mb --arena external > /dev/null
    "$tinymlc" compile "$models/$a.tflite" "$models/$b.tflite" -o "$work/shared" --name ma,mb \
        --arena external > /dev/null
    printf '#include "ma.h"\n#include "mb.h"\nstatic unsigned char arena[1 << 20] __attribute__((aligned(16)));\nint main(void) {\n  (void)ma_set_arena(arena, sizeof arena);\n  (void)mb_set_arena(arena, sizeof arena);\n  return (int)ma_invoke() + (int)mb_invoke();\n}\n' > "$work/main.c"
    for v in alone shared; do
      "${cc[@]}" -I "$work/$v" "$work/main.c" "$work/$v"/*.c -Wl,--gc-sections --specs=nosys.specs \
          -o "$work/$v.elf" 2> "$work/$v.log" || { cat "$work/$v.log"; exit 1; }
    done
    fa=$(arm-none-eabi-size "$work/alone.elf" | awk 'NR==2{print $1 + $2}')
    fs=$(arm-none-eabi-size "$work/shared.elf" | awk 'NR==2{print $1 + $2}')
    printf '%-24s %-24s %9d %9d %7d\n' "$a" "$b" "$fa" "$fs" $((fa - fs))
  done
  # The QEMU test's programs (kws + vww alternately, golden data, bit-exact), if built.
  test_line=$root/build/tests/firmware/features/shared_kernels_flash.txt
  if [ -f "$test_line" ]; then
    echo "# firmware_features_shared_kernels (kws_ref_model + vww_96_int8 with their golden cases):"
    echo "# $(cat "$test_line")"
  fi
} > "$out"
cat "$out"
