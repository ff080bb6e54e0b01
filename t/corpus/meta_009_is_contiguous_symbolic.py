"""x.is_contiguous() of a symbolic-shaped input under make_fx symbolic."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def packed(x):
    return torch.cond(x.is_contiguous(), lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(packed, tracing_mode="symbolic")(torch.randn(2, 256, 64))
