"""`import torch as T; T.cond(...)`, export with Dim."""
import torch
from torch import nn
from torch.export import Dim, export
import torch as T


class Model(nn.Module):
    def forward(self, x):
        return T.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
