"""Multi-file: the fake comes from mf_fakes.factory.plain_fake (no ShapeEnv); make_fx fake."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from torch.fx.experimental.proxy_tensor import make_fx

from mf_fakes.factory import plain_fake as fake_of


def lower_gemm(x):
    return torch.cond(x.shape[1] <= 512, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(lower_gemm, tracing_mode="fake")(fake_of(torch.randn(2, 256, 64)))
