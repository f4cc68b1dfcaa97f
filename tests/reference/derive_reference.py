"""The derived sets of `sinforge derive`, made again from the published rules (docs/REFERENCE.md, "derive")
with Pillow, numpy, SciPy and scikit-image, and compared with what sinforge wrote (PNG output).

Usage: derive_reference.py CONTENT OUT SEED DERANGE [GAMMA_TABLE]
  CONTENT  the --content folder; OUT the --out folder of a finished `sinforge derive --format png` run;
  SEED     its --seed; DERANGE 1 when it ran with --derange; GAMMA_TABLE its --gamma-table (false colour).
For every manifest row the expected image is computed from the content image alone: Pillow's decode,
torchvision's Resize(256) (Pillow bilinear) and CenterCrop(224) written out, then the row's rule. The block
orders and the noises are drawn by the documented stream (SplitMix64 from the FNV-1a hash of the key).
Prints one line per row that differs and a summary "rows N exact E max_diff D"; exits 1 when a thesis
variant (scramble, patch, original) is not exact, or a manipulation differs by more than one 8-bit level.
"""
import csv
import functools
import glob
import math
import os
import sys

import numpy as np
import scipy.ndimage
import skimage.color
from PIL import Image

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
BACKGROUND_GREY = 0.4423  # the published code's padding and mean grey
NOISE_CONTRAST = 0.3


def mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def splitmix64(x: int) -> int:
    return mix((x + GAMMA) & MASK)


def stable_hash(text: str, seed: int) -> int:
    h = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & MASK
    return splitmix64(h ^ splitmix64(seed))


class Draws:
    """The draw stream keyed by '<relative path>|<variant>|<level>|<copy>'."""

    def __init__(self, seed: int, key: str):
        self.state = stable_hash(key, seed)

    def uniform(self) -> float:
        self.state = (self.state + GAMMA) & MASK
        return (mix(self.state) >> 11) * 2.0**-53

    def uniforms(self, n: int) -> np.ndarray:
        return np.array([self.uniform() for _ in range(n)])

    def permutation(self, n: int) -> list[int]:
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = int(self.uniform() * (i + 1))
            order[i], order[j] = order[j], order[i]
        return order


@functools.lru_cache(maxsize=None)
def crop_of(path: str, size: int = 256, crop: int = 224) -> np.ndarray:
    img = Image.open(path).convert("RGB")
    w, h = img.size
    # torchvision Resize(int): shorter side to size, the longer int(size * long / short).
    if w <= h:
        nw, nh = size, int(size * h / w)
    else:
        nw, nh = int(size * w / h), size
    img = img.resize((nw, nh), Image.BILINEAR)
    top, left = int(round((nh - crop) / 2.0)), int(round((nw - crop) / 2.0))
    return np.asarray(img.crop((left, top, left + crop, top + crop)))


def block_order(seed: int, rel: str, grid: int, copy: int, derange: bool) -> list[int]:
    draws = Draws(seed, f"{rel}|scramble|{grid}|{copy}")
    order = draws.permutation(grid * grid)
    while derange and order == list(range(grid * grid)):
        order = draws.permutation(grid * grid)
    return order


def scrambled(crop: np.ndarray, grid: int, order: list[int]) -> np.ndarray:
    b = crop.shape[0] // grid
    blocks = [crop[(i // grid) * b:(i // grid + 1) * b, (i % grid) * b:(i % grid + 1) * b] for i in range(grid * grid)]
    rows = [np.concatenate([blocks[order[r * grid + c]] for c in range(grid)], axis=1) for r in range(grid)]
    return np.concatenate(rows, axis=0)


def patch_cells(side: int, p: int) -> list[tuple[int, int]]:
    n = side // p
    if n % 2 == 0:
        n -= 1
    border = (side - n * p) // 2
    return [(border + r * p, border + c * p) for r in range(0, n, 2) for c in range(0, n, 2)]


def patched(crop: np.ndarray, p: int, cells: list[tuple[int, int]]) -> np.ndarray:
    out = crop.copy()
    for y, x in cells:
        out[y:y + p, x:x + p] = 0
    return out


def to_rgb8(grey: np.ndarray) -> np.ndarray:
    # scipy.misc.toimage(cmin=0, cmax=1): clip, scale to 255, add 0.5 and truncate.
    byte = np.floor(np.clip(grey, 0, 1) * 255 + 0.5).astype(np.uint8)
    return np.dstack((byte, byte, byte))


def amplitude(crop: np.ndarray) -> np.ndarray:
    return np.abs(np.fft.fftshift(np.fft.fft2(skimage.color.rgb2gray(crop / 255.0))))


MEAN_SPECTRUM = None  # power-equalise: set by main() from every content the manifest names
GAMMA_TABLE = None  # false-colour: the monitor's 256 outputs, from the command line

# The published constants: monitor RGB to cone activations, the white point's activations, cone contrasts to
# DKL (luminance, L-M, S).
RGB_TO_CONES = np.array([[0.1619982647, 0.208049264, 0.0389347448],
                         [0.0330275785, 0.2496504557, 0.0618343518],
                         [0.0015524055, 0.0198861001, 0.1890224274]])
WHITE_CONES = np.array([0.20449114, 0.17225619, 0.10523047])
CONES_TO_DKL = np.array([[9.27590805, 9.27590805, 0],
                         [7.86421647, -9.33587662, 0],
                         [-3.39709047, -3.39709047, 12.16230246]])


def false_colour(crop: np.ndarray) -> np.ndarray:
    linear = GAMMA_TABLE[crop]  # H x W x 3
    dkl = np.einsum("ij,klj->kli", CONES_TO_DKL, np.einsum("ij,klj->kli", RGB_TO_CONES, linear) - WHITE_CONES)
    dkl[:, :, 1:] *= -1  # L-M and S negated
    cones = np.einsum("ij,klj->kli", np.linalg.inv(CONES_TO_DKL), dkl) + WHITE_CONES
    rgb = np.clip(np.einsum("ij,klj->kli", np.linalg.inv(RGB_TO_CONES), cones), 0, 1)
    nearest = np.abs(rgb.reshape(-1, 1) - GAMMA_TABLE[None, :]).argmin(axis=1)  # first on a tie
    return nearest.reshape(crop.shape).astype(np.uint8)


def manipulated(crop: np.ndarray, variant: str, level: str, seed: int, rel: str) -> np.ndarray:
    if variant == "greyscale" and level == "cr":
        return crop
    if variant == "false-colour":
        return crop if level == "true" else false_colour(crop)
    grey = skimage.color.rgb2gray(crop / 255.0)
    if variant == "greyscale":
        return to_rgb8(grey)
    if variant == "power-equalise":
        if level == "original":
            return to_rgb8(grey)
        phase = np.angle(np.fft.fftshift(np.fft.fft2(grey)))
        return to_rgb8(np.fft.ifft2(np.fft.ifftshift(MEAN_SPECTRUM * np.exp(1j * phase))).real)
    draws = Draws(seed, f"{rel}|{variant}|{level}|0")
    x = math.inf if level == "inf" else float(level)
    if variant == "contrast":
        return to_rgb8((1 - x) / 2.0 + grey * x)
    low = (1 - NOISE_CONTRAST) / 2.0 + grey * NOISE_CONTRAST
    if variant == "uniform-noise":
        u = draws.uniforms(grey.size).reshape(grey.shape)
        return to_rgb8(low + (-x + 2.0 * x * u))
    if variant == "salt-and-pepper":
        u = draws.uniforms(grey.size).reshape(grey.shape)
        out = low.copy()
        out[u >= 1 - x / 2] = 1.0
        out[u < x / 2] = 0.0
        return to_rgb8(out)
    if variant == "low-pass":
        if x == 0:
            return to_rgb8(grey)
        return to_rgb8(scipy.ndimage.gaussian_filter(grey, x, mode="constant", cval=BACKGROUND_GREY))
    if variant == "high-pass":
        if math.isinf(x):
            detail = grey - BACKGROUND_GREY  # an infinitely wide low-pass is the padding grey everywhere
        else:
            detail = grey - scipy.ndimage.gaussian_filter(grey, x, mode="constant", cval=BACKGROUND_GREY)
        return to_rgb8(detail + (BACKGROUND_GREY - np.mean(detail)))
    if variant == "phase-noise":
        n = grey.shape[0]
        spectrum = np.fft.fftshift(np.fft.fft2(grey))
        part = spectrum[1:, 1:].flatten()  # symmetric around the DC term, which sits at its centre
        half = part.size // 2
        shifts = (2.0 * draws.uniforms(half) - 1.0) * x * np.pi / 180.0
        turned = part.copy()
        turned[:half] *= np.exp(1j * shifts)
        turned[part.size - 1:part.size - 1 - half:-1] *= np.exp(-1j * shifts)  # the conjugate partners
        spectrum[1:, 1:] = turned.reshape(n - 1, n - 1)
        return to_rgb8(np.fft.ifft2(np.fft.ifftshift(spectrum)).real)
    if variant == "rotation":
        return to_rgb8(np.rot90(grey, k=int(x) // 90))
    raise ValueError(f"unknown variant {variant}")


def expected(row: dict, content_dir: str, seed: int, derange: bool) -> tuple[np.ndarray, bool]:
    """The image the row's rule gives, and whether it must be exact."""
    rel, derivation = row["content"], row["derivation"]
    crop = crop_of(os.path.join(content_dir, rel))
    words = derivation.split(" ")
    if words[0] == "original":
        return crop, True
    if words[0] == "scramble":
        fields = dict(w.split("=") for w in words[1:3])
        grid, copy = int(fields["grid"]), int(fields["copy"])
        order = block_order(seed, rel, grid, copy, derange)
        recorded = [int(v) for v in derivation.split("order=")[1].split(" ")]
        if recorded != order:
            raise AssertionError(f"{row['output']}: recorded order {recorded} is not the drawn {order}")
        return scrambled(crop, grid, order), True
    if words[0] == "patch":
        p = int(words[1].split("=")[1])
        cells = patch_cells(crop.shape[0], p)
        if words[2] == "all":
            return patched(crop, p, cells), True
        return patched(crop, p, [cells[int(words[2].split("=")[1])]]), True
    return manipulated(crop, words[0], words[1], seed, rel), False


def main() -> int:
    global MEAN_SPECTRUM, GAMMA_TABLE
    content_dir, out_dir, seed, derange = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
    if len(sys.argv) > 5:
        GAMMA_TABLE = np.load(sys.argv[5]).flatten()
    rows = []
    for manifest in sorted(glob.glob(os.path.join(out_dir, "sinforge.manifest.*.csv"))):
        with open(manifest, newline="", encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    contents = sorted({row["content"] for row in rows})
    MEAN_SPECTRUM = np.mean([amplitude(crop_of(os.path.join(content_dir, c))) for c in contents], axis=0)
    spectrum_file = os.path.join(out_dir, "sinforge.spectrum.npy")
    if os.path.exists(spectrum_file):
        written = np.load(spectrum_file)
        if written.shape != MEAN_SPECTRUM.shape or not np.allclose(written, MEAN_SPECTRUM, rtol=1e-9, atol=1e-9):
            print("sinforge.spectrum.npy is not the mean amplitude spectrum of the contents")
            return 1
    exact, worst, failed = 0, 0, False
    for row in rows:
        want, must_be_exact = expected(row, content_dir, seed, derange)
        got = np.asarray(Image.open(os.path.join(out_dir, row["output"])).convert("RGB"))
        diff = int(np.abs(want.astype(int) - got.astype(int)).max()) if want.shape == got.shape else 999
        worst = max(worst, diff)
        exact += diff == 0
        if diff > (0 if must_be_exact else 1):
            failed = True
            print(f"{row['output']} ({row['derivation'][:60]}): differs by {diff}")
    print(f"rows {len(rows)} exact {exact} max_diff {worst}")
    return 1 if failed or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
