"""Fix: export without dynamic_shapes; the fix adds a Dim for the dim the cond reads."""
import torch
from torch.export import export
from torch.export import Dim


class Model(torch.nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("x_1")}})
