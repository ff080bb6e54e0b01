"""make_fx symbolic; `if pred:` guards the SymBool, then the same object feeds the cond."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    long_seq = x.shape[1] > 128
    if long_seq:
        x = x * 0.5
    return torch.cond(long_seq, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
