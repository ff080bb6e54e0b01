"""Dim on seq; after permute(0, 2, 1) dim 1 is the static hidden size."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        y = x.permute(0, 2, 1)
        return torch.cond(y.shape[1] > 32, lambda t: t.sin(), lambda t: t.cos(), (y,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
