"""Two sites under make_fx (real): both concrete, no cond node at all."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def step(x):
    x = torch.cond(x.shape[1] > 1, lambda t: t.sin(), lambda t: t.cos(), (x,))
    return torch.cond(x.shape[0] > 8, lambda t: t.relu(), lambda t: t.tanh(), (x,))


def trace():
    return make_fx(step)(torch.randn(4, 256, 64))
