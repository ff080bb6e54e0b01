"""torch.compile (dynamic=None); a Python int argument changes between two calls."""
import torch


def paged_attention(x, num_tokens):
    return torch.cond(num_tokens > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(paged_attention, backend=oracle_backend)
    x = torch.randn(2, 256, 64)
    f(x, 300)
    f(x, 400)
    return oracle_graphs
