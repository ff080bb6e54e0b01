"""dynamic=True; the predicate reads the shape of an nn.Parameter."""
import torch
from torch import nn


class LowRankProj(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(256, 64))

    def forward(self, x):
        # wide weights take the factored path
        return torch.cond(self.weight.shape[0] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    model = torch.compile(LowRankProj(), backend=oracle_backend, dynamic=True)
    model(torch.randn(2, 300, 64))
    return oracle_graphs
