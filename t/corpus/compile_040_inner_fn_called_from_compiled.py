"""torch.compile(dynamic=True) on an outer function; the cond sits in a helper it calls after a transpose; predicate reads the static hidden dim."""
import torch


def kernel_choice(t):
    return torch.cond(t.shape[1] > 32, lambda u: u.sin(), lambda u: u.cos(), (t,))


def block(x):
    return kernel_choice(x.transpose(1, 2))


def trace():
    f = torch.compile(block, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
