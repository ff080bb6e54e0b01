"""Dim on batch; view(b * s, h): dim 0 is symbolic."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        rows = x.view(x.shape[0] * x.shape[1], 64)
        return torch.cond(rows.shape[0] > 1024, lambda t: t.sin(), lambda t: t.cos(), (rows,))


def trace():
    x = torch.randn(8, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {0: Dim("batch")}})
