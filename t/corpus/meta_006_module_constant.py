"""A module-level constant flag."""
import torch
from torch import nn
from torch.export import Dim, export

USE_TRITON_KERNELS = False


class Model(nn.Module):
    def forward(self, x):
        return torch.cond(USE_TRITON_KERNELS, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
