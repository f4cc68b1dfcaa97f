"""torchvision's ToTensor and save_image arithmetic on raw buffers, for the C++ Tensor tests.

Usage: save_image_rule.py to_uint8 IN.f32 OUT.u8   (x * 255 + 0.5).clamp(0, 255).to(uint8), float32
       save_image_rule.py to_float IN.u8 OUT.f32   x.float().div(255), as ToTensor
"""
import sys

import numpy as np
import torch


def main() -> int:
    mode, src, dst = sys.argv[1:4]
    if mode == "to_uint8":
        x = torch.from_numpy(np.fromfile(src, dtype=np.float32))
        y = x.mul(255).add_(0.5).clamp_(0, 255).to(torch.uint8)
    elif mode == "to_float":
        x = torch.from_numpy(np.fromfile(src, dtype=np.uint8))
        y = x.float().div(255)
    else:
        raise SystemExit(f"unknown mode {mode}")
    y.numpy().tofile(dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
