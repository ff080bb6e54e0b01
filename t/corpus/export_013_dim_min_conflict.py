"""export with Dim('seq', min=512) but an example of size 256: the example violates the range."""
import torch
from torch import nn
from torch.export import Dim, export


class SeqRouter(nn.Module):
    """Chunked attention for long sequences, dense attention otherwise."""

    def forward(self, x):
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(SeqRouter(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq", min=512)}})
