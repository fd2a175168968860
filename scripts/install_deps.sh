#!/usr/bin/env bash
# Installs the Debian 12 packages that tinymlc needs to build and test, skipping apt
# entirely when they are all present. Needs root (or sudo) only if something is missing.
# Usage: scripts/install_deps.sh [--fuzz]
set -euo pipefail

# make: only a "Recommends" of cmake, which --no-install-recommends leaves out. python3 and
# chromium: the report test (tests/report/check_report.py renders `tinymlc report` headless).
# python3-venv and python3-dev: the Python package (`pip install .` into a venv builds an
# extension module against Python's headers; tests/python/run_tests.sh).
# libclang-rt-14-dev: clang's sanitizer runtimes, which the generated-C sanitizer tests
# (tests/generated_c/sanitize_test.cc, clang -fsanitize=address,undefined) link, and
# libFuzzer for -DTINYMLC_FUZZ=ON (scripts/fuzz.sh, the bounded fuzz job of .ci/run).
packages=(cmake make g++ clang libclang-rt-14-dev libflatbuffers-dev flatbuffers-compiler
          libfmt-dev libcli11-dev libgtest-dev gcc-arm-none-eabi libnewlib-arm-none-eabi
          qemu-system-arm python3 python3-venv python3-dev chromium)
# --fuzz: nothing more today (kept so that callers need not change).

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install_deps: not a Debian system; install these yourself: ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install_deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install_deps: missing packages; run as root, or install sudo" >&2
    exit 1
  fi
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
