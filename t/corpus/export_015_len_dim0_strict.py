"""export(strict=True) with a Dim on dim 0; the code reads len(x)."""
import torch
from torch import nn
from torch.export import Dim, export


class BatchRouter(nn.Module):
    def forward(self, x):
        return torch.cond(len(x) > 4, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(BatchRouter(), (torch.randn(8, 256, 64),), dynamic_shapes={"x": {0: Dim("batch")}}, strict=True)
