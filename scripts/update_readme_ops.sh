#!/usr/bin/env bash
# Rewrites the README's operator table from the op registry (`tinymlc ops --markdown`).
# Usage: scripts/update_readme_ops.sh [path/to/tinymlc]   (default: build/compiler/tinymlc)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exe=${1:-$root/build/compiler/tinymlc}
cmake -DTINYMLC="$exe" -DREADME="$root/README.md" -DUPDATE=ON -P "$root/tests/e2e/check_readme_ops.cmake"
