"""len(x.shape) under make_fx symbolic."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def batched(x):
    return torch.cond(len(x.shape) == 3, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(batched, tracing_mode="symbolic")(torch.randn(2, 256, 64))
