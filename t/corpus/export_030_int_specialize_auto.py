"""export with Dim.AUTO on dim 1; the code calls int() on the size before the cond."""
import torch
from torch import nn
from torch.export import Dim, export


class Chunker(nn.Module):
    def forward(self, x):
        seq = int(x.shape[1])
        return torch.cond(seq > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Chunker(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim.AUTO}})
