"""Dim on batch; x[:1].expand(4, -1, -1) has a concrete dim 0."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        ref = x[:1].expand(4, -1, -1)
        return torch.cond(ref.shape[0] > 2, lambda t: t.sin(), lambda t: t.cos(), (ref,))


def trace():
    x = torch.randn(8, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {0: Dim("batch")}})
