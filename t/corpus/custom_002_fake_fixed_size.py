"""A Python custom op whose fake returns a fixed-width output (new_empty(b, 128)); the predicate reads that width."""
import torch
from torch import nn
from torch.export import Dim, export


@torch.library.custom_op("condlint_corpus::pool_to_128", mutates_args=())
def pool_to_128(x: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.adaptive_avg_pool1d(x.mean(-1).unsqueeze(1), 128).squeeze(1)


@pool_to_128.register_fake
def _(x):
    return x.new_empty(x.shape[0], 128)


class Model(nn.Module):
    def forward(self, x):
        pooled = pool_to_128(x)
        return torch.cond(pooled.shape[1] >= 128, lambda t: t.sin(), lambda t: t.cos(), (pooled,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
