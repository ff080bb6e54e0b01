"""make_fx symbolic; Python `and` of two size comparisons."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    small = x.shape[1] <= 512 and x.shape[0] <= 8
    return torch.cond(small, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(4, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
