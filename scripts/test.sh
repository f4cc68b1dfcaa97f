#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (the command README.md gives and .ci/run calls).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${SINFORGE_BUILD_DIR:-build}"
bash scripts/build.sh
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
# The Python package as a user installs it (pip install --no-build-isolation ., README.md), into a folder of
# its own here; its build shares the objects above through ccache. Then its tests (python/tests).
PY="$(bash scripts/install-deps.sh --print-venv)/bin/python"
echo "[test] the Python package: pip install --no-build-isolation ., then pytest python/tests"
if command -v ccache > /dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  export CMAKE_ARGS="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache"
fi
rm -rf "$BUILD_DIR/pip-installed"
"$PY" -m pip install -q --no-build-isolation --no-deps --target "$BUILD_DIR/pip-installed" . > "$BUILD_DIR.pip.log" 2>&1 ||
  { tail -40 "$BUILD_DIR.pip.log"; exit 1; }
(cd "$BUILD_DIR" && PYTHONPATH="$PWD/pip-installed" SINFORGE_CLI="$PWD/sinforge" \
  "$PY" -m pytest -q -p no:cacheprovider "$OLDPWD/python/tests")
