"""The yardsticks sinforge's GPU figures are judged against (issue 8): the same network in plain PyTorch on
the same GPU, weights and data. Not part of sinforge; run by scripts/gpu-compare.sh on a lent GPU machine.

  network  the network alone (encoder, AdaIN, decoder) on random input of one shape: eager NCHW, eager
           channels-last, torch.compile(mode="max-autotune"); images/s from CUDA events.
  sin224   a whole batched run of the sin224 recipe over a folder: DataLoader workers decode with PIL
           (Resize 256, CenterCrop 224, ToTensor), batches of --batch, painting statistics computed once,
           PNGs written by a thread pool; images/s of the whole command.
  full     the full-size recipe one image at a time (sizes vary), painting statistics cached, cuDNN
           autotuning off, JPEG written by a thread pool; images/s of the whole command.

The network is tests/reference/adain_net.py (written from the layer table), so the mathematics is sinforge's.
"""
import argparse
import concurrent.futures
import json
import os
import random
import sys
import time
from pathlib import Path

import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "reference"))
import adain_net  # noqa: E402


def load_network(weights_dir, device, dtype):
    vgg, dec = adain_net.make_vgg(), adain_net.make_decoder()
    vgg.load_state_dict(torch.load(Path(weights_dir) / "vgg_normalised.pth"))
    dec.load_state_dict(torch.load(Path(weights_dir) / "decoder.pth"))
    enc = adain_net.encoder_of(vgg).to(device, dtype).eval()
    return enc, dec.to(device, dtype).eval()


def to_tensor(img):
    import numpy as np
    return torch.from_numpy(np.array(img.convert("RGB"), dtype="uint8")).permute(2, 0, 1).float() / 255


def resize_shorter(img, size):
    w, h = img.size
    if size == 0 or min(w, h) == size:
        return img
    if w < h:
        return img.resize((size, int(size * h / w)), Image.BILINEAR)
    return img.resize((int(size * w / h), size), Image.BILINEAR)


def center_crop(img, size):
    w, h = img.size
    left, top = int(round((w - size) / 2.0)), int(round((h - size) / 2.0))
    return img.crop((left, top, left + size, top + size))


def stylize(enc, dec, content, mean, std):
    return dec(adain_net.adain(enc(content), mean, std)).float()


def to_uint8(out):
    return out.mul(255).add_(0.5).clamp_(0, 255).to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()


def style_statistics(enc, style_dir, device, dtype, limit):
    paths = sorted(Path(style_dir).glob("*.jpg"))[:limit]
    means, stds = [], []
    with torch.no_grad():
        for p in paths:
            x = to_tensor(resize_shorter(Image.open(p), 512)).unsqueeze(0).to(device, dtype)
            m, s = adain_net.channel_stats(enc(x).float())
            means.append(m)
            stds.append(s)
    return torch.cat(means), torch.cat(stds)


def time_network(args):
    device, dtype = torch.device(args.device), getattr(torch, args.dtype)
    enc, dec = load_network(args.weights, device, dtype)
    x = torch.rand(args.batch, 3, args.height, args.width, device=device, dtype=dtype)
    mean = torch.rand(args.batch, 512, device=device, dtype=dtype)
    std = torch.rand(args.batch, 512, device=device, dtype=dtype) + 0.5
    results = {}
    variants = [("eager_nchw", False, False), ("eager_channels_last", True, False),
                ("compile_max_autotune", True, True)]
    for name, channels_last, compiled in variants:
        fmt = torch.channels_last if channels_last else torch.contiguous_format
        e, d = enc.to(memory_format=fmt), dec.to(memory_format=fmt)
        fn = lambda inp: to_uint8_device(stylize(e, d, inp, mean, std))  # noqa: E731
        if compiled:
            fn = torch.compile(fn, mode="max-autotune")
        inp = x.contiguous(memory_format=fmt)
        with torch.no_grad():
            for _ in range(3):
                fn(inp)
            torch.cuda.synchronize()
            start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            for _ in range(args.iterations):
                fn(inp)
            stop.record()
            torch.cuda.synchronize()
        seconds = start.elapsed_time(stop) / 1e3 / args.iterations
        results[name] = args.batch / seconds
        print(f"network {name:22s} {args.width}x{args.height} {args.dtype} batch {args.batch}: "
              f"{results[name]:9.1f} images/s", flush=True)
    return results


def to_uint8_device(out):
    return out.mul(255).add_(0.5).clamp_(0, 255).to(torch.uint8)


class Sin224Folder(torch.utils.data.Dataset):
    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = center_crop(resize_shorter(Image.open(self.paths[i]).convert("RGB"), 256), 224)
        return to_tensor(img), i


def run_sin224(args):
    start = time.perf_counter()
    device, dtype = torch.device(args.device), getattr(torch, args.dtype)
    enc, dec = load_network(args.weights, device, dtype)
    enc, dec = enc.to(memory_format=torch.channels_last), dec.to(memory_format=torch.channels_last)
    mean, std = style_statistics(enc, args.styles, device, dtype, args.paintings)
    paths = sorted(Path(args.content).glob("*.jpg"))
    loader = torch.utils.data.DataLoader(Sin224Folder(paths), batch_size=args.batch, num_workers=args.workers,
                                         pin_memory=device.type == "cuda")
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool, torch.no_grad():
        pending = []
        for x, idx in loader:
            pick = torch.tensor([rng.randrange(len(mean)) for _ in range(len(idx))], device=device)
            x = x.to(device, dtype, non_blocking=True).contiguous(memory_format=torch.channels_last)
            out = to_uint8(stylize(enc, dec, x, mean[pick].to(dtype), std[pick].to(dtype)))
            for b, i in enumerate(idx.tolist()):
                pending.append(pool.submit(Image.fromarray(out[b]).save, out_dir / (paths[i].stem + ".png")))
        for f in pending:
            f.result()
    seconds = time.perf_counter() - start
    print(f"pytorch sin224 batched ({args.dtype}, batch {args.batch}): {len(paths)} images in {seconds:.1f} s: "
          f"{len(paths) / seconds:.1f} images/s", flush=True)
    return {"images": len(paths), "seconds": seconds, "images_per_second": len(paths) / seconds}


def run_full(args):
    start = time.perf_counter()
    torch.backends.cudnn.benchmark = False
    device, dtype = torch.device(args.device), getattr(torch, args.dtype)
    enc, dec = load_network(args.weights, device, dtype)
    mean, std = style_statistics(enc, args.styles, device, dtype, args.paintings)
    paths = sorted(Path(args.content).glob("*.jpg"))[: args.limit or None]
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool, torch.no_grad():
        pending = []
        for p in paths:
            x = to_tensor(Image.open(p)).unsqueeze(0).to(device, dtype)
            k = rng.randrange(len(mean))
            h, w = x.shape[2:]
            out = to_uint8(stylize(enc, dec, x, mean[k:k + 1].to(dtype), std[k:k + 1].to(dtype))[:, :, :h, :w])
            pending.append(pool.submit(Image.fromarray(out[0]).save, out_dir / p.name, quality=75))
        for f in pending:
            f.result()
    seconds = time.perf_counter() - start
    print(f"pytorch full one at a time ({args.dtype}): {len(paths)} images in {seconds:.1f} s: "
          f"{len(paths) / seconds:.1f} images/s", flush=True)
    return {"images": len(paths), "seconds": seconds, "images_per_second": len(paths) / seconds}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["network", "sin224", "full"])
    ap.add_argument("--weights", required=True, help="folder with vgg_normalised.pth and decoder.pth")
    ap.add_argument("--content", help="folder of content JPEGs (sin224, full)")
    ap.add_argument("--styles", help="folder of painting JPEGs (sin224, full)")
    ap.add_argument("--out", help="output folder (sin224, full)")
    ap.add_argument("--device", default="cuda", help="cuda; cpu only to try the script out (network needs cuda)")
    ap.add_argument("--dtype", default="bfloat16", choices=["float32", "float16", "bfloat16"])
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--width", type=int, default=224)
    ap.add_argument("--height", type=int, default=224)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    ap.add_argument("--paintings", type=int, default=200, help="paintings whose statistics are used")
    ap.add_argument("--limit", type=int, default=0, help="full: at most this many images (0: all)")
    ap.add_argument("--json", help="append the result as one JSON line to this file")
    args = ap.parse_args()
    result = {"network": time_network, "sin224": run_sin224, "full": run_full}[args.mode](args)
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps({"mode": args.mode, "dtype": args.dtype, "batch": args.batch, **result}) + "\n")


if __name__ == "__main__":
    main()
