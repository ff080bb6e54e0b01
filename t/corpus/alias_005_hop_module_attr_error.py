"""torch._higher_order_ops.cond.cond called through the module path, export with Dim. In 2.11 the package attribute torch._higher_order_ops.cond is the cond function itself (the package re-exports it over the submodule name), so this path raises AttributeError."""
import torch
from torch import nn
from torch.export import Dim, export
import torch._higher_order_ops.cond


class Model(nn.Module):
    def forward(self, x):
        return torch._higher_order_ops.cond.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
