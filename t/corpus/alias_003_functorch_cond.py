"""functorch.experimental.control_flow.cond, export with Dim on seq."""
import torch
from torch import nn
from torch.export import Dim, export
from functorch.experimental.control_flow import cond


class Model(nn.Module):
    def forward(self, x):
        return cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
