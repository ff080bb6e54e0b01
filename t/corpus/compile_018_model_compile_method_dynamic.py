"""model.compile(dynamic=True) (nn.Module.compile, in place)."""
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        h = self.norm(x)
        return torch.cond(h.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (h,))


def trace():
    model = Block()
    model.compile(backend=oracle_backend, dynamic=True)
    model(torch.randn(2, 256, 64))
    return oracle_graphs
