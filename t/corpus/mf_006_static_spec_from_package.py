"""Multi-file: a Dim.STATIC spec from mf_specs.dims (module alias)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from torch import nn
from torch.export import export

import mf_specs.dims as dims


class Model(nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes=dims.STATIC_SHAPES)
