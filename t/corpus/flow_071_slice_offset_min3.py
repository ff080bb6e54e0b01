"""x[:, 1:] (drop the BOS token) with Dim('seq', min=3): size s - 1, the slice's guard s != 2 holds on the range."""
import torch
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        body = x[:, 1:]
        return torch.cond(body.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq", min=3)}})
