"""torchvision's Resize(int) output size and CenterCrop offsets, written out from torchvision's formulas
(torchvision itself is not in the reference environment), for the C++ Resize tests.

Usage: torchvision_geometry.py IN OUT
Each line of IN: "size <w> <h> <target>" -> "<new_w> <new_h>"; "crop <w> <h> <c>" -> "<top> <left>".
"""
import sys


def resized_size(w: int, h: int, size: int) -> tuple[int, int]:
    # torchvision.transforms.functional._compute_resized_output_size with an int and max_size None.
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    return (new_short, new_long) if w <= h else (new_long, new_short)


def crop_offsets(w: int, h: int, c: int) -> tuple[int, int]:
    # torchvision.transforms.functional.center_crop for an image at least c x c.
    return int(round((h - c) / 2.0)), int(round((w - c) / 2.0))


def main() -> int:
    lines = []
    with open(sys.argv[1], encoding="utf-8") as src:
        for line in src:
            kind, *nums = line.split()
            a, b, c = map(int, nums)
            result = resized_size(a, b, c) if kind == "size" else crop_offsets(a, b, c)
            lines.append(f"{result[0]} {result[1]}\n")
    with open(sys.argv[2], "w", encoding="utf-8") as dst:
        dst.writelines(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
