"""x[:, :128] with Dim('seq', min=129): the slice's guards (s >= 128, s != 128) both hold on the range; the predicate reads the slice's dim 1."""
import torch
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        head = x[:, :128]
        return torch.cond(head.shape[1] >= 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq", min=129)}})
