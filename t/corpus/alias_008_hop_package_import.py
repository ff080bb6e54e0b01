"""`from torch._higher_order_ops import cond as hop_cond`, export without dynamic_shapes."""
import torch
from torch import nn
from torch.export import Dim, export
from torch._higher_order_ops import cond as hop_cond


class Model(nn.Module):
    def forward(self, x):
        return hop_cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),))
