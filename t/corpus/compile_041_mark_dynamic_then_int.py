"""mark_dynamic(x, 1); int() on the size before the cond (dynamic=None)."""
import torch


def chunked(x):
    seq = int(x.shape[1])
    return torch.cond(seq > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    torch._dynamo.mark_dynamic(x, 1)
    f = torch.compile(chunked, backend=oracle_backend)
    f(x)
    return oracle_graphs
