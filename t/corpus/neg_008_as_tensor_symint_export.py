"""export with Dim on seq; the predicate is a tensor made from the symbolic size."""
import torch
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        seq = torch.as_tensor(x.shape[1])
        return torch.cond(seq > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
