"""Multi-file: split_heads then merge_heads (transpose + reshape through a relative-imported helper); the predicate reads the seq dim."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from torch import nn
from torch.export import Dim, export

import mf_layout as L


class Attention(nn.Module):
    def forward(self, x):
        out = L.merge_heads(L.split_heads(x).sin())
        return torch.cond(out.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (out,))


def trace():
    return export(Attention(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
