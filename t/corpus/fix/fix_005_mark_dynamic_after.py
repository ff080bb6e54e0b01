"""Fix: the first compile sees concrete sizes; the fix marks dim 1 dynamic before the call."""
import torch


def attention(x):
    return torch.cond(x.shape[1] <= 512, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    compiled = torch.compile(attention, backend=oracle_backend)
    x = torch.randn(2, 256, 64)
    torch._dynamo.mark_dynamic(x, 1)
    compiled(x)
    return oracle_graphs
