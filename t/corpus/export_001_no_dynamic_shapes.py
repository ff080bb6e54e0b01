"""torch.export.export without dynamic_shapes."""
import torch
from torch import nn
from torch.export import Dim, export


class SeqRouter(nn.Module):
    """Chunked attention for long sequences, dense attention otherwise."""

    def forward(self, x):
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(SeqRouter(), (torch.randn(2, 256, 64),))
