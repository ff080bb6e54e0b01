"""torch.cat of a static KV cache and the new tokens along the symbolic seq dim."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("past", torch.zeros(2, 100, 64))

    def forward(self, x):
        kv = torch.cat([self.past, x], dim=1)
        return torch.cond(kv.shape[1] > 512, lambda t: t.sin(), lambda t: t.cos(), (kv,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
