"""make_fx symbolic; a cond inside a for-loop body."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    for step in range(3):
        x = torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))
    return x


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
