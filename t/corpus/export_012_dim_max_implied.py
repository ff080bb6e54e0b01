"""export with Dim('seq', max=512); the predicate s <= 512 is implied by the range."""
import torch
from torch import nn
from torch.export import Dim, export


class ShortSeqKernel(nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[1] <= 512, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(ShortSeqKernel(), (torch.randn(2, 256, 64),),
                  dynamic_shapes={"x": {1: Dim("seq", max=512)}})
