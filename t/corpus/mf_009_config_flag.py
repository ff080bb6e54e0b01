"""Multi-file: a frozen-dataclass flag from mf_config; torch.compile(dynamic=True)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from mf_config import DEFAULT_FLAGS


def prefill(x, flags=DEFAULT_FLAGS):
    return torch.cond(flags.use_chunked_prefill, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(prefill, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
