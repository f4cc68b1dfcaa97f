"""The AdaIN network as the published pytorch-AdaIN defines it, written from the layer table in
docs/REFERENCE.md section 1. The test suite's reference: it runs on the same random weights as
sinforge and must agree with it. Nothing here is used at run time."""
import torch
import torch.nn as nn


def make_vgg():
    """vgg_normalised: the whole VGG-19 up to relu5_4, as in the official file (indices 0..52)."""
    layers = [nn.Conv2d(3, 3, 1)]
    plan = [(3, 64), (64, 64), 'M', (64, 128), (128, 128), 'M', (128, 256), (256, 256), (256, 256),
            (256, 256), 'M', (256, 512), (512, 512), (512, 512), (512, 512), 'M', (512, 512), (512, 512),
            (512, 512), (512, 512)]
    for item in plan:
        if item == 'M':
            layers.append(nn.MaxPool2d(2, 2, 0, ceil_mode=True))
        else:
            layers += [nn.ReflectionPad2d(1), nn.Conv2d(item[0], item[1], 3), nn.ReLU()]
    return nn.Sequential(*layers)


def make_decoder():
    return nn.Sequential(
        nn.ReflectionPad2d(1), nn.Conv2d(512, 256, 3), nn.ReLU(), nn.Upsample(scale_factor=2, mode='nearest'),
        nn.ReflectionPad2d(1), nn.Conv2d(256, 256, 3), nn.ReLU(),
        nn.ReflectionPad2d(1), nn.Conv2d(256, 256, 3), nn.ReLU(),
        nn.ReflectionPad2d(1), nn.Conv2d(256, 256, 3), nn.ReLU(),
        nn.ReflectionPad2d(1), nn.Conv2d(256, 128, 3), nn.ReLU(), nn.Upsample(scale_factor=2, mode='nearest'),
        nn.ReflectionPad2d(1), nn.Conv2d(128, 128, 3), nn.ReLU(),
        nn.ReflectionPad2d(1), nn.Conv2d(128, 64, 3), nn.ReLU(), nn.Upsample(scale_factor=2, mode='nearest'),
        nn.ReflectionPad2d(1), nn.Conv2d(64, 64, 3), nn.ReLU(),
        nn.ReflectionPad2d(1), nn.Conv2d(64, 3, 3),
    )


def encoder_of(vgg):
    """The first 31 modules: up to relu4_1."""
    return nn.Sequential(*list(vgg.children())[:31])


def channel_stats(feat, eps=1e-5):
    n, c = feat.shape[:2]
    flat = feat.reshape(n, c, -1)
    mean = flat.mean(dim=2)
    std = (flat.var(dim=2, unbiased=True) + eps).sqrt()
    return mean, std


def adain(content, style_mean, style_std, alpha=1.0):
    mean, std = channel_stats(content)
    t = (content - mean[..., None, None]) / std[..., None, None] * style_std[..., None, None] \
        + style_mean[..., None, None]
    return alpha * t + (1 - alpha) * content


def random_weights(seed):
    """Random vgg and decoder with He-scaled weights, so activations keep their scale through the layers."""
    g = torch.Generator().manual_seed(seed)
    vgg, dec = make_vgg(), make_decoder()
    for net in (vgg, dec):
        for m in net.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.in_channels * m.kernel_size[0] * m.kernel_size[1]
                with torch.no_grad():
                    m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                    m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.01)
    return vgg.eval(), dec.eval()


def calibrate_output(vgg, dec, probe):
    """Scales the decoder's last conv so outputs sit near 0.5 with a spread of about 0.12: random weights
    otherwise saturate every pixel to 0 or 255 and any comparison of 8-bit images would pass."""
    with torch.no_grad():
        last = dec[-1]
        last.bias.zero_()
        out = dec(adain(encoder_of(vgg)(probe), *channel_stats(encoder_of(vgg)(probe.flip(0)))))
        scale = 0.12 / out.std().item()
        last.weight.mul_(scale)
        last.bias.fill_(0.5)


def save_state_dict(net, path, legacy):
    sd = net.state_dict()
    if legacy:
        torch.save(sd, path, _use_new_zipfile_serialization=False)
    else:
        torch.save(sd, path)
