"""The recipe SEMANTICS recommends for a lowering: mint symbols from a meta tensor
with create_symbolic_sizes_strides_storage_offset on a fresh ShapeEnv, then trace
the dispatch function with make_fx symbolic."""
import torch
from torch._dynamo.source import ConstantSource
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.fx.experimental.proxy_tensor import make_fx
from torch.fx.experimental.symbolic_shapes import DimDynamic, ShapeEnv, StatelessSymbolicContext


def range_dispatch(x, w):
    small = lambda a, b: a @ b
    large = lambda a, b: (a * 0.5) @ (b * 2.0)
    return torch.cond(x.shape[0] <= 512, small, large, (x, w))


def fake_for(t, name, dyn_dim, shape_env, mode):
    dims = [DimDynamic.STATIC] * t.dim()
    if dyn_dim is not None:
        dims[dyn_dim] = DimDynamic.DYNAMIC
    ctx = StatelessSymbolicContext(dynamic_sizes=dims)
    sizes, strides, _ = shape_env.create_symbolic_sizes_strides_storage_offset(
        t, ConstantSource(name), symbolic_context=ctx)
    with mode:
        return torch.empty_strided(sizes, strides, dtype=t.dtype)


def trace():
    shape_env = ShapeEnv()
    mode = FakeTensorMode(shape_env=shape_env)
    x = fake_for(torch.empty(700, 64, device="meta"), "x", 0, shape_env, mode)
    w = fake_for(torch.empty(64, 32, device="meta"), "w", None, shape_env, mode)
    return make_fx(range_dispatch, tracing_mode="symbolic")(x, w)
