#!/usr/bin/env bash
# Runs THERE, on a lent GPU machine, after scripts/gpu-build-and-test.sh built $BUILD (the machine stays warm
# between calls, or put both in one call): sinforge beside the tools it replaces, on the same data, weights
# and GPU, each timed as a whole command (issue 8's comparisons):
#   - stylize-datasets (bethgelab) at its defaults, full size, on the first $SD_IMAGES images; its code is
#     carried in .thirdparty/stylize-datasets (never committed: docs/GPU.md says how to bring it);
#   - a batched PyTorch script of the same network (scripts/compare/pytorch_batched.py): the network alone
#     (eager NCHW / channels-last / torch.compile max-autotune) and whole sin224 and full runs;
#   - sinforge run --preset full and --preset sin224 (bf16, --batch-size auto).
# Data: `sinforge bench --write-data` (ImageNet-like mixed sizes, paintings of 600-2400 px), random weights
# in the official layout (tests/reference/write_demo_weights.py). Results: $OUT/compare.txt, one line each.
#   IMAGES (default 2000), PAINTINGS (default 200), SD_IMAGES (default 300)
#   DEVICE=cpu PRECISION=fp32 (and small counts): a try-out of the script itself on a machine without a GPU
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
OUT=${OUT:-$ROOT/out/gpu}
BUILD=${BUILD_DIR:-$ROOT/build-gpu}
PYTHON=${PYTHON:-$(command -v python3)}
IMAGES=${IMAGES:-2000}
PAINTINGS=${PAINTINGS:-200}
SD_IMAGES=${SD_IMAGES:-300}
WORK=${WORK:-/tmp/sinforge-compare}
DEVICE=${DEVICE:-cuda}
PRECISION=${PRECISION:-bf16}
case $PRECISION in fp32) DTYPE=float32 ;; fp16) DTYPE=float16 ;; *) DTYPE=bfloat16 ;; esac
mkdir -p "$OUT" "$WORK"
result() { printf '%-60s %s\n' "$1" "$2" | tee -a "$OUT/compare.txt"; }
now() { "$PYTHON" -c 'import time; print(time.time())'; }
elapsed() { "$PYTHON" -c "import time; print(round(time.time() - $1, 2))"; }
rate() { "$PYTHON" -c "print(round($1 / $2, 1))"; }  # count, seconds

"$BUILD/sinforge" bench --write-data "$WORK/data" --mixed-images "$IMAGES" --paintings "$PAINTINGS" || exit 1
"$PYTHON" tests/reference/write_demo_weights.py "$WORK/weights" > /dev/null || exit 1
: > "$OUT/compare.txt"

# sinforge, whole commands; the style bank is rebuilt each time (--overwrite, a fresh folder).
for preset in full sin224; do
  rm -rf "$WORK/out-$preset"
  t0=$(now)
  "$BUILD/sinforge" run --preset "$preset" --device "$DEVICE" --precision "$PRECISION" --content "$WORK/data/content" \
    --styles "$WORK/data/styles" --out "$WORK/out-$preset" --vgg "$WORK/weights/vgg_normalised.pth" \
    --decoder "$WORK/weights/decoder.pth" --progress-interval 0 > "$OUT/sinforge-$preset.txt" 2>&1 ||
    { result "sinforge --preset $preset" "FAILED: $(tail -1 "$OUT/sinforge-$preset.txt")"; continue; }
  s=$(elapsed "$t0")
  summary="$WORK/out-$preset/sinforge.summary.shard-0-of-1.json"
  cp "$summary" "$OUT/summary-$preset.json" 2>/dev/null
  result "sinforge --preset $preset $PRECISION, $IMAGES images, whole command" \
    "$(rate "$IMAGES" "$s") images/s ($s s; $("$PYTHON" -c "import json,sys; j=json.load(open('$summary')); print('content phase', round(j['counts']['outputs_written']/j['seconds']['contents'],1), 'images/s; bank', round(j['paintings_per_second'],1), 'paintings/s; batches', round(100*j['batching']['fill']), '% full')" 2>/dev/null))"
done

# The same network in PyTorch.
P="scripts/compare/pytorch_batched.py --device $DEVICE --dtype $DTYPE"
if [ "$DEVICE" = cuda ]; then
  "$PYTHON" $P network --weights "$WORK/weights" --batch 128 --json "$OUT/pytorch.jsonl" 2>&1 | tee -a "$OUT/compare.txt"
  "$PYTHON" $P network --weights "$WORK/weights" --batch 16 --width 500 --height 375 --iterations 10 \
    --json "$OUT/pytorch.jsonl" 2>&1 | tee -a "$OUT/compare.txt"
fi
"$PYTHON" $P sin224 --weights "$WORK/weights" --content "$WORK/data/content" --styles "$WORK/data/styles" \
  --out "$WORK/out-pt-sin224" --paintings "$PAINTINGS" --json "$OUT/pytorch.jsonl" 2>&1 | tee -a "$OUT/compare.txt"
"$PYTHON" $P full --weights "$WORK/weights" --content "$WORK/data/content" --styles "$WORK/data/styles" \
  --out "$WORK/out-pt-full" --paintings "$PAINTINGS" --limit "$SD_IMAGES" --json "$OUT/pytorch.jsonl" 2>&1 |
  tee -a "$OUT/compare.txt"

# stylize-datasets at its defaults (full size, paintings at 512, one style per image), on SD_IMAGES images.
SD=$ROOT/.thirdparty/stylize-datasets
if [ -f "$SD/stylize.py" ]; then
  rm -rf "$WORK/sd" && mkdir -p "$WORK/sd/content" "$WORK/sd/models"
  find "$WORK/data/content" -name '*.jpg' | sort -V | head -n "$SD_IMAGES" | xargs -I{} ln -s {} "$WORK/sd/content/"
  cp "$WORK/weights/"*.pth "$WORK/sd/models/"
  t0=$(now)
  if (cd "$WORK/sd" && "$PYTHON" "$SD/stylize.py" --content-dir content --style-dir "$WORK/data/styles" \
        --output-dir out > "$OUT/stylize-datasets.txt" 2>&1); then
    s=$(elapsed "$t0")
    result "stylize-datasets defaults (full, style 512), $SD_IMAGES images, whole command" \
    "$(rate "$SD_IMAGES" "$s") images/s ($s s)"
  else
    result "stylize-datasets" "FAILED: $(tail -1 "$OUT/stylize-datasets.txt")"
  fi
else
  result "stylize-datasets" "not run: $SD/stylize.py missing (docs/GPU.md)"
fi
echo "compare: $OUT/compare.txt"
