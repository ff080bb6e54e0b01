"""dynamic=True; predicate x.shape[1] >= 0 (true for any size)."""
import torch


def nonempty_guard(x):
    return torch.cond(x.shape[1] >= 0, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(nonempty_guard, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
