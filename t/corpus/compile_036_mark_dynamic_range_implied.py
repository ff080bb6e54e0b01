"""mark_dynamic(x, 1, min=16, max=512) and a predicate s <= 512 implied by that range."""
import torch


def short_seq_kernel(x):
    return torch.cond(x.shape[1] <= 512, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 256, 64)
    torch._dynamo.mark_dynamic(x, 1, min=16, max=512)
    f = torch.compile(short_seq_kernel, backend=oracle_backend)
    f(x)
    return oracle_graphs
