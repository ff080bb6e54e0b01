"""ShapeEnv mode, from_tensor(real, static_shapes=True)."""
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
    x = mode.from_tensor(torch.randn(2, 256, 64), static_shapes=True)
    return make_fx(choose_gemm, tracing_mode="symbolic")(x)
