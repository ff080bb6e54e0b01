"""Two cond sites in one forward, export without dynamic_shapes: both concrete."""
import torch
from torch import nn
from torch.export import export


class Block(nn.Module):
    def forward(self, x):
        x = torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))
        x = torch.cond(x.shape[0] >= 16, lambda t: t.relu(), lambda t: t.tanh(), (x,))
        return x


def trace():
    return export(Block(), (torch.randn(4, 256, 64),))
