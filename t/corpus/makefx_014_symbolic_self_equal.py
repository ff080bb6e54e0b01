"""make_fx symbolic; a dim compared with itself (x.shape[1] == x.shape[1])."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def square_check(x):
    return torch.cond(x.shape[1] == x.shape[1], lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(square_check, tracing_mode="symbolic")(x)
