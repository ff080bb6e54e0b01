"""@torch.compile(dynamic=True) decorator."""
import torch


@torch.compile(backend=oracle_backend, dynamic=True)
def attention_dispatch(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    attention_dispatch(torch.randn(2, 256, 64))
    return oracle_graphs
