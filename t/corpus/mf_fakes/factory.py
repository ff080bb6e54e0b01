import torch
from torch._dynamo.source import ConstantSource
from torch._subclasses.fake_tensor import FakeTensorMode
from torch.fx.experimental import symbolic_shapes as ss


def symbolic_fake(real, name, dynamic_dims=()):
    """A fake whose listed dims are symbolic (fresh ShapeEnv)."""
    mode = FakeTensorMode(shape_env=ss.ShapeEnv())
    dims = [ss.DimDynamic.DYNAMIC if i in dynamic_dims else ss.DimDynamic.STATIC for i in range(real.dim())]
    ctx = ss.StatelessSymbolicContext(dynamic_sizes=dims)
    return mode.from_tensor(real, source=ConstantSource(name), symbolic_context=ctx)


def plain_fake(real):
    """A fake with the example's sizes (no ShapeEnv)."""
    return FakeTensorMode().from_tensor(real)
