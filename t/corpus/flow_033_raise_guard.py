"""make_fx symbolic; `if s > K: raise` before the cond."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


MAX_LEN = 100000


def model(x):
    if x.shape[1] > MAX_LEN:
        raise ValueError("sequence too long")
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
