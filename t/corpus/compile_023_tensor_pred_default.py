"""torch.compile (dynamic=None) with a data-dependent tensor predicate."""
import torch


def clip_if_large(x):
    return torch.cond(x.norm() > 10.0, lambda t: t / t.norm(), lambda t: t * 1.0, (x,))


def trace():
    f = torch.compile(clip_if_large, backend=oracle_backend)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
