"""One function reached from two entries; this case traces the concrete one (export without dynamic_shapes)."""
import torch
from torch import nn


def select_attention(q):
    """Shared by the training entry (symbolic) and the export-for-serving entry."""
    return torch.cond(q.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (q,))


class Attention(nn.Module):
    def forward(self, q):
        return select_attention(q * 0.125)


def trace_for_training(q):
    from torch.fx.experimental.proxy_tensor import make_fx
    return make_fx(select_attention, tracing_mode="symbolic")(q)


def export_for_serving(q):
    from torch.export import export
    return export(Attention(), (q,))


def trace():
    return export_for_serving(torch.randn(2, 256, 64))
