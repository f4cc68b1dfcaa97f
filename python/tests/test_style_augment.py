"""sinforge.StyleAugment and torch.ops.sinforge.adain against the PyTorch reference network of the C++ tests
(tests/reference/adain_net.py) on the same random weights, and against `sinforge run` itself.

Run by scripts/test.sh: SINFORGE_CLI names the built program; the package is imported from the build tree
(PYTHONPATH=build/python) or from an installed wheel.
"""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import sinforge

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "reference"))
import adain_net  # noqa: E402

CLI = os.environ.get("SINFORGE_CLI", str(ROOT / "build" / "sinforge"))


@pytest.fixture(scope="session")
def weights(tmp_path_factory):
    """Random calibrated weights in the official format, and the reference network loaded from the files."""
    folder = tmp_path_factory.mktemp("weights")
    subprocess.run([sys.executable, str(ROOT / "tests" / "reference" / "write_demo_weights.py"), str(folder)],
                   check=True)
    vgg, dec = adain_net.make_vgg(), adain_net.make_decoder()
    vgg.load_state_dict(torch.load(folder / "vgg_normalised.pth"))
    dec.load_state_dict(torch.load(folder / "decoder.pth"))
    return folder / "vgg_normalised.pth", folder / "decoder.pth", adain_net.encoder_of(vgg).eval(), dec.eval()


def smooth_batch(n, h, w, seed):
    """Photo-like images in [0, 1]: smooth colour with a little noise."""
    g = torch.Generator().manual_seed(seed)
    y = torch.linspace(0, 1, h).view(1, 1, h, 1)
    x = torch.linspace(0, 1, w).view(1, 1, 1, w)
    phase = torch.rand(n, 3, 1, 1, generator=g) * 6
    base = 0.5 + 0.4 * torch.sin(3 * x + 2 * y + phase)
    return (base + 0.03 * torch.randn(n, 3, h, w, generator=g)).clamp(0, 1)


def sha256_of(path):
    """The file's SHA-256 by hashlib, not by the library whose record it checks."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def bank_of(weights, paintings):
    """A bank dict (as load_bank gives) of the reference encoder's statistics of the paintings."""
    vgg_file, _, enc, _ = weights
    with torch.no_grad():
        mean, std = adain_net.channel_stats(enc(paintings))
    return {"mean": mean, "std": std, "names": [f"p{i}.png" for i in range(len(paintings))],
            "vgg_sha256": sha256_of(vgg_file), "precision": "fp32", "style_size": 0}


def reference(weights, content, mean, std, alpha):
    _, _, enc, dec = weights
    with torch.no_grad():
        out = dec(adain_net.adain(enc(content), mean, std, alpha))
    return out[..., : content.shape[-2], : content.shape[-1]].clamp(0, 1)


def test_bank_mode_equals_the_reference_network(weights):
    content = smooth_batch(3, 48, 64, 1)
    painting = smooth_batch(1, 56, 40, 2)
    bank = bank_of(weights, painting)  # one painting: every draw picks it
    aug = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=1.0, alpha=0.7, seed=0)
    ours = aug(content)
    expected = reference(weights, content, bank["mean"].expand(3, -1), bank["std"].expand(3, -1), 0.7)
    assert ours.shape == content.shape and ours.dtype == content.dtype
    assert (ours - expected).abs().max().item() < 2e-3


def test_an_alpha_range_blends_each_image_with_its_own_alpha(weights):
    content = smooth_batch(4, 32, 32, 3)
    bank = bank_of(weights, smooth_batch(1, 32, 32, 4))
    aug = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=1.0, alpha=(0.2, 0.9), seed=5)
    _, alphas, _ = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=1.0, alpha=(0.2, 0.9),
                                         seed=5)._draws(4)
    ours = aug(content)
    for i in range(4):
        expected = reference(weights, content[i:i + 1], bank["mean"], bank["std"], float(alphas[i]))
        assert (ours[i:i + 1] - expected).abs().max().item() < 2e-3
    assert 0.2 <= float(alphas.min()) and float(alphas.max()) <= 0.9 and float(alphas.std()) > 0


def test_p0_returns_the_input_unchanged_and_p1_stylizes_every_image(weights):
    content = smooth_batch(5, 32, 40, 6)
    bank = bank_of(weights, smooth_batch(2, 32, 32, 7))
    none = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=0.0, seed=1)(content)
    assert torch.equal(none, content) and none.data_ptr() != content.data_ptr()
    every = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=1.0, seed=1)(content)
    assert all((every[i] - content[i]).abs().max() > 0.05 for i in range(5))
    half = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=0.5, seed=2)
    chosen, _, _ = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=0.5, seed=2)._draws(5)
    out = half(content)
    for i in range(5):
        assert torch.equal(out[i], content[i]) != bool(chosen[i])


def test_seeded_calls_repeat_exactly(weights):
    content = smooth_batch(4, 32, 32, 8)
    bank = bank_of(weights, smooth_batch(3, 32, 32, 9))
    a = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=0.6, alpha=(0.3, 1.0), seed=11)
    b = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=0.6, alpha=(0.3, 1.0), seed=11)
    first, second = a(content), a(content)
    assert torch.equal(first, b(content)) and torch.equal(second, b(content))
    other = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=0.6, alpha=(0.3, 1.0), seed=12)
    assert not torch.equal(first, other(content))


def test_batch_mode_never_styles_an_image_with_itself(weights):
    aug = sinforge.StyleAugment(weights[0], weights[1], mode="batch", p=1.0, seed=3)
    for n in (2, 3, 7):
        for _ in range(50):
            chosen, _, source = aug._draws(n)
            assert bool(chosen.all()) and not bool((source == torch.arange(n)).any())
            assert sorted(source.tolist()) == list(range(n))
    content = smooth_batch(3, 40, 40, 10)
    _, _, source = sinforge.StyleAugment(weights[0], weights[1], mode="batch", seed=4)._draws(3)
    out = sinforge.StyleAugment(weights[0], weights[1], mode="batch", seed=4)(content)
    _, _, enc, _ = weights
    with torch.no_grad():
        mean, std = adain_net.channel_stats(enc(content[source]))
    assert (out - reference(weights, content, mean, std, 1.0)).abs().max().item() < 2e-3
    one = smooth_batch(1, 32, 32, 11)
    assert torch.equal(aug(one), one)  # no other image to take a style from


def test_size_runs_the_network_at_that_size_and_returns_the_input_size(weights):
    content = smooth_batch(2, 32, 32, 12)
    bank = bank_of(weights, smooth_batch(1, 64, 64, 13))
    out = sinforge.StyleAugment(weights[0], weights[1], bank=bank, size=64, seed=0)(content)
    assert out.shape == content.shape
    big = torch.nn.functional.interpolate(content, size=(64, 64), mode="bilinear", antialias=True)
    expected = torch.nn.functional.interpolate(reference(weights, big, bank["mean"].expand(2, -1),
                                                         bank["std"].expand(2, -1), 1.0),
                                               size=(32, 32), mode="bilinear", antialias=True)
    assert (out - expected.clamp(0, 1)).abs().max().item() < 2e-3


def test_the_op_is_the_reference_adain_and_traces_under_compile_and_torchscript(weights):
    g = torch.Generator().manual_seed(1)
    content = torch.randn(3, 512, 5, 7, generator=g)
    mean, std = torch.randn(4, 512, generator=g), torch.rand(4, 512, generator=g) + 0.5
    index = torch.tensor([2, 0, 3])
    ours = torch.ops.sinforge.adain(content, mean, std, index, 0.6)
    assert (ours - adain_net.adain(content, mean[index], std[index], 0.6)).abs().max().item() < 1e-4

    def f(c, m, s, i):
        return torch.ops.sinforge.adain(c, m, s, i, 0.6) * 2

    compiled = torch.compile(f, backend="aot_eager", fullgraph=True)
    assert torch.allclose(compiled(content, mean, std, index), ours * 2)
    scripted = torch.jit.script(f)
    assert torch.equal(scripted(content, mean, std, index), ours * 2)


def test_clear_value_errors(weights, tmp_path):
    vgg, dec = weights[0], weights[1]
    bank = bank_of(weights, smooth_batch(1, 32, 32, 14))
    aug = sinforge.StyleAugment(vgg, dec, bank=bank)
    bad_inputs = [(torch.zeros(2, 3, 8, 8, dtype=torch.uint8), "floating-point"),
                  (torch.zeros(2, 4, 8, 8), "[N, 3, H, W]"), (torch.zeros(3, 8, 8), "[N, 3, H, W]"),
                  (torch.full((1, 3, 8, 8), 2.0), "[0, 1]"), (torch.full((1, 3, 8, 8), -0.5), "[0, 1]")]
    for x, message in bad_inputs:
        with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
            aug(x)
    for kwargs, message in [({"alpha": 1.5}, "alpha"), ({"alpha": (0.8, 0.2)}, "alpha"), ({"p": -0.1}, "p must"),
                            ({"mode": "other"}, "mode"), ({"size": 3}, "size")]:
        with pytest.raises(ValueError, match=message):
            sinforge.StyleAugment(vgg, dec, bank=bank, **kwargs)
    with pytest.raises(ValueError, match="needs a bank"):
        sinforge.StyleAugment(vgg, dec)
    other = dict(bank, vgg_sha256="0" * 64)
    with pytest.raises(ValueError, match="other VGG weights"):
        sinforge.StyleAugment(vgg, dec, bank=other)
    (tmp_path / "junk.bank").write_bytes(b"not a bank")
    with pytest.raises(ValueError, match="junk.bank"):
        sinforge.load_bank(tmp_path / "junk.bank")


def run_cli(*args):
    r = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r


def test_one_image_painting_and_alpha_equal_sinforge_run_within_one_level(weights, tmp_path):
    vgg, dec = weights[0], weights[1]
    (tmp_path / "content").mkdir()
    (tmp_path / "styles").mkdir()
    content = (smooth_batch(1, 72, 88, 15)[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
    painting = (smooth_batch(1, 64, 64, 16)[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
    Image.fromarray(content).save(tmp_path / "content" / "a.png")
    Image.fromarray(painting).save(tmp_path / "styles" / "p.png")
    run_cli("run", "--content", tmp_path / "content", "--styles", tmp_path / "styles", "--out", tmp_path / "out",
            "--vgg", vgg, "--decoder", dec, "--format", "png", "--alpha", 0.8, "--device", "cpu",
            "--log-level", "error")
    bank = sinforge.load_bank(tmp_path / "out" / "sinforge.styles.bank")
    assert bank["names"] == ["p.png"] and tuple(bank["mean"].shape) == (1, 512)
    expected = np.asarray(Image.open(tmp_path / "out" / "a.png").convert("RGB")).astype(int)
    x = torch.from_numpy(content).permute(2, 0, 1)[None].float() / 255
    ours = sinforge.StyleAugment(vgg, dec, bank=bank, p=1.0, alpha=0.8)(x)
    ours8 = (ours[0].permute(1, 2, 0) * 255 + 0.5).clamp(0, 255).to(torch.uint8).numpy().astype(int)
    assert np.abs(ours8 - expected).max() <= 1


def test_a_bank_made_by_sinforge_styles_is_read_with_its_paintings(weights, tmp_path):
    (tmp_path / "styles" / "sub").mkdir(parents=True)
    for i, name in enumerate(["b.png", "sub/a.png"]):
        img = (smooth_batch(1, 48, 48, 20 + i)[0].permute(1, 2, 0).numpy() * 255).astype(np.uint8)
        Image.fromarray(img).save(tmp_path / "styles" / name)
    run_cli("styles", "--styles", tmp_path / "styles", "--out", tmp_path / "p.bank", "--vgg", weights[0],
            "--decoder", weights[1], "--device", "cpu", "--style-size", 0, "--log-level", "error")
    bank = sinforge.load_bank(tmp_path / "p.bank")
    assert sorted(bank["names"]) == ["b.png", "sub/a.png"]
    assert bank["vgg_sha256"] == sha256_of(weights[0])
    aug = sinforge.StyleAugment(weights[0], weights[1], bank=tmp_path / "p.bank", seed=0)
    assert aug.painting_names == bank["names"] and aug.style_mean.shape == (2, 512)


def test_a_training_loop_runs_with_it(weights):
    torch.manual_seed(0)
    bank = bank_of(weights, smooth_batch(2, 32, 32, 30))
    aug = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=0.5, alpha=(0.5, 1.0), seed=0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                                torch.nn.Flatten(), torch.nn.Linear(8, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    before = [p.detach().clone() for p in model.parameters()]
    losses = []
    for step in range(20):
        images = smooth_batch(4, 32, 32, 100 + step)
        labels = torch.tensor([0, 1, 0, 1])
        loss = torch.nn.functional.cross_entropy(model(aug(images)), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert all(np.isfinite(losses))
    assert any(not torch.equal(b, p) for b, p in zip(before, model.parameters()))
    assert not aug.training and sum(p.numel() for p in aug.parameters()) == 0


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_on_a_gpu_the_result_is_the_cpus_within_a_level(weights):
    content = smooth_batch(4, 64, 48, 40)
    bank = bank_of(weights, smooth_batch(3, 64, 64, 41))
    cpu = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=0.75, alpha=(0.5, 1.0), seed=9)(content)
    aug = sinforge.StyleAugment(weights[0], weights[1], bank=bank, p=0.75, alpha=(0.5, 1.0), seed=9).cuda()
    gpu = aug(content.cuda())
    assert gpu.is_cuda and (gpu.cpu() - cpu).abs().max().item() < 1.0 / 255
