#!/usr/bin/env bash
# Sets up, builds, fetches the official weights once into a cache, and stylizes the bundled sample images
# (samples/content with samples/styles) into out/demo. Extra arguments go to 'sinforge run'.
#
# Offline, or to use weight files you already have: SINFORGE_WEIGHTS_DIR=/folder/with/the/two/files
# (vgg_normalised.pth and decoder.pth), or SINFORGE_VGG and SINFORGE_DECODER naming the files.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${SINFORGE_BUILD_DIR:-build}"
OUT="${SINFORGE_DEMO_OUT:-out/demo}"
bash scripts/build.sh
if [[ -z "${SINFORGE_WEIGHTS_DIR:-}" && ( -z "${SINFORGE_VGG:-}" || -z "${SINFORGE_DECODER:-}" ) ]]; then
  bash weights/fetch.sh
fi
"$BUILD_DIR/sinforge" run --content samples/content --styles samples/styles --out "$OUT" "$@"
echo "[demo] stylized images are in $OUT"
