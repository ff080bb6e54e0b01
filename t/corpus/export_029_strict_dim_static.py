"""export(strict=True), Dim.STATIC on dim 1."""
import torch
from torch import nn
from torch.export import Dim, export


class SeqRouter(nn.Module):
    """Chunked attention for long sequences, dense attention otherwise."""

    def forward(self, x):
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(SeqRouter(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim.STATIC}}, strict=True)
