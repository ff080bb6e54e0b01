"""Fix: DimDynamic.STATIC at the dim the cond reads; the fix makes it DYNAMIC."""
import torch
from torch._dynamo.source import ConstantSource
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.fx.experimental.proxy_tensor import make_fx
from torch.fx.experimental.symbolic_shapes import DimDynamic, ShapeEnv, StatelessSymbolicContext


def choose_gemm(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    shape_env = ShapeEnv()
    mode = FakeTensorMode(shape_env=shape_env)
    real = torch.randn(2, 256, 64)
    ctx = StatelessSymbolicContext(dynamic_sizes=[DimDynamic.DYNAMIC, DimDynamic.STATIC, DimDynamic.DYNAMIC])
    sizes, strides, _ = shape_env.create_symbolic_sizes_strides_storage_offset(
        real, ConstantSource("act"), symbolic_context=ctx)
    with mode:
        x = torch.empty_strided(sizes, strides)
    return make_fx(choose_gemm, tracing_mode="symbolic")(x)
