"""Three submodules, each with its own cond site, compiled with dynamic=True."""
import torch
from torch import nn


class SeqGate(nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


class BatchGate(nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[0] > 2, lambda t: t.relu(), lambda t: t.tanh(), (x,))


class TokenGate(nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[0] * x.shape[1] > 1024, lambda t: t * 2, lambda t: t + 1, (x,))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.seq, self.batch, self.tokens = SeqGate(), BatchGate(), TokenGate()

    def forward(self, x):
        return self.tokens(self.batch(self.seq(x)))


def trace():
    model = torch.compile(Model(), backend=oracle_backend, dynamic=True)
    model(torch.randn(4, 256, 64))
    return oracle_graphs
