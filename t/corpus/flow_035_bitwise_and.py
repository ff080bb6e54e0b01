"""`&` of two size comparisons."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        small = (x.shape[1] <= 512) & (x.shape[0] <= 8)
        return torch.cond(small, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(4, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {0: Dim("batch"), 1: Dim("seq")}})
