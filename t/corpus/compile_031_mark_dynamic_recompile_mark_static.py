"""dynamic=True, mark_static(x, 1) on the first call, then a call with an unmarked input of another size."""
import torch


def attention_dispatch(x):
    # chunked kernel for long sequences, dense kernel otherwise
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(attention_dispatch, backend=oracle_backend, dynamic=True)
    x = torch.randn(2, 256, 64)
    torch._dynamo.mark_static(x, 1)
    f(x)
    f(torch.randn(2, 300, 64))
    return oracle_graphs
