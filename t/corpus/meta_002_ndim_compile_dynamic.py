"""x.ndim under torch.compile(dynamic=True)."""
import torch


def to_heads(x):
    return torch.cond(x.ndim == 4, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(to_heads, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
