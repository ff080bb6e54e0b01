"""make_fx symbolic; s >= 1 (implied by the 0/1 specialization range)."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def nonempty_guard(x):
    return torch.cond(x.shape[1] >= 1, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(nonempty_guard, tracing_mode="symbolic")(x)
