#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang-14 with AddressSanitizer and UBSan) into build-fuzz/ and runs
# each for a fixed time from its committed seed corpus and dictionary. A crash, leak or sanitizer report
# fails the script and leaves the input (crash-*, leak-*, timeout-*) in build-fuzz/findings/<target>/.
#
#   scripts/fuzz.sh                 every target, SINFORGE_FUZZ_SECONDS (default 60) each
#   scripts/fuzz.sh pickle csv      only these targets
#   SINFORGE_FUZZ_SECONDS=1800 SINFORGE_FUZZ_PARALLEL=3 nice -n 19 scripts/fuzz.sh    a campaign
#
# The corpus grows in build-fuzz/corpus/<target> (seeds copied in first), so a longer campaign continues
# where the last run stopped. Each run's exec count and coverage go to build-fuzz/logs/<target>.log, whose
# last lines docs/RELIABILITY.md quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --with-fuzz >/dev/null
BUILD_DIR="${SINFORGE_FUZZ_BUILD_DIR:-build-fuzz}"
SECONDS_EACH="${SINFORGE_FUZZ_SECONDS:-60}"
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(pickle state_dict image_decode csv tar cue_conflict_name settings style_bank preset)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSINFORGE_BUILD_FUZZERS=ON "${launcher[@]}" >"$BUILD_DIR.configure.log" 2>&1 ||
  { cat "$BUILD_DIR.configure.log"; exit 1; }
cmake --build "$BUILD_DIR" -j "${SINFORGE_FUZZ_JOBS:-2}" --target "${TARGETS[@]/#/fuzz_}"

# OpenCV, libarchive and LibTorch are not instrumented (UBSan does not see inside them); leaks are reported
# wherever they are allocated, and fuzz/lsan.supp suppresses the one proven to lie in LibTorch's zip reader.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0"
# One target: fuzz it for SECONDS_EACH from its corpus; its report is printed whole when it ends, so that
# parallel targets do not interleave.
run_target() {
  local t=$1 corpus="$BUILD_DIR/corpus/$1" findings="$BUILD_DIR/findings/$1" log="$BUILD_DIR/logs/$1.log"
  mkdir -p "$corpus" "$findings" "$BUILD_DIR/logs"
  cp -n fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  local dict=()
  [[ -f fuzz/dict/$t.dict ]] && dict=(-dict="fuzz/dict/$t.dict")
  local report
  if "$BUILD_DIR/fuzz/fuzz_$t" "$corpus" "${dict[@]}" -max_total_time="$SECONDS_EACH" -max_len=65536 \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1; then
    report="[fuzz] $t: ${SECONDS_EACH}s clean"
  else
    report="[fuzz] $t: FINDING (see $log and $findings/)"$'\n'"$(tail -40 "$log")"
    touch "$BUILD_DIR/logs/$t.finding"
  fi
  echo "$report"$'\n'"$(grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|cov:" "$log" | tail -2)"
}

# SINFORGE_FUZZ_PARALLEL targets at a time (default 1: CI's two cores also run the suites' leftovers).
PARALLEL="${SINFORGE_FUZZ_PARALLEL:-1}"
for t in "${TARGETS[@]}"; do rm -f "$BUILD_DIR/logs/$t.finding"; done
for t in "${TARGETS[@]}"; do
  while (($(jobs -rp | wc -l) >= PARALLEL)); do wait -n || true; done
  echo "[fuzz] $t: ${SECONDS_EACH}s"
  run_target "$t" &
done
wait
status=0
for t in "${TARGETS[@]}"; do [[ -e $BUILD_DIR/logs/$t.finding ]] && status=1; done
exit $status
