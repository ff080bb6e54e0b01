"""x @ w keeps the symbolic seq dim."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(64, 32))

    def forward(self, x):
        y = x @ self.w
        return torch.cond(y.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (y,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
