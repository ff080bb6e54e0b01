"""ShapeEnv fake with static_shapes=True (concrete sizes) and a tensor predicate."""
import torch
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.fx.experimental.proxy_tensor import make_fx
from torch.fx.experimental.symbolic_shapes import ShapeEnv


def has_nan(x):
    return torch.cond(torch.isnan(x).any(), lambda t: torch.nan_to_num(t), lambda t: t.clone(), (x,))


def trace():
    mode = FakeTensorMode(shape_env=ShapeEnv())
    x = mode.from_tensor(torch.randn(2, 256, 64), static_shapes=True)
    return make_fx(has_nan, tracing_mode="symbolic")(x)
