"""make_fx symbolic; the predicate reads a plain Python int argument (make_fx symbolic turns int inputs into SymInts)."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def paged_attention(x, num_tokens):
    return torch.cond(num_tokens > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(paged_attention, tracing_mode="symbolic")(torch.randn(2, 256, 64), 300)
