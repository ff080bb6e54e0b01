"""`import functorch.experimental.control_flow as cf; cf.cond(...)`, export with Dim."""
import torch
from torch import nn
from torch.export import Dim, export
import functorch.experimental.control_flow as cf


class Model(nn.Module):
    def forward(self, x):
        return cf.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
