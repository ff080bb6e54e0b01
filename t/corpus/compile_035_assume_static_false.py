"""torch._dynamo.config.assume_static_by_default = False (dynamic=None), one call."""
import torch


def attention_dispatch(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    torch._dynamo.config.assume_static_by_default = False
    f = torch.compile(attention_dispatch, backend=oracle_backend)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
