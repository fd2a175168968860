#!/usr/bin/env bash
# The Python package's tests (ctest python_package): builds the wheel with `pip wheel .`
# (scikit-build-core and nanobind from the package index, pinned in pyproject.toml; pip's
# cache reused; the CMake build kept in build/python/ so a second run recompiles nothing),
# installs it into a FRESH virtual environment with numpy and pytest only and runs
# tests/python there; then installs the same wheel into the oracle's environment
# (scripts/oracle_env.sh: tflite-micro, TensorFlow) and runs the tests that need TFLM
# (validate). Skips the second part when that environment does not exist.
# Environment: PYTHON (default python3), ORACLE_PYTHON (default .venv-oracle/bin/python).
#
# Usage: tests/python/run_tests.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
python=${PYTHON:-python3}
venv=$build/python-venv
wheels=$build/python-wheel
oracle_python=${ORACLE_PYTHON:-$root/.venv-oracle/bin/python}
start=$SECONDS

rm -rf "$venv" "$wheels"
"$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check)
"${pip[@]}" install -q numpy==2.4.6 pytest==9.0.2
"${pip[@]}" wheel -q --no-deps -w "$wheels" "$root"
wheel=$(ls "$wheels"/tinymlc-*.whl)
"${pip[@]}" install -q --no-deps "$wheel"
echo "python_package: built and installed $(basename "$wheel") in $((SECONDS - start)) s"
cd "$build"
"$venv/bin/python" -c "import tinymlc; print('python_package: import tinymlc', tinymlc.__version__)"
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/python"

if [ -x "$oracle_python" ]; then
  opip=("$oracle_python" -m pip --disable-pip-version-check)
  "${opip[@]}" install -q pytest==9.0.2
  "${opip[@]}" install -q --no-deps --force-reinstall "$wheel"
  "$oracle_python" -m pytest -q -p no:cacheprovider -k "validate" "$root/tests/python"
else
  echo "python_package: no oracle environment ($oracle_python): the validate tests (TFLM) were skipped"
fi
echo "python_package: done in $((SECONDS - start)) s"
