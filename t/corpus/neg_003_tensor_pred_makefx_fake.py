"""make_fx(tracing_mode="fake") with x.mean() < 0.5 as the predicate."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def calibrate(x):
    return torch.cond(x.mean() < 0.5, lambda t: t * 2.0, lambda t: t * 0.5, (x,))


def trace():
    return make_fx(calibrate, tracing_mode="fake")(torch.randn(2, 256, 64))
