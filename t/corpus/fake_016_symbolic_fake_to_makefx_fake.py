"""A symbolic fake (ShapeEnv + source) passed to make_fx with tracing_mode='fake'."""
import torch
from torch._dynamo.source import ConstantSource
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.fx.experimental.proxy_tensor import make_fx
from torch.fx.experimental.symbolic_shapes import DimDynamic, ShapeEnv, StatelessSymbolicContext


def choose_gemm(x):
    # a lowering picks a split-K kernel for wide activations
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    mode = FakeTensorMode(shape_env=ShapeEnv())
    x = mode.from_tensor(torch.randn(2, 256, 64), source=ConstantSource("x"))
    return make_fx(choose_gemm, tracing_mode="fake")(x)
