"""make_fx (real) with x.sum() > 0 as the predicate."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def sign_branch(x):
    return torch.cond(x.sum() > 0, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(sign_branch)(torch.randn(2, 256, 64))
