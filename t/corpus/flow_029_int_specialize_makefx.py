"""make_fx symbolic; int(x.shape[1]) before the cond specializes the dim."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    seq = int(x.shape[1])
    return torch.cond(seq > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
