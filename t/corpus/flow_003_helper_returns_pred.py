"""A helper returns the predicate; the cond uses the helper's result."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


def use_chunked_attention(x, threshold=128):
    return x.shape[1] > threshold


class Model(nn.Module):
    def forward(self, x):
        return torch.cond(use_chunked_attention(x), lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
