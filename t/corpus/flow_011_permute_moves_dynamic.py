"""Dim on seq; permute(0, 2, 1) moves it to dim 2, which the predicate reads."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        y = x.permute(0, 2, 1)  # (b, h, s) for a conv1d
        return torch.cond(y.shape[2] > 128, lambda t: t.sin(), lambda t: t.cos(), (y,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
