"""make_fx(tracing_mode="fake"): fake tensors, sizes taken from the example."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def attention_dispatch(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(attention_dispatch, tracing_mode="fake")(x)
