"""export with a derived Dim (2 * seq) on the second input; the predicate reads that input."""
import torch
from torch import nn
from torch.export import Dim, export


class Upsampler(nn.Module):
    def forward(self, x, y):
        return torch.cond(y.shape[1] > 256, lambda a: a.sin(), lambda a: a.cos(), (y,))


def trace():
    seq = Dim("seq")
    x, y = torch.randn(2, 150, 64), torch.randn(2, 300, 64)
    return export(Upsampler(), (x, y), dynamic_shapes={"x": {1: seq}, "y": {1: 2 * seq}})
