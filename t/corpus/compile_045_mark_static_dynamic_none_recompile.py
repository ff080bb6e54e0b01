"""mark_static(x, 1) on the first call (dynamic=None), then an unmarked call with another size."""
import torch


def attention_dispatch(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(attention_dispatch, backend=oracle_backend)
    x = torch.randn(2, 256, 64)
    torch._dynamo.mark_static(x, 1)
    f(x)
    f(torch.randn(2, 300, 64))
    return oracle_graphs
