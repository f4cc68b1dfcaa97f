"""Writes a reference case for the network tests: random calibrated weights in both torch.save formats,
small content and style images (PNG, lossless), and what the published network computes from them in
float64: relu4_1 features, style statistics, AdaIN output, decoder output and the 8-bit images.

usage: network_reference.py OUT_DIR [--seed S]
Tensors are written as raw little-endian float32 files <name>.f32, described in manifest.json."""
import argparse
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adain_net  # noqa: E402

CONTENT_SIZES = [(37, 29), (64, 48), (45, 60)]  # (w, h): odd sizes exercise ceil-mode pooling and the crop
STYLE_SIZES = [(40, 40), (52, 33)]
ALPHAS = [1.0, 0.6]


def smooth_image(rng, w, h):
    """A random photo-like image: low-frequency colour fields plus a little noise, in uint8."""
    coarse = rng.random((3, max(2, h // 8), max(2, w // 8)))
    t = torch.nn.functional.interpolate(torch.from_numpy(coarse)[None], size=(h, w), mode='bilinear',
                                        align_corners=False)[0]
    t = t + 0.05 * torch.from_numpy(rng.standard_normal((3, h, w)))
    return (t.clamp(0, 1).permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)


def to_input(path):
    """As the reference tools load an image: PIL, convert('RGB'), ToTensor (x / 255)."""
    a = np.asarray(Image.open(path).convert('RGB'), dtype=np.float64) / 255.0
    return torch.from_numpy(a).permute(2, 0, 1)[None].contiguous()


def to_8bit(x):
    """torchvision.utils.save_image's rounding, in float32 as it does."""
    return x.float().mul(255).add_(0.5).clamp_(0, 255).to(torch.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--seed', type=int, default=1234)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    torch.manual_seed(args.seed)

    vgg, dec = adain_net.random_weights(args.seed)
    probe = torch.from_numpy(np.stack([smooth_image(rng, 48, 48) for _ in range(2)])).permute(0, 3, 1, 2)
    adain_net.calibrate_output(vgg, dec, probe.float() / 255)
    for legacy, suffix in ((True, 'legacy'), (False, 'zip')):
        adain_net.save_state_dict(vgg, os.path.join(args.out, f'vgg_{suffix}.pth'), legacy)
        adain_net.save_state_dict(dec, os.path.join(args.out, f'decoder_{suffix}.pth'), legacy)

    encoder = adain_net.encoder_of(vgg).double()
    dec = dec.double()
    manifest = {'contents': [], 'styles': [], 'alphas': ALPHAS, 'tensors': {}}

    def put(name, t):
        t = t.detach().to(torch.float32).contiguous()
        t.numpy().tofile(os.path.join(args.out, name + '.f32'))
        manifest['tensors'][name] = list(t.shape)

    os.makedirs(os.path.join(args.out, 'content'), exist_ok=True)
    os.makedirs(os.path.join(args.out, 'styles'), exist_ok=True)
    style_stats = []
    with torch.no_grad():
        for i, (w, h) in enumerate(STYLE_SIZES):
            path = os.path.join(args.out, 'styles', f'style{i}.png')
            Image.fromarray(smooth_image(rng, w, h)).save(path)
            mean, std = adain_net.channel_stats(encoder(to_input(path)))
            put(f'style{i}_mean', mean[0])
            put(f'style{i}_std', std[0])
            style_stats.append((mean, std))
            manifest['styles'].append(path)
        for i, (w, h) in enumerate(CONTENT_SIZES):
            path = os.path.join(args.out, 'content', f'content{i}.png')
            Image.fromarray(smooth_image(rng, w, h)).save(path)
            x = to_input(path)
            put(f'content{i}_input', x)
            feat = encoder(x)
            put(f'content{i}_relu4_1', feat)
            for s, (mean, std) in enumerate(style_stats):
                for a, alpha in enumerate(ALPHAS):
                    t = adain_net.adain(feat, mean, std, alpha)
                    out = dec(t)[:, :, :h, :w]
                    key = f'content{i}_style{s}_alpha{a}'
                    put(key + '_adain', t)
                    put(key + '_decoded', out)
                    img = to_8bit(out)[0].permute(1, 2, 0).numpy()
                    Image.fromarray(img).save(os.path.join(args.out, key + '.png'))
                    manifest.setdefault('output_range', [1.0, 0.0])
                    manifest['output_range'][0] = min(manifest['output_range'][0], out.min().item())
                    manifest['output_range'][1] = max(manifest['output_range'][1], out.max().item())
            manifest['contents'].append({'path': path, 'width': w, 'height': h})
    with open(os.path.join(args.out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)


if __name__ == '__main__':
    main()
