"""The sin224 style recipe of rgeirhos/Stylized-ImageNet (preprocess_imagenet.py), in Pillow, for the C++
recipe tests: crop the centred square (side min(w, h), offsets by Python's round, half to even), then
resize((224, 224), LANCZOS) (Pillow's ANTIALIAS).

Usage: sin224_style.py IN.png OUT.png
"""
import sys

from PIL import Image


def main() -> int:
    with Image.open(sys.argv[1]) as im:
        im = im.convert("RGB")
        w, h = im.size
        s = min(w, h)
        left, top = int(round((w - s) / 2)), int(round((h - s) / 2))
        im.crop((left, top, left + s, top + s)).resize((224, 224), Image.LANCZOS).save(sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
