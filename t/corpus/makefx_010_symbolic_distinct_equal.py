"""make_fx symbolic; same as the duck case but the example sizes differ (two symbols)."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def cross_attention(q, kv):
    return torch.cond(q.shape[1] == kv.shape[1], lambda a, b: a.sum(1) + b.sum(1), lambda a, b: a.sum(1) - b.sum(1), (q, kv))


def trace():
    q = torch.randn(2, 256, 64)
    kv = torch.randn(2, 300, 64)
    return make_fx(cross_attention, tracing_mode="symbolic")(q, kv)
