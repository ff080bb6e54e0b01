"""torch.compile(f) (dynamic=None), a second call with a different size on the dim read (automatic dynamic recompile)."""
import torch


def attention_dispatch(x):
    # chunked kernel for long sequences, dense kernel otherwise
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(attention_dispatch, backend=oracle_backend)
    f(torch.randn(2, 256, 64))
    f(torch.randn(2, 300, 64))
    return oracle_graphs
