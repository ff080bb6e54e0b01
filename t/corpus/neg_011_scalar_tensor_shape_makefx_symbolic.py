"""make_fx symbolic; the predicate is torch.scalar_tensor of the symbolic size compared in tensor land."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def attention_dispatch(x):
    seq = torch.scalar_tensor(x.shape[1])
    return torch.cond(seq > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(attention_dispatch, tracing_mode="symbolic")(torch.randn(2, 256, 64))
