"""mark_dynamic on a dim whose example size is 1."""
import torch


def attention_dispatch(x):
    # chunked kernel for long sequences, dense kernel otherwise
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    x = torch.randn(2, 1, 64)
    torch._dynamo.mark_dynamic(x, 1)
    f = torch.compile(attention_dispatch, backend=oracle_backend)
    f(x)
    return oracle_graphs
