"""Multi-file: torch.compile(dynamic=False) happens in mf_compile.wrap.compile_static."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from mf_compile.wrap import compile_static


def prefill(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = compile_static(prefill, oracle_backend)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
