"""export; the spec makes x dim 1 dynamic, y is absent (None); the predicate reads y dim 1."""
import torch
from torch import nn
from torch.export import Dim, export


class TwoInputs(nn.Module):
    def forward(self, x, y):
        return torch.cond(y.shape[1] > 128, lambda a: a.sin(), lambda a: a.cos(), (x,))


def trace():
    x, y = torch.randn(2, 256, 64), torch.randn(2, 300, 32)
    return export(TwoInputs(), (x, y), dynamic_shapes={"x": {1: Dim("seq")}, "y": None})
