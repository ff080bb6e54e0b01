"""Fix: int() specializes the symbolic size; the fix keeps the SymInt."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def attention(x):
    seq = x.shape[1]
    return torch.cond(seq <= 512, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(attention, tracing_mode="symbolic")(torch.randn(2, 256, 64))
