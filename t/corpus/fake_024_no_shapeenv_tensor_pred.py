"""FakeTensorMode() without a ShapeEnv (concrete sizes), a data-dependent tensor predicate."""
import torch
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.fx.experimental.proxy_tensor import make_fx


def skip_if_saturated(x):
    return torch.cond(x.abs().amax() > 6.0, lambda t: t.clamp(-6, 6), lambda t: t * 1.0, (x,))


def trace():
    mode = FakeTensorMode()
    x = mode.from_tensor(torch.randn(2, 256, 64))
    return make_fx(skip_if_saturated, tracing_mode="fake")(x)
