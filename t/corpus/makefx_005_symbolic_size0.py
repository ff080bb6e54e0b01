"""make_fx symbolic, example size 0 on the dim the predicate reads."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def gather_tokens(x):
    return torch.cond(x.shape[0] > 0, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(0, 64)
    return make_fx(gather_tokens, tracing_mode="symbolic")(x)
