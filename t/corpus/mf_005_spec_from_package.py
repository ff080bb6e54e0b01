"""Multi-file: the dynamic_shapes dict comes from the mf_specs package (re-exported under an alias)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from torch import nn
from torch.export import export

from mf_specs import LM_DYNAMIC_SHAPES


class Model(nn.Module):
    def forward(self, x):
        return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return export(Model(), (torch.randn(2, 256, 64),), dynamic_shapes=LM_DYNAMIC_SHAPES)
