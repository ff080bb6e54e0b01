"""export with torch.export.ShapesCollection (spec keyed by the tensor object)."""
import torch
from torch import nn
from torch.export import Dim, ShapesCollection, export


class SeqRouter(nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    shapes = ShapesCollection()
    shapes[x] = {1: Dim("seq")}
    return export(SeqRouter(), (x,), dynamic_shapes=shapes)
