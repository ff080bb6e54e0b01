"""export; the predicate compares an .item() count (an unbacked SymInt)."""
import torch
from torch import nn
from torch.export import export


class SparseDispatch(nn.Module):
    def forward(self, x):
        nnz = (x > 0).sum().item()
        return torch.cond(nnz > 1000, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(SparseDispatch(), (torch.randn(2, 256, 64),))
