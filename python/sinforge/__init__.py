"""sinforge inside a training loop: AdaIN style augmentation on the project's own network and kernels.

    aug = sinforge.StyleAugment("vgg_normalised.pth", "decoder.pth", bank="paintings.bank", p=0.5,
                                alpha=(0.5, 1.0), seed=0)
    images = aug(images)          # float [N, 3, H, W] in [0, 1], CPU or GPU

`sinforge.load_bank(file)` reads a bank made by `sinforge styles`; `torch.ops.sinforge.adain` is the AdaIN
op itself (registered for the CPU, CUDA and Meta, so torch.compile and TorchScript see it).
"""
import torch  # noqa: F401  (first: the module links LibTorch's libraries, which torch loads)

from . import _C  # noqa: F401  (registers torch.ops.sinforge.adain)
from .augment import StyleAugment, load_bank

__all__ = ["StyleAugment", "load_bank"]
