#!/usr/bin/env bash
# Downloads the official AdaIN weights (pytorch-AdaIN release v0.0.0) into the folder sinforge looks in:
# $SINFORGE_WEIGHTS_DIR when set, else ${XDG_CACHE_HOME:-$HOME/.cache}/sinforge/weights.
# vgg_normalised.pth is checked against its known SHA-256. No checksum is published for decoder.pth: its
# SHA-256 is recorded beside it (decoder.pth.sha256) on the first download and checked on every later run.
# Idempotent: files already present and verified are not downloaded again.
set -euo pipefail

BASE_URL="https://github.com/naoto0804/pytorch-AdaIN/releases/download/v0.0.0"
VGG_SHA256="804ca2835ecf7539f0cd2a7ac3c18ce81e6f8468969ae7117ac0c148d286bb4a"

if [[ -n "${SINFORGE_WEIGHTS_DIR:-}" ]]; then
  DEST="$SINFORGE_WEIGHTS_DIR"
else
  DEST="${XDG_CACHE_HOME:-$HOME/.cache}/sinforge/weights"
fi

die() {
  echo "fetch.sh: error: $*" >&2
  exit 1
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

command -v curl >/dev/null || die "curl is not installed"
command -v sha256sum >/dev/null || die "sha256sum is not installed"
mkdir -p "$DEST" || die "cannot create $DEST"

# download NAME: fetches $BASE_URL/NAME into $DEST/NAME through a temporary file.
download() {
  local name="$1" tmp="$DEST/.$1.part"
  echo "fetch.sh: downloading $BASE_URL/$name"
  if ! curl --fail --location --silent --show-error --connect-timeout 15 --max-time 900 \
      --retry 2 --retry-delay 2 --output "$tmp" "$BASE_URL/$name"; then
    rm -f "$tmp"
    die "could not download $BASE_URL/$name (offline, or the link is gone?).
  Get vgg_normalised.pth and decoder.pth some other way, put them in one folder and set
  SINFORGE_WEIGHTS_DIR to that folder (or pass --vgg and --decoder)."
  fi
  mv "$tmp" "$DEST/$name"
}

# vgg_normalised.pth: a known checksum.
vgg="$DEST/vgg_normalised.pth"
if [[ -f "$vgg" && "$(sha256_of "$vgg")" == "$VGG_SHA256" ]]; then
  echo "fetch.sh: $vgg present and verified"
else
  [[ -f "$vgg" ]] && echo "fetch.sh: $vgg does not match the known SHA-256: downloading it again"
  download vgg_normalised.pth
  got="$(sha256_of "$vgg")"
  if [[ "$got" != "$VGG_SHA256" ]]; then
    mv "$vgg" "$vgg.bad"
    die "$vgg has SHA-256 $got, expected $VGG_SHA256 (kept as $vgg.bad)"
  fi
  echo "fetch.sh: $vgg verified"
fi

# decoder.pth: checked against the SHA-256 recorded on its first download.
dec="$DEST/decoder.pth"
record="$dec.sha256"
if [[ -f "$dec" && -f "$record" ]]; then
  if [[ "$(sha256_of "$dec")" == "$(cut -d' ' -f1 "$record")" ]]; then
    echo "fetch.sh: $dec present and matches $record"
  else
    die "$dec does not match the SHA-256 recorded in $record: remove both files to download it again"
  fi
else
  [[ -f "$dec" ]] || download decoder.pth
  echo "$(sha256_of "$dec")  decoder.pth" >"$record"
  echo "fetch.sh: no checksum is published for decoder.pth; recorded its SHA-256 in $record:"
  echo "  $(cut -d' ' -f1 "$record") (later runs check the file against it)"
fi

echo "fetch.sh: weights ready in $DEST"
