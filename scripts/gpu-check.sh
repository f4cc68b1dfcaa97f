#!/usr/bin/env bash
# The whole GPU check in ONE call of the run tool (issue 17): a session lent a GPU machine has 15 minutes of
# it in all, machine start included, and at most 10 minutes a call. Runs THERE, in the repository root, with
# .carry/ (scripts/prepare-gpu-carry.sh) and, for the side-by-side run, .thirdparty/stylize-datasets carried:
#
#   {"command": "bash scripts/gpu-check.sh", "carry": [".carry", ".thirdparty"], "timeout_s": 560}
#
# Stages, in order, each under its own limit so that the whole stays within 8 minutes of wall time; a stage
# that fails or runs out of time is recorded and the next one still runs where it can:
#   build    BUILD_S=200    configure and build only what the check runs (sinforge, the unit tests): Ninja,
#                           every core, a unity build (UNITY=1) over the precompiled ATen headers; kernels
#                           for every architecture LibTorch supports, as in every build (CUDA_ARCH=90
#                           narrows them)
#   tests    TESTS_S=100    the unit suite through CTest, every core (the GPU tests run here, nowhere else)
#   probe    PROBE_S=40     the crash candidates of 2026-11-24 (scripts/gpu-build-and-test.sh, probe only)
#   bench    BENCH_S=110    model, model_fused, model_autotuned, end_to_end_mixed for sin224 and full, and
#                           styles/bank_mixed, in bf16 (BENCH_PRECISION)
#   compare  COMPARE_S=100  sinforge, the batched PyTorch script and stylize-datasets on the same small data
#                           (scripts/gpu-compare.sh; IMAGES, PAINTINGS, SD_IMAGES)
# and prints one line last: `VERDICT: build ok (142 s); tests ...; probe ...; bench ...; compare ...; 431 s`.
# Every log goes to $LOG_DIR; $OUT gets 7 files (the run tool brings back 8 at most): check.txt (the stages),
# machine.txt, tests.txt, crash-probe.txt, bench.json, compare.txt and logs.tar.gz (everything).
#
# Here, without a GPU: DEVICE=cpu SKIP_BUILD=1 BUILD_DIR=build runs every stage but the build on the CPU
# with small counts (tests/scripts/run_gpu_check_cpu.sh does, in CI).
#   SKIP_BUILD=1     use BUILD_DIR as it is (a warm machine's second call, or a build made elsewhere)
#   TEST_REGEX       CTest regex for the tests stage (default: every unit test on a GPU, a few on the CPU)
#   CUDA_ARCH        the kernels' architectures, e.g. 90 (default: LibTorch's list)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
OUT=${OUT:-$ROOT/out/gpu}
LOG=${LOG_DIR:-/tmp/sinforge-gpu-check}
DEVICE=${DEVICE:-cuda}
BUILD=${BUILD_DIR:-$ROOT/build-gpu}
CARRY=${SINFORGE_CARRY_DIR:-$ROOT/.carry}
PYTHON=${PYTHON:-$(command -v python3)}
UNITY=${UNITY:-1}
BUILD_S=${BUILD_S:-200} TESTS_S=${TESTS_S:-100} PROBE_S=${PROBE_S:-40} BENCH_S=${BENCH_S:-110}
COMPARE_S=${COMPARE_S:-100}
if [ "$DEVICE" = cpu ]; then
  BENCH_PRECISION=${BENCH_PRECISION:-fp32}
  TEST_REGEX=${TEST_REGEX:-'KernelSupport|SystemInfo|kernel_architectures|DeviceMemory'}
  BENCH_ARGS=${BENCH_ARGS:---repetitions 1 --min-time 0.05 --mixed-images 4 --paintings 2 --recipes sin224}
  export IMAGES=${IMAGES:-4} PAINTINGS=${PAINTINGS:-2} SD_IMAGES=${SD_IMAGES:-2} PRECISION=fp32
else
  BENCH_PRECISION=${BENCH_PRECISION:-bf16}
  TEST_REGEX=${TEST_REGEX:-''}
  BENCH_ARGS=${BENCH_ARGS:---repetitions 1 --min-time 0.3 --mixed-images 600 --paintings 128 --recipes sin224,full}
  export IMAGES=${IMAGES:-600} PAINTINGS=${PAINTINGS:-64} SD_IMAGES=${SD_IMAGES:-40} PRECISION=$BENCH_PRECISION
fi
BENCH_FILTER='^((sin224|full)/(model|model_fused|model_autotuned|end_to_end_mixed)|styles/bank_mixed)(/|$)'
rm -rf "$LOG"
mkdir -p "$OUT" "$LOG"
export BUILD CARRY PYTHON UNITY LOG TEST_REGEX CUDA_ARCH=${CUDA_ARCH:-}
: > "$LOG/check.txt"
started=$(date +%s)
verdict=()
note() { printf '[gpu-check] %s\n' "$*" | tee -a "$LOG/check.txt"; }

# stage NAME LIMIT COMMAND...: runs it under `timeout` (a function of this script in a child bash), output
# to $LOG/NAME.txt; records ok, FAILED or TIMED OUT with its seconds. Returns the command's status.
stage() {
  local name=$1 limit=$2 t0 rc secs
  shift 2
  t0=$(date +%s)
  note "$name (limit ${limit} s)"
  if declare -F "$1" > /dev/null; then
    timeout --kill-after=10 "$limit" bash -c "$(declare -f "$1"); $1" > "$LOG/$name.txt" 2>&1
  else
    timeout --kill-after=10 "$limit" "$@" > "$LOG/$name.txt" 2>&1
  fi
  rc=$?
  secs=$(( $(date +%s) - t0 ))
  if (( rc == 0 )); then
    STAGE_RESULT="ok ($secs s)"
  elif (( rc == 124 || rc == 137 )); then
    STAGE_RESULT="TIMED OUT after $secs s"
  else
    STAGE_RESULT="FAILED (exit $rc, $secs s)"
  fi
  note "$name: $STAGE_RESULT"
  tail -5 "$LOG/$name.txt" | sed 's/^/    /' | tee -a "$LOG/check.txt"
  return $rc
}

machine() {
  nvidia-smi 2>&1 | head -15
  "$PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
  cmake --version | head -1; c++ --version | head -1; nproc
}
machine > "$LOG/machine.txt" 2>&1
note "machine: $(nvidia-smi --query-gpu=name,compute_cap,memory.total --format=csv,noheader 2>/dev/null || echo 'no GPU') ;" \
  "$(grep -m1 '^torch' "$LOG/machine.txt")"

build() {
  local arch=${CUDA_ARCH:-}  # empty: every architecture LibTorch supports, as everywhere (seconds on 16 cores)
  local gen=()
  command -v ninja > /dev/null && gen=(-G Ninja)
  cmake -S . -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DSINFORGE_PYTHON="$PYTHON" \
    -DSINFORGE_CARRY_DIR="$CARRY" -DCMAKE_UNITY_BUILD="$UNITY" -DCMAKE_UNITY_BUILD_BATCH_SIZE=4 \
    ${arch:+-DSINFORGE_CUDA_ARCHITECTURES=$arch} || return 1
  cmake --build "$BUILD" -j "$(nproc)" --target sinforge_cli sinforge_tests
}
if [ "${SKIP_BUILD:-0}" = 1 ]; then
  verdict+=("build skipped ($BUILD)")
else
  stage build "$BUILD_S" build
  verdict+=("build $STAGE_RESULT")
fi
if [ ! -x "$BUILD/sinforge" ]; then
  cp "$LOG/check.txt" "$LOG/machine.txt" "$OUT/" 2>/dev/null
  tar -czf "$OUT/logs.tar.gz" -C "$LOG" . 2>/dev/null
  echo "VERDICT: ${verdict[*]}; no $BUILD/sinforge: nothing else can run"
  exit 1
fi
status=0

tests() {
  local regex=()
  [ -n "$TEST_REGEX" ] && regex=(-R "$TEST_REGEX")
  OMP_NUM_THREADS=2 ctest --test-dir "$BUILD" -L unit "${regex[@]}" -j "$(nproc)" --timeout 60 \
    --output-on-failure --output-junit "$LOG/tests.xml"
}
stage tests "$TESTS_S" tests || status=1
summary=$(grep -E 'tests passed|tests failed' "$LOG/tests.txt" | tail -1)
skipped=$(grep -c '\*\*\*Skipped' "$LOG/tests.txt")
failed=$(sed -n '/The following tests FAILED/,$p' "$LOG/tests.txt" | grep -E '^\s+[0-9]+ - ' | sed -E 's/^\s+[0-9]+ - //' |
           head -5 | tr '\n' ',')
verdict+=("tests ${summary:-$STAGE_RESULT} ($skipped skipped)${failed:+; FAILED: $failed}")

if [ "$DEVICE" != cpu ]; then
  stage probe "$PROBE_S" env OUT="$LOG/probe" SKIP_BUILD=1 SKIP_TESTS=1 SKIP_BENCH=1 BUILD_DIR="$BUILD" \
    bash scripts/gpu-build-and-test.sh
  cp "$LOG/probe/crash-probe.txt" "$LOG/" 2>/dev/null
  crashes=$(grep -c 'exit 1[3-9][0-9]' "$LOG/crash-probe.txt" 2>/dev/null)
  verdict+=("probe: ${crashes:-?} of 7 settings crashed")
fi

# shellcheck disable=SC2086
stage bench "$BENCH_S" "$BUILD/sinforge" bench --device "$DEVICE" --precision "$BENCH_PRECISION" \
  --filter "$BENCH_FILTER" --json "$LOG/bench.json" $BENCH_ARGS || status=1
verdict+=("bench $BENCH_PRECISION $STAGE_RESULT")

stage compare "$COMPARE_S" env OUT="$LOG/compare" BUILD_DIR="$BUILD" DEVICE="$DEVICE" \
  WORK="$LOG/compare-work" bash scripts/gpu-compare.sh || status=1
cp "$LOG/compare/compare.txt" "$LOG/" 2>/dev/null
verdict+=("compare $STAGE_RESULT")

rm -rf "$LOG/compare-work"  # the data and outputs: large, and made again by the next call
note "figures: $OUT/bench.json, $OUT/compare.txt; tests: $OUT/tests.txt; every log: $OUT/logs.tar.gz"
line=$(IFS=';'; echo "VERDICT: ${verdict[*]}; $(( $(date +%s) - started )) s in all")
echo "$line" >> "$LOG/check.txt"
for f in check.txt machine.txt tests.txt crash-probe.txt bench.json compare.txt; do
  [ -f "$LOG/$f" ] && cp "$LOG/$f" "$OUT/"
done
tar -czf "$OUT/logs.tar.gz" -C "$LOG" .
echo "$line"
exit $status
