#!/usr/bin/env bash
# A real Slurm cluster in CI: starts munged, slurmctld and slurmd on localhost, configured entirely inside a
# temporary folder, submits a 3-task array job running `sinforge run --shard auto`, and checks that the
# merged output equals a one-process run (same files, same bytes), each output recorded once.
#
#   tests/slurm/run_slurm_test.sh SINFORGE_BIN PYTHON
#
# Exit status: 0 passed, 1 failed, 77 skipped (CTest's SKIP_RETURN_CODE): Slurm cannot be installed, or its
# daemons cannot start here (the reason and the daemon's log are printed). Every daemon started is stopped
# on exit.
set -uo pipefail
SKIP=77
BIN=$(realpath "$1")
PYTHON="$2"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/sinforge-slurm.XXXXXX)
chmod 755 "$T"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$T"
}
trap cleanup EXIT

skip() {
  echo "[slurm-test] SKIPPED: $1"
  [[ -n "${2:-}" && -f "$2" ]] && tail -n 20 "$2"
  exit "$SKIP"
}
fail() {
  echo "[slurm-test] FAILED: $1"
  exit 1
}

# 1. The packages, from the project's own installer.
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then skip "slurm-wlm/munge not installed and not root to install them"; fi
  bash "$SRC/scripts/install-deps.sh" --with-slurm >"$T/install.log" 2>&1 ||
    skip "scripts/install-deps.sh --with-slurm failed (no package registry?)" "$T/install.log"
fi
[[ $(id -u) -eq 0 ]] || skip "the single-node cluster runs its daemons as root (SlurmUser=root)"

# 2. munge, with a key and socket of our own.
mkdir -p "$T/munge" "$T/state" "$T/spool" "$T/log"
chmod 700 "$T/munge"
mungekey --create --keyfile="$T/munge/munge.key" >/dev/null 2>&1 ||
  dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$T/munge/munge.key"
munged --force --foreground --key-file="$T/munge/munge.key" --socket="$T/munge/munge.socket" \
  --pid-file="$T/munge/munged.pid" --seed-file="$T/munge/munge.seed" --log-file="$T/log/munged.log" \
  >"$T/log/munged.out" 2>&1 &
PIDS+=("$!")
for _ in $(seq 50); do [[ -S "$T/munge/munge.socket" ]] && break; sleep 0.1; done
[[ -S "$T/munge/munge.socket" ]] || skip "munged did not start" "$T/log/munged.out"

# 3. slurm.conf: one node (this machine), ports picked at random to stay clear of anything else.
port=$((20000 + RANDOM % 20000))
cat >"$T/slurm.conf" <<CONF
ClusterName=sinforge-ci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SlurmdTimeout=60
NodeName=localhost CPUs=2 State=UNKNOWN
PartitionName=ci Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
# Debian's slurmd reads cgroup.conf beside slurm.conf; none of the cgroup plugins is in use.
echo "CgroupPlugin=autodetect" >"$T/cgroup.conf"
export SLURM_CONF="$T/slurm.conf"

slurmctld -D -i -f "$SLURM_CONF" >"$T/log/slurmctld.out" 2>&1 &
PIDS+=("$!")
slurmd -D -N localhost -f "$SLURM_CONF" >"$T/log/slurmd.out" 2>&1 &
PIDS+=("$!")
up=0
for _ in $(seq 100); do
  if sinfo -h -N -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then up=1; break; fi
  kill -0 "${PIDS[1]}" 2>/dev/null || skip "slurmctld exited at start" "$T/log/slurmctld.log"
  kill -0 "${PIDS[2]}" 2>/dev/null || skip "slurmd exited at start" "$T/log/slurmd.log"
  sleep 0.2
done
((up)) || skip "the node never became idle: $(sinfo -h -N -o '%T %E' 2>&1)" "$T/log/slurmd.log"
echo "[slurm-test] cluster up: $(sinfo -h -N -o '%N %T %c CPUs')"

# 4. The data: sample images, random weights, and a one-process run to compare with.
"$PYTHON" "$SRC/tests/reference/write_demo_weights.py" "$T/weights" >/dev/null || fail "cannot write weights"
FLAGS=(--content "$SRC/samples/content" --styles "$SRC/samples/styles" --content-size 32 --style-size 32
  --num-styles 2 --threads 1 --device cpu --vgg "$T/weights/vgg_normalised.pth"
  --decoder "$T/weights/decoder.pth" --log-level warn)
"$BIN" run "${FLAGS[@]}" --out "$T/single" || fail "the one-process run failed"

# 5. The array job: three tasks, each one shard, all into one folder.
cat >"$T/job.sh" <<JOB
#!/bin/bash
exec "$BIN" run ${FLAGS[*]} --out "$T/array" --shard auto
JOB
chmod +x "$T/job.sh"
timeout 300 sbatch --wait --array=0-2 --cpus-per-task=1 --output="$T/log/task-%a.out" \
  --chdir="$T" "$T/job.sh" || {
  cat "$T"/log/task-*.out 2>/dev/null
  tail -n 30 "$T/log/slurmd.log"
  fail "the array job failed"
}

# 6. The merged result equals the one-process run.
for k in 0 1 2; do
  [[ -f "$T/array/sinforge.manifest.shard-$k-of-3.csv" ]] || fail "task $k wrote no manifest (ran outside the array?)"
done
(cd "$T/single" && find . -type f ! -name 'sinforge.*' | sort) >"$T/single.list"
(cd "$T/array" && find . -type f ! -name 'sinforge.*' | sort) >"$T/array.list"
diff "$T/single.list" "$T/array.list" || fail "the array job wrote other files"
[[ -s "$T/single.list" ]] || fail "no outputs"
while read -r f; do cmp -s "$T/single/$f" "$T/array/$f" || fail "bytes differ: $f"; done <"$T/single.list"
rows=$(tail -q -n +2 "$T"/array/sinforge.manifest.shard-*-of-3.csv | cut -d, -f3 | sort)
[[ "$rows" == "$(sed 's|^\./||' "$T/single.list")" ]] || fail "the manifests do not list every output once"
echo "[slurm-test] PASSED: 3 array tasks wrote $(wc -l <"$T/single.list") outputs identical to one process"
