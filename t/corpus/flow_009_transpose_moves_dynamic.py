"""Dim on dim 0 only; after transpose(0, 1) the callee's shape[1] is the caller's dim 0."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


def time_major_kernel(y):
    # y is (seq, batch, hidden): dispatch on the batch
    return torch.cond(y.shape[1] > 4, lambda t: t.sin(), lambda t: t.cos(), (y,))


class Model(nn.Module):
    def forward(self, x):
        return time_major_kernel(x.transpose(0, 1))


def trace():
    x = torch.randn(8, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {0: Dim("batch")}})
