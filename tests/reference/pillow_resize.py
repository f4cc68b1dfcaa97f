"""Pillow's resize, for the C++ Resize tests.

Usage: pillow_resize.py JOBS_FILE
Each line of JOBS_FILE: <input.png> <output.png> <width> <height> <bilinear|lanczos|box>
Reads the input as PIL does (convert('RGB')), resizes with Image.resize and writes a PNG.
"""
import sys

from PIL import Image

FILTERS = {
    "bilinear": Image.Resampling.BILINEAR,
    "lanczos": Image.Resampling.LANCZOS,
    "box": Image.Resampling.BOX,
}


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as jobs:
        for line in jobs:
            if not line.strip():
                continue
            src, dst, w, h, name = line.split()
            with Image.open(src) as im:
                im.convert("RGB").resize((int(w), int(h)), FILTERS[name]).save(dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
