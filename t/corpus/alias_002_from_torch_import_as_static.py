"""`from torch import cond as branch_on`, export without dynamic_shapes."""
import torch
from torch import nn
from torch.export import Dim, export
from torch import cond as branch_on


class Model(nn.Module):
    def forward(self, x):
        return branch_on(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),))
