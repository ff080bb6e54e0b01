"""dynamic=True with mark_static(x, 0), another dim than the one read."""
import torch


def attention_dispatch(x):
    # chunked kernel for long sequences, dense kernel otherwise
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    torch._dynamo.mark_static(x, 0)
    f = torch.compile(attention_dispatch, backend=oracle_backend, dynamic=True)
    f(x)
    return oracle_graphs
