#!/usr/bin/env bash
# Builds .carry/ HERE (a Debian 12 machine with the apt packages of scripts/install-deps.sh): what the lent GPU
# machine lacks (it has nvcc, CMake and PyTorch, but no apt, no OpenCV, no spdlog, no network). The run tool
# carries the folder beside the working tree (carry: [".carry"], 64 MiB at most); there
# scripts/gpu-build-and-test.sh configures with -DSINFORGE_CARRY_DIR=.carry (cmake/CarriedDependencies.cmake).
#
#   scripts/prepare-gpu-carry.sh [headers] [sources] [opencv]     (default: all three)
#
# headers  Debian's own headers: spdlog 1.10 + fmt 9 (used header-only there), cxxopts, nlohmann-json.
# sources  GoogleTest (Debian's /usr/src/googletest), Google Benchmark 1.7.1 and yaml-cpp 0.7 (Debian's source
#          packages):
#          built from source on the GPU machine by its own compiler, so no C++ ABI or glibc mismatch.
# opencv   A minimal static OpenCV 4.6 (core, imgproc, imgcodecs; JPEG and PNG only) from Debian's source
#          package, the same version and patches as the shared one built against here, so decoding behaves
#          the same; linked against Debian's static libjpeg-turbo, libpng and zlib, which are carried too.
#          Why this route: Debian's shared OpenCV drags in GDAL, OpenEXR, TIFF, WebP, TBB...; pip's
#          opencv-python wheels hold no static libraries nor headers; a GitHub tarball would be another
#          version than the one the tests here pin down. `apt-get source` needs deb-src entries: this script
#          uses a private sources list and lists folder, and changes nothing in /etc/apt.
# Sources are fetched and built under .carry-build/ (git-ignored, not carried). JOBS (default: nproc).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CARRY=${CARRY_DIR:-$ROOT/.carry}
WORK=${WORK_DIR:-$ROOT/.carry-build}
JOBS=${JOBS:-$(nproc)}
STAGES=("$@")
[ ${#STAGES[@]} -eq 0 ] && STAGES=(headers sources opencv)
LIBDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

say() { printf '\033[1m[carry]\033[0m %s\n' "$*"; }
mkdir -p "$CARRY/include" "$CARRY/lib" "$CARRY/src" "$WORK"

# apt-get source through a private deb-src list: /etc/apt stays as it is.
APT_OPTS=()
apt_source() {  # package
  if [ ${#APT_OPTS[@]} -eq 0 ]; then
    mkdir -p "$WORK/apt/lists/partial"
    # shellcheck disable=SC1091
    . /etc/os-release
    cat > "$WORK/apt/sources.list" <<SRC
deb-src http://deb.debian.org/debian ${VERSION_CODENAME} main
deb-src http://deb.debian.org/debian ${VERSION_CODENAME}-updates main
deb-src http://deb.debian.org/debian-security ${VERSION_CODENAME}-security main
SRC
    APT_OPTS=(-o "Dir::Etc::SourceList=$WORK/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
              -o "Dir::State::Lists=$WORK/apt/lists")
    apt-get "${APT_OPTS[@]}" update -qq
  fi
  (cd "$WORK" && apt-get "${APT_OPTS[@]}" source --download-only -qq "$1" &&
     dpkg-source --no-check -x "$(ls -t "$1"_*.dsc | head -1)" "src-$1" >/dev/null)
}

for stage in "${STAGES[@]}"; do
  case "$stage" in
    headers)
      say "headers: spdlog, fmt, cxxopts, nlohmann-json (Debian's)"
      for h in spdlog fmt nlohmann; do rm -rf "$CARRY/include/$h"; cp -r "/usr/include/$h" "$CARRY/include/"; done
      cp /usr/include/cxxopts.hpp "$CARRY/include/"
      ;;
    sources)
      say "sources: GoogleTest (from /usr/src/googletest), Google Benchmark and yaml-cpp (apt-get source)"
      rm -rf "$CARRY/src/googletest"
      cp -r /usr/src/googletest "$CARRY/src/googletest"
      rm -rf "$CARRY/src/googletest/googlemock/docs" "$CARRY/src/googletest/docs" 2>/dev/null || true
      if [ ! -d "$WORK/src-benchmark" ]; then apt_source benchmark; fi
      rm -rf "$CARRY/src/benchmark"
      mkdir -p "$CARRY/src/benchmark"
      (cd "$WORK/src-benchmark" && cp -r CMakeLists.txt cmake include src LICENSE "$CARRY/src/benchmark/")
      # yaml-cpp: the presets (configs/*.yaml) are read with it.
      if [ ! -d "$WORK/src-yaml-cpp" ]; then apt_source yaml-cpp; fi
      rm -rf "$CARRY/src/yaml-cpp"
      mkdir -p "$CARRY/src/yaml-cpp"
      (cd "$WORK/src-yaml-cpp" && cp -r ./*.in CMakeLists.txt include src LICENSE "$CARRY/src/yaml-cpp/")
      ;;
    opencv)
      say "opencv: static core, imgproc, imgcodecs (JPEG, PNG) from Debian's source package"
      if [ ! -d "$WORK/src-opencv" ]; then apt_source opencv; fi
      cmake -S "$WORK/src-opencv" -B "$WORK/build-opencv" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$WORK/install-opencv" -DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
        -DBUILD_LIST=core,imgproc,imgcodecs -DOPENCV_FORCE_3RDPARTY_BUILD=OFF \
        -DBUILD_ZLIB=OFF -DBUILD_JPEG=OFF -DBUILD_PNG=OFF -DBUILD_TIFF=OFF -DBUILD_WEBP=OFF -DBUILD_OPENJPEG=OFF \
        -DBUILD_JASPER=OFF -DBUILD_OPENEXR=OFF -DBUILD_IPP_IW=OFF -DBUILD_ITT=OFF -DBUILD_PROTOBUF=OFF \
        -DWITH_JPEG=ON -DWITH_PNG=ON -DWITH_TIFF=OFF -DWITH_WEBP=OFF -DWITH_OPENJPEG=OFF -DWITH_JASPER=OFF \
        -DWITH_OPENEXR=OFF -DWITH_IMGCODEC_HDR=OFF -DWITH_IMGCODEC_SUNRASTER=OFF -DWITH_IMGCODEC_PXM=OFF \
        -DWITH_IMGCODEC_PFM=OFF -DWITH_GDAL=OFF -DWITH_GDCM=OFF -DWITH_IPP=OFF -DWITH_ITT=OFF -DWITH_TBB=OFF \
        -DWITH_OPENMP=OFF -DWITH_PTHREADS_PF=ON -DWITH_OPENCL=OFF -DWITH_CUDA=OFF -DWITH_EIGEN=OFF \
        -DWITH_LAPACK=OFF -DWITH_VA=OFF -DWITH_VA_INTEL=OFF -DWITH_GTK=OFF -DWITH_QT=OFF -DWITH_FFMPEG=OFF \
        -DWITH_GSTREAMER=OFF -DWITH_V4L=OFF -DWITH_1394=OFF -DWITH_PROTOBUF=OFF -DWITH_QUIRC=OFF \
        -DWITH_ADE=OFF -DWITH_ONNX=OFF -DBUILD_TESTS=OFF -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF \
        -DBUILD_DOCS=OFF -DBUILD_opencv_apps=OFF -DBUILD_JAVA=OFF -DBUILD_opencv_python3=OFF \
        -DBUILD_opencv_python2=OFF -DOPENCV_GENERATE_PKGCONFIG=OFF -DCPU_BASELINE=SSE4_2 -DCPU_DISPATCH=AVX2 \
        -DJPEG_LIBRARY="$LIBDIR/libjpeg.a" -DPNG_LIBRARY="$LIBDIR/libpng16.a" -DZLIB_LIBRARY="$LIBDIR/libz.a" \
        > "$WORK/opencv-configure.log"
      cmake --build "$WORK/build-opencv" -j "$JOBS"
      cmake --install "$WORK/build-opencv" > /dev/null
      rm -rf "$CARRY/include/opencv4"
      cp -r "$WORK/install-opencv/include/opencv4" "$CARRY/include/"
      cp "$WORK"/install-opencv/lib/libopencv_{core,imgproc,imgcodecs}.a "$CARRY/lib/"
      cp "$LIBDIR/libjpeg.a" "$LIBDIR/libpng16.a" "$LIBDIR/libz.a" "$CARRY/lib/"
      # libdeflate, our PNG writer's compressor (cmake/Libdeflate.cmake): Debian's static library as it is.
      cp "$LIBDIR/libdeflate.a" "$CARRY/lib/" && cp /usr/include/libdeflate.h "$CARRY/include/"
      # libjpeg's headers, for our JPEG codec (cmake/Libjpeg.cmake) over the same static libjpeg.a.
      cp /usr/include/{jpeglib,jmorecfg,jerror}.h "/usr/include/$(basename "$LIBDIR")/jconfig.h" "$CARRY/include/"
      strip --strip-debug "$CARRY"/lib/*.a
      ;;
    *)
      echo "prepare-gpu-carry.sh: unknown stage '$stage' (headers, sources, opencv)" >&2
      exit 2
      ;;
  esac
done
du -sh "$CARRY"
say "done: $(du -sh "$CARRY" | cut -f1) in $CARRY (the run tool carries at most 64 MiB with the tree)"
