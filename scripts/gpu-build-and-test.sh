#!/usr/bin/env bash
# Runs THERE, on the lent GPU machine, in the repository root, with .carry/ carried beside the tree
# (scripts/prepare-gpu-carry.sh made it; docs/GPU.md has the run tool's invocation). In one step:
# configure with the machine's own PyTorch (LibTorch inside its Python) and the carried folder, build, run
# the GPU tests and `sinforge bench`, and leave logs and figures under $OUT (default: out/gpu).
#   BENCH_ARGS   extra flags for sinforge bench (e.g. "--recipes sin224 --repetitions 5")
#   TEST_FILTER  GoogleTest filter (default: the GPU-related suites)
#   SKIP_TESTS=1, SKIP_BENCH=1   leave a step out (a call is limited to 10 minutes; the build folder stays on
#                the machine between calls while it is warm, so a second call goes straight to the rest)
#   PRECISIONS   which precisions to bench (default: "fp32 fp16 bf16")
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
OUT=${OUT:-$ROOT/out/gpu}
CARRY=${SINFORGE_CARRY_DIR:-$ROOT/.carry}
BUILD=${BUILD_DIR:-$ROOT/build-gpu}
PYTHON=${PYTHON:-$(command -v python3)}
TEST_FILTER=${TEST_FILTER:-'AdainCuda*:GpuPipeline*:TensorImage*:Network*:Adain*'}
mkdir -p "$OUT"
log() { printf '[gpu] %s\n' "$*" | tee -a "$OUT/steps.txt"; }

{ nvidia-smi; nvcc --version; cmake --version; "$PYTHON" -c 'import torch; print("torch", torch.__version__, torch.version.cuda)'; } \
  > "$OUT/machine.txt" 2>&1
log "machine: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null)"

GEN=()
command -v ninja > /dev/null && GEN=(-G Ninja)
log "configure (torch from $PYTHON, carried folder $CARRY)"
if ! cmake -S . -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release -DSINFORGE_PYTHON="$PYTHON" \
     -DSINFORGE_CARRY_DIR="$CARRY" > "$OUT/configure.txt" 2>&1; then
  log "configure FAILED"; tail -40 "$OUT/configure.txt"; exit 1
fi
log "build"
if ! cmake --build "$BUILD" -j "$(nproc)" > "$OUT/build.txt" 2>&1; then
  log "build FAILED"; grep -E "error|FAILED" "$OUT/build.txt" | head -40; exit 1
fi
CUOBJDUMP=$(command -v cuobjdump || true)
if [ -n "$CUOBJDUMP" ]; then
  "$CUOBJDUMP" --list-elf --list-ptx "$BUILD"/kernels/CMakeFiles/sinforge_kernels.dir/*.o > "$OUT/kernel-targets.txt" 2>&1
fi

status=0
if [ "${SKIP_TESTS:-0}" != 1 ]; then
  log "GPU tests ($TEST_FILTER)"
  OMP_NUM_THREADS=8 "$BUILD/tests/sinforge_tests" --gtest_filter="$TEST_FILTER" \
    --gtest_output="json:$OUT/tests.json" > "$OUT/tests.txt" 2>&1
  status=$?
  grep -E "^\[  (PASSED|FAILED|SKIPPED) |^\[==========\]|Failure" "$OUT/tests.txt" | tee -a "$OUT/steps.txt"
fi

[ "${SKIP_BENCH:-0}" = 1 ] && PRECISIONS=""
for precision in ${PRECISIONS-fp32 fp16 bf16}; do
  log "bench $precision"
  # shellcheck disable=SC2086
  "$BUILD/sinforge" bench --device cuda --precision "$precision" --json "$OUT/bench-$precision.json" \
    ${BENCH_ARGS:-} > "$OUT/bench-$precision.txt" 2>&1 || status=1
  tail -n +1 "$OUT/bench-$precision.txt" | tail -40
done
log "done (status $status); results in $OUT"
exit $status
