#!/usr/bin/env bash
# From a fresh Debian 12 machine to a model running on the host:
#   1. installs the packages (scripts/install_deps.sh),
#   2. builds tinymlc,
#   3. compiles examples/models/example_sine.tflite into C (build/example/sine.{c,h}),
#   4. builds examples/host_demo/main.c with the generated files and runs it.
# Environment: BUILD_DIR (default: build), MODEL (default: the sine example).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}
model=${MODEL:-examples/models/example_sine.tflite}
out=$build/example

bash scripts/install_deps.sh

if [ ! -f "$model" ]; then
  echo "quickstart: no example model at $model (expected in examples/models/)" >&2
  exit 1
fi

echo "== building tinymlc"
cmake -S . -B "$build" >/dev/null
cmake --build "$build" -j 2 --target tinymlc
tinymlc=$build/compiler/tinymlc

echo "== $tinymlc compile $model -o $out --name sine"
rm -rf "$out"
"$tinymlc" compile "$model" -o "$out" --name sine
ls -l "$out"

echo "== building the host demo (gcc -Werror)"
gcc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I "$out" \
    examples/host_demo/main.c "$out/sine.c" -o "$out/host_demo" -lm

echo "== $out/host_demo"
"$out/host_demo"
