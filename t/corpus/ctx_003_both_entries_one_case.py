"""One function reached from a symbolic and a concrete entry in the same trace(); graph_conds tells the graphs apart."""
import torch
from torch import nn


def select_attention(q):
    """Shared by the training entry (symbolic) and the export-for-serving entry."""
    return torch.cond(q.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (q,))


class Attention(nn.Module):
    def forward(self, q):
        return select_attention(q * 0.125)


def trace():
    from torch.export import Dim, export
    q = torch.randn(2, 256, 64)
    static = export(Attention(), (q,))
    dynamic = export(Attention(), (q,), dynamic_shapes={"q": {1: Dim("seq")}})
    return [static, dynamic]
