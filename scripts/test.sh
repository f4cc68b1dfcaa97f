#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (the command README.md gives and .ci/run calls).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${SINFORGE_BUILD_DIR:-build}"
bash scripts/build.sh
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
