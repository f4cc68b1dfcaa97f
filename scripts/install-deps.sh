#!/usr/bin/env bash
# The one installer for sinforge: used by README.md, .ci/run and docker/Dockerfile.
# Idempotent: a second run only checks what is there and takes seconds.
#
#   scripts/install-deps.sh            Debian packages + the LibTorch virtual environment
#   scripts/install-deps.sh --print-venv   print the virtual environment's path and exit
#   scripts/install-deps.sh --with-slurm   also Slurm and munge (tests/slurm/run_slurm_test.sh)
#   scripts/install-deps.sh --with-fuzz    also clang 14 and its sanitizer/libFuzzer runtimes (scripts/fuzz.sh)
#
# LibTorch comes from the PyPI `torch` wheel (a CUDA 13 build, so the CUDA code paths compile and link even
# on machines without a GPU). It lives in a virtual environment under the user's cache folder, never in the
# system's Python; pip's own wheel cache sits beside it so a clean clone reinstalls without downloading.
set -euo pipefail

TORCH_VERSION="${SINFORGE_TORCH_VERSION:-2.15.0}"
PILLOW_VERSION="12.3.0"  # Pillow 12 resizes as the published tools did (see lib/src/image/resize.cpp)
WEBDATASET_VERSION="1.0.2"  # reads the tars of --output-layout webdataset in the tests, as training code would
# The derive references (tests/reference/derive_reference.py) filter and convert as the published stimuli did.
SCIPY_VERSION="1.17.1"
SKIMAGE_VERSION="0.26.0"
PYTEST_VERSION="9.2.0"  # the Python package's tests (python/tests)
SKBUILD_VERSION="1.1.2"  # scikit-build-core: `pip install --no-build-isolation .` (pyproject.toml)
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/sinforge"
VENV="${SINFORGE_VENV:-$CACHE_ROOT/venv}"

if [[ "${1:-}" == "--print-venv" ]]; then
  echo "$VENV"
  exit 0
fi

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates ccache
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  libspdlog-dev libcxxopts-dev nlohmann-json3-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev libarchive-dev libdeflate-dev libjpeg-dev
  libplplot-dev plplot-driver-cairo
  python3 python3-venv python3-dev
)
# The single-node cluster of the Slurm test: only on request, servers and CI images do not need it.
for arg in "$@"; do
  [[ "$arg" == "--with-slurm" ]] && APT_PACKAGES+=(slurm-wlm munge)
  # libFuzzer, ASan and UBSan come with Debian's clang-14 and its compiler-rt (scripts/fuzz.sh).
  [[ "$arg" == "--with-fuzz" ]] && APT_PACKAGES+=(clang-14 libclang-rt-14-dev)
done

missing_apt_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

install_apt() {
  local missing
  missing=$(missing_apt_packages)
  if [[ -z "$missing" ]]; then
    echo "[install-deps] Debian packages: all present"
    return
  fi
  echo "[install-deps] Debian packages to install:" $missing
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $missing
}

install_venv() {
  if [[ -x "$VENV/bin/python" ]] &&
     "$VENV/bin/python" -c "import sys, torch, PIL, numpy, webdataset, scipy, skimage, pytest, scikit_build_core; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION' or PIL.__version__ != '$PILLOW_VERSION' or scipy.__version__ != '$SCIPY_VERSION' or skimage.__version__ != '$SKIMAGE_VERSION' or pytest.__version__ != '$PYTEST_VERSION' or scikit_build_core.__version__ != '$SKBUILD_VERSION')" 2>/dev/null; then
    echo "[install-deps] LibTorch: torch $TORCH_VERSION present in $VENV"
    return
  fi
  echo "[install-deps] setting up $VENV with torch $TORCH_VERSION (first time: a few GB to download)"
  mkdir -p "$CACHE_ROOT"
  [[ -x "$VENV/bin/python" ]] || /usr/bin/python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  # numpy, Pillow, webdataset, SciPy and scikit-image serve the test references (tests/reference/*.py), not
  # the program.
  "$VENV/bin/python" -m pip install -q --cache-dir "$CACHE_ROOT/pip" "torch==$TORCH_VERSION" numpy \
    "pillow==$PILLOW_VERSION" "webdataset==$WEBDATASET_VERSION" "scipy==$SCIPY_VERSION" \
    "scikit-image==$SKIMAGE_VERSION" "pytest==$PYTEST_VERSION" "scikit-build-core==$SKBUILD_VERSION"
}

install_apt
install_venv
echo "[install-deps] done; LibTorch CMake prefix: $("$VENV/bin/python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')"
