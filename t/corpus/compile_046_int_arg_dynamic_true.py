"""torch.compile(dynamic=True); the predicate reads a Python int argument."""
import torch


def paged_attention(x, num_tokens):
    return torch.cond(num_tokens > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(paged_attention, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64), 300)
    return oracle_graphs
