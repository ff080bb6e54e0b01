"""make_fx symbolic; x[:, 1:] (size s - 1) feeds the predicate."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    body = x[:, 1:]
    return torch.cond(body.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
