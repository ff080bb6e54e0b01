"""torch.compile(dynamic=False) with a tensor predicate (mask.any())."""
import torch


def maybe_mask(x, mask):
    return torch.cond(mask.any(), lambda t, m: t.masked_fill(m, 0.0), lambda t, m: t.clone(), (x, mask))


def trace():
    f = torch.compile(maybe_mask, backend=oracle_backend, dynamic=False)
    x = torch.randn(2, 256, 64)
    f(x, x > 2.0)
    return oracle_graphs
