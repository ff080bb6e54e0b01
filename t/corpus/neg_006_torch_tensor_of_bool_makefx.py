"""make_fx (real): the shape comparison is wrapped into a tensor, torch.tensor(s > 128)."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def attention_dispatch(x):
    pred = torch.tensor(x.shape[1] > 128)
    return torch.cond(pred, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(attention_dispatch)(torch.randn(2, 256, 64))
