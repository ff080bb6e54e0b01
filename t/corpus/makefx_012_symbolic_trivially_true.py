"""make_fx symbolic; a predicate that is always true for any size (s >= 0)."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def nonempty_guard(x):
    return torch.cond(x.shape[1] >= 0, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(nonempty_guard, tracing_mode="symbolic")(x)
