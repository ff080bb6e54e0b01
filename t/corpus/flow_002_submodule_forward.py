"""self.block(x, w) -> Block.forward holds the cond."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Block(nn.Module):
    def forward(self, x, w):
        h = x @ w
        return torch.cond(h.shape[1] > 128, lambda t: t.relu(), lambda t: t.tanh(), (h,))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(64, 32))
        self.block = Block()

    def forward(self, x):
        return self.block(x, self.w)


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
