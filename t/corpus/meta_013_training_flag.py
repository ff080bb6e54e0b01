"""self.training as the predicate."""
import torch
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        return torch.cond(self.training, lambda t: t * 0.9, lambda t: t * 1.0, (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
