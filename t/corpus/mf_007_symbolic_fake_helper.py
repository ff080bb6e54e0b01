"""Multi-file: the fake comes from mf_fakes.factory.symbolic_fake (DYNAMIC on dim 1); make_fx symbolic."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from torch.fx.experimental.proxy_tensor import make_fx

from mf_fakes import factory as ff


def lower_gemm(x):
    return torch.cond(x.shape[1] <= 512, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = ff.symbolic_fake(torch.randn(2, 256, 64), "x", dynamic_dims=(1,))
    return make_fx(lower_gemm, tracing_mode="symbolic")(x)
