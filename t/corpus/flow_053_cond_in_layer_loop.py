"""One cond in a layer's forward, reached three times through a ModuleList loop."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln = nn.LayerNorm(64)

    def forward(self, x):
        h = self.ln(x)
        return torch.cond(h.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (h,))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([Layer() for _ in range(3)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
