"""dynamic=True; two inputs with the same example sizes compared for equality."""
import torch


def cross_attention(q, kv):
    return torch.cond(q.shape[1] == kv.shape[1], lambda a, b: a + b, lambda a, b: a - b, (q, kv))


def trace():
    f = torch.compile(cross_attention, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64), torch.randn(2, 256, 64))
    return oracle_graphs
