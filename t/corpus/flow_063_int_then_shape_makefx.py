"""make_fx symbolic; int(s) is taken for a Python-side buffer size, then the cond reads x.shape[1] again (not the int)."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    n = int(x.shape[1])
    pad = [0] * (n % 8)  # Python-side bookkeeping on the int
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
