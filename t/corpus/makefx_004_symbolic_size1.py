"""make_fx symbolic, but the example size of the dim the predicate reads is 1."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def decode_step(x):
    # one token per step while decoding, many while prefilling
    return torch.cond(x.shape[1] > 1, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(4, 1, 64)
    return make_fx(decode_step, tracing_mode="symbolic")(x)
