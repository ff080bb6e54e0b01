"""Dim on batch; a learned prompt expanded to the symbolic batch."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.prompt = nn.Parameter(torch.randn(1, 16, 64))

    def forward(self, x):
        p = self.prompt.expand(x.shape[0], -1, -1)
        return torch.cond(p.shape[0] > 4, lambda t: t.sin(), lambda t: t.cos(), (p,))


def trace():
    x = torch.randn(8, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {0: Dim("batch")}})
