"""dynamic=True; a graph break (print) before the cond."""
import torch


def attention_dispatch(x):
    x = x * 0.125
    print("scaled", tuple(x.shape))
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(attention_dispatch, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
