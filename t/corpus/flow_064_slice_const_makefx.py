"""make_fx symbolic; x[:, :128] (size min(s, 128)); the predicate reads the slice's dim 1."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def model(x):
    head = x[:, :128]
    return torch.cond(head.shape[1] >= 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return make_fx(model, tracing_mode="symbolic")(x)
