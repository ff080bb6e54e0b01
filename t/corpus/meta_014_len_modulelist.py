"""len(self.layers) > 2 (a model-structure constant)."""
import torch
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Identity() for _ in range(4)])

    def forward(self, x):
        return torch.cond(len(self.layers) > 2, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
