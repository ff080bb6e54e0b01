"""A cond nested in the true branch of another cond; export without dynamic_shapes (both concrete). (With Dims, export gives the inner cond node the outer call's stack trace, so the oracle cannot name the inner site; multi_005 covers the preserved nested case under torch.compile.)"""
import torch
from torch import nn
from torch.export import Dim, export


def long_path(t):
    # very long sequences get a further split
    return torch.cond(t.shape[1] > 1024, lambda u: u.sin(), lambda u: u.cos(), (t,))


class Model(nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[1] > 128, long_path, lambda t: t.tanh(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes=None)
