"""make_fx with the default tracing mode ("real"); the predicate reads the sequence dim."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def attention_dispatch(x):
    # long sequences take the chunked path, short ones the dense path
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(attention_dispatch)(x)
