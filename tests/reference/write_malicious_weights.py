"""Writes weight files built the way a malicious torch.load payload is: a state dict that names a global
(posix.system, through REDUCE) which torch.load would call, in both torch.save formats, for the test that
sinforge refuses them (tests/weights/test_state_dict.cpp, tests/cli/test_run_cli.cpp).
Usage: write_malicious_weights.py OUT_DIR

Each payload would run `touch sinforge-pwned` (relative: in the reader's working folder) if unpickled by
Python; the tests check that no such file appears. Three places for it:
  value_<format>.pth     a state dict value (the interpreter would reject it as no tensor anyway)
  metadata_<format>.pth  inside the OrderedDict's _metadata (its BUILD state, which a state dict reader
                         otherwise has no reason to look at)
  hooks_<format>.pth     the backward_hooks argument of _rebuild_tensor_v2, which a reader ignores"""
import collections
import os
import sys

import torch


class Payload:
    def __reduce__(self):
        return (os.system, ("touch sinforge-pwned",))


class HookedTensor(torch.Tensor):
    """A tensor whose pickle carries the payload as its backward_hooks argument."""

    def __reduce_ex__(self, protocol):
        fn, args = torch.Tensor._reduce_ex_internal(self, protocol)
        args = list(args)
        args[5] = Payload()  # _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks)
        return fn, tuple(args)


def state_dict():
    torch.manual_seed(0)
    sd = collections.OrderedDict()
    sd["0.weight"] = torch.randn(3, 3, 1, 1)
    sd["0.bias"] = torch.randn(3)
    return sd


def main(out):
    os.makedirs(out, exist_ok=True)
    for fmt, zip_format in (("legacy", False), ("zip", True)):
        value = state_dict()
        value["1.weight"] = Payload()
        metadata = state_dict()
        metadata._metadata = {"": {"version": Payload()}}
        hooks = state_dict()
        hooks["0.bias"] = hooks["0.bias"].as_subclass(HookedTensor)
        for name, sd in (("value", value), ("metadata", metadata), ("hooks", hooks)):
            torch.save(sd, os.path.join(out, f"{name}_{fmt}.pth"), _use_new_zipfile_serialization=zip_format)


if __name__ == "__main__":
    main(sys.argv[1])
