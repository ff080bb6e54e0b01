"""x.new_zeros(x.shape[1], 4): a factory sized by a symbolic dim."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        scores = x.new_zeros(x.shape[1], 4)
        return torch.cond(scores.shape[0] > 128, lambda t: t + 1, lambda t: t - 1, (scores,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
