#!/usr/bin/env bash
# The container's entry point: makes sure the weights are there (mounted at $SINFORGE_WEIGHTS_DIR, or
# downloaded into it once by weights/fetch.sh), then becomes sinforge with the container's arguments.
set -euo pipefail
export SINFORGE_WEIGHTS_DIR="${SINFORGE_WEIGHTS_DIR:-/weights}"
if [[ "${1:-}" == "run" && -z "${SINFORGE_VGG:-}" ]] &&
   [[ ! -f "$SINFORGE_WEIGHTS_DIR/vgg_normalised.pth" || ! -f "$SINFORGE_WEIGHTS_DIR/decoder.pth" ]]; then
  echo "[entrypoint] weights not found in $SINFORGE_WEIGHTS_DIR: downloading them" >&2
  bash /opt/sinforge/weights/fetch.sh
fi
# exec: sinforge is PID 1 and receives docker stop's SIGTERM itself.
exec /opt/sinforge/build/sinforge "$@"
