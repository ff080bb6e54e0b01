"""nn.Linear output: the last dim is out_features (static)."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(64, 256)

    def forward(self, x):
        y = self.proj(x)
        return torch.cond(y.shape[-1] > 128, lambda t: t.sin(), lambda t: t.cos(), (y,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
