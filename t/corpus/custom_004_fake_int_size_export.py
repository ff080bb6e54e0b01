"""Same careless fake (int() on the size) under export with a Dim on that dim."""
import torch
from torch import nn
from torch.export import Dim, export


@torch.library.custom_op("condlint_corpus::scale_rows", mutates_args=())
def scale_rows(x: torch.Tensor) -> torch.Tensor:
    return x * 2


@scale_rows.register_fake
def _(x):
    n = int(x.shape[1])
    return x.new_empty(x.shape[0], n, x.shape[2])


class Model(nn.Module):
    def forward(self, x):
        y = scale_rows(x)
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (y,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
