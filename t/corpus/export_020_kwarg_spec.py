"""export with a keyword input; dynamic_shapes names the keyword; the predicate reads the mask length."""
import torch
from torch import nn
from torch.export import Dim, export


class MaskedAttention(nn.Module):
    def forward(self, q, *, mask):
        return torch.cond(mask.shape[1] > 128, lambda a: a.sin(), lambda a: a.cos(), (q,))


def trace():
    q = torch.randn(2, 256, 64)
    mask = torch.ones(2, 300, dtype=torch.bool)
    return export(MaskedAttention(), (q,), kwargs={"mask": mask},
                  dynamic_shapes={"q": None, "mask": {1: Dim("kv_len")}})
