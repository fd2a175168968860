#!/usr/bin/env bash
# Makes the oracle's Python environment: TFLM's Python interpreter (tflite-micro), the
# TensorFlow converter and the model factory's packages, at the pinned versions of
# tests/oracle/requirements.txt, in a virtual environment (default: .venv-oracle in the
# repository; ORACLE_VENV overrides it). Only the tests under tests/oracle use it:
# tinymlc itself never depends on Python.
#
# Reuses pip's cache; when the environment already holds exactly the pinned versions
# (checked against a stamp of the requirements files) it installs nothing.
# Prints what it did, and the environment's python on its last line.
#
# Usage: scripts/oracle_env.sh [--int4]   (--int4: also ai-edge-quantizer for int4 weights)
# Environment: ORACLE_VENV, PYTHON (default: python3).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${ORACLE_VENV:-$root/.venv-oracle}
python=${PYTHON:-python3}
req=$root/tests/oracle/requirements.txt
req_nodeps=$root/tests/oracle/requirements-nodeps.txt
req_int4=$root/tests/oracle/requirements-int4.txt
int4=0
[ "${1:-}" = "--int4" ] && int4=1
start=$SECONDS

reqs=("$req" "$req_nodeps")
[ $int4 -eq 1 ] && reqs+=("$req_int4")
# The stamp holds one line per requirement set installed (without and with --int4).
stamp_base=$(cat "$req" "$req_nodeps" | sha256sum | cut -c1-16)
stamp_want=$(cat "${reqs[@]}" | sha256sum | cut -c1-16)
stamp_file=$venv/.tinymlc-oracle-stamp
if [ -x "$venv/bin/python" ] && [ -f "$stamp_file" ] && grep -qx "$stamp_want" "$stamp_file"; then
  echo "oracle_env: $venv up to date (nothing installed)" >&2
  echo "$venv/bin/python"
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -m venv "$venv" >&2; then
    # Debian's python3 needs python3-venv for ensurepip.
    rm -rf "$venv"
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
      echo "oracle_env: installing python3-venv" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-venv >&2 ||
        { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends python3-venv >&2; }
      "$python" -m venv "$venv" >&2
    else
      echo "oracle_env: '$python -m venv' failed (on Debian: apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
  echo "oracle_env: created $venv ($("$venv/bin/python" --version 2>&1))" >&2
fi

pip=("$venv/bin/python" -m pip --disable-pip-version-check)
echo "oracle_env: installing $(grep -cv '^\s*#' "$req") pinned packages" >&2
"${pip[@]}" install -q -r "$req" >&2
# tflite-micro's and tf_keras's wheels require the full `tensorflow`; tensorflow-cpu
# provides it (installing it too would download a second 600 MB copy).
"${pip[@]}" install -q --no-deps -r "$req_nodeps" >&2
if [ $int4 -eq 1 ]; then
  "${pip[@]}" install -q -r "$req_int4" -c "$req" >&2
fi
TF_CPP_MIN_LOG_LEVEL=2 "$venv/bin/python" - >&2 <<'EOF'
import tflite_micro, tensorflow as tf, numpy, tf_keras
print("oracle_env: imports ok: tensorflow", tf.__version__, "numpy", numpy.__version__,
      "tf_keras", tf_keras.__version__)
EOF
printf '%s\n%s\n' "$stamp_base" "$stamp_want" | sort -u > "$stamp_file"
echo "oracle_env: $venv ready in $((SECONDS - start)) s" >&2
echo "$venv/bin/python"
