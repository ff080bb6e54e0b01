"""make_fx symbolic; torch._check(s <= 512) before cond(s <= 512)."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    torch._check(x.shape[1] <= 512)
    return torch.cond(x.shape[1] <= 512, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
