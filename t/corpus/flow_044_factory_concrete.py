"""torch.zeros(4, 128): a factory with literal sizes."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        bias = torch.zeros(4, 128)
        return torch.cond(bias.shape[1] >= 128, lambda t: t + 1, lambda t: t - 1, (bias,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
