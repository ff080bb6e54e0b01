"""One function compiled twice: dynamic=False and dynamic=True; both graphs returned."""
import torch
from torch import nn


def select_attention(q):
    """Shared by the training entry (symbolic) and the export-for-serving entry."""
    return torch.cond(q.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (q,))


class Attention(nn.Module):
    def forward(self, q):
        return select_attention(q * 0.125)


def trace():
    fast = torch.compile(select_attention, backend=oracle_backend, dynamic=False)
    flexible = torch.compile(select_attention, backend=oracle_backend, dynamic=True)
    fast(torch.randn(2, 256, 64))
    flexible(torch.randn(2, 256, 64))
    return oracle_graphs
