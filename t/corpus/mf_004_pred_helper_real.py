"""Multi-file: the predicate comes from mf_layout.shapes (module alias); make_fx real."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from torch.fx.experimental.proxy_tensor import make_fx

import mf_layout.shapes as layout_shapes


def attend(x):
    return torch.cond(layout_shapes.is_long_sequence(x), lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(attend)(torch.randn(2, 256, 64))
