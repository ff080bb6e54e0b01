"""A Python custom op whose fake returns empty_like(x); export with Dim on seq; the predicate reads the op's output."""
import torch
from torch import nn
from torch.export import Dim, export


@torch.library.custom_op("condlint_corpus::rms_norm", mutates_args=())
def rms_norm(x: torch.Tensor) -> torch.Tensor:
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)


@rms_norm.register_fake
def _(x):
    return torch.empty_like(x)


class Model(nn.Module):
    def forward(self, x):
        h = rms_norm(x)
        return torch.cond(h.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (h,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
