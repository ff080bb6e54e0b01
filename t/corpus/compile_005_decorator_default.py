"""@torch.compile decorator with dynamic left at None, one call."""
import torch


@torch.compile(backend=oracle_backend)
def attention_dispatch(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    attention_dispatch(torch.randn(2, 256, 64))
    return oracle_graphs
