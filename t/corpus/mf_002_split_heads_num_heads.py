"""Multi-file: split_heads from mf_layout; the predicate reads the head count (dim 1), a package constant."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from torch import nn
from torch.export import Dim, export

from mf_layout import split_heads


class Attention(nn.Module):
    def forward(self, x):
        q = split_heads(x)
        return torch.cond(q.shape[1] >= 4, lambda t: t.sin(), lambda t: t.cos(), (q,))


def trace():
    return export(Attention(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
