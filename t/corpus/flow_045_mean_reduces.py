"""Dim on batch; mean over dim 1 leaves (b, h); the predicate reads dim 0."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        pooled = x.mean(dim=1)
        return torch.cond(pooled.shape[0] > 4, lambda t: t.sin(), lambda t: t.cos(), (pooled,))


def trace():
    x = torch.randn(8, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {0: Dim("batch")}})
