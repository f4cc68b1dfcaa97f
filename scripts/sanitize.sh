#!/usr/bin/env bash
# The concurrency units under ThreadSanitizer and the same LibTorch-free units under AddressSanitizer +
# UndefinedBehaviorSanitizer (sanitizers/CMakeLists.txt says which and why LibTorch stays out). Each is its
# own small build (build-sanitize-thread/, build-sanitize-address/; ccache keeps them cheap), then its test
# binary runs with every finding fatal. CI runs this after the test suite.
#
#   scripts/sanitize.sh            both
#   scripts/sanitize.sh thread     one of: thread, address
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
kinds=("$@")
(( ${#kinds[@]} )) || kinds=(thread address)
launcher=()
if command -v ccache > /dev/null; then
  export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
for kind in "${kinds[@]}"; do
  build="$ROOT/build-sanitize-$kind"
  cmake -S sanitizers -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSINFORGE_SANITIZER="$kind" \
    "${launcher[@]}" > "$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
  cmake --build "$build" -j "$(nproc)" > "$build.build.log" 2>&1 || { tail -40 "$build.build.log"; exit 1; }
  echo "[sanitize] $kind: running $(basename "$build")/sanitized_tests"
  # halt_on_error / exitcode: a finding fails the run; second_deadlock_stack names both sides of a lock
  # inversion; detect_leaks: nothing of ours may leak.
  TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$ROOT/sanitizers/tsan.supp" \
  ASAN_OPTIONS="detect_leaks=1 abort_on_error=0 exitcode=66" \
  UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1" \
    "$build/sanitized_tests" --gtest_brief=1 2>&1 | tail -25
  status=${PIPESTATUS[0]}
  (( status == 0 )) || { echo "[sanitize] $kind: FAILED (exit $status)"; exit 1; }
  echo "[sanitize] $kind: clean"
done
