#!/usr/bin/env bash
# Runs THERE, on the lent GPU machine, in the repository root, with .carry/ carried beside the tree
# (scripts/prepare-gpu-carry.sh made it; docs/GPU.md has the run tool's invocation). In one call of at most
# 10 minutes: configure with the machine's own PyTorch (LibTorch inside its Python) and the carried folder,
# build, run the WHOLE test suite, run `sinforge bench`, and print a one-line verdict last. Logs and figures
# go under $OUT (default: out/gpu). When a test binary or the bench dies on a signal, the crash is run
# again under cuda-gdb for a backtrace, and the CPU-convolution crash seen on 2026-11-24 is probed under
# the candidate causes (crash-probe.txt).
#   BUILD_TYPE   CMake build type (default RelWithDebInfo: -O2 with symbols, so a crash has a backtrace)
#   BENCH_ARGS   flags for sinforge bench (default: every recipe, one repetition, 500 mixed images,
#                256 paintings: about three minutes)
#   TEST_FILTER  CTest regex on test names (default '*': every test)
#   PRECISIONS   which precisions to bench (default: "bf16 fp32")
#   SKIP_BUILD=1, SKIP_TESTS=1, SKIP_BENCH=1, SKIP_PROBE=1   leave a step out (SKIP_BUILD: a second call
#                while the machine is warm, or a build made elsewhere: BUILD_DIR names it)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
OUT=${OUT:-$ROOT/out/gpu}
CARRY=${SINFORGE_CARRY_DIR:-$ROOT/.carry}
BUILD=${BUILD_DIR:-$ROOT/build-gpu}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
PYTHON=${PYTHON:-$(command -v python3)}
TEST_FILTER=${TEST_FILTER:-'*'}
BENCH_ARGS=${BENCH_ARGS:---repetitions 1 --min-time 0.5 --mixed-images 500 --paintings 256}
mkdir -p "$OUT"
log() { printf '[gpu] %s\n' "$*" | tee -a "$OUT/steps.txt"; }
verdict=()

# A signal death (exit status above 128) is a crash: run the same command under cuda-gdb for a backtrace.
backtrace_of() {  # name, command...
  local name=$1
  shift
  command -v cuda-gdb > /dev/null || return 0
  timeout 300 cuda-gdb -batch -ex run -ex bt -ex 'info threads' -ex 'thread apply all bt 8' \
    -ex 'info sharedlibrary' --args "$@" > "$OUT/backtrace-$name.txt" 2>&1
  log "backtrace of $name: $OUT/backtrace-$name.txt"
  grep -m 20 -E '^#[0-9]+ ' "$OUT/backtrace-$name.txt" | tee -a "$OUT/steps.txt"
}

{ nvidia-smi; nvcc --version; cmake --version; c++ --version; "$PYTHON" -c 'import torch; print("torch", torch.__version__, torch.version.cuda)'
  grep -m1 'model name' /proc/cpuinfo; grep -m1 '^flags' /proc/cpuinfo; uname -a; } > "$OUT/machine.txt" 2>&1
log "machine: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null)"

GEN=()
command -v ninja > /dev/null && GEN=(-G Ninja)
if [ "${SKIP_BUILD:-0}" = 1 ]; then
  log "build skipped: using $BUILD as it is"
else
log "configure ($BUILD_TYPE; torch from $PYTHON, carried folder $CARRY)"
if ! cmake -S . -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DSINFORGE_PYTHON="$PYTHON" \
     -DSINFORGE_CARRY_DIR="$CARRY" > "$OUT/configure.txt" 2>&1; then
  log "configure FAILED"; tail -40 "$OUT/configure.txt"; echo "VERDICT: configure FAILED"; exit 1
fi
log "build"
if ! cmake --build "$BUILD" -j "$(nproc)" > "$OUT/build.txt" 2>&1; then
  log "build FAILED"; grep -E "error|FAILED" "$OUT/build.txt" | head -40; echo "VERDICT: build FAILED"; exit 1
fi
fi
verdict+=("build ok")
CUOBJDUMP=$(command -v cuobjdump || true)
if [ -n "$CUOBJDUMP" ]; then
  "$CUOBJDUMP" --list-elf --list-ptx "$BUILD"/kernels/CMakeFiles/sinforge_kernels.dir/*.o > "$OUT/kernel-targets.txt" 2>&1
fi
# Which OpenMP runtimes and C++ libraries the programs load: two OpenMP runtimes in one process is a
# candidate cause of the crashes (issue 9).
for bin in "$BUILD/sinforge" "$BUILD/tests/sinforge_tests" "$BUILD/tests/sinforge_cli_tests"; do
  echo "== $bin"; ldd "$bin" | grep -E 'omp|stdc\+\+|torch_cpu|c10\.so|gcc_s'
done > "$OUT/ldd.txt" 2>&1

status=0
if [ "${SKIP_TESTS:-0}" != 1 ]; then
  # Every test in its own process (CTest), all cores: a crash costs one test, not the rest of the suite.
  log "tests (ctest -j $(nproc), filter '$TEST_FILTER')"
  regex=()
  [ "$TEST_FILTER" != '*' ] && regex=(-R "$TEST_FILTER")
  OMP_NUM_THREADS=4 timeout 420 ctest --test-dir "$BUILD" -j "$(nproc)" --timeout 300 "${regex[@]}" \
    --output-on-failure --output-junit "$OUT/tests.xml" > "$OUT/tests.txt" 2>&1
  test_status=$?
  summary=$(grep -E 'tests passed|tests failed' "$OUT/tests.txt" | tail -1)
  failed=$(sed -n '/The following tests FAILED/,$p' "$OUT/tests.txt" | grep -E '^\s+[0-9]+ - ' |
             sed -E 's/^\s+[0-9]+ - //' | tr '\n' ';')
  skipped=$(grep -c 'Skipped\|Not Run' "$OUT/tests.txt")
  tail -40 "$OUT/tests.txt" | tee -a "$OUT/steps.txt"
  if (( test_status != 0 )); then
    verdict+=("tests: ${summary:-exit $test_status}; FAILED: ${failed:-see tests.txt}")
    status=1
    # A crashed test again, alone, under cuda-gdb.
    crashed=$(sed -n '/The following tests FAILED/,$p' "$OUT/tests.txt" | grep -m1 -E 'SEGFAULT|Exception|Child aborted' |
                sed -E 's/^\s+[0-9]+ - ([^ ]+).*/\1/')
    if [ -n "$crashed" ]; then  # the unit or the CLI binary, whichever lists it
      tests_bin="$BUILD/tests/sinforge_tests"
      "$tests_bin" --gtest_list_tests --gtest_filter="$crashed" 2>/dev/null | grep -q '^  ' ||
        tests_bin="$BUILD/tests/sinforge_cli_tests"
      backtrace_of tests "$tests_bin" --gtest_filter="$crashed"
    fi
  else
    verdict+=("tests: $summary ($skipped skipped)")
  fi
fi

# The crash candidates, each in a fresh process on the first CPU convolution of the suite: mixed OpenMP
# runtimes or threads (OMP_NUM_THREADS=1), CPU kernels dispatched to instructions the VM does not enable
# (ATEN_CPU_CAPABILITY, ONEDNN_MAX_CPU_ISA), and plain PyTorch in Python on the same machine.
if [ "${SKIP_PROBE:-0}" != 1 ]; then
  probe() {  # label, env assignments...
    local label=$1
    shift
    env "$@" timeout 120 "$BUILD/tests/sinforge_tests" --gtest_filter='Network.FoldedInputConvEqualsTheUnfoldedOne' \
      > /dev/null 2>&1
    printf '%-40s exit %s\n' "$label" "$?"
  }
  {
    probe "default (OMP_NUM_THREADS=8)" OMP_NUM_THREADS=8
    probe "OMP_NUM_THREADS=1" OMP_NUM_THREADS=1
    probe "ATEN_CPU_CAPABILITY=default" ATEN_CPU_CAPABILITY=default
    probe "ATEN_CPU_CAPABILITY=avx2" ATEN_CPU_CAPABILITY=avx2
    probe "ONEDNN_MAX_CPU_ISA=AVX2" ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2
    probe "ONEDNN_MAX_CPU_ISA=AVX512_CORE" ONEDNN_MAX_CPU_ISA=AVX512_CORE DNNL_MAX_CPU_ISA=AVX512_CORE
    timeout 120 "$PYTHON" -c 'import torch; torch.nn.functional.conv2d(torch.randn(2,64,64,64), torch.randn(64,64,3,3)); print("ok")' > /dev/null 2>&1
    printf '%-40s exit %s\n' "python3 torch CPU conv2d" "$?"
  } > "$OUT/crash-probe.txt" 2>&1
  log "crash probe (exit 0 = no crash; 139 = SIGSEGV):"
  tee -a "$OUT/steps.txt" < "$OUT/crash-probe.txt"
fi

[ "${SKIP_BENCH:-0}" = 1 ] && PRECISIONS=""
for precision in ${PRECISIONS-bf16 fp32}; do
  log "bench $precision ($BENCH_ARGS)"
  # shellcheck disable=SC2086
  timeout 400 "$BUILD/sinforge" bench --device cuda --precision "$precision" --json "$OUT/bench-$precision.json" \
    $BENCH_ARGS > "$OUT/bench-$precision.txt" 2>&1
  bench_status=$?
  tail -60 "$OUT/bench-$precision.txt"
  if (( bench_status > 128 )); then
    verdict+=("bench $precision CRASHED (signal $((bench_status - 128)))")
    # shellcheck disable=SC2086
    backtrace_of "bench-$precision" "$BUILD/sinforge" bench --device cuda --precision "$precision" $BENCH_ARGS
    status=1
  elif (( bench_status != 0 )); then
    verdict+=("bench $precision FAILED (exit $bench_status)")
    status=1
  else
    verdict+=("bench $precision ok")
  fi
done
log "done (status $status); results in $OUT"
(IFS=';'; echo "VERDICT: ${verdict[*]}")
exit $status
