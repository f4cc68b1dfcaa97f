#!/usr/bin/env bash
# Uses every GPU of one machine for one run: starts one `sinforge run --shard i/N --device cuda:i` per GPU,
# all writing into the same --out, and waits for them. Run the same command again after a stop to resume.
#
#   scripts/launch-multi-gpu.sh --content DIR --styles DIR --out DIR [other `sinforge run` flags]
#
# SINFORGE_BIN        the program (default: build/sinforge)
# SINFORGE_GPU_COUNT  how many GPUs to use (default: as many as `nvidia-smi -L` lists)
# SINFORGE_FAKE_GPUS  test seam: N workers on the CPU (--device cpu), for machines without GPUs
#
# SIGINT and SIGTERM are passed on to every worker, which stop cleanly (README.md, "Stopping"). Exit status:
# 0 when every worker succeeded, else the first non-zero status among them (in shard order).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${SINFORGE_BIN:-build/sinforge}"

device_of() { echo "cuda:$1"; }
if [[ -n "${SINFORGE_FAKE_GPUS:-}" ]]; then
  count="$SINFORGE_FAKE_GPUS"
  device_of() { echo "cpu"; }
elif [[ -n "${SINFORGE_GPU_COUNT:-}" ]]; then
  count="$SINFORGE_GPU_COUNT"
else
  count=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ' || true)
fi
if ! [[ "$count" =~ ^[1-9][0-9]*$ ]]; then
  echo "[launch-multi-gpu] no GPU found (nvidia-smi -L); set SINFORGE_GPU_COUNT" >&2
  exit 2
fi

pids=()
for ((i = 0; i < count; i++)); do
  "$BIN" run "$@" --shard "$i/$count" --device "$(device_of "$i")" &
  pids+=("$!")
done
echo "[launch-multi-gpu] started $count workers: ${pids[*]}" >&2
forward() { kill -s "$1" "${pids[@]}" 2>/dev/null; }
trap 'forward TERM' TERM
trap 'forward INT' INT

status=0
for pid in "${pids[@]}"; do
  # wait returns early (> 128) when a trapped signal arrives: wait again until the worker has exited.
  while true; do
    wait "$pid"
    rc=$?
    kill -0 "$pid" 2>/dev/null || break
  done
  (( status == 0 && rc != 0 )) && status=$rc
done
exit "$status"
