"""A config dataclass flag as the predicate; torch.compile(dynamic=True)."""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class AttnConfig:
    use_flash: bool = True
    head_dim: int = 64


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg

    def forward(self, x):
        return torch.cond(self.cfg.use_flash, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    model = torch.compile(Attention(AttnConfig()), backend=oracle_backend, dynamic=True)
    model(torch.randn(2, 256, 64))
    return oracle_graphs
