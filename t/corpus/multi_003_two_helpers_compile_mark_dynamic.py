"""Two cond sites in two helpers; mark_dynamic on both dims they read; torch.compile (dynamic=None)."""
import torch


def prefill_or_decode(x):
    return torch.cond(x.shape[1] > 16, lambda t: t.sin(), lambda t: t.cos(), (x,))


def small_or_large_batch(x):
    return torch.cond(x.shape[0] > 8, lambda t: t.relu(), lambda t: t.tanh(), (x,))


def step(x):
    return small_or_large_batch(prefill_or_decode(x))


def trace():
    x = torch.randn(4, 256, 64)
    torch._dynamo.mark_dynamic(x, 0)
    torch._dynamo.mark_dynamic(x, 1)
    f = torch.compile(step, backend=oracle_backend)
    f(x)
    return oracle_graphs
