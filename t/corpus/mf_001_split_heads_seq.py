"""Multi-file: split_heads from the mf_layout package (view + transpose); the predicate reads the seq dim at its new index 2."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from torch import nn
from torch.export import Dim, export

from mf_layout.heads import split_heads


class Attention(nn.Module):
    def forward(self, x):
        q = split_heads(x)
        return torch.cond(q.shape[2] > 128, lambda t: t.sin(), lambda t: t.cos(), (q,))


def trace():
    return export(Attention(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
