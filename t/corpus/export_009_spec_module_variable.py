"""export, the dynamic_shapes dict is held in a module-level variable."""
import torch
from torch import nn
from torch.export import Dim, export

SEQ = Dim("seq", max=4096)
DYNAMIC_SHAPES = {"hidden": {0: Dim("batch"), 1: SEQ}}


class SeqRouter(nn.Module):
    def forward(self, hidden):
        return torch.cond(hidden.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (hidden,))


def trace():
    return export(SeqRouter(), (torch.randn(2, 256, 64),), dynamic_shapes=DYNAMIC_SHAPES)
