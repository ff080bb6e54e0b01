"""export with an unbounded Dim; `if s > 100000: raise` before the cond."""
import torch
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        if x.shape[1] > 100000:
            raise ValueError("sequence too long")
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
