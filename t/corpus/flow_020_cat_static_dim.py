"""torch.cat along dim 0 (static batch) while seq is symbolic; the predicate reads dim 0."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        both = torch.cat([x, x.flip(1)], dim=0)
        return torch.cond(both.shape[0] > 2, lambda t: t.sin(), lambda t: t.cos(), (both,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
