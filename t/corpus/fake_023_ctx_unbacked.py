"""StatelessSymbolicContext with DimDynamic.UNBACKED on dim 1 (2.11's members: DYNAMIC, DUCK, STATIC, UNBACKED, INFER_STRIDE). The branches reduce over dim 1: cond cannot merge output strides that mention an unbacked size."""
import torch
from torch._dynamo.source import ConstantSource
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.fx.experimental.proxy_tensor import make_fx
from torch.fx.experimental.symbolic_shapes import DimDynamic, ShapeEnv, StatelessSymbolicContext


def choose_gemm(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin().sum(1), lambda t: t.cos().sum(1), (x,))


def trace():
    mode = FakeTensorMode(shape_env=ShapeEnv())
    ctx = StatelessSymbolicContext(dynamic_sizes=[DimDynamic.STATIC, DimDynamic.UNBACKED, DimDynamic.STATIC])
    x = mode.from_tensor(torch.randn(2, 256, 64), source=ConstantSource("x"), symbolic_context=ctx)
    return make_fx(choose_gemm, tracing_mode="symbolic")(x)
