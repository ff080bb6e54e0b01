"""flatten(0, 1) of (b, s, h) with a symbolic s."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        tokens = x.flatten(0, 1)
        return torch.cond(tokens.shape[0] > 1024, lambda t: t.sin(), lambda t: t.cos(), (tokens,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
