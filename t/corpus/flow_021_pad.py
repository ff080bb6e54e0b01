"""F.pad on the symbolic seq dim keeps it symbolic (s + 16)."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        y = F.pad(x, (0, 0, 0, 16))
        return torch.cond(y.shape[1] > 256, lambda t: t.sin(), lambda t: t.cos(), (y,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
