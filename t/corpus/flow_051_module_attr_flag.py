"""A bool attribute set in __init__ as the predicate."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def __init__(self, use_cache=True):
        super().__init__()
        self.use_cache = use_cache

    def forward(self, x):
        return torch.cond(self.use_cache, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
