"""Writes random AdaIN state dicts in both torch.save formats, and broken variants, for the weight-loading
tests (tests/test_weights.cpp). Usage: write_weights.py OUT_DIR

For each <name> whose values the tests compare, also writes <name>.expected.txt (see dump_expected). sha256.txt lists hashlib's SHA-256
of a few files of awkward lengths (named sha_<n>.bin) and of the weight files."""
import collections
import hashlib
import os
import pickle
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adain_net  # noqa: E402


def save(sd, path, legacy):
    if legacy:
        torch.save(sd, path, _use_new_zipfile_serialization=False)
    else:
        torch.save(sd, path)


def dump_expected(sd, out, name):
    """<name>.expected.txt: per tensor, its key, the SHA-256 of its values as contiguous little-endian float32
    bytes, and its shape."""
    with open(os.path.join(out, name + '.expected.txt'), 'w') as f:
        for k, t in sd.items():
            data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
            f.write('%s %s %s\n' % (k, hashlib.sha256(data).hexdigest(), ' '.join(str(s) for s in t.shape)))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    vgg, dec = adain_net.random_weights(7)

    # The two official files, in both formats.
    for legacy, tag in ((True, 'legacy'), (False, 'zip')):
        adain_net.save_state_dict(vgg, os.path.join(out, 'vgg_%s.pth' % tag), legacy)
        adain_net.save_state_dict(dec, os.path.join(out, 'dec_%s.pth' % tag), legacy)
    dump_expected(vgg.state_dict(), out, 'vgg')
    dump_expected(dec.state_dict(), out, 'dec')

    vsd = vgg.state_dict()
    encoder_keys = [k for k in vsd if int(k.split('.')[0]) <= 29]
    encoder = collections.OrderedDict((k, vsd[k]) for k in encoder_keys)
    save(encoder, os.path.join(out, 'vgg_encoder_only.pth'), True)
    dump_expected(encoder, out, 'vgg_encoder_only')

    # A wrong shape on a required key, and on an optional one.
    wrong = collections.OrderedDict(encoder)
    wrong['2.weight'] = torch.randn(64, 3, 1, 1)
    save(wrong, os.path.join(out, 'vgg_wrong_shape.pth'), True)
    wrong_opt = collections.OrderedDict(encoder)
    wrong_opt['32.weight'] = torch.randn(512, 512, 1, 1)
    wrong_opt['32.bias'] = torch.randn(512)
    save(wrong_opt, os.path.join(out, 'vgg_wrong_optional.pth'), False)
    dsd = dec.state_dict()
    dwrong = collections.OrderedDict(dsd)
    dwrong['14.weight'] = torch.randn(128, 256, 3, 2)
    save(dwrong, os.path.join(out, 'dec_wrong_shape.pth'), False)

    # An extra key, and a missing one.
    extra = collections.OrderedDict(encoder)
    extra['extra.weight'] = torch.randn(3)
    save(extra, os.path.join(out, 'vgg_extra_key.pth'), False)
    missing = collections.OrderedDict((k, v) for k, v in dsd.items() if k != '21.bias')
    save(missing, os.path.join(out, 'dec_missing_key.pth'), True)

    # Another architecture, and float64 weights.
    other = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 16, 3), nn.ReLU(), nn.Linear(16, 10))
    save(other.state_dict(), os.path.join(out, 'other_arch.pth'), False)
    save(other.state_dict(), os.path.join(out, 'other_arch_legacy.pth'), True)
    save(dec.double().state_dict(), os.path.join(out, 'dec_float64.pth'), False)
    save(dec.double().state_dict(), os.path.join(out, 'dec_float64_legacy.pth'), True)
    dec.float()

    # Non-contiguous views: a permuted weight (strides) and a bias cut from a longer storage (offset).
    view = collections.OrderedDict(dsd)
    view['28.weight'] = torch.randn(64, 3, 3, 3).permute(1, 0, 2, 3)
    view['28.bias'] = torch.randn(10)[4:7]
    view['25.weight'] = torch.randn(64, 64, 3, 6)[:, :, :, ::2]
    assert not view['28.weight'].is_contiguous() and view['28.bias'].storage_offset() == 4
    save(view, os.path.join(out, 'dec_view_legacy.pth'), True)
    save(view, os.path.join(out, 'dec_view_zip.pth'), False)
    dump_expected(view, out, 'dec_view')

    # A whole module instead of its state dict, a plain pickle, and protocol 4 and cyclic pickles.
    torch.save(dec, os.path.join(out, 'dec_module_zip.pth'))
    with open(os.path.join(out, 'plain.pkl'), 'wb') as f:
        pickle.dump({'a': 1}, f, protocol=2)
    with open(os.path.join(out, 'proto4.pkl'), 'wb') as f:
        value = {'a': [1, -2, 3.5, 'x' * 300, b'raw'], 'b': (True, None, 2 ** 70, -129, 65536, False),
                 'c': collections.OrderedDict(k=1)}
        pickle.dump(value, f, protocol=4)
    with open(os.path.join(out, 'cycle.pkl'), 'wb') as f:
        cyc = []
        cyc.append(cyc)
        pickle.dump(cyc, f, protocol=2)

    with open(os.path.join(out, 'sha256.txt'), 'w') as f:
        for n in (0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1000, (1 << 20) + 3):
            data = bytes((i * 131 + 7) % 251 for i in range(n))
            name = 'sha_%d.bin' % n
            with open(os.path.join(out, name), 'wb') as g:
                g.write(data)
            f.write('%s %s\n' % (name, hashlib.sha256(data).hexdigest()))
        for name in ('vgg_legacy.pth', 'dec_zip.pth'):
            with open(os.path.join(out, name), 'rb') as g:
                f.write('%s %s\n' % (name, hashlib.sha256(g.read()).hexdigest()))


if __name__ == '__main__':
    main()
