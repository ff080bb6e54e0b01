"""export with a dynamic past length on the cache input; the predicate reads the total length after cat."""
import torch
from torch import nn
from torch.export import Dim, export


class DecoderStep(nn.Module):
    def forward(self, x, past):
        kv = torch.cat([past, x], dim=1)
        return torch.cond(kv.shape[1] > 512, lambda t: t.sin(), lambda t: t.cos(), (kv,))


def trace():
    x = torch.randn(2, 1, 64)          # one new token
    past = torch.randn(2, 300, 64)
    return export(DecoderStep(), (x, past), dynamic_shapes={"x": None, "past": {1: Dim("past_len")}})
