"""make_fx symbolic; two inputs with the same example size on the compared dims
(duck sizing gives them one symbol), predicate compares them for equality."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def cross_attention(q, kv):
    # self-attention shortcut when query and key lengths match
    return torch.cond(q.shape[1] == kv.shape[1], lambda a, b: a + b, lambda a, b: a - b, (q, kv))


def trace():
    q = torch.randn(2, 256, 64)
    kv = torch.randn(2, 256, 64)
    return make_fx(cross_attention, tracing_mode="symbolic")(q, kv)
