"""Image files of the kinds the decoder must handle, each beside what PIL's convert('RGB') makes of it.

Usage: pillow_decode_cases.py OUT_DIR
Writes OUT_DIR/<case file> and OUT_DIR/<case file>.expected.png (8-bit RGB, lossless) for each case.
"""
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image


def gradient(w: int, h: int, channels: int, seed: int) -> np.ndarray:
    """Smooth content (JPEG-friendly) with a little noise, values 0..255."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    planes = []
    for c in range(channels):
        p = 127.5 + 127.5 * np.sin(x / (7.0 + 3 * c) + y / (11.0 + 2 * c) + c)
        planes.append(p + rng.normal(0, 4, size=p.shape))
    return np.clip(np.stack(planes, axis=-1), 0, 255).astype(np.uint8)


def png16(path: Path, pixels: np.ndarray, color_type: int) -> None:
    """A 16-bit PNG written by hand (Pillow cannot write 16-bit RGB)."""
    h, w = pixels.shape[:2]
    raw = b"".join(b"\x00" + pixels[r].astype(">u2").tobytes() for r in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) +
                     chunk(b"IEND", b""))


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)

    Image.fromarray(gradient(67, 45, 1, 1)[:, :, 0], "L").save(out / "gray.jpg", quality=90)
    Image.fromarray(gradient(40, 30, 1, 2)[:, :, 0], "L").save(out / "gray.png")
    rgba = gradient(50, 35, 4, 3)
    rgba[::3, ::2, 3] = 0  # fully transparent pixels keep their colour under convert('RGB')
    Image.fromarray(rgba, "RGBA").save(out / "rgba.png")
    Image.fromarray(gradient(33, 21, 2, 4), "LA").save(out / "la.png")
    Image.fromarray(gradient(48, 40, 3, 5), "RGB").quantize(37).save(out / "palette.png")
    cmyk = gradient(80, 56, 4, 6)
    Image.frombytes("CMYK", (80, 56), cmyk.tobytes()).save(out / "cmyk.jpg", quality=95)
    Image.fromarray(gradient(37, 29, 3, 7), "RGB").save(out / "png_named.JPEG", format="PNG")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW to display
    Image.fromarray(gradient(64, 32, 3, 8), "RGB").save(out / "exif_rotated.jpg", exif=exif, quality=90)
    Image.fromarray(gradient(96, 72, 3, 9), "RGB").save(out / "progressive.jpg", progressive=True, quality=85)
    rng = np.random.default_rng(10)
    rgb16 = rng.integers(0, 65536, size=(19, 23, 3), dtype=np.uint64)
    rgb16[0, :3] = [[255, 256, 65535], [0, 32768, 127], [511, 65280, 65279]]
    png16(out / "rgb16.png", rgb16, 2)
    gray16 = rng.integers(0, 65536, size=(17, 21), dtype=np.uint64)
    gray16[0, :6] = [0, 1, 254, 255, 256, 65535]
    gray16[1, :] = rng.integers(0, 300, size=21)
    png16(out / "gray16.png", gray16, 0)

    for case in sorted(out.iterdir()):
        if case.name.endswith(".expected.png"):
            continue
        with Image.open(case) as im:
            im.convert("RGB").save(case.with_name(case.name + ".expected.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
