"""export with a Python int input and no dynamic_shapes entry for it."""
import torch
from torch import nn
from torch.export import export


class PagedAttention(nn.Module):
    def forward(self, x, num_tokens: int):
        return torch.cond(num_tokens > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(PagedAttention(), (torch.randn(2, 256, 64), 300))
