"""A cond nested in a branch of another cond under torch.compile(dynamic=True)."""
import torch


def inner(t):
    return torch.cond(t.shape[0] > 2, lambda u: u.sin(), lambda u: u.cos(), (t,))


def outer(x):
    return torch.cond(x.shape[1] > 128, inner, lambda t: t.tanh(), (x,))


def trace():
    f = torch.compile(outer, backend=oracle_backend, dynamic=True)
    f(torch.randn(4, 256, 64))
    return oracle_graphs
