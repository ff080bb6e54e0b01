"""dynamic=True; int() on the size before the cond."""
import torch


def chunked(x):
    seq = int(x.shape[1])
    return torch.cond(seq > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(chunked, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
