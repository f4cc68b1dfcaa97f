"""Images/s of sinforge.StyleAugment beside an eager PyTorch AdaIN augmentation written as the training-loop
codebases write it (nn.Sequential VGG and decoder, AdaIN in torch ops, the bank's statistics gathered per
image), same weights, batch, size and device, measured in one process, alternating, median of the repeats.

usage: bench_style_augment.py WEIGHTS_DIR [--device cpu|cuda] [--batch 8] [--size 128] [--repeats 5]
(WEIGHTS_DIR holds vgg_normalised.pth and decoder.pth; tests/reference/write_demo_weights.py writes random
ones.) Prints one line per implementation and their ratio.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

import sinforge

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "reference"))
import adain_net  # noqa: E402


class EagerStyleAugment(torch.nn.Module):
    """The usual eager augmentation: whole-feature-map AdaIN in torch ops, p and alpha per image."""

    def __init__(self, vgg_file, decoder_file, mean, std, p=1.0, alpha=1.0):
        super().__init__()
        vgg, dec = adain_net.make_vgg(), adain_net.make_decoder()
        vgg.load_state_dict(torch.load(vgg_file))
        dec.load_state_dict(torch.load(decoder_file))
        self.encoder, self.decoder = adain_net.encoder_of(vgg).eval(), dec.eval()
        self.mean, self.std, self.p, self.alpha = mean, std, p, alpha

    @torch.no_grad()
    def forward(self, x):
        n = x.shape[0]
        chosen = (torch.rand(n) < self.p).nonzero().flatten().to(x.device)
        index = torch.randint(self.mean.shape[0], (chosen.numel(),)).to(x.device)
        feats = self.encoder(x[chosen])
        mean, std = adain_net.channel_stats(feats)
        t = (feats - mean[..., None, None]) / std[..., None, None] * self.std[index][..., None, None] \
            + self.mean[index][..., None, None]
        t = self.alpha * t + (1 - self.alpha) * feats
        out = x.clone()
        out[chosen] = self.decoder(t)[..., : x.shape[-2], : x.shape[-1]].clamp(0, 1)
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("weights", type=Path)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    vgg, dec = a.weights / "vgg_normalised.pth", a.weights / "decoder.pth"
    device = torch.device(a.device)
    g = torch.Generator().manual_seed(0)
    paintings = torch.rand(16, 3, 96, 96, generator=g)
    eager = EagerStyleAugment(vgg, dec, None, None).to(device)
    with torch.no_grad():
        mean, std = adain_net.channel_stats(eager.encoder(paintings.to(device)))
    eager.mean, eager.std = mean, std
    bank = {"mean": mean.cpu(), "std": std.cpu(), "names": [str(i) for i in range(16)],
            "vgg_sha256": sinforge._C.sha256_hex(str(vgg)), "precision": "fp32", "style_size": 0}
    ours = sinforge.StyleAugment(vgg, dec, bank=bank, p=1.0, alpha=1.0, seed=0)
    x = torch.rand(a.batch, 3, a.size, a.size, generator=g).to(device)
    times = {"sinforge.StyleAugment": [], "eager PyTorch": []}
    modules = {"sinforge.StyleAugment": ours, "eager PyTorch": eager}
    for m in modules.values():  # warm-up: weights to the device, allocator, oneDNN/cuDNN choices
        m(x)
    for _ in range(a.repeats):
        for name, m in modules.items():
            if device.type == "cuda":
                torch.cuda.synchronize()
            t0 = time.perf_counter()
            m(x)
            if device.type == "cuda":
                torch.cuda.synchronize()
            times[name].append(time.perf_counter() - t0)
    rates = {name: a.batch / statistics.median(t) for name, t in times.items()}
    print(f"device {a.device}, batch {a.batch} x 3 x {a.size} x {a.size}, threads {torch.get_num_threads()}, "
          f"median of {a.repeats}")
    for name, rate in rates.items():
        print(f"  {name:24s} {rate:8.2f} images/s")
    print(f"  ratio {rates['sinforge.StyleAugment'] / rates['eager PyTorch']:.2f}")


if __name__ == "__main__":
    main()
