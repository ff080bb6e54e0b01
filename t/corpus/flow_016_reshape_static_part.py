"""Dim on batch only; reshape(b, -1) gives dim 1 = s*h, static."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        flat = x.reshape(x.shape[0], -1)
        return torch.cond(flat.shape[1] > 8192, lambda t: t.sin(), lambda t: t.cos(), (flat,))


def trace():
    x = torch.randn(8, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {0: Dim("batch")}})
