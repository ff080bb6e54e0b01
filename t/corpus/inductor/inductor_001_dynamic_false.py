"""Inductor range dispatch on x.shape[1] (split points 64..512): dynamic false."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch

from common_op import compile_and_get_code, add_weight


class Model(torch.nn.Module):
    def forward(self, x, w):
        return add_weight(x, w)  # dispatch-site


def trace():
    x = torch.randn(2, 96, 32, device="cuda")
    w = torch.randn(32, device="cuda")
    pass
    return compile_and_get_code(torch.compile(Model(), dynamic=False), x, w)
