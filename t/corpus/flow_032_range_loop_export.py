"""export with Dim on seq; a range((s + 127) // 128) loop runs before the cond."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.export import Dim, export


class Model(nn.Module):
    def forward(self, x):
        s = x.shape[1]
        acc = x.new_zeros(x.shape[0], x.shape[2])
        for i in range((s + 127) // 128):
            acc = acc + x[:, i * 128:(i + 1) * 128].sum(1)
        return torch.cond(s > 128, lambda t: t.sin(), lambda t: t.cos(), (acc,))


def trace():
    x = torch.randn(2, 300, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
