"""make_fx symbolic; `assert s > 0` before the cond on the same comparison."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    assert x.shape[1] > 0, "empty sequence"
    return torch.cond(x.shape[1] > 0, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
