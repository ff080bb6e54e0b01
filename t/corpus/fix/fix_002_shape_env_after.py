"""Fix: fakes from FakeTensorMode() have concrete sizes; the fix gives the mode a ShapeEnv."""
import torch
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.fx.experimental.proxy_tensor import make_fx
from torch.fx.experimental.symbolic_shapes import ShapeEnv


def choose_gemm(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    mode = FakeTensorMode(shape_env=ShapeEnv())
    x = mode.from_tensor(torch.randn(2, 256, 64))
    return make_fx(choose_gemm, tracing_mode="fake")(x)
