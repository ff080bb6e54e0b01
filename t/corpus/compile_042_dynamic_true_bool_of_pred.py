"""dynamic=True; bool(x.shape[1] > 128) before the cond."""
import torch


def attention_dispatch(x):
    use_chunked = bool(x.shape[1] > 128)
    return torch.cond(use_chunked, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(attention_dispatch, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
