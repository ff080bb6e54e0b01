"""torch.compile(dynamic=True); int(s) for Python bookkeeping, then the cond reads x.shape[1] again."""
import torch


def model(x):
    n = int(x.shape[1])
    pad = [0] * (n % 8)
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(model, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
