"""A ceil-division chunk count compared with 1."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


CHUNK = 128


class Model(nn.Module):
    def forward(self, x):
        n_chunks = (x.shape[1] + CHUNK - 1) // CHUNK
        return torch.cond(n_chunks == 1, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
