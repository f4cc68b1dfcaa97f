"""Writes random (calibrated) vgg_normalised.pth and decoder.pth in the official legacy format into a folder:
stand-ins for the official weights where they cannot be downloaded (CI, this offline machine).
usage: write_demo_weights.py DIR"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adain_net  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
vgg, dec = adain_net.random_weights(0)
adain_net.calibrate_output(vgg, dec, torch.rand(2, 3, 48, 48))
adain_net.save_state_dict(vgg, os.path.join(out, 'vgg_normalised.pth'), legacy=True)
adain_net.save_state_dict(dec, os.path.join(out, 'decoder.pth'), legacy=True)
