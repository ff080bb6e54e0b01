"""dynamic=True; the predicate reads the shape of a registered buffer."""
import torch
from torch import nn


class RotaryCache(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("cos_cached", torch.randn(2048, 64))

    def forward(self, x):
        return torch.cond(self.cos_cached.shape[0] >= 1024, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    model = torch.compile(RotaryCache(), backend=oracle_backend, dynamic=True)
    model(torch.randn(2, 300, 64))
    return oracle_graphs
