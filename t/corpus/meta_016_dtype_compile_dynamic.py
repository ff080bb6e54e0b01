"""x.dtype == torch.bfloat16 under torch.compile(dynamic=True)."""
import torch


def matmul_precision(x):
    return torch.cond(x.dtype == torch.bfloat16, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(matmul_precision, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
