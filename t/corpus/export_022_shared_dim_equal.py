"""export, the same Dim object on two inputs; the predicate compares the two dims."""
import torch
from torch import nn
from torch.export import Dim, export


class SelfOrCross(nn.Module):
    def forward(self, q, kv):
        return torch.cond(q.shape[1] == kv.shape[1], lambda a, b: a + b, lambda a, b: a - b, (q, kv))


def trace():
    seq = Dim("seq")
    q, kv = torch.randn(2, 256, 64), torch.randn(2, 256, 64)
    return export(SelfOrCross(), (q, kv), dynamic_shapes={"q": {1: seq}, "kv": {1: seq}})
