"""A flag read from os.environ at import time."""
import torch
from torch import nn
from torch.export import Dim, export

import os

FLASH_ENABLED = os.environ.get("CONDLINT_CORPUS_FLASH", "1") == "1"


class Model(nn.Module):
    def forward(self, x):
        return torch.cond(FLASH_ENABLED, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    return export(Model(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
