#!/usr/bin/env bash
# Installs what sinforge needs (scripts/install-deps.sh) and builds it into build/ (or $SINFORGE_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${SINFORGE_BUILD_DIR:-build}"
bash scripts/install-deps.sh
# ccache (installed by install-deps.sh) keeps compiled objects under the user's cache folder, so a clean
# clone (CI) or a second worktree rebuilds in a fraction of the time; paths are taken relative to the
# checkout so that every clone shares the cache.
launcher=()
if command -v ccache >/dev/null; then
  # The precompiled headers need the sloppiness settings, or ccache refuses to cache their users.
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
fi
# The kernels' architectures: LibTorch's own list unless SINFORGE_CUDA_ARCHITECTURES narrows it ("90").
archs=()
[[ -n "${SINFORGE_CUDA_ARCHITECTURES:-}" ]] && archs=(-DSINFORGE_CUDA_ARCHITECTURES="$SINFORGE_CUDA_ARCHITECTURES")
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "${archs[@]}" \
  >"$BUILD_DIR.configure.log" 2>&1 ||
  { cat "$BUILD_DIR.configure.log"; exit 1; }
# Each LibTorch translation unit needs about 1.5 GB to compile: keep jobs to what memory allows.
jobs=$(nproc)
mem_jobs=$(( $(awk '/MemAvailable/ {print $2}' /proc/meminfo) / 1800000 ))
(( mem_jobs >= 1 && mem_jobs < jobs )) && jobs=$mem_jobs
cmake --build "$BUILD_DIR" -j "$jobs"
echo "[build] sinforge built: $BUILD_DIR/sinforge"
