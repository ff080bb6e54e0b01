"""StatelessSymbolicContext DYNAMIC (not DUCK) on dims 1 and 2 of equal example size; predicate x.shape[1] == x.shape[2]."""
import torch
from torch._dynamo.source import ConstantSource
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.fx.experimental.proxy_tensor import make_fx
from torch.fx.experimental.symbolic_shapes import DimDynamic, ShapeEnv, StatelessSymbolicContext


def square_tile(x):
    return torch.cond(x.shape[1] == x.shape[2], lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    mode = FakeTensorMode(shape_env=ShapeEnv())
    ctx = StatelessSymbolicContext(dynamic_sizes=[DimDynamic.STATIC, DimDynamic.DYNAMIC, DimDynamic.DYNAMIC])
    x = mode.from_tensor(torch.randn(2, 256, 256), source=ConstantSource("x"), symbolic_context=ctx)
    return make_fx(square_tile, tracing_mode="symbolic")(x)
