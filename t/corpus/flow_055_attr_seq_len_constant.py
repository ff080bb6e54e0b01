"""A sequence length stored as an int attribute at construction time."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def __init__(self, max_seq_len=256):
        super().__init__()
        self.max_seq_len = max_seq_len

    def forward(self, x):
        return torch.cond(self.max_seq_len > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
