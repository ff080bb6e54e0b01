"""make_fx symbolic; bool(x.shape[1] > 128) before the cond."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    use_chunked = bool(x.shape[1] > 128)
    return torch.cond(use_chunked, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
