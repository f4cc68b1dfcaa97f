#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (the command README.md gives and .ci/run calls).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${SINFORGE_BUILD_DIR:-build}"
bash scripts/build.sh
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
# The Python package (python/tests), on the module the build made (build/python/sinforge).
echo "[test] the Python package: pytest python/tests"
PYTHONPATH="$BUILD_DIR/python" SINFORGE_CLI="$BUILD_DIR/sinforge" OMP_NUM_THREADS="$(nproc)" \
  "$(bash scripts/install-deps.sh --print-venv)/bin/python" -m pytest -q -p no:cacheprovider python/tests
