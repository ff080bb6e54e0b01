"""dynamic=True; len(x) (dim 0) as the size read."""
import torch


def batch_dispatch(x):
    return torch.cond(len(x) > 4, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(batch_dispatch, backend=oracle_backend, dynamic=True)
    f(torch.randn(8, 256, 64))
    return oracle_graphs
