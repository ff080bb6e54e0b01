"""torch.compile(dynamic=True); torch._check(s <= 512) before cond(s <= 512)."""
import torch


def model(x):
    torch._check(x.shape[1] <= 512)
    return torch.cond(x.shape[1] <= 512, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(model, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
