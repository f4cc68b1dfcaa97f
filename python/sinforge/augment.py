"""StyleAugment: AdaIN stylization of a batch, inside a training loop, on sinforge's own network and AdaIN.

What is drawn here (which images, their alphas, their paintings) is plain torch on the CPU with the module's
own generator, so a seeded module repeats exactly; what is computed (encoder, AdaIN, decoder) is the library
(sinforge._C), the same code `sinforge run` runs.
"""
import os
from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import nn

from . import _C


def load_bank(file: Union[str, os.PathLike]) -> dict:
    """A bank file made by `sinforge styles` (or a run's <out>/sinforge.styles.bank): its means and stds
    (float32 [P, 512], CPU), its painting names (relative paths, bank order), the SHA-256 of the VGG file it
    was made with, its precision and its style size. Raises ValueError for a file that is no readable bank."""
    return _C.load_bank(os.fspath(file))


def _derangement(n: int, generator: Optional[torch.Generator]) -> torch.Tensor:
    """A uniformly random permutation of range(n) without a fixed point (n > 1), by rejection."""
    while True:
        perm = torch.randperm(n, generator=generator)
        if not bool((perm == torch.arange(n)).any()):
            return perm


class StyleAugment(nn.Module):
    """Stylizes each image of a float batch [N, 3, H, W] in [0, 1] with probability p.

    vgg, decoder: the AdaIN weight files (vgg_normalised.pth, decoder.pth), as `sinforge run` takes them.
    bank: a bank file (`sinforge styles`) or load_bank()'s dict; needed for mode="bank", where each image's
        painting is drawn uniformly from it. It must have been made with this VGG file.
    p: the probability that an image is stylized. alpha: (low, high), each image's alpha drawn uniformly
        from it (a float a means (a, a)); 1 is full stylization.
    mode: "bank", or "batch": the painting of image i is image perm[i] of the same batch, perm a random
        permutation without a fixed point (a batch of one is returned unchanged).
    seed: the module's own generator, so that two modules of one seed make the same draws call by call;
        None draws from torch's global generator.
    size: the network runs at this shorter side and the result is resized back (for 32 or 64 px training
        images, where the encoder's 8x downsampling leaves little); None runs at the input's size.

    The module has no parameters and runs without gradients; it stays in eval mode.
    """

    def __init__(self, vgg, decoder, bank=None, p: float = 1.0,
                 alpha: Union[float, Sequence[float]] = (1.0, 1.0), mode: str = "bank",
                 seed: Optional[int] = None, size: Optional[int] = None):
        super().__init__()
        self._vgg, self._decoder = os.fspath(vgg), os.fspath(decoder)
        for name, path in (("vgg", self._vgg), ("decoder", self._decoder)):
            if not os.path.isfile(path):
                raise ValueError(f"{name}: no such file: {path}")
        if mode not in ("bank", "batch"):
            raise ValueError(f"mode must be 'bank' or 'batch', not {mode!r}")
        if not 0.0 <= float(p) <= 1.0:
            raise ValueError(f"p must lie in [0, 1], not {p}")
        low, high = (float(alpha), float(alpha)) if isinstance(alpha, (int, float)) else map(float, alpha)
        if not (0.0 <= low <= high <= 1.0):
            raise ValueError(f"alpha must be a value or a range (low, high) within [0, 1], not {alpha}")
        if size is not None and (int(size) != size or size < 8):
            raise ValueError(f"size must be None or an integer of at least 8, not {size}")
        self.mode, self.p, self.alpha, self.size = mode, float(p), (low, high), size
        self._generator = None if seed is None else torch.Generator().manual_seed(int(seed))
        self._networks = {}
        mean = std = torch.empty(0, 512)
        self.painting_names = []
        if mode == "bank":
            if bank is None:
                raise ValueError("mode='bank' needs a bank (a file made by `sinforge styles`)")
            loaded = bank if isinstance(bank, dict) else load_bank(bank)
            if loaded["vgg_sha256"] != _C.sha256_hex(self._vgg):
                raise ValueError("the bank was made with other VGG weights than " + self._vgg +
                                 " (its statistics would not match this encoder): rebuild it with `sinforge styles`")
            if loaded["mean"].shape[0] == 0:
                raise ValueError("the bank holds no painting")
            mean, std = loaded["mean"].float(), loaded["std"].float()
            self.painting_names = list(loaded["names"])
        self.register_buffer("style_mean", mean, persistent=False)
        self.register_buffer("style_std", std, persistent=False)
        super().train(False)

    def train(self, mode: bool = True):
        return super().train(False)  # nothing to train: always eval

    def _network(self, device: torch.device):
        key = str(device)
        if key not in self._networks:
            self._networks[key] = _C.Network(self._vgg, self._decoder, key)
        return self._networks[key]

    @staticmethod
    def _check(x):
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"expects a tensor, got {type(x).__name__}")
        if x.dim() != 4 or x.shape[1] != 3:
            raise ValueError(f"expects a batch [N, 3, H, W], got shape {tuple(x.shape)}")
        if x.dtype not in (torch.float32, torch.float16, torch.bfloat16, torch.float64):
            raise ValueError(f"expects a floating-point batch in [0, 1], got {x.dtype}")
        if x.numel() > 0:
            low, high = (float(v) for v in torch.aminmax(x))
            if not (low >= 0.0 and high <= 1.0):
                raise ValueError(f"expects values in [0, 1], got [{low}, {high}] (normalise after augmenting)")

    def _draws(self, n: int):
        """Which images, their alphas and their paintings (bank indices, or batch indices)."""
        g = self._generator
        chosen = torch.rand(n, generator=g) < self.p
        low, high = self.alpha
        alphas = low + (high - low) * torch.rand(n, generator=g)
        if self.mode == "bank":
            source = torch.randint(self.style_mean.shape[0], (n,), generator=g)
        else:
            source = _derangement(n, g) if n > 1 else torch.zeros(1, dtype=torch.long)
            if n == 1:
                chosen[:] = False
        return chosen, alphas, source

    def _at_size(self, images):
        if self.size is None:
            return images
        w, h = _C.shorter_side_size(images.shape[-1], images.shape[-2], self.size)
        return F.interpolate(images, size=(h, w), mode="bilinear", align_corners=False, antialias=True)

    @torch.no_grad()
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check(x)
        n = x.shape[0]
        out = x.clone()
        if n == 0:
            return out
        chosen, alphas, source = self._draws(n)
        picked = chosen.nonzero().flatten()
        if picked.numel() == 0:
            return out
        device = x.device
        net = self._network(device)
        content = self._at_size(x[picked.to(device)].float())
        features = net.encode(content)
        if self.mode == "bank":
            index = source[picked].to(self.style_mean.device)
            mean, std = self.style_mean[index].to(device), self.style_std[index].to(device)
        else:
            mean, std = net.style_statistics(self._at_size(x[source[picked].to(device)].float()))
        order = torch.arange(picked.numel(), device=device)
        low, high = self.alpha
        if low == high:  # one alpha: inside the op, exactly as `sinforge run --alpha` blends
            blended = torch.ops.sinforge.adain(features, mean, std, order, low)
        else:
            styled = torch.ops.sinforge.adain(features, mean, std, order, 1.0)
            a = alphas[picked].to(device=device, dtype=features.dtype).view(-1, 1, 1, 1)
            blended = a * styled + (1 - a) * features
        images = net.decode(blended)[..., : content.shape[-2], : content.shape[-1]]
        if self.size is not None:
            images = F.interpolate(images, size=x.shape[-2:], mode="bilinear", align_corners=False, antialias=True)
        out[picked.to(device)] = images.clamp(0, 1).to(x.dtype)
        return out

    def extra_repr(self) -> str:
        paintings = f", paintings={self.style_mean.shape[0]}" if self.mode == "bank" else ""
        return f"mode={self.mode!r}, p={self.p}, alpha={self.alpha}, size={self.size}{paintings}"
