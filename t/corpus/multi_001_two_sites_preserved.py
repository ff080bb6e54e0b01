"""Two cond sites in one forward, both reading symbolic dims (export with Dims)."""
import torch
from torch import nn
from torch.export import Dim, export


class Block(nn.Module):
    def forward(self, x):
        x = torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))
        x = torch.cond(x.shape[0] >= 16, lambda t: t.relu(), lambda t: t.tanh(), (x,))
        return x


def trace():
    return export(Block(), (torch.randn(4, 256, 64),),
                  dynamic_shapes={"x": {0: Dim("batch"), 1: Dim("seq")}})
