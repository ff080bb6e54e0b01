"""nn.Module compiled with dynamic=None; the predicate is a parameter-derived tensor."""
import torch
from torch import nn


class GatedResidual(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate = nn.Parameter(torch.tensor(0.3))

    def forward(self, x):
        return torch.cond(self.gate > 0.5, lambda t: t * 2, lambda t: t + 1, (x,))


def trace():
    model = torch.compile(GatedResidual(), backend=oracle_backend)
    model(torch.randn(2, 256, 64))
    return oracle_graphs
