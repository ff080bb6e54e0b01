"""A shared callee reached from two callers in one case: one passes x, one passes x.transpose(0, 1); only dim 0 is dynamic."""
import torch
from torch import nn
from torch.export import Dim, export


def kernel_choice(t):
    # reads dim 1 of whatever it is given
    return torch.cond(t.shape[1] > 64, lambda u: u.sin(), lambda u: u.cos(), (t,))


class BatchFirst(nn.Module):
    def forward(self, x):
        return kernel_choice(x)


class TimeFirst(nn.Module):
    def forward(self, x):
        return kernel_choice(x.transpose(0, 1))


def trace():
    x = torch.randn(8, 256, 64)
    spec = {"x": {0: Dim("batch", min=2, max=512)}}
    return [export(BatchFirst(), (x,), dynamic_shapes=spec), export(TimeFirst(), (x,), dynamic_shapes=spec)]
