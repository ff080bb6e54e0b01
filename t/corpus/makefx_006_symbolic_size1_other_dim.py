"""make_fx symbolic; dim 0 has example size 1 but the predicate reads dim 1 (size 256)."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def attention_dispatch(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(1, 256, 64)
    return make_fx(attention_dispatch, tracing_mode="symbolic")(x)
