"""Multi-file: the predicate comes from mf_layout.shapes.is_long_sequence; make_fx symbolic."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from torch.fx.experimental.proxy_tensor import make_fx

from mf_layout.shapes import is_long_sequence


def attend(x):
    return torch.cond(is_long_sequence(x), lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(attend, tracing_mode="symbolic")(torch.randn(2, 256, 64))
