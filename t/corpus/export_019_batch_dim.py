"""export, Dim on dim 0 and a batch-size dispatch reading dim 0."""
import torch
from torch import nn
from torch.export import Dim, export


class BatchDispatch(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(64, 64)

    def forward(self, x):
        y = self.proj(x)
        return torch.cond(y.shape[0] >= 16, lambda t: t.relu(), lambda t: t.sigmoid(), (y,))


def trace():
    return export(BatchDispatch(), (torch.randn(32, 64),), dynamic_shapes={"x": {0: Dim("batch")}})
