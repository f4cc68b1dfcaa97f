#!/usr/bin/env bash
# Breaks that this machine's toolchain (Debian 12: CMake 3.25, GCC 12) cannot show but the lent GPU
# machine's (CMake 4, a newer GCC whose library has std::format) does; cheap enough for every CI run
# (.ci/run calls it). Each check prints one line; the script fails on the first that fails.
#
#   1. lint: no unqualified call of one of our functions named like a C++20/23 standard function (format,
#      print, ...): with a std:: argument, argument-dependent lookup finds the std:: one as well, and the
#      call is ambiguous where the library has it (issue: `format(...)` in cmd_run.cpp under GCC 14).
#   2. the project configures with CMake 4 (PyPI's cmake, in a cached virtual environment).
#   3. the carried build (cmake/CarriedDependencies.cmake, the GPU machine's) configures with CMake 4: the
#      carried headers and sources (scripts/prepare-gpu-carry.sh headers sources, cached under the user's
#      cache folder), OpenCV's static archives stood in for by empty files, which configuring never reads.
#
# A full build with another compiler is not here: Debian 12's clang 14 uses the same libstdc++ 12, which has
# no std::format, so it would not have caught the break above, and a second cold build would double CI.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/sinforge"
CMAKE4_VERSION=4.4.5
PYTHON="$(bash scripts/install-deps.sh --print-venv)/bin/python"
say() { printf '[check-toolchains] %s\n' "$*"; }

lint_std_names() {
  # Names the standard library has or gained in C++20/23 that are plausible for a helper of ours. String
  # literals and comments are blanked first (tests hold Python code that calls print).
  local hits
  hits=$(python3 - apps lib kernels tests <<'PY'
import pathlib, re, sys
names = "format|vformat|print|println|to_underlying|midpoint|lerp|ssize|erase_if|bit_cast|byteswap|unreachable"
call = re.compile(r"(^|[^A-Za-z0-9_:.>])(" + names + r")\(")
literal = re.compile(r'R"(\w*)\((?:.|\n)*?\)\1"|"(?:[^"\\\n]|\\.)*"|'"'(?:[^'\\\n]|\\.)*'")
for root in sys.argv[1:]:
    for path in sorted(pathlib.Path(root).rglob("*")):
        if path.suffix not in (".cpp", ".h", ".cu"):
            continue
        original = path.read_text()
        text = literal.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), original)
        for number, (line, shown) in enumerate(zip(text.splitlines(), original.splitlines()), 1):
            if call.search(line.split("//", 1)[0]):
                print(f"{path}:{number}: {shown.strip()}")
PY
)
  if [[ -n "$hits" ]]; then
    say "FAILED lint: unqualified calls that std:: can capture by argument-dependent lookup (qualify or rename):"
    echo "$hits"
    return 1
  fi
  say "ok: lint: no unqualified call named like a C++20/23 std function"
}

cmake4() {
  local venv="$CACHE_ROOT/cmake4-venv"
  if ! "$venv/bin/cmake" --version 2>/dev/null | grep -q "version $CMAKE4_VERSION"; then
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --cache-dir "$CACHE_ROOT/pip" "cmake==$CMAKE4_VERSION"
  fi
  "$venv/bin/cmake" "$@"
}

configure_system_packages() {
  local build
  build=$(mktemp -d)
  if ! cmake4 -S "$ROOT" -B "$build" -G Ninja -DSINFORGE_PYTHON="$PYTHON" > "$build.log" 2>&1; then
    say "FAILED: CMake $CMAKE4_VERSION configure with the system packages"; tail -30 "$build.log"; return 1
  fi
  rm -rf "$build" "$build.log"
  say "ok: CMake $CMAKE4_VERSION configures the project (system packages)"
}

configure_carried() {
  local carry="$CACHE_ROOT/carry-check" build
  CARRY_DIR="$carry" WORK_DIR="$CACHE_ROOT/carry-build" bash scripts/prepare-gpu-carry.sh headers sources \
    > "$CACHE_ROOT/carry-check.log" 2>&1 || { say "FAILED: prepare-gpu-carry.sh"; tail -20 "$CACHE_ROOT/carry-check.log"; return 1; }
  mkdir -p "$carry/include/opencv4" "$carry/lib"
  for lib in opencv_imgcodecs opencv_imgproc opencv_core jpeg png16 z deflate; do
    [[ -e "$carry/lib/lib$lib.a" ]] || : > "$carry/lib/lib$lib.a"
  done
  for header in libdeflate.h jpeglib.h; do
    [[ -e "$carry/include/$header" ]] || : > "$carry/include/$header"
  done
  build=$(mktemp -d)
  if ! cmake4 -S "$ROOT" -B "$build" -G Ninja -DSINFORGE_PYTHON="$PYTHON" -DSINFORGE_CARRY_DIR="$carry" \
       > "$build.log" 2>&1; then
    say "FAILED: CMake $CMAKE4_VERSION configure of the carried build"; tail -30 "$build.log"; return 1
  fi
  rm -rf "$build" "$build.log"
  say "ok: CMake $CMAKE4_VERSION configures the carried build (yaml-cpp, Google Benchmark, GoogleTest from source)"
}

lint_std_names
configure_system_packages
configure_carried
