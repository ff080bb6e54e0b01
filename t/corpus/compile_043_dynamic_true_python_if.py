"""dynamic=True; a Python `if` on the same comparison guards it before the cond."""
import torch


def attention_dispatch(x):
    long_seq = x.shape[1] > 128
    if long_seq:
        x = x * 0.5
    return torch.cond(long_seq, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(attention_dispatch, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
