"""torch.compile (dynamic=None): the shape comparison is wrapped into a tensor, torch.tensor(s > 128)."""
import torch


def attention_dispatch(x):
    pred = torch.tensor(x.shape[1] > 128)
    return torch.cond(pred, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(attention_dispatch, backend=oracle_backend)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
