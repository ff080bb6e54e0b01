"""make_fx symbolic over an nn.Module instance (its forward holds the cond)."""
import torch
from torch import nn
from torch.fx.experimental.proxy_tensor import make_fx


class MoERouter(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.gate = nn.Linear(dim, dim)

    def forward(self, tokens):
        h = self.gate(tokens)
        return torch.cond(h.shape[0] >= 512, lambda t: t.relu(), lambda t: t.tanh(), (h,))


def trace():
    # the module owns real parameters: let them through as constants
    return make_fx(MoERouter(), tracing_mode="symbolic", _allow_non_fake_inputs=True)(torch.randn(1000, 64))
