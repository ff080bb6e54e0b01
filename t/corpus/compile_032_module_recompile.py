"""A compiled nn.Module called with two sequence lengths."""
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
    model = torch.compile(Block(), backend=oracle_backend)
    model(torch.randn(2, 256, 64))
    model(torch.randn(2, 300, 64))
    return oracle_graphs
