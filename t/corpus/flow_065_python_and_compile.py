"""torch.compile(dynamic=True); Python `and` of two size comparisons."""
import torch


def model(x):
    small = x.shape[1] <= 512 and x.shape[0] <= 8
    return torch.cond(small, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(model, backend=oracle_backend, dynamic=True)
    f(torch.randn(4, 256, 64))
    return oracle_graphs
