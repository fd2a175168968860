#!/bin/sh
# run_oracle_test.sh PYTHON SCRIPT [ARGS...]: runs an oracle test with the oracle
# environment's python, or skips it (exit 77, ctest's SKIP_RETURN_CODE) when that
# environment does not exist: `bash scripts/oracle_env.sh` (run by scripts/test.sh) makes it.
python=$1
shift
if [ ! -x "$python" ]; then
  echo "SKIPPED: no oracle environment at $python (run: bash scripts/oracle_env.sh)"
  exit 77
fi
TF_CPP_MIN_LOG_LEVEL=3 exec "$python" "$@"
